"""The durable job queue (rq, JSON-serialised): what runs after a Slack request has been acknowledged.

Each method can take the pipeline of a store transaction, so that a state change and the job
that follows it are written in one MULTI/EXEC.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import redis
from redis.client import Pipeline
from rq import Queue, Retry
from rq.job import Job
from rq.serializers import JSONSerializer

from bot.adapters import keys

# Slack and network hiccups: retry a few times with growing pauses before giving up.
SLACK_RETRY = Retry(max=5, interval=[2, 10, 30, 120, 600])
JOB_TIMEOUT = 120
KEEP_RESULT = 600


def make_queue(client: redis.Redis, *, is_async: bool = True) -> Queue:
    return Queue(keys.QUEUE, connection=client, serializer=JSONSerializer, is_async=is_async)


class Jobs:
    def __init__(self, queue: Queue) -> None:
        self.queue = queue

    def _job(self, func: str, *args: str, retry: Retry | None = None) -> Job:
        return self.queue.create_job(
            func,
            args=list(args),
            timeout=JOB_TIMEOUT,
            result_ttl=KEEP_RESULT,
            failure_ttl=7 * 24 * 3600,
            retry=retry,
            description=f"{func.rsplit('.', 1)[-1]}({', '.join(args)})",
        )

    def _put(self, job: Job, pipe: Pipeline | None, at: datetime | None = None) -> Job:
        if at is not None:
            # rq keeps whole seconds, rounded down: round up instead, so a job never runs early.
            if at.microsecond:
                at = at.replace(microsecond=0) + timedelta(seconds=1)
            return self.queue.schedule_job(job, at, pipeline=pipe)
        return self.queue.enqueue_job(job, pipeline=pipe)

    def enqueue_due(self) -> int:
        """Move scheduled jobs whose time has come onto the queue; returns how many.

        The clock does this every second (not rq's scheduler, whose lock outlives a killed worker
        for a minute and is only retried every ten), so a retry or the end of an undo window is
        never late because a worker died.
        """
        registry = self.queue.scheduled_job_registry
        due = registry.get_jobs_to_schedule()
        for job_id in due:
            # Enqueue, then unschedule: a crash in between runs a job twice (every job is
            # idempotent), never zero times.
            job = self.queue.fetch_job(job_id)
            if job is not None:
                self.queue.enqueue_job(job)
            registry.remove(job_id)
        return len(due)

    def deliver(self, case_id: str, pipe: Pipeline | None = None, *, at: datetime | None = None) -> Job:
        """Forward a new case to Slack, draft a reply, and post the draft card."""
        return self._put(self._job("bot.app.jobs.deliver_case", case_id, retry=SLACK_RETRY), pipe, at)

    def publish(self, case_id: str, pipe: Pipeline | None = None, *, at: datetime | None = None) -> Job:
        """Post the approved reply on its network (retries are scheduled by the publisher itself)."""
        return self._put(self._job("bot.app.jobs.publish_reply", case_id), pipe, at)

    def refresh(self, case_id: str, pipe: Pipeline | None = None, *, at: datetime | None = None) -> Job:
        """Bring the case's Slack messages up to date and add thread lines for new activity."""
        return self._put(self._job("bot.app.jobs.refresh_case", case_id, retry=SLACK_RETRY), pipe, at)

    def regenerate(self, case_id: str, by: str, instruction: str) -> Job:
        """Ask the drafter for a new version of the reply (slow: may call the LLM)."""
        return self._put(self._job("bot.app.jobs.regenerate_draft", case_id, by, instruction), None)

    def digest(self, day: str = "", *, force: bool = False) -> Job:
        """Post the daily digest (`day`: its local date; empty: the 24 h up to now)."""
        return self._put(self._job("bot.app.jobs.post_digest", day, "force" if force else ""), None)

    def refresh_homes(self, *, at: datetime | None = None) -> Job:
        return self._put(self._job("bot.app.jobs.refresh_homes"), None, at)

    def announce_burst(self, source: str, count: int, *, at: datetime | None = None) -> Job:
        # At the front: the team hears of the wave before it arrives, not after.
        job = self._job("bot.app.jobs.announce_burst", source, str(count))
        if at is not None:
            return self._put(job, None, at)
        return self.queue.enqueue_job(job, at_front=True)

    def poll(self, source: str) -> Job:
        return self._put(self._job("bot.app.jobs.poll_source", source), None)

    def sweep(self) -> Job:
        return self._put(self._job("bot.app.jobs.sweep"), None)

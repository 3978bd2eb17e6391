"""The durable job queue (rq, JSON-serialised): what runs after a Slack request has been acknowledged.

Each method can take the pipeline of a store transaction, so that a state change and the job
that follows it are written in one MULTI/EXEC.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import redis
from redis.client import Pipeline
from rq import Queue, Retry
from rq.job import Job, JobStatus, get_current_job
from rq.serializers import JSONSerializer

from bot.adapters import keys
from bot.domain.text import as_text

# Slack and network hiccups: retry a few times with growing pauses before giving up.
SLACK_RETRY = Retry(max=5, interval=[2, 10, 30, 120, 600])
JOB_TIMEOUT = 120
KEEP_RESULT = 600
TRACKED_FOR = 7 * 24 * 3600  # how long a case remembers its job ids (far longer than any retry)
ALIVE = frozenset({JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.STARTED, JobStatus.DEFERRED})


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

    def _put(
        self,
        job: Job,
        pipe: Pipeline | None,
        at: datetime | None = None,
        *,
        case: tuple[str, str] | None = None,
    ) -> Job:
        """Enqueue (or schedule for `at`) `job`; with `case` (case id, kind), also remember its id
        for that case in the same MULTI, so the sweeper can tell whether the case has a live job."""
        own = pipe is None and case is not None
        target = self.queue.connection.pipeline() if own else pipe
        if at is not None:
            # rq keeps whole seconds, rounded down: round up instead, so a job never runs early.
            if at.microsecond:
                at = at.replace(microsecond=0) + timedelta(seconds=1)
            job = self.queue.schedule_job(job, at, pipeline=target)
        else:
            job = self.queue.enqueue_job(job, pipeline=target)
        if case is not None and target is not None:
            key = keys.case_jobs(*case)
            target.sadd(key, job.id)
            target.expire(key, TRACKED_FOR)
            if own:
                target.execute()
        return job

    # --- which jobs are alive ---

    def forget_abandoned(self, at: datetime | None = None) -> None:
        """Let rq settle the jobs of workers that died mid-job (their heartbeat expired before `at`):
        retried when they have retries left, failed otherwise, so they no longer count as running."""
        self.queue.started_job_registry.cleanup(at.timestamp() if at is not None else None)

    def alive(self, case_id: str, kind: str, *, besides: str | None = None) -> list[Job]:
        """The case's jobs of `kind` still queued, scheduled or running (except job `besides`).
        Ids of jobs that ended are dropped from the case's set on the way."""
        key = keys.case_jobs(case_id, kind)
        ids = sorted(as_text(i) for i in self.queue.connection.smembers(key))
        found = Job.fetch_many(ids, connection=self.queue.connection, serializer=self.queue.serializer)
        live, ended = [], []
        for job_id, job in zip(ids, found, strict=True):
            if job is not None and self._waiting_or_running(job):
                if job_id != besides:
                    live.append(job)
            else:
                ended.append(job_id)
        if ended:
            self.queue.connection.srem(key, *ended)
        return live

    def _waiting_or_running(self, job: Job) -> bool:
        status = job.get_status(refresh=False)
        if status == JobStatus.QUEUED:
            # Still in the queue: a worker killed right after taking a job leaves it "queued" in
            # rq's intermediate list, where nothing will run it.
            return self.queue.connection.lpos(self.queue.key, job.id) is not None
        return status in ALIVE

    def running(self, case_id: str, kind: str, *, besides: str | None = None) -> bool:
        """Whether a live worker is running one of the case's jobs of `kind` (other than `besides`)."""
        self.forget_abandoned()  # a killed worker's job is not running, whatever its status says
        return any(
            j.get_status(refresh=False) == JobStatus.STARTED
            for j in self.alive(case_id, kind, besides=besides)
        )

    def waiting(self, case_id: str, kind: str) -> bool:
        """Whether one of the case's jobs of `kind` is queued or scheduled (not yet running)."""
        return any(j.get_status(refresh=False) != JobStatus.STARTED for j in self.alive(case_id, kind))

    def holder(self) -> str:
        """Who holds a claim taken here: this rq job, else this process (a claim's owner token)."""
        job_id = self.current_id()
        return f"job:{job_id}" if job_id else f"process:{uuid.uuid4().hex}"

    def holder_gone(self, holder: str) -> bool:
        """Whether a claim's holder was an rq job that ended, or whose worker died (its heartbeat
        stopped): its claim may be taken over instead of waiting for the claim to expire."""
        if not holder.startswith("job:"):
            return False
        self.forget_abandoned()
        return not self.is_alive(holder.removeprefix("job:"))

    def is_alive(self, job_id: str) -> bool:
        job = self.queue.fetch_job(job_id)
        return job is not None and job.get_status(refresh=False) in ALIVE

    @staticmethod
    def current_id() -> str | None:
        """The id of the rq job this code runs in, if any."""
        job = get_current_job()
        return job.id if job is not None else None

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
        job = self._job("bot.app.jobs.deliver_case", case_id, retry=SLACK_RETRY)
        return self._put(job, pipe, at, case=(case_id, "deliver"))

    def publish(self, case_id: str, pipe: Pipeline | None = None, *, at: datetime | None = None) -> Job:
        """Post the approved reply on its network (retries are scheduled by the publisher itself)."""
        return self._put(
            self._job("bot.app.jobs.publish_reply", case_id), pipe, at, case=(case_id, "publish")
        )

    def refresh(self, case_id: str, pipe: Pipeline | None = None, *, at: datetime | None = None) -> Job:
        """Bring the case's Slack messages up to date and add thread lines for new activity."""
        return self._put(self._job("bot.app.jobs.refresh_case", case_id, retry=SLACK_RETRY), pipe, at)

    def regenerate(self, case_id: str, by: str, instruction: str) -> Job:
        """Ask the drafter for a new version of the reply (slow: may call the LLM)."""
        return self._put(self._job("bot.app.jobs.regenerate_draft", case_id, by, instruction), None)

    def digest(self, day: str = "", *, force: bool = False, run: str = "", at: datetime | None = None) -> Job:
        """Post the daily digest (`day`: its local date; empty: the 24 h up to now). A forced one
        gets a `run` name of its own, kept when it is rescheduled, under which its sends are marked."""
        run = run or (f"manual-{uuid.uuid4().hex[:12]}" if force else "")
        return self._put(self._job("bot.app.jobs.post_digest", day, run, retry=SLACK_RETRY), None, at)

    def refresh_homes(self, *, at: datetime | None = None) -> Job:
        return self._put(self._job("bot.app.jobs.refresh_homes"), None, at)

    def announce_burst(self, source: str, count: int, *, at: datetime | None = None) -> Job:
        # At the front: the team hears of the wave before it arrives, not after.
        job = self._job("bot.app.jobs.announce_burst", source, str(count), retry=SLACK_RETRY)
        if at is not None:
            return self._put(job, None, at)
        return self.queue.enqueue_job(job, at_front=True)

    def poll(self, source: str) -> Job:
        return self._put(self._job("bot.app.jobs.poll_source", source), None)

    def moderate(
        self, case_id: str, hidden: bool, pipe: Pipeline | None = None, *, at: datetime | None = None
    ) -> Job:
        """Hide (or show again) the case's comment on Facebook or Instagram."""
        job = self._job("bot.app.jobs.moderate_comment", case_id, "hide" if hidden else "unhide")
        return self._put(job, pipe, at, case=(case_id, "moderate"))

    def look_up_mention(self, source: str, media_id: str, comment_id: str) -> Job:
        """Read a Facebook or Instagram mention a webhook announced without its text, then accept it."""
        job = self._job("bot.app.jobs.look_up_mention", source, media_id, comment_id, retry=SLACK_RETRY)
        return self._put(job, None)

    def sweep(self) -> Job:
        return self._put(self._job("bot.app.jobs.sweep"), None)

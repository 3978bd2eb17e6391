"""The safety net run by the clock: requeue work whose job was lost (crash, Redis restart, deploy)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.adapters.queue import Jobs
from bot.adapters.store import CaseStore
from bot.domain import Case, State

log = logging.getLogger(__name__)

# Longer than a healthy job takes, so the sweeper never races a job that is merely running.
STALE = timedelta(minutes=3)


class Sweeper:
    def __init__(
        self, *, store: CaseStore, jobs: Jobs, lease_seconds: int, clock: Callable[[], datetime]
    ) -> None:
        self.store = store
        self.jobs = jobs
        self.lease = timedelta(seconds=lease_seconds)
        self.clock = clock

    def sweep(self) -> list[str]:
        """Requeue the cases whose job is lost; returns their ids.

        Lost means no job of that kind is queued, scheduled or running for the case: a job merely
        waiting (postponed by a 429, a retry, a busy worker) is left alone, so a case never has two.
        """
        now = self.clock()
        # First, so that the job of a worker killed mid-job counts as ended, not as running.
        self.jobs.forget_abandoned(now)
        requeued: list[str] = []
        for case in self.store.open_cases(limit=1000):
            job = self._lost_job(case, now)
            if job is None or self._has_job(case.id, job):
                continue
            if job == "deliver":
                self.jobs.deliver(case.id)
            else:
                self.jobs.publish(case.id)
            requeued.append(case.id)
        if requeued:
            log.warning("sweeper requeued %d case(s): %s", len(requeued), ", ".join(requeued))
        return requeued

    def _has_job(self, case_id: str, kind: str) -> bool:
        """A delivery counts while queued, scheduled or running. A publish counts only while waiting:
        one still running past its lease is judged by the next publish job, which waits for it to end
        (or finds its worker dead) before it verifies on the network and takes over."""
        return self.jobs.waiting(case_id, kind) if kind == "publish" else bool(self.jobs.alive(case_id, kind))

    def _lost_job(self, case: Case, now: datetime) -> str | None:
        """The job a case should have had by now, judging by its state and when it last changed."""
        since = case.last_activity
        undelivered = case.slack is None or case.slack.card_ts is None
        if case.state in (State.RECEIVED, State.DRAFTED) and undelivered and now - since > STALE:
            return "deliver"
        if case.state is State.APPROVED:
            due = case.failure.retry_at if case.failure and case.failure.retry_at else since
            return "publish" if now - due > STALE else None
        if case.state is State.PUBLISHING and case.publishing_since is not None:
            return "publish" if now - case.publishing_since > self.lease else None
        return None

"""Polling: new posts from a connector become cases, each stored once and queued for delivery."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.domain import Case, open_case
from bot.metrics import Metrics
from bot.queue import Jobs
from bot.store import CaseStore
from connectors.base import Connector, ConnectorError

log = logging.getLogger(__name__)

POLL_LOCK_SECONDS = 300


@dataclass(frozen=True)
class PollResult:
    source: str
    fetched: int
    new: int
    paused: bool = False


class Inbox:
    def __init__(
        self,
        *,
        metrics: Metrics,
        store: CaseStore,
        jobs: Jobs,
        sources: Mapping[str, Connector],
        clock: Callable[[], datetime],
    ) -> None:
        self.metrics = metrics
        self.store = store
        self.jobs = jobs
        self.sources = sources
        self.clock = clock

    def poll(self, source: str) -> PollResult:
        connector = self.sources[source]
        if self.store.is_paused(connector.network.value):
            return PollResult(source, 0, 0, paused=True)
        # One poll per source at a time, so a slow poll and the next one never move the cursor backwards.
        if not self.store.acquire(f"polling:{source}", ttl=POLL_LOCK_SECONDS):
            return PollResult(source, 0, 0)
        try:
            cursor = self.store.cursor(connector.network.value, source)
            try:
                batch = connector.fetch(cursor)
            except ConnectorError as error:
                self.metrics.api_call(connector.network.value, "fetch", error.kind)
                raise
            self.metrics.api_call(connector.network.value, "fetch", "ok")
            new = sum(self.accept(open_case(post, source=source, at=self.clock())) for post in batch.posts)
            # Only now is every post of the batch safely stored: a crash before this line re-fetches
            # them, and `accept` drops the ones already stored.
            self.store.set_cursor(connector.network.value, source, batch.cursor)
            connector.acknowledge(batch)
        finally:
            self.store.release(f"polling:{source}")
        if new:
            log.info("polled %s: %d new of %d", source, new, len(batch.posts))
        return PollResult(source, len(batch.posts), new)

    def accept(self, case: Case) -> bool:
        """Store a case and queue its delivery in one transaction; False when it was already known."""
        return self.store.add(case, then=lambda stored, pipe: self.jobs.deliver(stored.id, pipe))

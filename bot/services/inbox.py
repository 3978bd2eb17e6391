"""Polling: new posts from a connector become cases, each stored once and queued for delivery."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from bot.adapters import keys
from bot.adapters.metrics import Metrics
from bot.adapters.queue import Jobs
from bot.adapters.store import CaseStore
from bot.domain import Case, Post, open_case
from bot.domain.conversation import follow_up
from bot.domain.i18n import _
from connectors.base import Connector, ConnectorError

log = logging.getLogger(__name__)

BURST = 50  # new posts in one poll that make a burst worth telling the team about
BURST_NOTICE_EVERY = 600  # seconds: one notice per source per 10 minutes


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
        notify: Callable[[str], object] | None = None,
        slack_rate: float = 1.0,
        poll_lock_seconds: int = 60,
    ) -> None:
        """`notify` posts a line to the team's default channel (the burst notice)."""
        self.notify = notify
        # Long enough for a slow poll, short enough that a worker killed mid-poll does not stop
        # polling for long (overlapping polls are harmless: the store drops what it has seen).
        self.poll_lock_seconds = poll_lock_seconds
        self.slack_rate = slack_rate
        self.metrics = metrics
        self.store = store
        self.jobs = jobs
        self.sources = sources
        self.clock = clock

    def poll(self, source: str) -> PollResult:
        connector = self.sources[source]
        if self.store.is_paused(connector.network.value):
            return PollResult(source, 0, 0, paused=True)
        # One poll per source at a time; one that outlives its claim cannot free the next one's, and
        # the claim of a worker killed mid-poll is taken over once its heartbeat stops (seconds).
        claim, owner = keys.lock(f"polling:{source}"), self.jobs.holder()
        if not self.store.claim(claim, owner, ttl=self.poll_lock_seconds, gone=self.jobs.holder_gone):
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
            if not self.store.advance_cursor(
                connector.network.value, source, read=cursor, value=batch.cursor
            ):
                log.info("poll of %s overtaken by a newer one: its cursor is kept", source)
            connector.acknowledge(batch)
        finally:
            self.store.release(claim, owner)
        if new:
            log.info("polled %s: %d new of %d", source, new, len(batch.posts))
        if new >= BURST and self.store.acquire(f"burst:{source}", ttl=BURST_NOTICE_EVERY):
            self.jobs.announce_burst(source, new)
        return PollResult(source, len(batch.posts), new)

    def announce_burst(self, source: str, count: int) -> None:
        """Tell the team a wave is coming in, and how long Slack's pace makes it take."""
        if self.notify is None:
            return
        label = self.sources[source].network.label if source in self.sources else source
        minutes = max(1, round(count * 2 / self.slack_rate / 60))  # a parent and a card per post
        self.notify(
            _(
                "📈 A burst is under way: {count} new posts from {network} in one poll. They are all stored "
                "and arrive here at Slack's pace, about {minutes} min for the whole wave. Nothing is lost."
            ).format(count=f"{count:,}", network=label, minutes=minutes)
        )

    def take(self, source: str, post: Post) -> bool:
        """A post pushed to Parley (a stream, a webhook) becomes a case as a polled one would; while
        its network is paused it is left for the poll after /parley resume, like polled posts."""
        if self.store.is_paused(post.network.value):
            return False
        return self.accept(open_case(post, source=source, at=self.clock()))

    def accept(self, case: Case) -> bool:
        """Store a case, or add its post to the conversation it continues, and queue its delivery
        in the same transaction; False when the post was already known."""
        at = self.clock()
        return self.store.file(
            case,
            follow=partial(follow_up, at=at),
            then=lambda stored, pipe: self.jobs.deliver(stored.id, pipe),
        )

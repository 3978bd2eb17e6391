"""Real time: one long-lived stream per account whose network pushes posts (Bluesky, Mastodon).

Each streamed post takes the polled posts' path (`Inbox.take`), so any number of
stream processes and the poller make one case per post: the store drops what it has seen. On every
(re)connect the stream first catches up by polling since the stored cursor (`Inbox.poll`), so a gap
in the stream loses nothing; and the clock keeps polling every `PARLEY_POLL_INTERVAL` whatever the
streams do, so a stream endpoint that is blocked or down never stops a network, it only makes it
slower. A dropped stream is reopened at once, then with a growing wait (1 s to 60 s) while it keeps
failing.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Mapping

from bot.adapters.metrics import Metrics
from bot.domain import Post
from bot.services.inbox import Inbox
from connectors.base import Connector, ConnectorError, Streaming

log = logging.getLogger(__name__)

BACKOFF = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)  # seconds before the nth reconnection in a row that fails


def backoff(failures: int, *, jitter: Callable[[], float] = random.random) -> float:
    """The wait before reconnecting after `failures` attempts in a row that did not connect."""
    if failures <= 0:
        return 0.2
    return BACKOFF[min(failures, len(BACKOFF)) - 1] * (0.75 + 0.5 * jitter())


class Streams:
    def __init__(
        self,
        *,
        inbox: Inbox,
        metrics: Metrics,
        sources: Mapping[str, Connector],
    ) -> None:
        self.inbox = inbox
        self.metrics = metrics
        self.sources = sources
        self.connects: dict[str, int] = {}  # source -> streams opened (and caught up) so far

    def run(self, source: str, stop: threading.Event) -> None:
        """Keep a stream of `source` open until `stop` is set."""
        connector = self.sources[source]
        if not isinstance(connector, Streaming):
            raise ValueError(f"{source}: {connector.network.label} has no stream")
        network = connector.network.value
        failures = 0
        while not stop.is_set():
            opened = threading.Event()

            def on_open(opened: threading.Event = opened) -> None:
                opened.set()
                self.metrics.api_call(network, "stream", "ok")
                log.info("stream of %s open: catching up", source)
                self.catch_up(source)
                self.connects[source] = self.connects.get(source, 0) + 1

            try:
                connector.listen(
                    on_open=on_open, on_post=lambda post: self.accept(source, post), stopped=stop.is_set
                )
            except ConnectorError as error:
                self.metrics.api_call(network, "stream", error.kind)
                log.warning("stream of %s: %s", source, error.message)
            except Exception:  # a bug or an SDK surprise: the stream must come back, the poller covers
                self.metrics.api_call(network, "stream", "unknown")
                log.exception("stream of %s failed", source)
            failures = 0 if opened.is_set() else failures + 1
            stop.wait(backoff(failures))

    def catch_up(self, source: str) -> None:
        """Poll since the stored cursor: what was written while the stream was closed."""
        try:
            result = self.inbox.poll(source)
        except ConnectorError as error:
            log.warning("catching up %s: %s (the poller will try again)", source, error.message)
            return
        if result.new:
            log.info("caught up %s: %d new", source, result.new)

    def accept(self, source: str, post: Post) -> bool:
        """A streamed post becomes a case, as a polled one would (once, whoever brings it first)."""
        new = self.inbox.take(source, post)
        if new:
            log.info("streamed %s: new case for post %s", source, post.id)
        return new

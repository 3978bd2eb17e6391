"""Mastodon's user stream (``GET /api/v1/streaming/user``, server-sent events) read with Mastodon.py.

The streaming server may live elsewhere than the API (the instance's ``urls.streaming_api``;
Mastodon.py finds it). It writes ``:)`` on connect and a ``:thump`` heartbeat comment every 15 s:
the first comment means the stream is open, each one is a chance to stop. Only ``notification``
events of type ``mention`` are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mastodon import StreamListener


class StopStream(Exception):
    """Raised from a heartbeat to leave Mastodon.py's blocking read once `stopped()`."""


class MentionListener(StreamListener):
    def __init__(
        self,
        *,
        on_open: Callable[[], None],
        on_mention: Callable[[dict[str, Any]], object],
        stopped: Callable[[], bool],
    ) -> None:
        super().__init__()
        self._on_open = on_open
        self._on_mention = on_mention
        self._stopped = stopped
        self.opened = False

    def _check(self) -> None:
        if not self.opened:
            self.opened = True
            self._on_open()
        if self._stopped():
            raise StopStream

    def handle_heartbeat(self) -> None:
        self._check()

    def on_notification(self, notification: Any) -> None:
        self._check()
        if notification.get("type") == "mention" and notification.get("status"):
            self._on_mention(notification["status"])

    def on_unknown_event(self, name: str, unknown_event: Any = None) -> None:
        """New event types from a newer server are not errors here."""

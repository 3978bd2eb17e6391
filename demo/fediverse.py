"""The sandbox with Bluesky and Mastodon too: their emulators, their accounts, and `parley stream`.

`FediverseSandbox` is `Sandbox` (Slack, X, Reddit, OpenAI emulators and the real app) plus a
Bluesky emulator (XRPC and Jetstream) and a Mastodon emulator (REST and streaming), configured as a
user would: BLUESKY_* and MASTODON_* variables. `streaming()` runs the streams of `parley stream`
in threads of this process, on the sandbox's container.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Self

import redis

from bot.app.streaming import build_streams, start_streams
from bot.services.streams import Streams
from demo.sandbox import Sandbox
from emulators.bluesky import BlueskyEmulator
from emulators.mastodon import MastodonEmulator


class FediverseSandbox(Sandbox):
    def __init__(self, client: redis.Redis, *, mastodon_limit: int | None = 500, **options: Any) -> None:
        super().__init__(client, **options)
        self.bluesky = BlueskyEmulator(clock=lambda: self.clock().timestamp())
        self.mastodon = MastodonEmulator(
            max_characters=mastodon_limit, clock=lambda: self.clock().timestamp()
        )

    def __enter__(self) -> Self:
        self.bluesky.start()
        self.mastodon.start()
        return super().__enter__()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        super().__exit__(kind, error, trace)
        self.bluesky.stop()
        self.mastodon.stop()

    def environment(self) -> dict[str, str]:
        return {
            "BLUESKY_HANDLE": self.bluesky.brand.handle,
            "BLUESKY_APP_PASSWORD": self.bluesky.app_password,
            "BLUESKY_PDS_URL": self.bluesky.url,
            "BLUESKY_JETSTREAM_URL": self.bluesky.jetstream_url,
            "MASTODON_API_BASE_URL": self.mastodon.url,
            "MASTODON_ACCESS_TOKEN": self.mastodon.access_token,
        } | super().environment()

    @contextmanager
    def streaming(self, *, wait: bool = True) -> Iterator[Streams]:
        """`parley stream` in threads: one stream per Bluesky and Mastodon account, until the block ends.

        With `wait`, returns once every stream is open and has caught up.
        """
        streams = build_streams(self.parley)
        names = self.parley.settings.streamed_accounts
        stop = threading.Event()
        threads = start_streams(streams, names, stop)
        try:
            if wait:
                self.slack.wait_for(lambda: all(streams.connects.get(n, 0) >= 1 for n in names), timeout=10)
            yield streams
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=5)

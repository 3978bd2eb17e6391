"""`parley stream`: one thread per account with a stream (Bluesky's Jetstream, Mastodon's user stream).

Run beside the worker and the clock (Procfile `stream`, and a child of `parley run` when an account
streams). Several may run: each post still makes one case. Stops on SIGTERM or Ctrl-C.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from types import FrameType

from bot.app.container import Container
from bot.services.streams import Streams

log = logging.getLogger(__name__)

STOP_WITHIN = 5  # seconds for the streams to close, within the 10 s platforms allow


def build_streams(container: Container) -> Streams:
    return Streams(inbox=container.inbox, metrics=container.metrics, sources=container.sources)


def start_streams(streams: Streams, names: list[str], stop: threading.Event) -> list[threading.Thread]:
    threads = [
        threading.Thread(target=streams.run, args=(name, stop), name=f"stream-{name}", daemon=True)
        for name in names
    ]
    for thread in threads:
        thread.start()
    return threads


def run_stream_process(container: Container) -> int:
    names = container.settings.streamed_accounts
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    if not names:
        log.warning(
            "stream: no account streams (Bluesky or Mastodon; see BLUESKY_STREAM, MASTODON_STREAM); nothing to do"
        )
        stop.wait()
        return 0
    log.info("stream: %s", ", ".join(names))
    threads = start_streams(build_streams(container), names, stop)
    while not stop.wait(1.0):
        pass
    deadline = time.monotonic() + STOP_WITHIN  # daemon threads: whatever is still reading ends with us
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    return 0

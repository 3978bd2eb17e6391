"""Polling for effects that happen on another thread (an app answering, a client acknowledging)."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_until(predicate: Callable[[], bool], *, timeout: float) -> None:
    """Poll `predicate` every 10 ms until it is true; raise `TimeoutError` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            raise TimeoutError(f"condition not met within {timeout} s")
        time.sleep(0.01)

"""A sliding rate-limit window, as the Bluesky and Mastodon emulators report it in their headers."""

from __future__ import annotations

import threading
from collections.abc import Callable


class SlidingWindow:
    """Calls counted over the last `seconds`; safe to hit from the server's request threads."""

    def __init__(self, limit: int, seconds: float, clock: Callable[[], float]) -> None:
        self.limit = limit
        self.seconds = seconds
        self._clock = clock
        self._calls: list[float] = []
        self._lock = threading.Lock()

    def hit(self) -> tuple[int, float]:
        """Count a call now; the calls left in the window and the epoch second it resets."""
        with self._lock:
            now = self._clock()
            self._calls = [t for t in self._calls if t > now - self.seconds] + [now]
            return max(0, self.limit - len(self._calls)), self._calls[0] + self.seconds

"""What the connector needs of the day's quota: a meter it charges before every call.

Parley's composition root gives the connector `bot.adapters.quota.DailyQuota` (in Redis, shared by
every process); without one (`parley doctor`, a script) the connector counts in memory.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from bot.domain.quota import quota_day


class QuotaMeter(Protocol):
    @property
    def limit(self) -> int:
        """Units a quota day."""
        ...

    def used(self) -> int:
        """Units spent on the current quota day."""
        ...

    def spend(self, units: int) -> None: ...

    def exhaust(self) -> None:
        """Google said the quota is spent: count it spent until the reset."""
        ...

    def last_poll(self) -> tuple[datetime, int] | None:
        """When this account last polled and what that poll cost, if it did."""
        ...

    def polled(self, at: datetime, cost: int) -> None: ...


class MemoryQuota:
    """A `QuotaMeter` in this process only."""

    def __init__(self, limit: int, clock: Callable[[], datetime]) -> None:
        self.limit = limit
        self._clock = clock
        self._lock = threading.Lock()
        self._spent: dict[str, int] = {}
        self._last: tuple[datetime, int] | None = None

    def _day(self) -> str:
        return quota_day(self._clock()).isoformat()

    def used(self) -> int:
        return self._spent.get(self._day(), 0)

    def spend(self, units: int) -> None:
        with self._lock:
            day = self._day()
            self._spent = {day: self._spent.get(day, 0) + units}

    def exhaust(self) -> None:
        with self._lock:
            self._spent = {self._day(): max(self.limit, self.used())}

    def last_poll(self) -> tuple[datetime, int] | None:
        return self._last

    def polled(self, at: datetime, cost: int) -> None:
        self._last = (at, cost)

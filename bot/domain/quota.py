"""A network's daily API quota (YouTube's 10,000 units), as values and rules: no I/O.

Google resets the YouTube Data API quota at midnight Pacific Time, so a "quota day" is a date in
America/Los_Angeles, whatever the team's own zone. Every request costs units (a list 1, a comment
50); Parley counts what it spends and

- polls at the usual pace while less than `SLOW_FROM` (80 %) of the day's quota is used;
- above it, polls at most as often as lets the rest last until the reset, keeping the last
  `REPLY_RESERVE` (10 %) of the quota for replies (`poll_gap`);
- refuses to start a request the rest cannot pay for, and says when the quota comes back
  (`affordable`, `next_reset`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

PACIFIC = ZoneInfo("America/Los_Angeles")
SLOW_FROM = 0.8  # share of the day's quota used from which polling slows down
REPLY_RESERVE = 0.1  # share of the day's quota that polling leaves to replies


def quota_day(at: datetime) -> date:
    """The quota day `at` falls in: its date in Pacific Time."""
    return at.astimezone(PACIFIC).date()


def next_reset(at: datetime) -> datetime:
    """The next Pacific midnight after `at` (UTC), when Google gives the day's quota back."""
    tomorrow = quota_day(at) + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=PACIFIC).astimezone(UTC)


@dataclass(frozen=True)
class QuotaUse:
    """What one quota (`name`: an account or project) has spent on the quota day of `at`."""

    name: str
    used: int
    limit: int
    at: datetime
    poll_every: timedelta | None = None  # the slowed-down poll pace; None: the usual pace

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    @property
    def share(self) -> float:
        """The part used, 0.0 to 1.0 (1.0 for a zero limit)."""
        return min(1.0, self.used / self.limit) if self.limit > 0 else 1.0

    @property
    def resets_at(self) -> datetime:
        return next_reset(self.at)


def affordable(used: int, limit: int, cost: int) -> bool:
    """Whether a request of `cost` units still fits in today's quota."""
    return used + cost <= limit


def reserve(limit: int) -> int:
    """Units polling leaves to replies."""
    return math.ceil(limit * REPLY_RESERVE)


def poll_gap(*, used: int, limit: int, poll_cost: int, at: datetime) -> timedelta:
    """The least time between two polls from `at` so that polling lasts until the quota resets.

    Zero below `SLOW_FROM` of the quota (the usual poll interval applies). Above it, the units left
    for polling (the rest less the replies' reserve) are spread evenly until the reset; when they
    cannot pay for one more poll, the gap reaches the reset itself.
    """
    if limit <= 0:
        return next_reset(at) - at
    if used < SLOW_FROM * limit:
        return timedelta(0)
    until_reset = next_reset(at) - at
    spare = limit - used - reserve(limit)
    cost = max(1, poll_cost)
    if spare < cost:
        return until_reset
    polls_left = spare // cost
    return until_reset / polls_left


def may_poll(*, used: int, limit: int, poll_cost: int, at: datetime, last_poll: datetime | None) -> bool:
    """Whether a poll may run at `at`, given the last one and the gap the quota asks for."""
    gap = poll_gap(used=used, limit=limit, poll_cost=poll_cost, at=at)
    if not gap:
        return True
    if not affordable(used, limit - reserve(limit), max(1, poll_cost)):
        return False
    return last_poll is None or at - last_poll >= gap

"""A network's daily API quota in Redis, shared by every process: what was spent today, and the last poll.

The rules (when to slow down, when the day resets) are pure, in `bot.domain.quota`; this adapter
only counts. Units are counted per quota day (a Pacific date, as Google resets YouTube's quota) in
one key per day that expires two days later, so a new day starts from zero by itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import redis

from bot.adapters import keys
from bot.domain.quota import QuotaUse, poll_gap, quota_day
from bot.domain.text import as_text

KEEP_SECONDS = 2 * 24 * 3600


class DailyQuota:
    """The quota `quota` (e.g. ``youtube:<client id>``) of `limit` units a day, as seen by `account`."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        quota: str,
        account: str,
        limit: int,
        clock: Callable[[], datetime],
    ) -> None:
        self.redis = client
        self.quota = quota
        self.account = account
        self.limit = limit
        self.clock = clock

    def _key(self) -> str:
        return keys.quota_used(self.quota, quota_day(self.clock()).isoformat())

    def used(self) -> int:
        raw = self.redis.get(self._key())
        return int(as_text(raw)) if raw else 0

    def spend(self, units: int) -> None:
        key = self._key()
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.incrby(key, units)
            pipe.expire(key, KEEP_SECONDS)
            pipe.execute()

    def exhaust(self) -> None:
        """The network said the quota is spent: count it spent until the reset, whatever we counted."""
        key = self._key()
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(key, max(self.limit, self.used()))
            pipe.expire(key, KEEP_SECONDS)
            pipe.execute()

    def last_poll(self) -> tuple[datetime, int] | None:
        raw = self.redis.hgetall(keys.quota_last_poll(self.quota, self.account))
        fields = {as_text(k): as_text(v) for k, v in raw.items()}
        if "at" not in fields:
            return None
        return datetime.fromtimestamp(float(fields["at"]), UTC), int(fields.get("cost", "1"))

    def polled(self, at: datetime, cost: int) -> None:
        key = keys.quota_last_poll(self.quota, self.account)
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping={"at": at.timestamp(), "cost": cost})
            pipe.expire(key, KEEP_SECONDS)
            pipe.execute()

    def use(self) -> QuotaUse:
        """Today's figures, for `/parley stats`."""
        at, used = self.clock(), self.used()
        last = self.last_poll()
        gap = poll_gap(used=used, limit=self.limit, poll_cost=last[1] if last else 1, at=at)
        return QuotaUse(name=self.account, used=used, limit=self.limit, at=at, poll_every=gap or None)

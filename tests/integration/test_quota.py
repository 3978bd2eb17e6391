"""The daily quota in a real Redis: shared counts, Pacific days, Google's "used up", the last poll."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import redis

from bot.adapters.quota import DailyQuota

AT = datetime(2026, 12, 7, 7, 30, tzinfo=UTC)  # 23:30 in Los Angeles: half an hour before the reset


def meter(client: redis.Redis, clock: list[datetime], account: str = "brand") -> DailyQuota:
    return DailyQuota(client, quota="youtube:client", account=account, limit=1_000, clock=lambda: clock[0])


def test_every_process_sees_one_count_per_pacific_day(redis_client: redis.Redis) -> None:
    clock = [AT]
    one, other = meter(redis_client, clock), meter(redis_client, clock, account="brand-it")
    one.spend(50)
    other.spend(1)
    assert one.used() == other.used() == 51
    clock[0] += timedelta(minutes=31)  # midnight Pacific: a new day
    assert one.used() == 0
    assert 0 < redis_client.ttl("parley:quota:youtube:client:2026-12-06") <= 2 * 24 * 3600


def test_used_up_by_google_counts_as_the_whole_quota_until_the_reset(redis_client: redis.Redis) -> None:
    clock = [AT]
    quota = meter(redis_client, clock)
    quota.spend(120)
    quota.exhaust()
    use = quota.use()
    assert (use.used, use.remaining) == (1_000, 0)
    assert use.resets_at == datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def test_the_last_poll_and_the_pace_it_sets(redis_client: redis.Redis) -> None:
    clock = [AT]
    quota = meter(redis_client, clock)
    assert quota.last_poll() is None and quota.use().poll_every is None
    quota.polled(AT, 3)
    assert quota.last_poll() == (AT, 3)
    quota.spend(850)  # 85 %: 50 spare units, 3 a poll, 30 minutes to the reset
    assert quota.use().poll_every == timedelta(minutes=30) / 16

"""The daily quota's rules (bot.domain.quota): Pacific days, the slowdown above 80 %, the replies' reserve."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.quota import QuotaUse, affordable, may_poll, next_reset, poll_gap, quota_day

# 18:00 UTC on 6 Dec 2026 is 10:00 in Los Angeles (PST, UTC-8): 14 hours before the reset.
AT = datetime(2026, 12, 6, 18, 0, tzinfo=UTC)


def test_the_quota_day_is_the_pacific_date() -> None:
    assert quota_day(datetime(2026, 12, 7, 7, 59, tzinfo=UTC)).isoformat() == "2026-12-06"
    assert quota_day(datetime(2026, 12, 7, 8, 0, tzinfo=UTC)).isoformat() == "2026-12-07"


def test_the_reset_is_the_next_pacific_midnight_in_winter_and_summer() -> None:
    assert next_reset(AT) == datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # PST
    assert next_reset(datetime(2026, 7, 1, 12, 0, tzinfo=UTC)) == datetime(
        2026, 7, 2, 7, 0, tzinfo=UTC
    )  # PDT
    assert next_reset(datetime(2026, 12, 7, 8, 0, tzinfo=UTC)) == datetime(2026, 12, 8, 8, 0, tzinfo=UTC)


def test_below_80_percent_polling_keeps_its_pace() -> None:
    assert poll_gap(used=7_999, limit=10_000, poll_cost=3, at=AT) == timedelta(0)
    assert may_poll(used=7_999, limit=10_000, poll_cost=3, at=AT, last_poll=AT)


def test_above_80_percent_the_polls_left_are_spread_until_the_reset() -> None:
    # 10,000 - 8,600 - 1,000 reserved for replies = 400 units, 2 a poll: 200 polls in 14 hours.
    gap = poll_gap(used=8_600, limit=10_000, poll_cost=2, at=AT)
    assert gap == timedelta(hours=14) / 200
    assert not may_poll(used=8_600, limit=10_000, poll_cost=2, at=AT, last_poll=AT - gap / 2)
    assert may_poll(used=8_600, limit=10_000, poll_cost=2, at=AT, last_poll=AT - gap)
    assert may_poll(used=8_600, limit=10_000, poll_cost=2, at=AT, last_poll=None)


def test_the_more_is_used_the_slower_it_polls() -> None:
    gaps = [poll_gap(used=used, limit=10_000, poll_cost=1, at=AT) for used in (8_000, 8_500, 8_900)]
    assert gaps == sorted(gaps) and gaps[0] < gaps[-1]


def test_the_last_tenth_is_kept_for_replies() -> None:
    assert poll_gap(used=9_000, limit=10_000, poll_cost=1, at=AT) == timedelta(hours=14)
    assert not may_poll(used=9_000, limit=10_000, poll_cost=1, at=AT, last_poll=None)
    assert affordable(9_950, 10_000, 50) and not affordable(9_951, 10_000, 50)


def test_a_zero_limit_never_polls() -> None:
    assert not may_poll(used=0, limit=0, poll_cost=1, at=AT, last_poll=None)


def test_quota_use_figures() -> None:
    use = QuotaUse(name="brand", used=8_500, limit=10_000, at=AT)
    assert (use.remaining, use.share, use.resets_at) == (1_500, 0.85, datetime(2026, 12, 7, 8, 0, tzinfo=UTC))
    assert QuotaUse(name="b", used=12_000, limit=10_000, at=AT).remaining == 0

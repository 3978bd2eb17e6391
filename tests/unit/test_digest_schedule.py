"""When the digest goes out, and which period each one covers: everything since the one before."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.reporting.business_hours import EVERY_DAY, WEEKDAYS
from bot.reporting.digest_schedule import DigestSchedule

ROME = ZoneInfo("Europe/Rome")
WORKDAYS = DigestSchedule.parse("09:00 Europe/Rome mon-fri")


def rome(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=ROME)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00 Europe/Rome mon-fri", DigestSchedule(time(9), "Europe/Rome", WEEKDAYS)),
        ("17:30 UTC daily", DigestSchedule(time(17, 30), "UTC", EVERY_DAY)),
        ("09:00 mon-fri", DigestSchedule(time(9), "Europe/Lisbon", WEEKDAYS)),  # the team's zone
        ("09:00", DigestSchedule(time(9), "Europe/Lisbon", EVERY_DAY)),
        ("09:00 UTC", DigestSchedule(time(9), "UTC", EVERY_DAY)),  # a named zone wins
    ],
)
def test_parse_takes_the_teams_zone_when_none_is_named(text: str, expected: DigestSchedule) -> None:
    assert DigestSchedule.parse(text, tz="Europe/Lisbon") == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9am", "not a time"),
        ("09:00 mon-fry", "Unknown day 'fry'"),
        ("09:00 Europe/Roma mon-fri", "Unknown time zone"),
    ],
)
def test_parse_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DigestSchedule.parse(text)


def test_mondays_digest_covers_the_weekend_from_fridays_digest() -> None:
    # Monday 30 March 2026 (summer time since Sunday) back to Friday 27 March (winter time).
    assert WORKDAYS.period_start(rome(3, 30)) == rome(3, 27)
    assert WORKDAYS.period_start(rome(3, 30)).astimezone(UTC) == datetime(2026, 3, 27, 8, tzinfo=UTC)


def test_a_weekday_digest_covers_the_day_before() -> None:
    assert WORKDAYS.period_start(rome(3, 31)) == rome(3, 30)
    daily = DigestSchedule.parse("18:00 UTC daily")
    assert daily.period_start(datetime(2026, 3, 30, 18, tzinfo=UTC)) == datetime(2026, 3, 29, 18, tzinfo=UTC)


def test_a_digest_on_demand_covers_at_least_a_day_and_back_to_the_last_scheduled_one() -> None:
    # Monday 08:00, before Monday's digest: back to Friday's, so the weekend is in it.
    assert WORKDAYS.period_start(rome(3, 30, 8), on_demand=True) == rome(3, 27)
    # Tuesday 15:00: the last 24 hours, which reach further back than Tuesday 09:00.
    assert WORKDAYS.period_start(rome(3, 31, 15), on_demand=True) == rome(3, 30, 15)


def test_previous_is_strictly_before() -> None:
    assert WORKDAYS.previous(rome(3, 31, 9, 0)) == rome(3, 30)
    assert WORKDAYS.previous(rome(3, 31, 9, 1)) == rome(3, 31)
    assert WORKDAYS.previous(rome(3, 29, 12)) == rome(3, 27)  # Sunday

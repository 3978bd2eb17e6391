from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.reporting.business_hours import EVERY_DAY, MIDNIGHT, BusinessHours

ROME = ZoneInfo("Europe/Rome")
OFFICE = BusinessHours.parse("mon-fri", "09:00-18:00", "Europe/Rome")
ROUND_THE_CLOCK = BusinessHours.parse("daily", "00:00-24:00", "Europe/Rome")
UTC_OFFICE = BusinessHours()  # Mon–Fri 09:00–18:00 UTC


def rome(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ROME)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


# --- parsing ------------------------------------------------------------------------------------------


def test_defaults_are_weekdays_nine_to_six_utc() -> None:
    assert BusinessHours.parse() == UTC_OFFICE
    assert UTC_OFFICE.describe() == "Mon–Fri 09:00–18:00 UTC"


def test_parse_days_hours_and_zone() -> None:
    assert OFFICE.days == frozenset({0, 1, 2, 3, 4})
    assert (OFFICE.start, OFFICE.end) == (time(9), time(18))
    assert OFFICE.describe() == "Mon–Fri 09:00–18:00 Europe/Rome"
    assert BusinessHours.parse("mon,wed,fri", "9-17").days == frozenset({0, 2, 4})
    assert BusinessHours.parse("fri-mon", "9:30-17:30").describe() == "Fri–Mon 09:30–17:30 UTC"
    assert ROUND_THE_CLOCK.days == EVERY_DAY
    assert ROUND_THE_CLOCK.end == MIDNIGHT


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("mon-fri 09:00-18:00 Europe/Rome", OFFICE),
        ("always", BusinessHours(always=True)),
        ("Always Europe/Rome", BusinessHours(tz="Europe/Rome", always=True)),
        ("mon-fri 9-18", UTC_OFFICE),
    ],
)
def test_from_setting(setting: str, expected: BusinessHours) -> None:
    assert BusinessHours.from_setting(setting) == expected


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("", "empty"),
        ("mon-fry 09:00-18:00", "Unknown day 'fry'"),
        ("mon-fri 18:00-09:00", "must end after they start"),
        ("mon-fri 09:00-18:00 Mars/Olympus", "Unknown time zone 'Mars/Olympus'"),
        ("mon-fri 9am-6pm", 'should look like "09:00-18:00"'),
        ("mon-fri 09:00-25:00", "does not exist"),
        ("weekdays", "should read"),
    ],
)
def test_bad_settings_say_what_is_wrong(setting: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        BusinessHours.from_setting(setting)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        OFFICE.elapsed(datetime(2026, 3, 2, 9), utc(2026, 3, 2, 10))


# --- elapsed ------------------------------------------------------------------------------------------


def test_within_one_working_day() -> None:
    assert UTC_OFFICE.elapsed(utc(2026, 3, 2, 10), utc(2026, 3, 2, 11, 30)) == hours(1.5)


def test_nights_do_not_count() -> None:
    # Tuesday 17:00 → Wednesday 10:00: one hour before closing, one after opening.
    assert UTC_OFFICE.elapsed(utc(2026, 3, 3, 17), utc(2026, 3, 4, 10)) == hours(2)


def test_weekends_do_not_count() -> None:
    # Friday 17:00 → Monday 10:00.
    assert UTC_OFFICE.elapsed(utc(2026, 3, 6, 17), utc(2026, 3, 9, 10)) == hours(2)
    # Posted on Saturday, answered Monday at 09:20: only Monday's 20 minutes.
    assert UTC_OFFICE.elapsed(utc(2026, 3, 7, 12), utc(2026, 3, 9, 9, 20)) == timedelta(minutes=20)
    # A whole week: five nine-hour days.
    assert UTC_OFFICE.elapsed(utc(2026, 3, 2), utc(2026, 3, 9)) == hours(45)


def test_outside_hours_entirely_is_zero_and_backwards_is_zero() -> None:
    assert UTC_OFFICE.elapsed(utc(2026, 3, 7, 10), utc(2026, 3, 8, 20)) == timedelta(0)
    assert UTC_OFFICE.elapsed(utc(2026, 3, 2, 11), utc(2026, 3, 2, 10)) == timedelta(0)


def test_always_is_wall_time() -> None:
    always = BusinessHours(always=True)
    assert always.elapsed(utc(2026, 3, 6, 17), utc(2026, 3, 9, 10)) == hours(65)


def test_business_hours_follow_local_time_across_the_spring_change() -> None:
    # Rome moves from UTC+1 to UTC+2 on Sunday 29 March 2026: Monday 09:00 is 07:00 UTC, not 08:00.
    before, after = utc(2026, 3, 23, 7), utc(2026, 3, 30, 7)
    assert OFFICE.elapsed(before, before + hours(1)) == timedelta(0)  # 08:00 CET: closed
    assert OFFICE.elapsed(after, after + hours(1)) == hours(1)  # 09:00 CEST: open
    # Friday 17:00 CET → Monday 10:00 CEST: one hour on each side, whatever the offsets.
    assert OFFICE.elapsed(rome(2026, 3, 27, 17), rome(2026, 3, 30, 10)) == hours(2)
    assert OFFICE.elapsed(utc(2026, 3, 27, 16), utc(2026, 3, 30, 8)) == hours(2)


def test_business_hours_follow_local_time_across_the_autumn_change() -> None:
    # Back to UTC+1 on Sunday 25 October 2026: Friday 17:00 CEST → Monday 10:00 CET.
    assert OFFICE.elapsed(rome(2026, 10, 23, 17), rome(2026, 10, 26, 10)) == hours(2)
    assert OFFICE.elapsed(utc(2026, 10, 26, 8), utc(2026, 10, 26, 9)) == hours(1)  # 09:00 CET


def test_the_days_of_the_change_are_23_and_25_hours_long() -> None:
    assert ROUND_THE_CLOCK.elapsed(rome(2026, 3, 28), rome(2026, 3, 30)) == hours(47)
    assert ROUND_THE_CLOCK.elapsed(rome(2026, 10, 24), rome(2026, 10, 26)) == hours(49)


# --- add ----------------------------------------------------------------------------------------------


def test_add_skips_the_night_and_keeps_the_callers_zone() -> None:
    due = OFFICE.add(rome(2026, 3, 3, 17, 30), hours(1))
    assert due == rome(2026, 3, 4, 9, 30)
    assert due.tzinfo is ROME
    assert UTC_OFFICE.add(utc(2026, 3, 3, 17, 30), hours(1)).tzinfo is UTC


def test_add_over_a_weekend_and_the_spring_change() -> None:
    # Friday 17:30 CET + 1 h → Monday 09:30 CEST, which is 07:30 UTC.
    assert OFFICE.add(utc(2026, 3, 27, 16, 30), hours(1)) == utc(2026, 3, 30, 7, 30)


def test_add_over_the_autumn_change() -> None:
    assert OFFICE.add(rome(2026, 10, 23, 17), hours(2)) == rome(2026, 10, 26, 10)


def test_add_from_outside_hours_starts_at_opening() -> None:
    assert UTC_OFFICE.add(utc(2026, 3, 7, 23), timedelta(minutes=30)) == utc(2026, 3, 9, 9, 30)


def test_add_up_to_closing_time_ends_at_closing_time() -> None:
    assert UTC_OFFICE.add(utc(2026, 3, 2, 17), hours(1)) == utc(2026, 3, 2, 18)


def test_add_nothing_and_always() -> None:
    start = utc(2026, 3, 7, 23)
    assert UTC_OFFICE.add(start, timedelta(0)) == start
    assert BusinessHours(always=True).add(rome(2026, 3, 28, 12), hours(24)) == rome(2026, 3, 29, 13)


def test_add_is_the_inverse_of_elapsed() -> None:
    start = utc(2026, 3, 26, 15, 45)
    for amount in (timedelta(minutes=1), hours(3), hours(9), hours(20), hours(50)):
        assert OFFICE.elapsed(start, OFFICE.add(start, amount)) == amount


# --- is_open ------------------------------------------------------------------------------------------


def test_is_open() -> None:
    assert OFFICE.is_open(utc(2026, 3, 30, 7, 30))  # Monday 09:30 CEST
    assert not OFFICE.is_open(utc(2026, 3, 30, 6, 59))  # Monday 08:59 CEST
    assert not OFFICE.is_open(utc(2026, 3, 28, 12))  # Saturday
    assert BusinessHours(always=True).is_open(utc(2026, 3, 28, 3))

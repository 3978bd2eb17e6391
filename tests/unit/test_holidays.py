"""Public holidays are closed all day: targets and reminders do not count them (PARLEY_HOLIDAYS)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain import State
from bot.reporting.business_hours import BusinessHours
from bot.reporting.holiday_calendars import Holidays
from bot.reporting.stats import Targets, reminder_due
from tests.factories import make_case, make_post

ROME = ZoneInfo("Europe/Rome")
ITALY = Holidays.parse("IT")
OFFICE = BusinessHours.from_setting("mon-fri 09:00-18:00 Europe/Rome")  # 9 h a day
ITALIAN_OFFICE = replace(OFFICE, holidays=ITALY)


def rome(month: int, day: int, hour: int = 0, minute: int = 0, year: int = 2025) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ROME)


def test_ferragosto_on_a_friday_is_not_a_working_day() -> None:
    # Thursday 14 August 2025 10:00 to Monday 18 August 10:00: Thursday 8 h + Monday 1 h.
    assert ITALIAN_OFFICE.elapsed(rome(8, 14, 10), rome(8, 18, 10)) == timedelta(hours=9)  # one working day
    assert OFFICE.elapsed(rome(8, 14, 10), rome(8, 18, 10)) == timedelta(hours=18)  # Friday counted
    assert not ITALIAN_OFFICE.is_open(rome(8, 15, 10))
    assert OFFICE.is_open(rome(8, 15, 10))


def test_a_one_hour_target_set_the_evening_before_a_holiday_falls_due_after_it() -> None:
    # Thursday 14 August 2025 17:30: half an hour on Thursday, the other half on Monday morning.
    assert ITALIAN_OFFICE.add(rome(8, 14, 17, 30), timedelta(hours=1)) == rome(8, 18, 9, 30)
    assert OFFICE.add(rome(8, 14, 17, 30), timedelta(hours=1)) == rome(8, 15, 9, 30)


def test_reminders_wait_over_a_holiday() -> None:
    # A question at Monday 1 June 2026 17:45 Rome; Tuesday 2 June is Republic Day.
    post = make_post(created_at=rome(6, 1, 17, 45, year=2026))
    case = make_case(State.DRAFTED, post=post, received_at=post.created_at)
    targets = Targets.parse("question=60")
    on_republic_day = rome(6, 2, 12, year=2026)  # 15 min of business time have passed in Italy
    assert reminder_due(case, on_republic_day, ITALIAN_OFFICE, targets) is None
    assert reminder_due(case, on_republic_day, OFFICE, targets) == 100


def test_a_region_adds_its_own_holidays() -> None:
    whit_monday = date(2026, 5, 25)  # a holiday in South Tyrol, not in the rest of Italy
    assert whit_monday in Holidays.parse("it-bz")
    assert whit_monday not in ITALY
    assert date(2025, 8, 15) in ITALY and date(2025, 8, 14) not in ITALY
    assert date(2025, 12, 25) in Holidays.parse("IT, ES")


def test_always_means_wall_clock_time_holidays_or_not() -> None:
    always = BusinessHours.from_setting("always Europe/Rome", holidays=ITALY)
    assert always.elapsed(rome(8, 14, 10), rome(8, 18, 10)) == timedelta(days=4)


def test_the_setting_names_the_zone_and_the_holidays_it_got() -> None:
    hours = BusinessHours.from_setting(
        "mon-fri 09:00-18:00", tz="Europe/Rome", holidays=Holidays.parse("it,it-bz")
    )
    assert hours == replace(ITALIAN_OFFICE, holidays=Holidays(("IT", "IT-BZ")))
    assert hours.describe() == "Mon–Fri 09:00–18:00 Europe/Rome except public holidays of IT, IT-BZ"


@pytest.mark.parametrize(
    ("setting", "message"),
    [("XX", "'XX' is not a country code"), ("IT-ZZ", "IT has no subdivision 'ZZ'")],
)
def test_unknown_calendars_are_refused_by_name(setting: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Holidays.parse(setting)

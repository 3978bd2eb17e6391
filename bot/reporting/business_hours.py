"""Business hours: how much working time lies between two instants, and when an amount of it will have passed.

Response-time targets are usually meant in working time ("answer questions within an hour" does not
start the clock at 3 a.m. on a Sunday). :class:`BusinessHours` is a weekly schedule in one time zone:
the same opening hours on each of the chosen weekdays, or ``always`` for wall-clock time.

Each day's window is built in local time and converted to UTC before any arithmetic, so the
schedule stays right across daylight-saving changes (a Monday 09:00 in Rome is 08:00 UTC in
winter and 07:00 UTC in summer). Inputs must be timezone-aware; results keep the caller's zone.
Public holidays (:class:`~bot.reporting.holiday_calendars.Holidays`, local dates) have no window:
Ferragosto on a Friday is a day off like Saturday.

Pure: no clock is read here, every instant is passed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.reporting.holiday_calendars import Holidays

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAYS = frozenset(range(5))
EVERY_DAY = frozenset(range(7))
MIDNIGHT = time(0)  # as `end`: midnight at the end of the day ("24:00")
NO_HOLIDAYS = Holidays()

_HOURS = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*[-–]\s*(\d{1,2})(?::(\d{2}))?\s*$")
_FULL_NAMES = {name: i for i, name in enumerate(DAY_NAMES)} | {
    full: i
    for i, full in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
}


def time_zone(tz: str) -> ZoneInfo:
    """The zone named `tz` (an IANA name); a ValueError that says so otherwise."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"Unknown time zone {tz!r}: use an IANA name such as Europe/Rome or UTC.") from None


def _utc(at: datetime, name: str) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (got {at.isoformat()}).")
    return at.astimezone(UTC)


@dataclass(frozen=True)
class BusinessHours:
    """Open from `start` to `end` (local time in `tz`) on each of `days` (0 = Monday … 6 = Sunday).

    `end` of 00:00 means midnight at the end of the day; `holidays` are closed all day. With
    `always`, every second counts and `days`, `start`, `end` and `holidays` are ignored.
    """

    tz: str = "UTC"
    days: frozenset[int] = WEEKDAYS
    start: time = time(9)
    end: time = time(18)
    always: bool = False
    holidays: Holidays = NO_HOLIDAYS

    def __post_init__(self) -> None:
        time_zone(self.tz)
        if self.always:
            return
        if not self.days:
            raise ValueError("Business hours need at least one day (or use always).")
        if not self.days <= EVERY_DAY:
            raise ValueError(f"Days are numbered 0 (Monday) to 6 (Sunday), got {sorted(self.days)}.")
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("Opening hours are local times: give them without a time zone (use tz).")
        if self.end != MIDNIGHT and self.end <= self.start:
            raise ValueError(
                f"Business hours must end after they start, got {self.start:%H:%M}-{self.end:%H:%M} "
                "(hours across midnight are not supported)."
            )

    # --- building ----------------------------------------------------------------------------------

    @classmethod
    def parse(cls, days: str = "mon-fri", hours: str = "09:00-18:00", tz: str = "UTC") -> BusinessHours:
        """From words: `days` like "mon-fri", "mon,wed,fri", "sat-sun" or "daily";
        `hours` like "09:00-18:00", "9-17" or "00:00-24:00"; `tz` an IANA zone name."""
        start, end = parse_hours(hours)
        return cls(tz=tz.strip(), days=parse_days(days), start=start, end=end)

    @classmethod
    def from_setting(cls, value: str, *, tz: str = "UTC", holidays: Holidays = NO_HOLIDAYS) -> BusinessHours:
        """From one setting (PARLEY_BUSINESS_HOURS): "mon-fri 09:00-18:00 Europe/Rome", or
        "always" (optionally followed by a zone, used for daily figures). `tz` is the zone when the
        setting names none (PARLEY_TZ); `holidays` the days off (PARLEY_HOLIDAYS)."""
        words = value.split()
        if not words:
            raise ValueError(
                'Business hours are empty: use e.g. "mon-fri 09:00-18:00 Europe/Rome" or "always".'
            )
        if words[0].casefold() == "always":
            if len(words) > 2:
                raise ValueError(f'Unexpected {" ".join(words[2:])!r} after "always <time zone>".')
            return cls(tz=words[1] if len(words) == 2 else tz, always=True)
        if len(words) not in (2, 3):
            raise ValueError(
                f'Business hours {value!r} should read "<days> <hours> [time zone]", '
                'e.g. "mon-fri 09:00-18:00 Europe/Rome", or "always".'
            )
        hours = cls.parse(words[0], words[1], words[2] if len(words) == 3 else tz)
        return replace(hours, holidays=holidays)

    def describe(self) -> str:
        """ "Mon–Fri 09:00–18:00 Europe/Rome", "… except public holidays of IT", "always"."""
        if self.always:
            return "always"
        end = "24:00" if self.end == MIDNIGHT else f"{self.end:%H:%M}"
        hours = f"{_describe_days(self.days)} {self.start:%H:%M}–{end} {self.tz}"
        return f"{hours} except {self.holidays.describe()}" if self.holidays else hours

    # --- arithmetic --------------------------------------------------------------------------------

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Business time between two instants (zero when `end` is not after `start`)."""
        a, b = _utc(start, "start"), _utc(end, "end")
        if b <= a:
            return timedelta(0)
        if self.always:
            return b - a
        total = timedelta(0)
        for opens, closes in self._windows(a):
            if opens >= b:
                break
            total += max(min(closes, b) - max(opens, a), timedelta(0))
        return total

    def add(self, start: datetime, business: timedelta) -> datetime:
        """The instant at which `business` time will have passed since `start`, in `start`'s zone.

        E.g. a post at Friday 17:30 with a one-hour target is due Monday 09:30 on a Mon–Fri 9–18
        schedule. An amount that ends exactly at closing time gives the closing time.
        """
        a = _utc(start, "start")
        if business <= timedelta(0):
            return start
        if self.always:
            return (a + business).astimezone(start.tzinfo)
        remaining = business
        for opens, closes in self._windows(a):
            if closes <= a:
                continue
            begin = max(opens, a)
            if begin + remaining <= closes:
                return (begin + remaining).astimezone(start.tzinfo)
            remaining -= closes - begin
        raise AssertionError("unreachable: every week has an open window")  # pragma: no cover

    def is_open(self, at: datetime) -> bool:
        """Whether `at` falls within business hours."""
        moment = _utc(at, "at")
        if self.always:
            return True
        for opens, closes in self._windows(moment - timedelta(days=1)):
            if opens > moment:
                return False
            if moment < closes:
                return True
        return False  # pragma: no cover

    def _windows(self, since: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Open windows in UTC, in order, from the local day that contains `since` on (endless)."""
        zone = time_zone(self.tz)
        day: date = since.astimezone(zone).date()
        while True:
            if day.weekday() in self.days and day not in self.holidays:
                opens = datetime.combine(day, self.start, zone).astimezone(UTC)
                closing_day = day + timedelta(days=1) if self.end == MIDNIGHT else day
                closes = datetime.combine(closing_day, self.end, zone).astimezone(UTC)
                yield opens, closes
            day += timedelta(days=1)


def parse_days(text: str) -> frozenset[int]:
    """ "mon-fri" → {0..4}; "mon,wed,fri"; "fri-mon" wraps over the weekend; "daily" / "all"."""
    value = text.strip().casefold()
    if value in ("daily", "all", "every day", "*"):
        return EVERY_DAY
    if value in ("weekdays", "workdays"):
        return WEEKDAYS
    days: set[int] = set()
    for part in value.split(","):
        first, sep, last = part.strip().partition("-")
        a = _day(first, text)
        b = _day(last, text) if sep else a
        days.update((a + i) % 7 for i in range((b - a) % 7 + 1))
    return frozenset(days)


def parse_hours(text: str) -> tuple[time, time]:
    """ "09:00-18:00" → (09:00, 18:00); "9-17"; "00:00-24:00" (end 24:00 is midnight, see MIDNIGHT)."""
    match = _HOURS.match(text)
    if not match:
        raise ValueError(f'Hours {text!r} should look like "09:00-18:00".')
    h1, m1, h2, m2 = (int(g) if g else 0 for g in match.groups())
    if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59 or (h2 == 24 and m2):
        raise ValueError(f"Hours {text!r} contain a time that does not exist.")
    start, end = time(h1, m1), (MIDNIGHT if h2 == 24 else time(h2, m2))
    if end != MIDNIGHT and end <= start:
        raise ValueError(
            f"Hours {text!r} must end after they start (hours across midnight are not supported)."
        )
    return start, end


def _day(word: str, whole: str) -> int:
    key = word.strip().casefold()
    if key not in _FULL_NAMES:
        raise ValueError(
            f"Unknown day {word.strip()!r} in {whole!r}: use mon, tue, wed, thu, fri, sat, sun "
            '(ranges like "mon-fri", lists like "mon,wed,fri").'
        )
    return _FULL_NAMES[key]


def _describe_days(days: frozenset[int]) -> str:
    """ "Mon–Fri", "Mon, Wed, Fri", "every day"."""
    if days == EVERY_DAY:
        return "every day"
    ordered = sorted(days)
    runs: list[list[int]] = []
    for d in ordered:
        if runs and runs[-1][-1] == d - 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][-1] == 6:  # "Sat–Mon" wraps over the week's end
        runs = [runs[-1] + runs[0], *runs[1:-1]]
    names = [n.title() for n in DAY_NAMES]
    parts = [f"{names[r[0]]}–{names[r[-1]]}" if len(r) > 2 else ", ".join(names[d] for d in r) for r in runs]
    return ", ".join(parts)

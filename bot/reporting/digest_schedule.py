"""When the daily digest goes out: a local time, a time zone, and the days of the week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.reporting.business_hours import parse_days


@dataclass(frozen=True)
class DigestSchedule:
    at: time
    tz: str
    days: frozenset[int]  # 0 = Monday

    @classmethod
    def parse(cls, text: str) -> DigestSchedule:
        """ "09:00 Europe/Rome mon-fri", "17:30 UTC daily", or "off"-like values are refused."""
        words = text.split()
        if len(words) not in (2, 3):
            raise ValueError('write it as "HH:MM Zone days", e.g. "09:00 Europe/Rome mon-fri"')
        try:
            at = time.fromisoformat(words[0])
        except ValueError:
            raise ValueError(f"{words[0]!r} is not a time like 09:00") from None
        try:
            ZoneInfo(words[1])
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{words[1]!r} is not a time zone such as Europe/Rome or UTC") from None
        days = parse_days(words[2]) if len(words) == 3 else frozenset(range(7))
        return cls(at=at, tz=words[1], days=days)

    def due(self, now: datetime) -> date | None:
        """The local date whose digest is due at `now` (its time has come today), else None."""
        local = now.astimezone(ZoneInfo(self.tz))
        if local.weekday() in self.days and local.time() >= self.at:
            return local.date()
        return None

    def moment(self, day: date) -> datetime:
        """The digest time of `day`, as an aware datetime (DST handled by zoneinfo)."""
        return datetime.combine(day, self.at, tzinfo=ZoneInfo(self.tz))

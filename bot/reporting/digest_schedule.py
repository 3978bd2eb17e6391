"""When the daily digest goes out: a local time, a time zone, and the days of the week.

Each digest covers everything since the one before it: with a Monday-to-Friday schedule, Monday's
digest reports from Friday's digest time on, so the weekend is in it (see :meth:`DigestSchedule.previous`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.reporting.business_hours import EVERY_DAY, parse_days, time_zone


@dataclass(frozen=True)
class DigestSchedule:
    at: time
    tz: str
    days: frozenset[int]  # 0 = Monday

    @classmethod
    def parse(cls, text: str, *, tz: str = "UTC") -> DigestSchedule:
        """ "09:00 Europe/Rome mon-fri", "17:30 UTC daily", "09:00 mon-fri", "09:00".

        `tz` is the zone when the text names none (PARLEY_TZ); without days, every day.
        """
        words = text.split()
        if not 1 <= len(words) <= 3:
            raise ValueError('write it as "HH:MM [Zone] [days]", e.g. "09:00 Europe/Rome mon-fri"')
        try:
            at = time.fromisoformat(words[0])
        except ValueError:
            raise ValueError(f"{words[0]!r} is not a time like 09:00") from None
        zone, rest = tz, words[1:]
        if len(rest) == 2 or (rest and _is_zone_name(rest[0])):
            zone, rest = rest[0], rest[1:]
        time_zone(zone)
        return cls(at=at, tz=zone, days=parse_days(rest[0]) if rest else EVERY_DAY)

    def due(self, now: datetime) -> date | None:
        """The local date whose digest is due at `now` (its time has come today), else None."""
        local = now.astimezone(ZoneInfo(self.tz))
        if local.weekday() in self.days and local.time() >= self.at:
            return local.date()
        return None

    def moment(self, day: date) -> datetime:
        """The digest time of `day`, as an aware datetime (DST handled by zoneinfo)."""
        return datetime.combine(day, self.at, tzinfo=ZoneInfo(self.tz))

    def period_start(self, end: datetime, *, on_demand: bool = False) -> datetime:
        """Where the digest ending at `end` starts: the previous scheduled digest time, so that no
        hour falls between two digests. On demand (`/parley digest`), at least the last 24 hours."""
        previous = self.previous(end)
        return min(previous, end - timedelta(days=1)) if on_demand else previous

    def previous(self, end: datetime) -> datetime:
        """The last scheduled digest time before `end`: where the digest ending at `end` starts.

        Monday 09:00 on a Monday-to-Friday schedule gives Friday 09:00; any day of a daily one, the
        day before; between two scheduled times, the last one.
        """
        day = end.astimezone(ZoneInfo(self.tz)).date()
        for back in range(8):  # a week back always holds one of `days`
            moment = self.moment(day - timedelta(days=back))
            if moment.weekday() in self.days and moment < end:
                return moment
        raise AssertionError("unreachable: the schedule has at least one day")  # pragma: no cover


def _is_zone_name(word: str) -> bool:
    """Whether `word` is meant as a time zone rather than days ("Europe/Rome", "UTC" vs "mon-fri")."""
    if "/" in word:
        return True
    try:
        time_zone(word)
    except ValueError:
        return False
    return True

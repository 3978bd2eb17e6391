"""Public holidays: the days a team does not work although its business hours say it does.

The dates come from the maintained `holidays` package (Easter Monday moves every year; Ferragosto does
not, but a region's patron saint may), looked up per country and optional subdivision: "IT",
"IT-BZ" (South Tyrol adds Whit Monday), "DE-BY", "ES-MD".

Pure in use: a year's dates are computed once and kept, nothing is read from the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from types import ModuleType

__all__ = ["Holidays"]


@dataclass(frozen=True)
class Holidays:
    """The public holidays of each calendar in `calendars` ("IT", "IT-BZ"); none when empty."""

    calendars: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for calendar in self.calendars:
            if _canonical(calendar) != calendar:
                raise ValueError(f"Write the calendar {calendar!r} as {_canonical(calendar)!r}.")

    @classmethod
    def parse(cls, text: str) -> Holidays:
        """PARLEY_HOLIDAYS: comma-separated country codes, each with an optional subdivision ("IT,IT-BZ")."""
        return cls(tuple(dict.fromkeys(_canonical(part.strip()) for part in text.split(",") if part.strip())))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and any(day in _dates(c, day.year) for c in self.calendars)

    def __bool__(self) -> bool:
        return bool(self.calendars)

    def describe(self) -> str:
        """ "public holidays of IT, IT-BZ", or "" without any."""
        return f"public holidays of {', '.join(self.calendars)}" if self.calendars else ""


def _split(calendar: str) -> tuple[str, str | None]:
    country, _, subdivision = calendar.partition("-")
    return country, subdivision or None


def _package() -> ModuleType:
    """The holidays package, imported on first use: ~9 MB and 300 modules a team without holidays never needs."""
    import holidays

    return holidays


def _canonical(calendar: str) -> str:
    """ "it-bz" → "IT-BZ": the spelling the holidays package wants (a few subdivisions are names)."""
    country, subdivision = _split(calendar)
    country = country.upper()
    supported = _package().list_supported_countries()
    if country not in supported:
        raise ValueError(
            f"{calendar!r}: {country!r} is not a country code the holidays package knows "
            "(use ISO 3166 codes such as IT, ES, FR, DE, PT, GB, US)."
        )
    if subdivision is None:
        return country
    spelled = {s.casefold(): s for s in supported[country]}
    if subdivision.casefold() not in spelled:
        known = list(spelled.values())
        listed = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
        raise ValueError(
            f"{calendar!r}: {country} has no subdivision {subdivision!r}"
            + (f" (known: {listed})." if known else " (it has none).")
        )
    return f"{country}-{spelled[subdivision.casefold()]}"


@cache
def _dates(calendar: str, year: int) -> frozenset[date]:
    """One calendar's holidays in one year (cached: a few hundred entries over a process's life)."""
    country, subdivision = _split(calendar)
    return frozenset(_package().country_holidays(country, subdiv=subdivision, years=year))

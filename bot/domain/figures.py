"""The team's figures for a period, as plain values: computed in bot.reporting.stats, shown by blocks/."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.domain.model import Case, Network


@dataclass(frozen=True)
class Breach:
    """A case measured against its target and found late: answered late, or still open past it."""

    case: Case
    target: timedelta
    took: timedelta  # first-response time, or business time waited so far when still open
    answered: bool


@dataclass(frozen=True)
class NetworkStats:
    network: Network
    new: int = 0
    answered: int = 0
    rejected: int = 0
    open: int = 0
    median: timedelta | None = None
    p90: timedelta | None = None
    breaches: int = 0


@dataclass(frozen=True)
class Stats:
    """What happened in [start, end).

    new: cases received in the period; answered / rejected: closed in it (whenever received);
    open: received before the period's end (or `as_of`) and not closed by then. Response times are
    over the replies posted in the period. Breaches: replies posted late in the period, and cases
    open past their target at `as_of`.
    """

    start: datetime
    end: datetime
    as_of: datetime
    new: int = 0
    new_by_kind: Mapping[str, int] = field(default_factory=dict)
    answered: int = 0
    rejected: int = 0
    open: int = 0
    median: timedelta | None = None
    p90: timedelta | None = None
    networks: tuple[NetworkStats, ...] = ()
    breaches: tuple[Breach, ...] = ()
    measured: int = 0  # answered-with-a-target plus open-with-a-target: what the breaches are out of
    sentiment: Mapping[str, int] = field(default_factory=dict)
    topics: tuple[tuple[str, int], ...] = ()

    @property
    def target_met(self) -> bool | None:
        """True when nothing measured against a target was late; None when nothing was measured."""
        return None if not self.measured else not self.breaches

    @property
    def quiet(self) -> bool:
        """Nothing happened and nothing is waiting."""
        return not (self.new or self.answered or self.rejected or self.open)

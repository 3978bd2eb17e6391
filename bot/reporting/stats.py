"""Response times and the figures of a period: what the digest, `/parley stats` and the App Home show.

First-response time
    From the post's creation on the network (``case.post.created_at``) to the creation of our
    reply on the network (``case.reply.posted_at``), counted in business time
    (:class:`bot.business_hours.BusinessHours`; wall-clock time when the hours are ``always``).
    It is computed in one place, :func:`first_response`; everything else calls it. Time spent
    before the post reached Parley (polling delay) counts: the author has been waiting too.
    Cases without a posted reply have no first-response time; an open case is measured by how
    long it has been *waiting* (:func:`waiting`).

Targets
    :class:`Targets` maps a case to a target by the most specific entry that applies:
    ``network.kind`` (e.g. ``reddit.question``), then the network (``reddit``), then the kind
    (``question``, see :func:`bot.routing.kind_of`), then ``*``. A network entry is a per-network
    exception and so wins over a kind: with ``question=60,reddit=240`` a Reddit question has 240
    minutes. Posts seen by listening (``post.listen_only``) cannot be answered from Parley and
    have no target.

Percentiles
    The median is the middle value (the mean of the two middle values for an even count). The
    90th percentile uses the nearest rank: the smallest observed time such that at least 90 % of
    the replies were that fast or faster (with 10 replies, the 9th fastest).

Pure: no Redis, no Slack, no clock; every instant is passed in.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain import Case, Network, State
from bot.domain.figures import Breach, NetworkStats, Stats
from bot.domain.routing import KINDS, kind_of
from bot.reporting.business_hours import BusinessHours
from bot.reporting.topics import topics

THRESHOLDS = (50, 80, 100)  # reminder points, in % of the target
SENTIMENTS = ("positive", "neutral", "negative")
# A reminder asks people to act: cases already approved are waiting for the network, not for them.
_REMINDABLE = frozenset({State.RECEIVED, State.DRAFTED, State.FAILED})


# --- first response, waiting, targets -----------------------------------------------------------------


def first_response(case: Case, hours: BusinessHours) -> timedelta | None:
    """Business time from the post's creation to our reply's creation; None until a reply is posted."""
    if case.reply is None:
        return None
    return hours.elapsed(case.post.created_at, case.reply.posted_at)


def waiting(case: Case, now: datetime, hours: BusinessHours) -> timedelta:
    """Business time the author has been waiting so far (since the post's creation)."""
    return hours.elapsed(case.post.created_at, now)


@dataclass(frozen=True)
class Targets:
    """First-response targets; see the module docstring for which entry applies to a case."""

    kinds: Mapping[str, timedelta] = field(default_factory=dict)
    networks: Mapping[Network, timedelta] = field(default_factory=dict)
    pairs: Mapping[tuple[Network, str], timedelta] = field(default_factory=dict)
    default: timedelta | None = None
    urgencies: Mapping[str, timedelta] = field(default_factory=dict)  # priority: "urgent=15" (high urgency)

    @classmethod
    def parse(cls, text: str) -> Targets:
        """From PARLEY_TARGETS, minutes per key: "question=60,complaint=60,reddit=240".

        Keys: a kind (question, complaint, praise, spam, other), a network (x, reddit), both
        ("reddit.question"), a priority ("urgent", or "high"/"normal"/"low" urgency: the tightest
        target wins for such a case), or "*" for everything else. An empty text means no targets.
        """
        urgencies: dict[str, timedelta] = {}
        kinds: dict[str, timedelta] = {}
        networks: dict[Network, timedelta] = {}
        pairs: dict[tuple[Network, str], timedelta] = {}
        default: timedelta | None = None
        for item in (part.strip() for part in text.split(",")):
            if not item:
                continue
            key, sep, value = (s.strip() for s in item.partition("="))
            if not sep:
                raise ValueError(f"Target {item!r} should look like question=60 (minutes).")
            target = _minutes(value, item)
            key = key.casefold()
            if key == "*":
                default = target
            elif key in _URGENCIES:
                urgencies[_URGENCIES[key]] = target
            elif "." in key:
                network, _, kind = key.partition(".")
                pairs[(_network(network, item), _kind(kind, item))] = target
            elif key in _NETWORKS:
                networks[_NETWORKS[key]] = target
            else:
                kinds[_kind(key, item)] = target
        return cls(kinds=kinds, networks=networks, pairs=pairs, default=default, urgencies=urgencies)

    def __bool__(self) -> bool:
        return bool(self.kinds or self.networks or self.pairs or self.urgencies or self.default is not None)

    def target_for(self, case: Case) -> timedelta | None:
        if case.post.listen_only:
            return None
        network, kind = case.post.network, kind_of(case.triage)
        general = next(
            (
                found
                for found in (
                    self.pairs.get((network, kind)),
                    self.networks.get(network),
                    self.kinds.get(kind),
                )
                if found is not None
            ),
            self.default,
        )
        urgent = self.urgencies.get(case.triage.urgency) if case.triage else None
        if urgent is None:
            return general
        return urgent if general is None else min(urgent, general)

    def describe(self) -> str:
        """ "question 1 h · complaint 1 h · Reddit 4 h"; empty when there are none."""
        parts = [f"{n.label}.{k} {_short(t)}" for (n, k), t in self.pairs.items()]
        parts += [f"{n.label} {_short(t)}" for n, t in self.networks.items()]
        parts += [f"{k} {_short(t)}" for k, t in self.kinds.items()]
        if self.default is not None:
            parts.append(f"anything else {_short(self.default)}")
        return " · ".join(parts)


_NETWORKS = {n.value: n for n in Network}
_URGENCIES = {"urgent": "high", "high": "high", "normal": "normal", "low": "low"}


def _minutes(value: str, item: str) -> timedelta:
    try:
        minutes = float(value)
    except ValueError:
        raise ValueError(f"Target {item!r}: {value!r} is not a number of minutes.") from None
    if not math.isfinite(minutes) or minutes <= 0:
        raise ValueError(f"Target {item!r}: the number of minutes must be positive.")
    return timedelta(minutes=minutes)


def _network(key: str, item: str) -> Network:
    if key not in _NETWORKS:
        raise ValueError(f"Target {item!r}: unknown network {key!r} (use {', '.join(sorted(_NETWORKS))}).")
    return _NETWORKS[key]


def _kind(key: str, item: str) -> str:
    if key not in KINDS:
        known = ", ".join(sorted(KINDS))
        networks = ", ".join(sorted(_NETWORKS))
        raise ValueError(f"Target {item!r}: {key!r} is neither a kind ({known}) nor a network ({networks}).")
    return key


def _short(delta: timedelta) -> str:
    minutes = delta.total_seconds() / 60
    if minutes >= 60 and minutes % 60 == 0:
        return f"{minutes / 60:g} h"
    return f"{minutes:g} min"


# --- reminders ----------------------------------------------------------------------------------------


def reminder_due(case: Case, now: datetime, hours: BusinessHours, targets: Targets) -> int | None:
    """The highest reminder threshold (50, 80 or 100 % of the target) the case has reached, or None.

    Only cases waiting for people count (received, drafted, failed). The caller remembers which
    thresholds were already announced and sends only a new, higher one.
    """
    if case.state not in _REMINDABLE or case.reply is not None:
        return None
    target = targets.target_for(case)
    if target is None:
        return None
    waited = waiting(case, now, hours)
    reached = [p for p in THRESHOLDS if waited * 100 >= target * p]
    return reached[-1] if reached else None


# --- percentiles --------------------------------------------------------------------------------------


def median(values: Sequence[timedelta]) -> timedelta | None:
    """The middle value; the mean of the two middle values for an even count."""
    if not values:
        return None
    ordered, mid = sorted(values), len(values) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def percentile(values: Sequence[timedelta], pct: float) -> timedelta | None:
    """Nearest-rank percentile: the smallest value with at least `pct` % of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(math.ceil(pct / 100 * len(ordered)), 1)
    return ordered[rank - 1]


# --- a period's figures -------------------------------------------------------------------------------


def closed_at(case: Case) -> datetime | None:
    """When the case was posted or rejected; None while open."""
    if case.state.is_open:
        return None
    if case.state is State.POSTED and case.reply is not None:
        return case.reply.posted_at
    activity = case.closed_by
    return activity.at if activity is not None else case.received_at


def is_open_at(case: Case, at: datetime) -> bool:
    """Received by `at` and not closed by then (read from the history, so it works for past periods)."""
    closed = closed_at(case)
    return case.received_at < at and (closed is None or closed >= at)


def summarise(
    cases: Iterable[Case],
    start: datetime,
    end: datetime,
    hours: BusinessHours,
    targets: Targets,
    *,
    now: datetime | None = None,
    topic_limit: int = 8,
) -> Stats:
    """The figures of [start, end). For a period still running pass `now` (or end=now): open cases
    and overdue ones are counted at min(end, now)."""
    as_of = min(end, now) if now is not None else end
    every = list(cases)

    def within(at: datetime | None) -> bool:
        return at is not None and start <= at < end

    new = [c for c in every if within(c.received_at)]
    answered = [c for c in every if c.state is State.POSTED and within(closed_at(c))]
    rejected = [c for c in every if c.state is State.REJECTED and within(closed_at(c))]
    still_open = [c for c in every if is_open_at(c, as_of)]
    times = {c.id: took for c in answered if (took := first_response(c, hours)) is not None}
    breaches, measured = _breaches(
        answered, times, still_open=still_open, as_of=as_of, hours=hours, targets=targets
    )
    kinds = Counter(kind_of(c.triage) for c in new)
    sentiment: Counter[str] = Counter(c.triage.sentiment for c in new if c.triage is not None)
    return Stats(
        start=start,
        end=end,
        as_of=as_of,
        new=len(new),
        new_by_kind={k: kinds[k] for k in sorted(kinds, key=lambda k: (-kinds[k], k))},
        answered=len(answered),
        rejected=len(rejected),
        open=len(still_open),
        median=median(list(times.values())),
        p90=percentile(list(times.values()), 90),
        networks=_per_network(
            new, answered, rejected=rejected, still_open=still_open, times=times, breaches=breaches
        ),
        breaches=tuple(sorted(breaches, key=lambda b: b.took - b.target, reverse=True)),
        measured=measured,
        sentiment={s: sentiment[s] for s in SENTIMENTS},
        topics=tuple(topics(new, limit=topic_limit)),
    )


def _breaches(
    answered: Sequence[Case],
    times: Mapping[str, timedelta],
    *,
    still_open: Sequence[Case],
    as_of: datetime,
    hours: BusinessHours,
    targets: Targets,
) -> tuple[list[Breach], int]:
    """Replies posted late, and cases still open past their target; and how many had a target."""
    breaches: list[Breach] = []
    measured = 0
    for case in answered:
        target = targets.target_for(case)
        if target is not None:
            measured += 1
            if times[case.id] > target:
                breaches.append(Breach(case=case, target=target, took=times[case.id], answered=True))
    for case in still_open:
        target = targets.target_for(case)
        if target is not None:
            measured += 1
            waited = waiting(case, as_of, hours)
            if waited > target:
                breaches.append(Breach(case=case, target=target, took=waited, answered=False))
    return breaches, measured


def _per_network(
    new: Sequence[Case],
    answered: Sequence[Case],
    *,
    rejected: Sequence[Case],
    still_open: Sequence[Case],
    times: Mapping[str, timedelta],
    breaches: Sequence[Breach],
) -> tuple[NetworkStats, ...]:
    """One row per network that had anything in the period."""
    rows = []
    for network in Network:
        took = [times[c.id] for c in answered if c.post.network is network]
        row = NetworkStats(
            network=network,
            new=sum(c.post.network is network for c in new),
            answered=len(took),
            rejected=sum(c.post.network is network for c in rejected),
            open=sum(c.post.network is network for c in still_open),
            median=median(took),
            p90=percentile(took, 90),
            breaches=sum(b.case.post.network is network for b in breaches),
        )
        if row.new or row.answered or row.rejected or row.open:
            rows.append(row)
    return tuple(rows)


def daily_medians(
    cases: Iterable[Case], days: Sequence[date], hours: BusinessHours, *, tz: str | None = None
) -> list[tuple[date, float | None]]:
    """Median first-response minutes of the replies posted on each of `days` (local dates in `tz`,
    by default the business hours' zone); None for a day without replies. Input for bot.chart."""
    zone = ZoneInfo(tz or hours.tz)
    wanted = set(days)
    by_day: dict[date, list[timedelta]] = {d: [] for d in days}
    for case in cases:
        if case.state is not State.POSTED or case.reply is None:
            continue
        day = case.reply.posted_at.astimezone(zone).date()
        if day in wanted:
            took = first_response(case, hours)
            assert took is not None
            by_day[day].append(took)
    result: list[tuple[date, float | None]] = []
    for day in days:
        mid = median(by_day[day])
        result.append((day, None if mid is None else mid.total_seconds() / 60))
    return result

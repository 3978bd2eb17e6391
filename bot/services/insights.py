"""The team's view of its queue and its speed: stats, the daily digest, App Home, reminders.

Figures come from bot.stats (pure); this service only loads cases, posts, and remembers what it
already did, so that a digest or a reminder goes out once however many clocks and workers run.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from functools import partial

from redis.exceptions import LockError

from blocks.digest import digest_messages
from blocks.home import home_view
from bot import domain
from bot.adapters import keys
from bot.adapters.queue import JOB_TIMEOUT, Jobs
from bot.adapters.quota import DailyQuota
from bot.adapters.slack import Renderable, SlackBusy, SlackGateway
from bot.adapters.store import CaseStore
from bot.domain import Case
from bot.domain.figures import Stats
from bot.domain.i18n import _
from bot.domain.quota import QuotaUse
from bot.domain.text import as_text
from bot.reporting.business_hours import BusinessHours
from bot.reporting.chart import response_time_chart
from bot.reporting.digest_schedule import DigestSchedule
from bot.reporting.stats import Targets, daily_medians, reminder_due, summarise

log = logging.getLogger(__name__)

PERIODS = {"today": timedelta(days=1), "7d": timedelta(days=7), "30d": timedelta(days=30)}
LOOKBACK = timedelta(days=45)  # cases older than this are not loaded for stats and search
HOME_VIEWERS_KEEP = timedelta(days=7)
DIGEST_REQUEUE = 900  # seconds: a digest queued but not sent by then is queued again
DIGEST_KEPT = 3 * 24 * 3600  # seconds the "sent" marks are kept


class Insights:
    def __init__(
        self,
        *,
        store: CaseStore,
        slack: SlackGateway,
        jobs: Jobs,
        targets: Targets,
        hours: BusinessHours,
        schedule: DigestSchedule,
        default_channel: str,
        channels: Iterable[str],
        remind_group: str,
        clock: Callable[[], datetime],
        quotas: Mapping[str, DailyQuota] | None = None,
    ) -> None:
        """`quotas`: the daily API quota meter of each account that has one (YouTube), by account."""
        self.quotas = dict(quotas or {})
        self.store = store
        self.slack = slack
        self.jobs = jobs
        self.targets = targets
        self.hours = hours
        self.schedule = schedule
        self.channels = tuple(dict.fromkeys([default_channel, *channels]))
        self.remind_group = remind_group
        self.clock = clock

    # --- figures ---

    def recent_cases(self, since: timedelta = LOOKBACK) -> list[Case]:
        now = self.clock()
        return self.store.cases_between(now - since, now + timedelta(minutes=1))

    def stats(self, period: str) -> Stats:
        now = self.clock()
        span = PERIODS.get(period, PERIODS["today"])
        start = self._local_midnight(now) if period == "today" else now - span
        return summarise(self.recent_cases(span + LOOKBACK), start, now, self.hours, self.targets, now=now)

    def llm_cost(self, period: str) -> tuple[int, float, int]:
        """Tokens, USD and number of cases drafted by the LLM in the period (every version counts)."""
        now = self.clock()
        start = (
            self._local_midnight(now) if period == "today" else now - PERIODS.get(period, PERIODS["today"])
        )
        drafts = [
            d
            for c in self.store.cases_between(start, now + timedelta(minutes=1))
            for d in (*c.versions, *([c.draft] if c.draft else []))
            if d.tokens
        ]
        cases = len({id(d) for d in drafts})
        return sum(d.tokens for d in drafts), sum(d.cost_usd for d in drafts), cases

    def quota_uses(self) -> list[QuotaUse]:
        """Today's use of each daily API quota (YouTube), for `/parley stats`."""
        return [meter.use() for meter in self.quotas.values()]

    def _local_midnight(self, now: datetime) -> datetime:
        local = now.astimezone(self.schedule.moment(now.date()).tzinfo)
        return local.replace(hour=0, minute=0, second=0, microsecond=0)

    # --- the daily digest ---

    def digest_due(self) -> date | None:
        """Today's digest date if its time has come, it has not gone out yet, and no clock queued it
        lately. A job lost or failed for good is queued again once that claim expires."""
        day = self.schedule.due(self.clock())
        if day is None or self.store.redis.exists(keys.digest(day.isoformat())):
            return None
        if not self.store.first_time(keys.digest_queued(day.isoformat()), ttl=DIGEST_REQUEUE):
            return None
        return day

    def post_digest(self, day: str | None = None, *, force: bool = False, run: str = "") -> int:
        """Post the digest of everything since the previous scheduled one up to `day`'s digest time
        (or, without `day`, of at least the last 24 h up to now) to every routed channel; returns how
        many messages were posted. Each message is marked sent (under `run`, by default the date) only
        once Slack took it, so a retry sends what is missing and nothing twice; `force` without a `run`
        marks nothing. Raises SlackBusy when Slack cannot take it now."""
        now = self.clock()
        end = self.schedule.moment(date.fromisoformat(day)) if day else now
        start = self.schedule.period_start(end, on_demand=day is None)
        cases = self.recent_cases(LOOKBACK + timedelta(days=1))
        label = f"{start.astimezone(end.tzinfo):%a %d %b %H:%M} – {end:%a %d %b %H:%M} ({self.schedule.tz})"
        marks = run or ("" if force else end.date().isoformat())
        posted = 0
        for channel in self.channels:
            mine = [c for c in cases if c.slack is not None and c.slack.channel == channel]
            stats = summarise(mine, start, end, self.hours, self.targets, now=now)
            open_now = [c for c in mine if c.state.is_open]
            messages = digest_messages(
                stats, channel_name=channel, period_label=label, open_cases=open_now, now=now
            )
            if not messages:
                log.info("digest for %s: nothing to say", channel)
                continue
            posted += self._send_once(
                channel, messages, marks, chart=partial(self._chart, channel, mine, end)
            )
        if day and not force:
            self.store.redis.set(keys.digest(day), b"1", ex=DIGEST_KEPT)
        return posted

    def _send_once(
        self, channel: str, messages: Sequence[Renderable], marks: str, *, chart: Callable[[], None]
    ) -> int:
        """Send the messages not yet marked sent under `marks`, then the chart; one worker at a time."""
        lock = self.store.lock(f"digest:{marks or 'forced'}:{channel}", ttl=JOB_TIMEOUT)
        if not lock.acquire():
            raise SlackBusy(5)  # another worker is sending it: look again when it is done
        sent = 0
        try:
            steps: list[tuple[str, Callable[[], object]]] = [
                (str(index), partial(self.slack.announce, channel, message))
                for index, message in enumerate(messages)
            ]
            for step, send in [*steps, ("chart", chart)]:
                mark = keys.digest(f"{marks}:{channel}:{step}")
                if marks and self.store.redis.exists(mark):
                    continue
                send()
                if marks:
                    self.store.redis.set(mark, b"1", ex=DIGEST_KEPT)
                sent += step != "chart"
        finally:
            with contextlib.suppress(LockError):
                lock.release()
        return sent

    def _chart(self, channel: str, cases: list[Case], end: datetime) -> None:
        days = [(end - timedelta(days=n)).date() for n in range(7, 0, -1)]
        medians = daily_medians(cases, days, self.hours, tz=self.schedule.tz)
        if all(minutes is None for _, minutes in medians):
            return
        target = self.targets.kinds.get("question") or self.targets.default
        png = response_time_chart(medians, target_minutes=target.total_seconds() / 60 if target else None)
        self.slack.upload_image(
            channel, png, title=_("First-response time, last 7 days (median minutes per day)")
        )

    # --- App Home ---

    def home_opened(self, user: str) -> None:
        self.store.redis.zadd(keys.HOME_VIEWERS, {user: self.clock().timestamp()})
        self.publish_home(user)

    def publish_home(self, user: str, *, shared: tuple[list[Case], Stats] | None = None) -> None:
        """`shared`: the open cases and today's figures, when several Homes are published at once."""
        open_cases, today = shared or self._home_data()
        view = home_view(
            user=user, open_cases=open_cases, stats_today=today, now=self.clock(), target_met=today.target_met
        )
        self.slack.client.views_publish(user_id=user, view=view)

    def _home_data(self) -> tuple[list[Case], Stats]:
        return self.store.open_cases(limit=500), self.stats("today")

    def refresh_homes(self) -> int:
        """Republish the Home tab of everyone who opened it lately (views.publish is Tier 4)."""
        since = (self.clock() - HOME_VIEWERS_KEEP).timestamp()
        self.store.redis.zremrangebyscore(keys.HOME_VIEWERS, 0, since)
        users = [as_text(u) for u in self.store.redis.zrange(keys.HOME_VIEWERS, 0, 49)]
        shared = self._home_data() if users else None  # loaded once, not once per person
        for user in users:
            self.publish_home(user, shared=shared)
        return len(users)

    # --- response-time reminders ---

    def remind(self, cases: Iterable[Case]) -> list[str]:
        """Record the reminders due (each threshold once per case) and queue their thread lines."""
        now, reminded = self.clock(), []
        for case in cases:
            threshold = reminder_due(case, now, self.hours, self.targets)
            if threshold is None or threshold in case.reminded:
                continue
            target = self.targets.target_for(case)
            who = (
                f"<@{case.assignee}>"
                if case.assignee
                else (f"<!subteam^{self.remind_group}>" if self.remind_group else "")
            )
            detail = _("{percent} of the {target} response-time target").format(
                percent=f"{threshold}%", target=_minutes(target)
            ) + (f" · {who}" if who else "")
            self.store.change(
                case.id,
                partial(domain.remind, threshold=threshold, at=now, detail=detail),
                then=lambda c, pipe: self.jobs.refresh(c.id, pipe),
            )
            reminded.append(case.id)
        return reminded


def _minutes(target: timedelta | None) -> str:
    if target is None:
        return _("response-time")
    minutes = int(target.total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 120 else f"{minutes} min"

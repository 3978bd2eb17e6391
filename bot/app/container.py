"""The composition root: the one place that turns settings into connected objects."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import redis
from rq import Queue

from blocks.notice import ephemeral_notice
from bot.adapters.governor import SendGovernor
from bot.adapters.metrics import Metrics, open_cases_by_state, rq_queue_stats
from bot.adapters.permissions import GroupMembers, Permissions, Policy
from bot.adapters.queue import Jobs, make_queue
from bot.adapters.quota import DailyQuota
from bot.adapters.saved import SavedReplies
from bot.adapters.sessions import RedisSession
from bot.adapters.slack import SlackGateway, make_web_client
from bot.adapters.store import CaseStore
from bot.app.settings import Settings
from bot.app.settings.accounts import AnyAccount, FacebookSettings, InstagramSettings
from bot.domain import Case, Network, Post, i18n, now
from bot.domain.risk import RiskRules
from bot.domain.routing import route
from bot.drafting.answer_book import AnswerBook
from bot.drafting.base import FIRST_DRAFT, Brief, Drafter, Proposal
from bot.drafting.budget import BudgetedDrafter
from bot.drafting.history import HistoryDrafter
from bot.drafting.offline import OfflineDrafter
from bot.services.delivery import Delivery
from bot.services.inbox import Inbox
from bot.services.insights import Insights
from bot.services.meta_webhooks import MetaPlace, MetaWebhooks
from bot.services.moderation import Moderator
from bot.services.privacy import Privacy
from bot.services.publisher import Publisher
from bot.services.review import Review, ReviewRules
from bot.services.slack_sync import SlackSync
from bot.services.sweeper import Sweeper
from bot.services.team import Team
from connectors import CONNECTORS
from connectors.base import Connector


@dataclass(frozen=True)
class Container:
    settings: Settings
    redis: redis.Redis
    queue: Queue
    store: CaseStore
    jobs: Jobs
    slack: SlackGateway
    sources: Mapping[str, Connector]
    drafter: Drafter
    inbox: Inbox
    delivery: Delivery
    review: Review
    publisher: Publisher
    slack_sync: SlackSync
    sweeper: Sweeper
    metrics: Metrics
    insights: Insights
    team: Team
    meta_webhooks: MetaWebhooks
    moderator: Moderator
    privacy: Privacy


class Sources(Mapping[str, Connector]):
    """One connector per configured account, keyed by the account's name, each built on first use.

    Lazy because the SDKs behind them (tweepy, praw and requests: ~11 MiB) are needed only by the
    process that polls and posts (the worker): the clock iterates the names, web never looks.
    """

    def __init__(
        self, settings: Settings, *, clock: Callable[[], datetime] = now, client: redis.Redis | None = None
    ) -> None:
        self._accounts = {account.name: account for account in settings.accounts}
        self._clock = clock
        self._built: dict[str, Connector] = {}
        # Accounts with a daily API quota (YouTube) count it in Redis, shared by every process.
        self.quotas = quota_meters(settings, client, clock) if client is not None else {}
        self._client = client  # accounts that keep a session (Bluesky) share it there

    def __getitem__(self, name: str) -> Connector:
        if name not in self._built:
            account = self._accounts[name]
            extra: dict[str, Any] = {"quota": self.quotas[name]} if name in self.quotas else {}
            if account.KEEPS_SESSION and self._client is not None:
                extra["sessions"] = RedisSession(self._client, account.network, name)
            self._built[name] = _connector(account, self._clock, **extra)
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._accounts)

    def __len__(self) -> int:
        return len(self._accounts)


def _connector(account: AnyAccount, clock: Callable[[], datetime], **extra: Any) -> Connector:
    network, options = connector_options(account)
    return CONNECTORS[network](**options, **extra, clock=clock)


def quota_meters(
    settings: Settings, client: redis.Redis, clock: Callable[[], datetime]
) -> dict[str, DailyQuota]:
    """The daily quota meter of each account that has one, by account name."""
    meters = {}
    for account in settings.accounts:
        if (spec := account.quota) is not None:
            quota, limit = spec
            meters[account.name] = DailyQuota(
                client, quota=quota, account=account.name, limit=limit, clock=clock
            )
    return meters


def build_sources(
    settings: Settings, *, clock: Callable[[], datetime] = now, client: redis.Redis | None = None
) -> Sources:
    """One connector per configured account, keyed by the account's name (built on first use); with
    `client`, accounts with a daily quota count it in that Redis."""
    return Sources(settings, clock=clock, client=client)


def meta_places(settings: Settings) -> list[MetaPlace]:
    """The configured Pages and Instagram accounts, as Meta's webhook entries name them."""
    return [
        MetaPlace(
            network=Network(account.network),
            account_id=account.account_id,
            source=account.name,
            display=account.display_name or account.account_id,
            app_secret=account.app_secret,
            verify_token=account.verify_token,
        )
        for account in settings.accounts
        if isinstance(account, FacebookSettings | InstagramSettings)
    ]


def connector_options(account: AnyAccount) -> tuple[Network, dict[str, Any]]:
    """The account's network and its connector's keyword arguments."""
    return Network(account.network), account.connector_options()


def build_drafter(
    settings: Settings, book: AnswerBook, client: redis.Redis, clock: Callable[[], datetime] = now
) -> Drafter:
    offline = OfflineDrafter(brand=settings.brand)
    if not settings.openai_api_key:
        return HistoryDrafter(offline, book, reuse=True)
    from bot.drafting.openai_drafter import OpenAIDrafter, make_openai_client

    openai_client = make_openai_client(
        settings.openai_api_key, settings.openai_base_url or None, timeout=settings.openai_timeout
    )
    llm = OpenAIDrafter(
        openai_client,
        settings.openai_model,
        fallback=offline,
        brand=settings.brand,
        price_per_million=settings.openai_price,
        voice=settings.voice,
    )
    budgeted = BudgetedDrafter(
        llm, offline, client, daily_budget_usd=settings.openai_daily_budget, clock=clock
    )
    return HistoryDrafter(budgeted, book, reuse=False)


class DrafterOnFirstUse:
    """The drafter, built when the first reply is drafted: with OPENAI_API_KEY set that imports the
    OpenAI SDK (~38 MiB), which only the worker needs; web and clock build the same container."""

    def __init__(self, build: Callable[[], Drafter]) -> None:
        self._build = build
        self._drafter: Drafter | None = None

    def propose(self, post: Post, brief: Brief = FIRST_DRAFT) -> Proposal:
        if self._drafter is None:
            self._drafter = self._build()
        return self._drafter.propose(post, brief)


def router_for(settings: Settings) -> Callable[[Case], str]:
    def router(case: Case) -> str:
        return route(
            case.post,
            case.triage,
            source=case.source,
            routes=settings.routes,
            default=settings.channel,
            private_default=settings.private_channel,
        )

    return router


@dataclass(frozen=True)
class Adapters:
    """What every service is built on: Redis (cases, jobs) and Slack, with their metrics."""

    store: CaseStore
    queue: Queue
    jobs: Jobs
    metrics: Metrics
    slack: SlackGateway


def build_adapters(settings: Settings, client: redis.Redis) -> Adapters:
    queue = make_queue(client)
    metrics = Metrics(
        cases_by_state=lambda: open_cases_by_state(client),
        queue_stats=lambda: {queue.name: rq_queue_stats(queue)},
    )
    governor = SendGovernor(
        client,
        rate_per_second=settings.slack_rate,
        burst=settings.slack_burst,
        workspace_per_minute=settings.slack_workspace_per_minute,
    )
    slack = SlackGateway(
        make_web_client(settings.slack_bot_token, settings.slack_api_url, wait_on_429=False),
        governor,
        metrics=metrics,
    )
    return Adapters(CaseStore(client), queue, Jobs(queue), metrics, slack)


def build_insights(
    settings: Settings, a: Adapters, clock: Callable[[], datetime], quotas: Mapping[str, DailyQuota]
) -> Insights:
    return Insights(
        store=a.store,
        slack=a.slack,
        jobs=a.jobs,
        targets=settings.targets,
        hours=settings.business_hours,
        schedule=settings.digest,
        default_channel=settings.channel,
        channels=[r.channel for r in settings.routes]
        + ([settings.private_channel] if settings.private_channel else []),
        remind_group=settings.remind_group,
        clock=clock,
        quotas=quotas,
    )


def build(  # long: the wiring of every service, kept in one place to read
    settings: Settings,
    client: redis.Redis,
    *,
    sources: Mapping[str, Connector] | None = None,
    clock: Callable[[], datetime] = now,
) -> Container:
    i18n.use_locale(settings.locale)  # the team's language, once per process, before anything is said
    a = build_adapters(settings, client)
    store, jobs, metrics, slack = a.store, a.jobs, a.metrics, a.slack
    sources = build_sources(settings, clock=clock, client=client) if sources is None else sources
    book = AnswerBook(client)
    drafter = DrafterOnFirstUse(lambda: build_drafter(settings, book, client, clock))
    permissions = Permissions(
        Policy.parse(settings.approvers, settings.editors, settings.admins),
        GroupMembers(client, slack.group_members),
    )
    # The same meters the connectors charge, so /parley stats shows what they spent.
    quotas = sources.quotas if isinstance(sources, Sources) else quota_meters(settings, client, clock)
    insights = build_insights(settings, a, clock, quotas)
    publisher = Publisher(
        metrics=metrics,
        answers=book,
        store=store,
        jobs=jobs,
        sources=sources,
        lease_seconds=settings.publish_lease,
        clock=clock,
    )
    inbox = Inbox(
        metrics=metrics,
        store=store,
        jobs=jobs,
        sources=sources,
        clock=clock,
        notify=lambda text: slack.announce(settings.channel, ephemeral_notice(text)),
        slack_rate=settings.slack_rate,
        poll_lock_seconds=min(300, max(20, 3 * settings.poll_interval)),
    )
    return Container(
        settings=settings,
        redis=client,
        queue=a.queue,
        store=store,
        jobs=jobs,
        slack=slack,
        sources=sources,
        drafter=drafter,
        inbox=inbox,
        delivery=Delivery(
            metrics=metrics,
            jobs=jobs,
            store=store,
            slack=slack,
            drafter=drafter,
            router=router_for(settings),
            risk=RiskRules(words=settings.risk_words, followers=settings.risk_followers),
            voice=settings.voice,
            clock=clock,
        ),
        review=Review(
            store=store,
            jobs=jobs,
            permissions=permissions,
            rules=ReviewRules(undo_seconds=settings.undo_seconds, claim_seconds=settings.claim_minutes * 60),
            clock=clock,
        ),
        publisher=publisher,
        slack_sync=SlackSync(store=store, slack=slack, jobs=jobs, voice=settings.voice),
        insights=insights,
        team=Team(
            store=store,
            jobs=jobs,
            saved=SavedReplies(client, brand=settings.brand),
            insights=insights,
            permissions=permissions,
            clock=clock,
        ),
        metrics=metrics,
        moderator=Moderator(
            permissions=permissions,
            store=store,
            jobs=jobs,
            connector_for=publisher.connector_for,
            clock=clock,
        ),
        meta_webhooks=MetaWebhooks(inbox=inbox, jobs=jobs, places=meta_places(settings), clock=clock),
        sweeper=Sweeper(store=store, jobs=jobs, lease_seconds=settings.publish_lease, clock=clock),
        privacy=Privacy(
            store=store, answers=book, slack=slack, retention_days=settings.retention_days, clock=clock
        ),
    )

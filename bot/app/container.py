"""The composition root: the one place that turns settings into connected objects."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import redis
from rq import Queue

from blocks.notice import ephemeral_notice
from bot.adapters.governor import SendGovernor
from bot.adapters.metrics import Metrics, open_cases_by_state, rq_queue_stats
from bot.adapters.permissions import CachedGroups, Permissions, Policy
from bot.adapters.queue import Jobs, make_queue
from bot.adapters.saved import SavedReplies
from bot.adapters.slack import SlackGateway, make_web_client
from bot.adapters.store import CaseStore
from bot.app.settings import RedditSettings, Settings, XSettings
from bot.domain import Case, Network, now
from bot.domain.risk import RiskRules
from bot.domain.routing import route
from bot.drafting.answer_book import AnswerBook
from bot.drafting.base import Drafter
from bot.drafting.budget import BudgetedDrafter
from bot.drafting.history import HistoryDrafter
from bot.drafting.offline import OfflineDrafter
from bot.services.delivery import Delivery
from bot.services.inbox import Inbox
from bot.services.insights import Insights
from bot.services.publisher import Publisher
from bot.services.review import Review, ReviewRules
from bot.services.slack_sync import SlackSync
from bot.services.sweeper import Sweeper
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
    sources: dict[str, Connector]
    drafter: Drafter
    inbox: Inbox
    delivery: Delivery
    review: Review
    publisher: Publisher
    slack_sync: SlackSync
    sweeper: Sweeper
    saved: SavedReplies
    metrics: Metrics
    insights: Insights


def build_sources(settings: Settings, *, clock: Callable[[], datetime] = now) -> dict[str, Connector]:
    """One connector per configured account, keyed by the account's name."""
    sources: dict[str, Connector] = {}
    for account in settings.accounts:
        network, options = connector_options(account)
        sources[account.name] = CONNECTORS[network](**options, clock=clock)
    return sources


def connector_options(account: XSettings | RedditSettings) -> tuple[Network, dict[str, Any]]:
    """The account's network and its connector's keyword arguments."""
    if isinstance(account, XSettings):
        return Network.X, {
            "bearer_token": account.bearer_token,
            "consumer_key": account.api_key,
            "consumer_secret": account.api_secret,
            "access_token": account.access_token,
            "access_token_secret": account.access_token_secret,
            "base_url": account.api_url,
            "search": account.search or None,
            "username": account.username or None,
        }
    return Network.REDDIT, {
        "client_id": account.client_id,
        "client_secret": account.client_secret,
        "username": account.username,
        "password": account.password,
        "refresh_token": account.refresh_token,
        "user_agent": account.user_agent,
        "subreddits": account.subreddits,
        "keywords": account.keywords,
        "reddit_url": account.url,
        "oauth_url": account.oauth_url,
    }


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


def router_for(settings: Settings) -> Callable[[Case], str]:
    def router(case: Case) -> str:
        return route(
            case.post, case.triage, source=case.source, routes=settings.routes, default=settings.channel
        )

    return router


def build(
    settings: Settings,
    client: redis.Redis,
    *,
    sources: dict[str, Connector] | None = None,
    clock: Callable[[], datetime] = now,
) -> Container:
    store = CaseStore(client)
    queue = make_queue(client)
    jobs = Jobs(queue)
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
    sources = build_sources(settings) if sources is None else sources
    book = AnswerBook(client)
    drafter = build_drafter(settings, book, client, clock)
    lease = settings.publish_lease
    return Container(
        settings=settings,
        redis=client,
        queue=queue,
        store=store,
        jobs=jobs,
        slack=slack,
        sources=sources,
        drafter=drafter,
        inbox=Inbox(
            metrics=metrics,
            store=store,
            jobs=jobs,
            sources=sources,
            clock=clock,
            notify=lambda text: slack.announce(settings.channel, ephemeral_notice(text)),
            slack_rate=settings.slack_rate,
            poll_lock_seconds=min(300, max(20, 3 * settings.poll_interval)),
        ),
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
            permissions=Permissions(
                Policy.parse(settings.approvers, settings.editors),
                CachedGroups(client, slack.group_members),
            ),
            rules=ReviewRules(undo_seconds=settings.undo_seconds, claim_seconds=settings.claim_minutes * 60),
            clock=clock,
        ),
        publisher=Publisher(
            metrics=metrics,
            answers=book,
            store=store,
            jobs=jobs,
            sources=sources,
            lease_seconds=lease,
            clock=clock,
        ),
        slack_sync=SlackSync(store=store, slack=slack, jobs=jobs, voice=settings.voice),
        saved=SavedReplies(client, brand=settings.brand),
        insights=Insights(
            store=store,
            slack=slack,
            jobs=jobs,
            targets=settings.targets,
            hours=settings.business_hours,
            schedule=settings.digest,
            default_channel=settings.channel,
            channels=[r.channel for r in settings.routes],
            remind_group=settings.remind_group,
            clock=clock,
        ),
        metrics=metrics,
        sweeper=Sweeper(store=store, jobs=jobs, lease_seconds=lease, clock=clock),
    )

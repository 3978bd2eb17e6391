"""The composition root: the one place that turns settings into connected objects."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import redis
from rq import Queue

from bot.domain import now
from bot.drafting.base import Drafter
from bot.drafting.offline import OfflineDrafter
from bot.queue import Jobs, make_queue
from bot.services.delivery import Delivery
from bot.services.inbox import Inbox
from bot.services.publisher import Publisher
from bot.services.review import Review
from bot.services.slack_sync import SlackSync
from bot.services.sweeper import Sweeper
from bot.settings import Settings
from bot.slack import SlackGateway, make_web_client
from bot.store import CaseStore
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


def build_sources(settings: Settings) -> dict[str, Connector]:
    """One connector per configured account, keyed by a stable source name."""
    sources: dict[str, Connector] = {}
    if settings.x.configured:
        from connectors.x import XConnector

        x = settings.x
        sources["x"] = XConnector(
            bearer_token=x.bearer_token,
            consumer_key=x.api_key,
            consumer_secret=x.api_secret,
            access_token=x.access_token,
            access_token_secret=x.access_token_secret,
            base_url=x.api_url,
        )
    return sources


def build_drafter(settings: Settings) -> Drafter:
    offline = OfflineDrafter(brand=settings.brand)
    if not settings.openai_api_key:
        return offline
    from bot.drafting.openai_drafter import OpenAIDrafter, make_openai_client

    client = make_openai_client(
        settings.openai_api_key, settings.openai_base_url or None, timeout=settings.openai_timeout
    )
    return OpenAIDrafter(client, settings.openai_model, fallback=offline, brand=settings.brand)


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
    slack = SlackGateway(make_web_client(settings.slack_bot_token, settings.slack_api_url))
    sources = build_sources(settings) if sources is None else sources
    drafter = build_drafter(settings)
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
        inbox=Inbox(store=store, jobs=jobs, sources=sources, channel=settings.channel, clock=clock),
        delivery=Delivery(store=store, slack=slack, drafter=drafter, clock=clock),
        review=Review(store=store, jobs=jobs, clock=clock),
        publisher=Publisher(store=store, jobs=jobs, sources=sources, lease_seconds=lease, clock=clock),
        slack_sync=SlackSync(store=store, slack=slack),
        sweeper=Sweeper(store=store, jobs=jobs, lease_seconds=lease, clock=clock),
    )

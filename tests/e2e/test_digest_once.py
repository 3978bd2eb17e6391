"""The daily digest and the burst notice: sent once each, retried until they go, whatever Slack says."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import redis

from bot.adapters import keys
from bot.app.processes import Clock as ProcessClock
from demo.sandbox import CHANNEL, Sandbox
from tests.e2e.conftest import Clock, mention_and_deliver

POST = r"/api/chat.postMessage$"


@pytest.fixture
def rome(redis_client: redis.Redis, clock: Clock) -> Iterator[Sandbox]:
    env = {"PARLEY_DIGEST_AT": "09:00 Europe/Rome mon-fri", "PARLEY_TARGETS": "question=60"}
    with Sandbox(redis_client, clock=clock, env=env) as sb:
        yield sb


def digests(sb: Sandbox) -> list[str]:
    return [m.all_text() for m in sb.slack.messages(CHANNEL) if "digest" in m.all_text().lower()]


def _due_digest(sb: Sandbox, clock: Clock) -> None:
    clock.set(datetime(2026, 3, 26, 15, 0, tzinfo=UTC))
    mention_and_deliver(sb, "@parleybrand my order is late")
    clock.set(datetime(2026, 3, 27, 8, 0, 30, tzinfo=UTC))
    assert [q for q in ProcessClock(sb.parley).tick(0) if q.startswith("digest")] == ["digest:2026-03-27"]


@pytest.mark.parametrize(
    "failure",
    [
        {"status": 429, "headers": {"Retry-After": "1"}, "body": {"ok": False, "error": "ratelimited"}},
        {"status": 500, "times": 3},  # more than the SDK's own two retries
    ],
    ids=["429", "500"],
)
def test_the_digest_is_sent_once_after_slack_refused_it(rome: Sandbox, clock: Clock, failure: dict) -> None:  # type: ignore[type-arg]
    _due_digest(rome, clock)
    rome.slack.fail_next(POST, **failure)
    rome.drain(patience=3)
    assert len(digests(rome)) == 1
    assert rome.parley.queue.failed_job_registry.count == 0


def test_a_digest_sent_is_not_queued_again_by_any_clock(rome: Sandbox, clock: Clock) -> None:
    _due_digest(rome, clock)
    rome.drain()
    rome.redis.delete(keys.digest_queued("2026-03-27"))  # long after: the queued claim has expired
    assert [q for q in ProcessClock(rome.parley).tick(0) if q.startswith("digest")] == []
    assert len(digests(rome)) == 1


def test_a_digest_whose_job_was_lost_is_queued_again(rome: Sandbox, clock: Clock) -> None:
    _due_digest(rome, clock)
    rome.parley.queue.empty()  # type: ignore[no-untyped-call]
    rome.redis.delete(keys.digest_queued("2026-03-27"))  # the claim expires: nothing was sent
    assert [q for q in ProcessClock(rome.parley).tick(0) if q.startswith("digest")] == ["digest:2026-03-27"]
    rome.drain()
    assert len(digests(rome)) == 1


def test_the_burst_notice_is_retried_after_a_slack_500(sandbox: Sandbox) -> None:
    sandbox.slack.fail_next(POST, status=500, times=3)
    sandbox.parley.jobs.announce_burst("x", 120)
    sandbox.drain(patience=3)
    assert [m for m in sandbox.slack.messages(CHANNEL) if "burst" in m.all_text()]

"""Slack's pace: about one message per second per channel, shared by every worker; 429s waited out."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from demo.sandbox import CHANNEL, Sandbox
from tests.e2e.conftest import Clock, forwarded


@pytest.fixture
def paced(redis_client: redis.Redis, clock: Clock) -> Iterator[Sandbox]:
    with Sandbox(redis_client, clock=clock, env={"PARLEY_SLACK_RATE": "5", "PARLEY_SLACK_BURST": "3"}) as sb:
        # Slack itself answers 429 beyond 10 messages per second in a channel.
        sb.slack.rate_limit("chat.postMessage", limit=10, per_seconds=1, per_channel=True)
        yield sb


def test_a_burst_is_paced_without_a_single_slack_429_and_nothing_is_lost(paced: Sandbox) -> None:
    for i in range(8):
        paced.x.add_mention(f"@parleybrand question number {i}?", author_handle=f"user{i}")
    assert paced.poll().new == 8
    paced.drain(patience=3)

    parents = forwarded(paced)
    assert len(parents) == 8
    assert all(len(paced.slack.thread(CHANNEL, p.ts)) == 1 for p in parents)  # one card each, no duplicates
    posts = paced.slack.calls("chat.postMessage")
    assert [c for c in posts if c.status == 429] == []
    assert len(posts) == 16


def test_a_slack_429_is_respected_by_every_job_and_then_everything_arrives(paced: Sandbox) -> None:
    paced.slack.fail_next(
        r"/api/chat.postMessage$",
        status=429,
        headers={"Retry-After": "1"},
        body={"ok": False, "error": "ratelimited"},
    )
    for i in range(3):
        paced.x.add_mention(f"@parleybrand hello {i}?", author_handle=f"u{i}")
    paced.poll()
    paced.drain(patience=3)
    assert len(forwarded(paced)) == 3
    assert len([c for c in paced.slack.calls("chat.postMessage") if c.status == 429]) == 1


def test_the_team_is_told_when_a_burst_arrives_once(sandbox: Sandbox) -> None:
    for i in range(60):
        sandbox.x.add_mention(f"@parleybrand outage? #{i}", author_handle=f"p{i}")
    assert sandbox.poll().new == 60
    for i in range(60, 120):
        sandbox.x.add_mention(f"@parleybrand still down? #{i}", author_handle=f"p{i}")
    assert sandbox.poll().new == 60  # a second wave within 10 minutes: no second notice
    sandbox.drain()
    notices = [m for m in sandbox.slack.messages(CHANNEL) if "burst is under way" in m.all_text()]
    assert len(notices) == 1 and "60 new posts from X" in notices[0].all_text()
    assert len(forwarded(sandbox)) == 121

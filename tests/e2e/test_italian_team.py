"""An Italian team's day (issue 12): risk words in Italian, the Rome zone, and Monday's digest.

Time travel as in test_team: Parley's clock is injected, the rest is real (HTTP, Redis, emulators).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import redis

from bot.app.processes import Clock as ProcessClock
from demo.sandbox import CHANNEL, Sandbox
from tests.e2e.conftest import Clock, card_of, mention_and_deliver

ITALIAN_TEAM = {
    "PARLEY_TZ": "Europe/Rome",
    "PARLEY_HOLIDAYS": "IT",
    "PARLEY_BUSINESS_HOURS": "mon-fri 09:00-18:00",
    "PARLEY_DIGEST_AT": "09:00 mon-fri",
}


@pytest.fixture
def rome(redis_client: redis.Redis, clock: Clock) -> Iterator[Sandbox]:
    with Sandbox(redis_client, clock=clock, env=ITALIAN_TEAM) as sb:
        yield sb


def digests(sb: Sandbox) -> list[str]:
    return [m.all_text() for m in sb.slack.messages(CHANNEL) if "digest" in m.all_text().lower()]


def test_mondays_digest_covers_the_weekend(rome: Sandbox, clock: Clock) -> None:
    clock.set(datetime(2026, 3, 27, 10, 0, tzinfo=UTC))  # Friday 11:00 in Rome, after Friday's digest
    mention_and_deliver(rome, "@parleybrand my order is late")
    clock.set(datetime(2026, 3, 28, 11, 0, tzinfo=UTC))  # Saturday
    saturday = mention_and_deliver(rome, "@parleybrand do you ship to Malta?")
    rome.slack.click(rome.app_url, card_of(rome, saturday), "Approve", user="U_MARIA")
    rome.drain()
    clocks = ProcessClock(rome.parley)

    # Monday 30 March, summer time since Sunday: 09:00 in Rome is 07:00 UTC.
    clock.set(datetime(2026, 3, 30, 7, 0, 30, tzinfo=UTC))
    assert [q for q in clocks.tick(0) if q.startswith("digest")] == ["digest:2026-03-30"]
    rome.drain()
    [digest] = digests(rome)
    assert "Fri 27 Mar 09:00 – Mon 30 Mar 09:00 (Europe/Rome)" in digest
    assert "*2* new" in digest and "*1* answered" in digest and "*1* still open" in digest


def test_an_italian_possessive_needs_one_approver_and_a_refund_two(rome: Sandbox) -> None:
    calm = mention_and_deliver(
        rome, "@parleybrand le sue amiche dicono che il negozio è bellissimo", lang="it"
    )
    assert "needs two people" not in card_of(rome, calm).all_text()
    refund = mention_and_deliver(rome, "@parleybrand quando arrivano i rimborsi?", lang="it")
    assert "needs two people: mentions “rimborso”" in card_of(rome, refund).all_text()

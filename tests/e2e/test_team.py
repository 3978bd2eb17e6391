"""The team's surfaces: /parley commands, App Home, the daily digest, response-time reminders.

Time travel: Parley's clock is injected (the `clock` fixture moves it), everything else is real:
the app over HTTP, Redis, the emulators.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import redis

from bot.app.processes import Clock as ProcessClock
from demo.sandbox import CHANNEL, Sandbox
from tests.e2e.conftest import Clock, card_of, forwarded, mention_and_deliver, thread_texts


def answered(sb: Sandbox, text: str, user: str = "U_MARIA") -> str:
    """A slow /parley answer arrives through the response_url just after the ack."""
    before = len(sb.slack.responses)
    sb.slack.slash_command(sb.app_url, text, user=user)
    sb.slack.wait_for(lambda: len(sb.slack.responses) > before)
    return str(sb.slack.responses[-1].payload)


def test_stats_mine_and_search_answer_privately(sandbox: Sandbox) -> None:
    first = mention_and_deliver(sandbox, "@parleybrand where is my parcel?")
    mention_and_deliver(sandbox, "@parleybrand the app crashes on login")
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, first), "Approve", user="U_MARIA")
    sandbox.drain()
    sandbox.slack.click(
        sandbox.app_url, card_of(sandbox, forwarded(sandbox)[1]), "I'll take it", user="U_LUCA"
    )

    stats = answered(sandbox, "stats today")
    assert "*2* new" in stats and "*1* answered" in stats and "*1* still open" in stats
    assert "crashes on login" in answered(sandbox, "mine", user="U_LUCA")
    assert "no open cases" in answered(sandbox, "mine", user="U_ANNA")
    assert "parcel" in answered(sandbox, "search parcel")
    assert "parcel" not in answered(sandbox, "search crashes")
    assert all(r.action == "ephemeral" for r in sandbox.slack.responses)


def test_pause_and_resume_polling(sandbox: Sandbox) -> None:
    assert "paused" in sandbox.slack.slash_command(sandbox.app_url, "pause x").body
    sandbox.x.add_mention("@parleybrand hello?")
    assert sandbox.poll().paused
    assert "resumed" in sandbox.slack.slash_command(sandbox.app_url, "resume x").body
    assert sandbox.poll().new == 1
    assert "one of" in sandbox.slack.slash_command(sandbox.app_url, "pause myspace").body


def test_the_app_home_shows_the_queue_to_whoever_opens_it(sandbox: Sandbox) -> None:
    mention_and_deliver(sandbox, "@parleybrand is the store open today?")
    event = sandbox.slack.app_home_opened_event("U_ANNA")
    assert sandbox.slack.send_event(sandbox.app_url, event).status == 200
    sandbox.slack.wait_for(lambda: "U_ANNA" in sandbox.slack.published_homes)
    home = str(sandbox.slack.published_homes["U_ANNA"])
    assert "store open today" in home
    assert sandbox.parley.insights.refresh_homes() == 1  # a case changed: Anna's Home is republished


@pytest.fixture
def rome(redis_client: redis.Redis, clock: Clock) -> Iterator[Sandbox]:
    env = {"PARLEY_DIGEST_AT": "09:00 Europe/Rome mon-fri", "PARLEY_TARGETS": "question=60"}
    with Sandbox(redis_client, clock=clock, env=env) as sb:
        yield sb


def digests(sb: Sandbox) -> list[str]:
    return [m.all_text() for m in sb.slack.messages(CHANNEL) if "digest" in m.all_text().lower()]


def test_the_digest_goes_out_once_at_nine_in_rome_across_a_dst_change(rome: Sandbox, clock: Clock) -> None:
    clock.set(datetime(2026, 3, 26, 15, 0, tzinfo=UTC))  # Thursday
    first = mention_and_deliver(rome, "@parleybrand do you ship to Malta?")
    rome.slack.click(rome.app_url, card_of(rome, first), "Approve", user="U_MARIA")
    mention_and_deliver(rome, "@parleybrand my order is late")
    rome.drain()
    clocks = ProcessClock(rome.parley), ProcessClock(rome.parley)

    # Friday 27 March, before summer time: 09:00 in Rome is 08:00 UTC.
    clock.set(datetime(2026, 3, 27, 7, 59, tzinfo=UTC))
    assert [q for c in clocks for q in c.tick(0) if q.startswith("digest")] == []
    clock.set(datetime(2026, 3, 27, 8, 0, 30, tzinfo=UTC))
    assert [q for q in clocks[0].tick(0) if q.startswith("digest")] == ["digest:2026-03-27"]
    assert [q for q in clocks[1].tick(0) if q.startswith("digest")] == []  # the other clock: nothing
    rome.drain()
    [digest] = digests(rome)
    assert "*2* new" in digest and "*1* answered" in digest and "*1* still open" in digest
    assert "my order is late" in digest  # the open case is listed, with a link to its thread
    assert rome.slack.files and rome.slack.files[0].channel == CHANNEL  # the chart
    assert rome.slack.files[0].content is not None and rome.slack.files[0].content.startswith(b"\x89PNG")

    rome.drain()
    assert len(digests(rome)) == 1  # a second worker run sends nothing more

    # Saturday and Sunday: no digest. Monday 30 March, summer time: 09:00 in Rome is 07:00 UTC.
    clock.set(datetime(2026, 3, 28, 9, 0, tzinfo=UTC))
    assert not [q for q in clocks[0].tick(0) if q.startswith("digest")]
    clock.set(datetime(2026, 3, 30, 7, 0, 30, tzinfo=UTC))
    assert [q for q in clocks[1].tick(0) if q.startswith("digest")] == ["digest:2026-03-30"]


def test_a_day_without_activity_sends_no_digest(rome: Sandbox, clock: Clock) -> None:
    clock.set(datetime(2026, 6, 3, 7, 30, tzinfo=UTC))
    assert rome.parley.insights.post_digest("2026-06-03") == 0
    assert rome.slack.messages(CHANNEL) == []


def test_reminders_come_at_50_80_and_100_percent_once_each(rome: Sandbox, clock: Clock) -> None:
    parent = mention_and_deliver(rome, "@parleybrand how do I change my plan?")
    rome.slack.click(rome.app_url, card_of(rome, parent), "I'll take it", user="U_LUCA")
    sweep = rome.parley.insights.remind

    def reminders() -> list[str]:
        rome.drain()
        return [t for t in thread_texts(rome, parent) if t.startswith("⏰")]

    clock.advance(minutes=29)
    sweep(rome.parley.store.open_cases())
    assert reminders() == []
    clock.advance(minutes=2)  # 31 min of a 60 min target
    sweep(rome.parley.store.open_cases())
    sweep(rome.parley.store.open_cases())
    [fifty] = reminders()
    assert "50% of the 60 min" in fifty and "<@U_LUCA>" in fifty
    clock.advance(minutes=30)  # 61 min: both 80 % and 100 % have passed; one line, the highest
    sweep(rome.parley.store.open_cases())
    lines = reminders()
    assert len(lines) == 2 and "100% of the 60 min" in lines[-1]
    assert "Past its response-time target" in card_of(rome, parent).all_text()


def test_the_digest_command_posts_the_last_24_hours_now(sandbox: Sandbox) -> None:
    mention_and_deliver(sandbox, "@parleybrand can I change my delivery address?")
    answer = sandbox.slack.slash_command(sandbox.app_url, "digest")
    assert answer.acked_in_time and "Posting the digest" in answer.body
    sandbox.drain()
    [digest] = digests(sandbox)
    assert "*1* new" in digest and "delivery address" in digest

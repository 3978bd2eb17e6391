"""End-to-end fixtures: the real app over HTTP, the real SDKs, local emulators, a real Redis."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import redis

from blocks.ids import ACTION_APPROVE
from bot.app.doctor import Check, diagnose
from bot.app.settings import Settings
from bot.domain import now
from demo.sandbox import CHANNEL, Sandbox
from emulators.slack import Ephemeral, Message, StoredView


class Clock:
    """The time Parley sees; tests move it forward to expire leases and sweep."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return now() + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += timedelta(**delta)

    def set(self, at: datetime) -> None:
        """Travel to `at` (and let time run on from there)."""
        self.offset = at - now()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sandbox(redis_client: redis.Redis, clock: Clock) -> Iterator[Sandbox]:
    with Sandbox(redis_client, clock=clock) as sb:
        yield sb


@pytest.fixture
def openai_sandbox(redis_client: redis.Redis, clock: Clock) -> Iterator[Sandbox]:
    with Sandbox(redis_client, openai=True, clock=clock) as sb:
        yield sb


def forwarded(sb: Sandbox) -> list[Message]:
    """Top-level messages in the Parley channel, oldest first."""
    return sb.slack.messages(CHANNEL)


def card_of(sb: Sandbox, parent: Message) -> Message:
    """The draft card: the first message Parley posted in the case's thread (fresh copy)."""
    cards = [m for m in sb.slack.thread(CHANNEL, parent.ts) if m.buttons() or "/280" in m.all_text()]
    assert cards, f"no draft card in the thread of {parent.ts}"
    return cards[0]


def latest_card(sb: Sandbox, parent: Message, channel: str = CHANNEL) -> Message:
    """The newest card in the case's thread that can still be approved (a conversation's current turn)."""
    cards = [
        m
        for m in sb.slack.thread(channel, parent.ts)
        if any(b.get("action_id") == ACTION_APPROVE for b in m.buttons())
    ]
    assert cards, f"no card to approve in the thread of {parent.ts}"
    return cards[-1]


def checks(sb: Sandbox, redis_url: str, **env: str) -> dict[str, Check]:
    """What `parley doctor` finds for the sandbox's configuration (plus `env`), by check name."""
    lines = diagnose(Settings.from_env({**sb.environment(), "REDIS_URL": redis_url, **env}))
    return {check.name: check for check in lines}


def thread_texts(sb: Sandbox, parent: Message) -> list[str]:
    return [m.all_text() or m.text for m in sb.slack.thread(CHANNEL, parent.ts)]


def mention_and_deliver(
    sb: Sandbox, text: str = "@parleybrand my order never arrived, can you help?", *, lang: str = "en"
) -> Message:
    sb.x.add_mention(text, author_handle="ann", author_name="Ann Lee", lang=lang)
    sb.poll()
    sb.drain()
    return forwarded(sb)[-1]


def modal_for(sb: Sandbox, user: str) -> StoredView:
    """The modal the app opened for `user` (listeners open it just after the ack, so wait for it)."""
    sb.slack.wait_for(lambda: bool(sb.slack.open_views(user)))
    return sb.slack.open_views(user)[-1]


def ephemerals_saying(sb: Sandbox, words: str, *, count: int = 1, user: str | None = None) -> list[Ephemeral]:
    """Wait until `count` ephemeral messages containing `words` have reached users."""

    def found() -> list[Ephemeral]:
        return [e for e in sb.slack.ephemerals(user) if words in e.text]

    sb.slack.wait_for(lambda: len(found()) >= count)
    return found()

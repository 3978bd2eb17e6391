"""Hide and Unhide on Facebook and Instagram comments, and the card of a message past its window."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from bot.adapters import keys
from bot.domain import State
from demo.meta import CUSTOMER, IG_CUSTOMER, meta_sandbox
from demo.sandbox import Sandbox
from emulators.meta import MetaEmulator
from emulators.slack import Message
from tests.e2e.conftest import Clock, card_of, ephemerals_saying, forwarded, thread_texts

World = tuple[Sandbox, MetaEmulator]


def labels(message: Message) -> list[str]:
    return [str(b["text"]["text"]) for b in message.buttons()]


@pytest.fixture
def world(redis_client: redis.Redis, clock: Clock) -> Iterator[World]:
    with meta_sandbox(redis_client, clock, PARLEY_APPROVERS="U_MARIA") as pair:
        yield pair


@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_hide_closes_the_case_and_unhide_shows_the_comment_again(
    world: World, redis_client: redis.Redis, platform: str
) -> None:
    sb, meta = world
    item = meta.add_post("Menu", platform=platform)
    instagram = platform == "instagram"
    comment = meta.add_comment(item, "BUY CHEAP FOLLOWERS", author=IG_CUSTOMER if instagram else CUSTOMER)
    webhooks = meta.webhooks
    payload = webhooks.instagram_comment(comment) if instagram else webhooks.page_comment(comment)
    meta.webhooks.deliver(payload)
    sb.drain()
    [parent] = forwarded(sb)
    card = card_of(sb, parent)
    assert "Hide" in labels(card)

    sb.slack.click(sb.app_url, card, "Hide", user="U_LUCA")  # not an approver
    ephemerals_saying(sb, "Only the approvers", user="U_LUCA")
    sb.drain()
    assert not comment.hidden

    sb.slack.click(sb.app_url, card_of(sb, parent), "Hide", user="U_MARIA")
    sb.drain()
    assert comment.hidden
    case = sb.parley.store.require(f"{platform}-{comment.id}")
    assert case.state is State.REJECTED and case.rejection_reason == "hidden"
    assert any("hid the comment" in t for t in thread_texts(sb, parent))
    audit = [entry[b"entry"].decode() for _, entry in redis_client.xrange(keys.AUDIT)]
    assert any('"hidden"' in e and comment.id in e for e in audit)

    unhide = next(m for m in sb.slack.thread("C_SOCIAL", parent.ts) if "Unhide" in labels(m))
    sb.slack.click(sb.app_url, unhide, "Unhide", user="U_MARIA")
    sb.drain()
    assert not comment.hidden
    assert any("showed the comment again" in t for t in thread_texts(sb, parent))
    assert len(meta.requests_to(rf"/{comment.id}$", method="POST")) == 2


def test_a_message_cannot_be_hidden(world: World) -> None:
    sb, meta = world
    meta.webhooks.deliver(meta.webhooks.message(meta.add_message("hello", author=CUSTOMER)))
    sb.drain()
    [parent] = forwarded(sb)
    card = card_of(sb, parent)
    assert "Hide" not in labels(card)
    assert "Reply window" in card.all_text()


def test_a_message_past_its_window_offers_reject_window_closed(world: World, clock: Clock) -> None:
    sb, meta = world
    message = meta.add_message("anyone there?", author=CUSTOMER)
    meta.webhooks.deliver(meta.webhooks.message(message))
    sb.drain()
    [parent] = forwarded(sb)
    clock.advance(days=8)
    sb.slack.click(sb.app_url, card_of(sb, parent), "Approve", user="U_MARIA")
    sb.drain()
    card = card_of(sb, parent)
    assert "can no longer be answered there" in card.all_text()
    sb.slack.click(sb.app_url, card, "Reject: window closed", user="U_MARIA")
    sb.drain()
    message_case = sb.parley.store.require(f"facebook-{message.id}")
    assert message_case.state is State.REJECTED and message_case.rejection_reason == "window closed"
    assert meta.sent_messages() == []
    assert any("window closed" in t for t in thread_texts(sb, parent))
    assert sb.parley.store.open_cases() == []

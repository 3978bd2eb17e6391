"""Facebook Pages and Instagram end to end: signed webhooks and polls in, approved replies out, once.

Each kind (Page comment, Page mention, Instagram comment, Instagram mention, Messenger message,
Instagram message) is forwarded once however it arrives (webhook, poll, Meta's redelivery), and
its approved reply lands in the right place on the Graph emulator exactly once.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from bot.domain import State
from demo.meta import CUSTOMER, IG_CUSTOMER, meta_sandbox
from demo.sandbox import Sandbox
from emulators.meta import MetaEmulator
from emulators.slack import Message
from tests.e2e.conftest import Clock, card_of, forwarded, thread_texts

World = tuple[Sandbox, MetaEmulator]


@pytest.fixture
def world(redis_client: redis.Redis, clock: Clock) -> Iterator[World]:
    with meta_sandbox(redis_client, clock) as pair:
        yield pair


def arrived(sb: Sandbox, payload: dict[str, object], meta: MetaEmulator, *, twice: bool = True) -> Message:
    """Deliver `payload` (and redeliver it, as Meta does), run the jobs, and return the one parent."""
    first = meta.webhooks.deliver(payload)
    assert (first.status, first.answer) == (200, "EVENT_RECEIVED")
    if twice:
        assert meta.webhooks.redeliver(first).status == 200
    sb.drain()
    [parent] = forwarded(sb)
    return parent


def approve(sb: Sandbox, parent: Message) -> None:
    card = card_of(sb, parent)
    first, stale = (sb.slack.click_request(card, "Approve", user=u) for u in ("U_MARIA", "U_LUCA"))
    first.send(sb.app_url)
    sb.drain()
    stale.send(sb.app_url)  # a second click on the card as it was: nothing more is posted
    sb.drain()


def test_a_page_comment_by_webhook_redelivery_and_poll_is_one_case_answered_once(world: World) -> None:
    sb, meta = world
    post = meta.add_post("Our autumn menu is out")
    comment = meta.add_comment(post, "Do you deliver to Milan?", author=CUSTOMER)
    parent = arrived(sb, meta.webhooks.page_comment(comment), meta)
    assert sb.poll("facebook").new == 0
    sb.drain()
    assert len(forwarded(sb)) == 1
    text = parent.all_text()
    assert "Facebook" in text and "Giulia Rossi" in text and "Do you deliver to Milan?" in text
    assert "/8,000" in card_of(sb, parent).all_text()

    approve(sb, parent)
    [reply] = meta.replies("facebook")
    assert reply.parent_id == comment.id and reply.item_id == post.id
    assert any("Posted on Facebook" in t for t in thread_texts(sb, parent))


def test_a_page_comment_seen_first_by_the_poll_is_not_forwarded_again_by_the_webhook(world: World) -> None:
    sb, meta = world
    post = meta.add_post("Opening hours")
    comment = meta.add_comment(post, "Open on Sunday?", author=CUSTOMER)
    assert sb.poll("facebook").new == 1
    sb.drain()
    assert meta.webhooks.deliver(meta.webhooks.page_comment(comment)).status == 200
    sb.drain()
    assert len(forwarded(sb)) == 1


def test_a_page_mention_is_read_through_graph_and_answered_under_the_post(world: World) -> None:
    sb, meta = world
    mention = meta.add_foreign_post(
        "Great dinner at @Parley Demo tonight, do you take bookings?", author=CUSTOMER, platform="facebook"
    )
    parent = arrived(sb, meta.webhooks.page_mention(mention), meta)
    assert "do you take bookings?" in parent.all_text()
    assert sb.poll("facebook").new == 0  # /tagged finds the same post: the same case
    approve(sb, parent)
    [reply] = meta.replies("facebook")
    assert reply.item_id == mention.id


def test_an_instagram_comment_is_answered_as_a_reply_to_it(world: World) -> None:
    sb, meta = world
    media = meta.add_post("New collection", platform="instagram")
    comment = meta.add_comment(media, "Is the blue one in stock?", author=IG_CUSTOMER)
    parent = arrived(sb, meta.webhooks.instagram_comment(comment), meta)
    assert sb.poll("instagram").new == 0
    assert "@marco.b" in parent.all_text() and "/2,200" in card_of(sb, parent).all_text()
    approve(sb, parent)
    [reply] = meta.replies("instagram")
    assert reply.parent_id == comment.id
    assert len(meta.requests_to(rf"/{comment.id}/replies$", method="POST")) == 1


def test_an_instagram_mention_is_answered_through_the_mentions_endpoint(world: World) -> None:
    sb, meta = world
    media = meta.add_foreign_post("Brunch!", author=IG_CUSTOMER, platform="instagram", mentions=False)
    comment = meta.add_comment(media, "@parleydemo what time do you open?", author=IG_CUSTOMER)
    parent = arrived(sb, meta.webhooks.instagram_mention(media, comment), meta)
    assert "what time do you open?" in parent.all_text()
    approve(sb, parent)
    [call] = meta.requests_to(rf"/{meta.ig_user_id}/mentions$", method="POST")
    assert call.params()["comment_id"] == comment.id and call.params()["media_id"] == media.id
    [reply] = meta.replies("instagram")
    assert reply.parent_id == comment.id


@pytest.mark.parametrize(("platform", "network"), [("messenger", "facebook"), ("instagram", "instagram")])
def test_a_message_is_private_and_answered_in_the_conversation(
    world: World, platform: str, network: str
) -> None:
    sb, meta = world
    person = IG_CUSTOMER if platform == "instagram" else CUSTOMER
    message = meta.add_message("My order 4411 has not arrived", author=person, platform=platform)
    parent = arrived(sb, meta.webhooks.message(message), meta)
    assert sb.poll(network).new == 0
    sb.drain()
    [case] = sb.parley.store.open_cases()
    assert case.post.private and case.post.conversation_id == person.id
    assert f"/{2_000 if platform == 'messenger' else 1_000:,}" in card_of(sb, parent).all_text()
    approve(sb, parent)
    [sent] = meta.sent_messages(platform)
    assert sent.tag is None
    [call] = meta.requests_to(rf"/{meta.page_id}/messages$", method="POST")
    assert call.json()["messaging_type"] == "RESPONSE" and call.json()["recipient"] == {"id": person.id}


def test_after_24_hours_a_message_goes_out_with_the_human_agent_tag(world: World, clock: Clock) -> None:
    sb, meta = world
    message = meta.add_message("Still waiting for a refund", author=CUSTOMER)
    parent = arrived(sb, meta.webhooks.message(message), meta, twice=False)
    clock.advance(hours=30)
    approve(sb, parent)
    [sent] = meta.sent_messages("messenger")
    assert sent.tag == "HUMAN_AGENT"


def test_after_7_days_a_message_can_no_longer_be_answered_there(world: World, clock: Clock) -> None:
    sb, meta = world
    message = meta.add_message("Hello?", author=CUSTOMER)
    parent = arrived(sb, meta.webhooks.message(message), meta, twice=False)
    clock.advance(days=8)
    sb.slack.click(sb.app_url, card_of(sb, parent), "Approve", user="U_MARIA")
    sb.drain()
    assert meta.sent_messages("messenger") == []
    [case] = sb.parley.store.open_cases()
    assert case.state is State.FAILED
    assert any("window" in t for t in thread_texts(sb, parent))


def test_a_poll_after_downtime_catches_up_on_what_the_webhooks_missed(world: World) -> None:
    sb, meta = world
    sb.poll("facebook")
    sb.poll("instagram")
    post = meta.add_post("Weekend offer")
    meta.add_comment(post, "Is it valid on Monday too?", author=CUSTOMER)
    media = meta.add_post("Reel", platform="instagram")
    meta.add_comment(media, "Where was this shot?", author=IG_CUSTOMER)
    meta.add_message("Can I change my booking?", author=CUSTOMER)
    assert sb.poll("facebook").new == 2
    assert sb.poll("instagram").new == 1
    sb.drain()
    assert len(forwarded(sb)) == 3


def test_a_second_message_from_the_same_person_joins_their_conversation(world: World) -> None:
    sb, meta = world
    first = meta.add_message("Hi, my order 4411 is late", author=CUSTOMER)
    parent = arrived(sb, meta.webhooks.message(first), meta, twice=False)
    approve(sb, parent)
    second = meta.add_message("Thanks! And can I change the address?", author=CUSTOMER)
    assert meta.webhooks.deliver(meta.webhooks.message(second)).status == 200
    sb.drain()
    assert len(forwarded(sb)) == 1  # the same thread, a new draft card in it
    assert any("change the address" in t for t in thread_texts(sb, parent))

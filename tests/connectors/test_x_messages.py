"""XConnector's direct messages through real tweepy against XEmulator: DMs in as private posts, answered
by DM exactly once, public posts answered privately, X's refusals, the cursor, and no text in logs."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from bot.domain import Network
from connectors.base import Forbidden, PrivateReplies, Unauthorized
from connectors.x import DM_PERMISSION_MESSAGE, XConnector
from emulators.x import XEmulator
from tests.connectors.test_x_connector import BRAND_ID, _connector


@pytest.fixture
def x() -> Iterator[XEmulator]:
    with XEmulator(access_level="read-write-directmessages") as emulator:
        yield emulator


@pytest.fixture
def connector(x: XEmulator) -> Iterator[XConnector]:
    with _connector(x.url, page_size=5) as conn:
        yield conn


def test_a_dm_to_the_brand_is_a_private_post_in_its_conversation(x: XEmulator, connector: XConnector) -> None:
    event_id = x.add_direct_message("my card was charged twice", author_handle="ana", author_name="Ana B")
    ana = x.add_user("ana")

    [post] = connector.fetch(None).posts

    event = x.dm_event(event_id)
    assert post.private and post.network is Network.X
    assert post.id == event_id
    assert post.conversation_id == event.conversation_id
    assert post.url == f"https://x.com/messages/{event.conversation_id}"
    assert post.text == "my card was charged twice"
    assert (post.author.id, post.author.handle, post.author.name) == (ana.id, "ana", "Ana B")
    assert post.created_at == event.created_at.replace(
        microsecond=event.created_at.microsecond // 1000 * 1000
    )
    assert post.in_reply_to is None and not post.listen_only
    assert post.reply_limit == 10_000  # a DM is not held to a post's 280


def test_the_brands_own_dms_are_not_posts_but_move_the_cursor(x: XEmulator, connector: XConnector) -> None:
    x.add_direct_message("hello", author_handle="ana")
    first = connector.fetch(None)
    connector.reply(first.posts[0], "Hi Ana!")

    batch = connector.fetch(first.cursor)

    assert batch.posts == []
    assert json.loads(batch.cursor or "")["dms"] == x.sent_messages[0].id


def test_mentions_and_dms_come_together_oldest_first_and_only_once(
    x: XEmulator, connector: XConnector
) -> None:
    mention = x.add_mention("is the shop open?", author_handle="bo")
    dm = x.add_direct_message("private question", author_handle="ana")
    first = connector.fetch(None)
    assert [p.id for p in first.posts] == [mention, dm]
    assert json.loads(first.cursor or "") == {"v": 1, "mentions": mention, "dms": dm}

    later = [x.add_direct_message(f"more {i}", author_handle="ana") for i in range(7)]  # > one page of 5
    second = connector.fetch(first.cursor)
    assert [p.id for p in second.posts] == later
    assert connector.fetch(second.cursor).posts == []


def test_an_old_plain_cursor_keeps_working_for_mentions_and_dms(x: XEmulator, connector: XConnector) -> None:
    old_dm = x.add_direct_message("old dm")
    old_mention = x.add_mention("old mention")
    plain = old_mention  # a cursor stored before DMs existed: the id of the newest mention seen then
    new_mention = x.add_mention("new mention")
    new_dm = x.add_direct_message("new dm")

    batch = connector.fetch(plain)

    assert [p.id for p in batch.posts] == [new_mention, new_dm]
    assert old_dm not in {p.id for p in batch.posts}
    assert json.loads(batch.cursor or "") == {"v": 1, "mentions": new_mention, "dms": new_dm}


def test_answering_a_dm_sends_one_dm_in_its_conversation_and_find_reply_sees_it(
    x: XEmulator, connector: XConnector
) -> None:
    x.add_direct_message("where is my parcel?", author_handle="ana")
    [post] = connector.fetch(None).posts
    assert connector.find_reply(post, "It ships today.") is None

    reply = connector.reply(post, "It ships today.")

    [sent] = x.sent_messages
    assert (reply.id, sent.text, sent.conversation_id) == (sent.id, "It ships today.", post.conversation_id)
    assert reply.url == post.url
    found = connector.find_reply(post, "It  ships today. ")
    assert found is not None and found.id == reply.id
    assert connector.find_reply(post, "Something else") is None
    assert x.requests_to(r"^/2/tweets$", method="POST") == []  # nothing public


def test_find_reply_ignores_our_messages_from_before_the_post(x: XEmulator, connector: XConnector) -> None:
    x.add_direct_message("first", author_handle="ana")
    [first] = connector.fetch(None).posts
    connector.reply(first, "Thanks!")
    x.add_direct_message("second", author_handle="ana")
    [second] = connector.fetch(json.dumps({"v": 1, "mentions": None, "dms": first.id})).posts
    assert connector.find_reply(second, "Thanks!") is None


def test_a_public_mention_can_be_answered_privately_once(x: XEmulator, connector: XConnector) -> None:
    assert isinstance(connector, PrivateReplies)
    x.add_mention("my account is locked", author_handle="ana")
    [post] = connector.fetch(None).posts
    assert not post.private
    assert connector.can_reply_privately(post)
    assert connector.find_private_reply(post, "Let's sort it out here.") is None

    reply = connector.reply_privately(post, "Let's sort it out here.")

    [sent] = x.sent_messages
    assert sent.id == reply.id and sent.participant_ids == (BRAND_ID, post.author.id)
    found = connector.find_private_reply(post, "Let's sort it out here.")
    assert found is not None and found.id == reply.id
    assert x.posted == []


def test_an_author_who_does_not_accept_dms_is_refused_in_plain_words(
    x: XEmulator, connector: XConnector
) -> None:
    x.set_accepts_dms("cara", False)
    x.add_mention("help!", author_handle="cara")
    [post] = connector.fetch(None).posts
    assert not connector.can_reply_privately(post)

    with pytest.raises(Forbidden) as caught:
        connector.reply_privately(post, "Let's talk in private.")

    assert type(caught.value) is Forbidden and not caught.value.retryable
    assert "@cara" in caught.value.message and "doesn't accept direct messages" in caught.value.message
    assert x.sent_messages == []


def test_without_the_dm_permission_mentions_still_come_and_the_cursor_stays_plain() -> None:
    with XEmulator(access_level="read-write") as plain, _connector(plain.url) as conn:
        mention = plain.add_mention("hello")
        plain.add_direct_message("secret")
        batch = conn.fetch(None)
        assert [p.id for p in batch.posts] == [mention] and batch.cursor == mention
        assert not conn.reads_direct_messages
        conn.fetch(batch.cursor)
        assert len(plain.requests_to(r"^/2/dm_events$")) == 1  # asked once, then no more
        assert not conn.can_reply_privately(batch.posts[0])


def test_dms_required_but_not_permitted_is_an_error_for_the_admin() -> None:
    with XEmulator(access_level="read-write") as plain, _connector(plain.url, direct_messages=True) as conn:
        with pytest.raises(Unauthorized) as caught:
            conn.fetch(None)
        assert caught.value.message == DM_PERMISSION_MESSAGE
        with pytest.raises(Unauthorized):
            conn.verify()


def test_dms_turned_off_are_never_read(x: XEmulator) -> None:
    x.add_direct_message("secret")
    with _connector(x.url, direct_messages=False) as conn:
        batch = conn.fetch(None)
        assert batch.posts == [] and x.requests_to(r"^/2/dm") == []
        post = conn.fetch(None).posts
        assert post == []


def test_private_text_never_reaches_the_logs(
    x: XEmulator, connector: XConnector, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    x.add_direct_message("my IBAN is DE00 SECRET", author_handle="ana")
    [post] = connector.fetch(None).posts
    connector.reply(post, "We will call you about SECRET-REPLY")
    connector.find_reply(post, "We will call you about SECRET-REPLY")
    x.set_accepts_dms("cara", False)
    x.add_mention("hi", author_handle="cara")
    public = next(p for p in connector.fetch(None).posts if p.author.handle == "cara")
    with pytest.raises(Forbidden):
        connector.reply_privately(public, "SECRET-PRIVATE text")

    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "SECRET" not in logged


def test_a_reply_to_our_reply_says_what_it_answers_and_its_conversation(
    x: XEmulator, connector: XConnector
) -> None:
    first = x.add_mention("my order is late", author_handle="ana")
    [post] = connector.fetch(None).posts
    ours = connector.reply(post, "Sorry! Checking now.")
    follow_up = x.add_tweet("@parleybrand still nothing", author_handle="ana", in_reply_to=ours.id)

    [later] = connector.fetch(ours.id).posts

    assert (post.in_reply_to, post.conversation_id) == (None, first)
    assert (later.id, later.in_reply_to, later.conversation_id) == (follow_up, ours.id, first)
    assert not later.private


def test_a_search_account_leaves_dms_to_the_mentions_account_but_can_send_them(x: XEmulator) -> None:
    x.add_direct_message("private question", author_handle="ana")
    x.add_tweet("parley is great", author_handle="bo")
    with _connector(x.url, search="parley") as search:
        batch = search.fetch(None)
        assert [p.author.handle for p in batch.posts] == ["bo"] and not batch.posts[0].private
        assert x.requests_to(r"^/2/dm_events$") == []
        assert search.can_reply_privately(batch.posts[0])  # a listen-only hit can still be answered by DM
        search.reply_privately(batch.posts[0], "Thanks, Bo!")
    assert [m.text for m in x.sent_messages] == ["Thanks, Bo!"]
    with _connector(x.url, search="parley", direct_messages=True) as reading:
        assert any(p.private for p in reading.fetch(None).posts)


def test_a_dm_after_ours_in_the_same_poll_says_it_answers_ours(x: XEmulator, connector: XConnector) -> None:
    x.add_mention("my account is locked", author_handle="ana")
    first = connector.fetch(None)
    ours = connector.reply_privately(first.posts[0], "Can you DM us your email?")
    answer = x.add_direct_message("sure: ana@example.org", author_handle="ana")
    other = x.add_direct_message("unrelated", author_handle="bo")

    posts = {p.id: p for p in connector.fetch(first.cursor).posts}

    assert posts[answer].in_reply_to == ours.id
    assert posts[other].in_reply_to is None

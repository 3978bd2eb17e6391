"""RedditConnector's private messages through real praw against RedditEmulator: PMs in as private posts,
answered in their thread once, public comments answered by PM, refusals, read marks, no text in logs."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.domain import Network
from connectors.base import Forbidden, PrivateReplies
from connectors.reddit import RedditConnector
from emulators.reddit import RedditEmulator
from tests.connectors.test_reddit_connector import _connector, _mention, _thread


@pytest.fixture
def reddit() -> Iterator[RedditEmulator]:
    with RedditEmulator() as emulator:
        yield emulator


@pytest.fixture
def connector(reddit: RedditEmulator) -> Iterator[RedditConnector]:
    with _connector(reddit) as conn:
        yield conn


def test_a_private_message_is_a_private_post_of_its_thread(
    reddit: RedditEmulator, connector: RedditConnector
) -> None:
    name = reddit.add_private_message("Eve_R", "Refund", "charged twice & no answer")

    [post] = connector.fetch(None).posts

    message = reddit.message(name)
    assert post.private and post.network is Network.REDDIT
    assert (post.id, post.conversation_id, post.in_reply_to) == (name, name, None)
    assert (post.text, post.title, post.place) == ("charged twice & no answer", "Refund", None)
    assert post.author.handle == "Eve_R"
    assert post.url == f"https://www.reddit.com/message/messages/{name[3:]}"
    assert post.created_at == datetime.fromtimestamp(message.created_utc, UTC)


def test_the_answer_goes_in_the_thread_once_and_find_reply_sees_it(
    reddit: RedditEmulator, connector: RedditConnector
) -> None:
    reddit.add_private_message("eve", "Refund", "charged twice")
    batch = connector.fetch(None)
    [post] = batch.posts
    connector.acknowledge(batch)
    assert reddit.unread() == []
    assert connector.find_reply(post, "Refunded today.") is None

    reply = connector.reply(post, "Refunded today.")

    [sent] = reddit.sent_messages
    assert (sent.parent_id, sent.dest, sent.subject, sent.body) == (
        post.id,
        "eve",
        "re: Refund",
        "Refunded today.",
    )
    assert reply.id == sent.name
    found = connector.find_reply(post, " Refunded  today. ")
    assert found is not None and found.id == reply.id
    assert connector.find_reply(post, "something else") is None
    assert reddit.replies == []  # no public comment


def test_a_follow_up_message_joins_the_thread(reddit: RedditEmulator, connector: RedditConnector) -> None:
    first = reddit.add_private_message("eve", "Refund", "charged twice")
    batch = connector.fetch(None)
    connector.acknowledge(batch)
    answer = connector.reply(batch.posts[0], "Refunded today.")
    again = reddit.add_private_message("eve", "", "thanks, got it", reply_to=answer.id)

    [follow_up] = connector.fetch(batch.cursor).posts

    assert (follow_up.id, follow_up.conversation_id, follow_up.in_reply_to) == (again, first, answer.id)
    assert follow_up.title == "re: Refund"


def test_our_own_and_turned_off_messages_are_not_posts(reddit: RedditEmulator) -> None:
    reddit.add_private_message("eve", "hi", "hello")
    with _connector(reddit, private_messages=False) as off:
        assert off.fetch(None).posts == []
        assert not off.can_reply_privately(_mention(reddit, off))
    assert reddit.unread() != []


def test_comments_and_posts_say_where_they_belong(reddit: RedditEmulator, connector: RedditConnector) -> None:
    thread = _thread(reddit)
    cursor = connector.fetch(None).cursor
    top = reddit.add_comment("brandfans", "u/parleybrand first", "bo", parent=thread)
    nested = reddit.add_comment("brandfans", "u/parleybrand and again", "bo", parent=top)
    submission = reddit.add_submission("support", "Parley question", "How?", "cy")

    posts = {p.id: p for p in connector.fetch(cursor).posts}

    assert (posts[top].in_reply_to, posts[top].conversation_id) == (thread, thread)
    assert (posts[nested].in_reply_to, posts[nested].conversation_id) == (top, thread)
    assert (posts[submission].in_reply_to, posts[submission].conversation_id) == (None, submission)
    assert not any(p.private for p in posts.values())


def test_a_public_comment_can_be_answered_privately_once(
    reddit: RedditEmulator, connector: RedditConnector
) -> None:
    assert isinstance(connector, PrivateReplies)
    post = _mention(reddit, connector, "my export is broken")
    assert connector.can_reply_privately(post)
    assert connector.find_private_reply(post, "Can you send us your account name?") is None

    reply = connector.reply_privately(post, "Can you send us your account name?")

    [sent] = reddit.sent_messages
    assert (sent.dest, sent.subject, sent.body) == (
        post.author.handle,
        "About your comment in r/brandfans",
        "Can you send us your account name?",
    )
    assert reply.id == sent.name
    found = connector.find_private_reply(post, "Can you send us your account name?")
    assert found is not None and found.id == reply.id
    assert reddit.replies == []


def test_an_author_who_restricts_messages_is_refused_in_plain_words(
    reddit: RedditEmulator, connector: RedditConnector
) -> None:
    post = _mention(reddit, connector)
    reddit.refuse_messages(post.author.handle)

    with pytest.raises(Forbidden) as caught:
        connector.reply_privately(post, "Hello in private")

    assert "only from people they know" in caught.value.message and not caught.value.retryable
    assert reddit.sent_messages == []


def test_private_text_never_reaches_the_logs(
    reddit: RedditEmulator, connector: RedditConnector, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    reddit.add_private_message("eve", "SECRET-SUBJECT", "my address is SECRET street")
    batch = connector.fetch(None)
    connector.acknowledge(batch)
    connector.reply(batch.posts[0], "We'll write to SECRET street")
    connector.find_reply(batch.posts[0], "We'll write to SECRET street")
    public = _mention(reddit, connector)
    connector.reply_privately(public, "SECRET-PM to the author")

    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "SECRET" not in logged

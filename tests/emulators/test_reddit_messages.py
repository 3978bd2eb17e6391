"""RedditEmulator's private messages through the real praw 8: inbox, answers, compose, sent box, read marks."""

from __future__ import annotations

from collections.abc import Iterator

import praw
import pytest
from praw.exceptions import RedditAPIException
from praw.models import Message

from emulators.reddit import RedditEmulator
from tests.emulators.test_reddit_emulator import _praw


@pytest.fixture
def reddit() -> Iterator[RedditEmulator]:
    with RedditEmulator() as emulator:
        yield emulator


@pytest.fixture
def api(reddit: RedditEmulator) -> praw.Reddit:
    return _praw(reddit)


def test_a_private_message_is_an_unread_t4_in_the_inbox(reddit: RedditEmulator, api: praw.Reddit) -> None:
    name = reddit.add_private_message("Eve_R", "Refund", "I was charged twice & nobody answers")

    [message] = list(api.inbox.unread(limit=None))

    assert isinstance(message, Message) and message.fullname == name
    assert (str(message.author), str(message.dest)) == ("Eve_R", "parleybrand")
    assert (message.subject, message.body) == ("Refund", "I was charged twice & nobody answers")
    assert (message.was_comment, message.new, message.parent_id, message.first_message_name) == (
        False,
        True,
        None,
        None,
    )
    assert [m.fullname for m in api.inbox.messages(limit=None)] == [name]
    assert list(api.inbox.comment_replies(limit=None)) == []


def test_answering_a_message_continues_its_thread(reddit: RedditEmulator, api: praw.Reddit) -> None:
    first = reddit.add_private_message("eve", "Refund", "charged twice")
    [message] = list(api.inbox.unread(limit=None))

    answer = message.reply("Sorry Eve, refunded today.")

    assert isinstance(answer, Message)
    sent = reddit.message(answer.fullname)
    assert (sent.author, sent.dest, sent.subject, sent.parent_id) == (
        "parleybrand",
        "eve",
        "re: Refund",
        first,
    )
    assert answer.first_message_name == first and answer.first_message == int(first[3:], 36)
    request = reddit.requests_to(r"^/api/comment/$")[-1]
    assert request.form()["thing_id"] == first

    again = reddit.add_private_message("eve", "ignored", "thanks!", reply_to=answer.fullname)
    [follow_up] = [m for m in api.inbox.unread(limit=None) if m.fullname == again]
    assert (follow_up.subject, follow_up.parent_id, follow_up.first_message_name) == (
        "re: Refund",
        answer.fullname,
        first,
    )


def test_compose_sends_a_new_thread_listed_in_the_sent_box(reddit: RedditEmulator, api: praw.Reddit) -> None:
    reddit.add_submission("support", "Parley ate my homework", "help", "Bo")

    api.redditor("Bo").message(subject="About your post in r/support", message="Can we help here?")

    [sent] = reddit.sent_messages
    assert (sent.author, sent.dest, sent.subject, sent.body) == (
        "parleybrand",
        "Bo",
        "About your post in r/support",
        "Can we help here?",
    )
    assert reddit.requests_to(r"^/api/compose/$")[-1].form()["to"] == "Bo"
    [listed] = list(api.inbox.sent(limit=None))
    assert (listed.fullname, listed.body, str(listed.dest)) == (sent.name, "Can we help here?", "Bo")
    assert reddit.unread() == []  # our own message is not in our inbox


@pytest.mark.parametrize(
    ("to", "subject", "text", "error"),
    [
        ("nobody_here", "hi", "hello", "USER_DOESNT_EXIST"),
        ("bo", "", "hello", "NO_SUBJECT"),
        ("bo", "x" * 101, "hello", "TOO_LONG"),
        ("bo", "hi", " ", "NO_TEXT"),
    ],
)
def test_compose_errors_are_reddit_api_errors(
    reddit: RedditEmulator, api: praw.Reddit, to: str, subject: str, text: str, error: str
) -> None:
    reddit.add_private_message("bo", "hello", "hi")
    with pytest.raises(RedditAPIException) as caught:
        api.redditor(to).message(subject=subject, message=text)
    assert caught.value.items[0].error_type == error
    assert reddit.sent_messages == []


def test_someone_who_restricts_messages_is_refused_until_they_write(
    reddit: RedditEmulator, api: praw.Reddit
) -> None:
    reddit.refuse_messages("cy")
    with pytest.raises(RedditAPIException) as caught:
        api.redditor("cy").message(subject="hi", message="hello")
    assert caught.value.items[0].error_type == "NOT_WHITELISTED_BY_USER_MESSAGE"

    reddit.add_private_message("cy", "question", "can you help?")
    api.redditor("cy").message(subject="hi", message="of course")
    assert [m.body for m in reddit.sent_messages] == ["of course"]


def test_messages_are_marked_read_like_comments(reddit: RedditEmulator, api: praw.Reddit) -> None:
    name = reddit.add_private_message("eve", "hello", "hi")
    [message] = list(api.inbox.unread(limit=None))
    api.inbox.mark_read([message])
    assert reddit.unread() == []
    assert [m.fullname for m in api.inbox.messages(limit=None)] == [name]
    assert next(iter(api.inbox.messages(limit=None))).new is False

"""Private conversations end to end: a DM routed to the private channel, "Reply privately" and the public
note, the person's answer by private message joining the same thread, and the digest that counts a
private case without quoting it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from demo.sandbox import CHANNEL, Sandbox
from tests.e2e.conftest import Clock, card_of, forwarded, latest_card

PRIVATE = "C_PRIVATE"


@pytest.fixture
def sandbox(redis_client: redis.Redis, clock: Clock) -> Iterator[Sandbox]:
    with Sandbox(redis_client, clock=clock, env={"PARLEY_PRIVATE_CHANNEL": PRIVATE}) as sb:
        sb.slack.add_channel(PRIVATE, "social-private")
        sb.x.access_level = "read-write-directmessages"  # the X app has the DM permission
        yield sb


def test_a_dm_goes_to_the_private_channel_marked_and_its_next_dm_joins_the_thread(sandbox: Sandbox) -> None:
    sandbox.x.add_direct_message("my parcel never came, order 1234", author_handle="ana")
    sandbox.poll()
    sandbox.drain()
    assert forwarded(sandbox) == []  # nothing in the public channel
    [parent] = sandbox.slack.messages(PRIVATE)
    assert "🔒" in parent.all_text() and "my parcel never came" not in parent.text  # the notification
    sandbox.slack.click(sandbox.app_url, latest_card(sandbox, parent, PRIVATE), "Approve", user="U_MARIA")
    sandbox.drain()

    sandbox.x.add_direct_message("thanks, and can I change the address?", author_handle="ana")
    sandbox.poll()
    sandbox.drain()
    assert len(sandbox.slack.messages(PRIVATE)) == 1
    assert "2 messages" in sandbox.slack.message(PRIVATE, parent.ts).all_text()
    sandbox.slack.click(sandbox.app_url, latest_card(sandbox, parent, PRIVATE), "Approve", user="U_MARIA")
    sandbox.drain()
    assert len(sandbox.x.sent_messages) == 2 and sandbox.x.posted == []


def test_reply_privately_then_a_public_note_then_their_dm_continues_the_thread(sandbox: Sandbox) -> None:
    mention = sandbox.x.add_mention("@parleybrand I cannot log in to my account", author_handle="bo")
    sandbox.poll()
    sandbox.drain()
    [parent] = forwarded(sandbox)
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "Reply privately", user="U_MARIA")
    sandbox.drain()

    [dm] = sandbox.x.sent_messages
    assert sandbox.x.posted == []  # the answer went privately
    assert any("Sent as a private message" in m.all_text() for m in sandbox.slack.thread(CHANNEL, parent.ts))
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "Add a public note", user="U_MARIA")
    sandbox.drain()
    note = latest_card(sandbox, parent, CHANNEL)
    assert "private message" in note.all_text()
    sandbox.slack.click(sandbox.app_url, note, "Approve", user="U_LUCA")
    sandbox.drain()
    [public] = sandbox.x.posted
    assert public.in_reply_to_tweet_id == mention and "private message" in public.text

    sandbox.x.add_direct_message("thanks, I changed the password. What now?", author_handle="bo")
    sandbox.poll()
    sandbox.drain()
    assert len(forwarded(sandbox)) == 1 and sandbox.slack.messages(PRIVATE) == []  # the same thread
    assert any("What now?" in m.all_text() for m in sandbox.slack.thread(CHANNEL, parent.ts))
    sandbox.slack.click(sandbox.app_url, latest_card(sandbox, parent, CHANNEL), "Approve", user="U_MARIA")
    sandbox.drain()
    assert (
        len(sandbox.x.sent_messages) == 2
        and sandbox.x.sent_messages[-1].conversation_id == dm.conversation_id
    )


def test_reddit_reply_privately_and_their_answer_joins_the_thread(sandbox: Sandbox) -> None:
    sandbox.poll("reddit")
    post = sandbox.reddit.add_submission("AskTech", "Login", author="op")
    sandbox.reddit.add_comment(
        "AskTech", "I cannot log in to my account", author="dee", parent=post, mention=True
    )
    sandbox.poll("reddit")
    sandbox.drain()
    [parent] = forwarded(sandbox)
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "Reply privately", user="U_MARIA")
    sandbox.drain()
    [sent] = sandbox.reddit.sent_messages
    assert sent.dest == "dee" and sandbox.reddit.replies == []

    sandbox.reddit.add_private_message(
        "dee", "re: " + sent.subject, "it works now, thanks!", reply_to=sent.name
    )
    sandbox.poll("reddit")
    sandbox.drain()
    assert len(forwarded(sandbox)) == 1
    assert any("it works now" in m.all_text() for m in sandbox.slack.thread(CHANNEL, parent.ts))


def test_the_digest_counts_a_private_case_without_quoting_it(sandbox: Sandbox) -> None:
    sandbox.x.add_direct_message("SECRET-DM my card number is 4111", author_handle="ana")
    sandbox.poll()
    sandbox.drain()
    before = {m.ts for m in sandbox.slack.messages(PRIVATE)}
    sandbox.slack.slash_command(sandbox.app_url, "digest")
    sandbox.drain()
    posted = [m for m in sandbox.slack.messages(PRIVATE) if m.ts not in before]
    assert posted, "the digest goes to the private channel too"
    assert all("SECRET-DM" not in m.all_text() and "SECRET-DM" not in m.text for m in posted)

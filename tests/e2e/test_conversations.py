"""Conversations end to end: a follow-up joins its case's Slack thread, the draft sees what was said
before, and the reply answers the newest message, in its place on the network.

Driven through the real app over HTTP, tweepy and praw against their emulators, and a real Redis.
"""

from __future__ import annotations

from bot.domain import State
from demo.sandbox import CHANNEL, Sandbox
from emulators.slack import Message
from tests.e2e.conftest import card_of, forwarded, latest_card, thread_texts


def _part(sb: Sandbox, parent: Message, part: str) -> Message:
    """The thread message Parley posted as `part` of the case (its message metadata says which)."""
    found = [
        m
        for m in sb.slack.thread(CHANNEL, parent.ts)
        if (m.metadata or {}).get("event_payload", {}).get("part") == part
    ]
    assert found, f"no {part} in the thread"
    return found[0]


def _answered_mention(
    sb: Sandbox, text: str = "@parleybrand my order never arrived, can you help?"
) -> tuple[str, Message]:
    """A mention by @ann, forwarded and answered; returns our reply's id and the case's parent."""
    sb.x.add_mention(text, author_handle="ann", author_name="Ann Lee")
    sb.poll()
    sb.drain()
    [parent] = forwarded(sb)
    sb.slack.click(sb.app_url, card_of(sb, parent), "Approve", user="U_MARIA")
    sb.drain()
    [reply] = sb.x.posted
    return reply.id, parent


def test_an_answer_to_our_reply_joins_the_thread_and_is_answered_in_place(sandbox: Sandbox) -> None:
    our_reply, parent = _answered_mention(sandbox)
    follow_up = sandbox.x.add_mention(
        "@parleybrand still nothing, order 1234", author_handle="ann", in_reply_to=our_reply
    )
    assert sandbox.poll().new == 1
    sandbox.drain()

    assert len(forwarded(sandbox)) == 1  # no new parent message
    texts = thread_texts(sandbox, parent)
    assert any("Message 2" in t and "still nothing, order 1234" in t and "<@U_MARIA>" in t for t in texts)
    head = sandbox.slack.message(CHANNEL, parent.ts).all_text()
    assert "2 messages" in head and "Waiting for approval" in head  # the posted case reopened
    first_card = _part(sandbox, parent, "card")
    assert "Posted by" in first_card.all_text() and not first_card.buttons()

    sandbox.slack.click(sandbox.app_url, latest_card(sandbox, parent), "Approve", user="U_LUCA")
    sandbox.drain()
    first, second = sandbox.x.posted
    assert second.in_reply_to_tweet_id == follow_up  # the newest message, in its place
    case = sandbox.parley.store.require(f"x-{first.in_reply_to_tweet_id}")
    assert case.state is State.POSTED and case.turn == 1 and case.earlier[0].reply is not None


def test_two_follow_ups_together_make_one_thread_and_the_newest_is_answered(sandbox: Sandbox) -> None:
    our_reply, parent = _answered_mention(sandbox)
    sandbox.x.add_mention("@parleybrand hello?", author_handle="ann", in_reply_to=our_reply)
    newest = sandbox.x.add_mention("@parleybrand anyone there?", author_handle="ann", in_reply_to=our_reply)
    sandbox.poll()
    sandbox.drain()

    assert len(forwarded(sandbox)) == 1
    assert "3 messages" in sandbox.slack.message(CHANNEL, parent.ts).all_text()
    sandbox.slack.click(sandbox.app_url, latest_card(sandbox, parent), "Approve", user="U_LUCA")
    sandbox.drain()
    assert sandbox.x.posted[-1].in_reply_to_tweet_id == newest
    assert len(sandbox.x.posted) == 2  # one answer to the first message, one to the newest


def test_a_follow_up_after_a_restart_still_joins_its_thread(sandbox: Sandbox) -> None:
    our_reply, parent = _answered_mention(sandbox)
    sandbox.restart()
    sandbox.x.add_mention("@parleybrand thanks, it arrived!", author_handle="ann", in_reply_to=our_reply)
    sandbox.poll()
    sandbox.drain()

    assert len(forwarded(sandbox)) == 1
    card = latest_card(sandbox, parent).all_text()
    # A thank-you after our answer gets a short closing reply, and the card says it may stay unanswered.
    assert "welcome" in card.lower() or "happy to help" in card.lower()
    assert "close the case without replying" in card


def test_someone_else_in_the_conversation_opens_a_case_of_their_own(sandbox: Sandbox) -> None:
    sandbox.x.add_mention("@parleybrand my order never arrived", author_handle="ann")
    sandbox.poll()
    sandbox.drain()
    [first] = sandbox.parley.store.open_cases()
    sandbox.x.add_mention(
        "@parleybrand same here!", author_handle="bob", in_reply_to=first.post.id.removeprefix("x-")
    )
    sandbox.poll()
    sandbox.drain()
    assert len(forwarded(sandbox)) == 2


def test_a_reddit_reply_to_our_comment_joins_the_thread(sandbox: Sandbox) -> None:
    sandbox.poll("reddit")
    post = sandbox.reddit.add_submission("AskTech", "Export?", author="op")
    sandbox.reddit.add_comment(
        "AskTech", "how do I export my data?", author="carla", parent=post, mention=True
    )
    sandbox.poll("reddit")
    sandbox.drain()
    [parent] = forwarded(sandbox)
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "Approve", user="U_MARIA")
    sandbox.drain()
    [ours] = sandbox.reddit.replies
    answer = sandbox.reddit.add_comment(
        "AskTech", "ok, and can I export only last year?", author="carla", parent=ours.name
    )
    sandbox.poll("reddit")
    sandbox.drain()

    assert len(forwarded(sandbox)) == 1
    assert any("only last year" in t for t in thread_texts(sandbox, parent))
    sandbox.slack.click(sandbox.app_url, latest_card(sandbox, parent), "Approve", user="U_MARIA")
    sandbox.drain()
    assert [c.parent_id for c in sandbox.reddit.replies][-1] == answer


def test_the_llm_drafter_is_given_the_conversation_so_far(openai_sandbox: Sandbox) -> None:
    sb = openai_sandbox
    assert sb.openai is not None
    our_reply, _parent = _answered_mention(sb)
    sb.x.add_mention("@parleybrand still nothing, order 1234", author_handle="ann", in_reply_to=our_reply)
    sb.poll()
    sb.drain()

    first, second = sb.openai.requests_to(r"/v1/responses$")
    assert "conversation_so_far" not in str(first.json()["input"])
    given = str(second.json()["input"])
    said = [sb.x.posted[0].text.replace('"', '\\"')[:40], "my order never arrived"]
    assert "conversation_so_far" in given and all(s in given for s in said)
    assert "still nothing, order 1234" not in second.json()["instructions"]  # data, never instructions


def test_delivering_a_shown_follow_up_again_touches_nothing_in_slack(sandbox: Sandbox) -> None:
    our_reply, _parent = _answered_mention(sandbox)
    sandbox.x.add_mention("@parleybrand still nothing", author_handle="ann", in_reply_to=our_reply)
    sandbox.poll()
    sandbox.drain()
    [case] = sandbox.parley.store.open_cases()
    before = len(sandbox.slack.calls("chat.update")) + len(sandbox.slack.calls("chat.postMessage"))
    sandbox.parley.delivery.deliver(case.id)  # a retried job, or the sweeper's
    assert len(sandbox.slack.calls("chat.update")) + len(sandbox.slack.calls("chat.postMessage")) == before

"""Reddit through the whole loop: inbox mentions and watched subreddits, replies posted exactly once."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import redis

from bot.domain import State
from demo.sandbox import CHANNEL, SUBREDDIT, Sandbox
from emulators.slack import Message
from tests.e2e.conftest import Clock, card_of, forwarded, thread_texts


def reddit_mention(sb: Sandbox, body: str = "u/parleybrand how do I export my data?") -> tuple[str, Message]:
    """A username mention in a subreddit Parley does not watch: it arrives through the inbox alone."""
    post = sb.reddit.add_submission("AskTech", "Export question", author="op")
    comment = sb.reddit.add_comment("AskTech", body, author="redditor", parent=post, mention=True)
    sb.poll("reddit")
    sb.drain()
    return comment, forwarded(sb)[-1]


def test_an_inbox_mention_is_forwarded_once_and_marked_read_only_once_stored(sandbox: Sandbox) -> None:
    sandbox.poll("reddit")  # the first poll learns where the subreddit is
    _, parent = reddit_mention(sandbox)
    assert sandbox.reddit.unread() == []
    text = parent.all_text()
    assert "u/redditor" in text and "r/AskTech" in text and "Export question" in text
    assert "how do I export my data?" in text
    assert "/10,000" in card_of(sandbox, parent).all_text()
    assert sandbox.poll("reddit").new == 0
    sandbox.drain()
    assert len(forwarded(sandbox)) == 1


def test_a_new_subreddit_comment_is_forwarded(sandbox: Sandbox) -> None:
    sandbox.poll("reddit")
    post = sandbox.reddit.add_submission(SUBREDDIT, "Anyone else?", author="op")
    sandbox.reddit.add_comment(
        SUBREDDIT, "the parleybrand app logs me out every hour", author="zed", parent=post
    )
    assert sandbox.poll("reddit").new == 2  # the submission and the comment
    sandbox.drain()
    assert len(forwarded(sandbox)) == 2


def test_concurrent_approvals_reply_on_reddit_exactly_once(sandbox: Sandbox) -> None:
    sandbox.poll("reddit")
    comment, parent = reddit_mention(sandbox)
    clicks = [
        sandbox.slack.click_request(card_of(sandbox, parent), "Approve", user=u)
        for u in ("U_MARIA", "U_LUCA", "U_ANNA")
    ]
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda r: r.send(sandbox.app_url), clicks))
    sandbox.drain()
    [reply] = sandbox.reddit.replies
    assert reply.parent_id == comment
    assert "Posted by" in sandbox.slack.message(CHANNEL, parent.ts).all_text()
    assert "reddit.com" in sandbox.slack.message(CHANNEL, parent.ts).all_text()


def test_reddit_ratelimit_requeues_the_reply_and_says_so(sandbox: Sandbox, clock: Clock) -> None:
    sandbox.poll("reddit")
    _, parent = reddit_mention(sandbox)
    sandbox.reddit.ratelimit_next(minutes=9)
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "Approve", user="U_MARIA")
    sandbox.drain()

    [case] = sandbox.parley.store.open_cases()
    assert case.state is State.APPROVED and case.failure is not None and case.failure.retry_at is not None
    wait = case.failure.retry_at - case.history[-1].at
    assert timedelta(minutes=8) < wait <= timedelta(minutes=10)
    assert any("9 minutes" in t for t in thread_texts(sandbox, parent))
    assert sandbox.reddit.replies == []

    clock.advance(minutes=10)
    sandbox.parley.publisher.publish(case.id)  # what the scheduled job does at retry_at
    sandbox.drain()
    assert len(sandbox.reddit.replies) == 1


def test_a_locked_thread_closes_the_attempt_with_an_explanation(sandbox: Sandbox) -> None:
    sandbox.poll("reddit")
    comment, parent = reddit_mention(sandbox)
    sandbox.reddit.lock(comment)
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "Approve", user="U_MARIA")
    sandbox.drain()
    [case] = sandbox.parley.store.open_cases()
    assert case.state is State.FAILED and sandbox.reddit.replies == []
    assert any("locked" in t.lower() for t in thread_texts(sandbox, parent))


@pytest.fixture
def two_channels(redis_client: redis.Redis, clock: Clock) -> Iterator[Sandbox]:
    def config(sb: Sandbox) -> str:
        return f"""
[[accounts]]
name = "brand-x"
network = "x"
bearer_token = "env:X_BEARER_TOKEN"
api_key = "env:X_API_KEY"
api_secret = "env:X_API_SECRET"
access_token = "env:X_ACCESS_TOKEN"
access_token_secret = "env:X_ACCESS_TOKEN_SECRET"
api_url = "{sb.x.url}"

[[accounts]]
name = "brand-reddit"
network = "reddit"
client_id = "env:REDDIT_CLIENT_ID"
client_secret = "env:REDDIT_CLIENT_SECRET"
username = "{sb.reddit.username}"
password = "env:REDDIT_PASSWORD"
subreddits = ["{SUBREDDIT}"]
url = "{sb.reddit.url}"
oauth_url = "{sb.reddit.url}"

[[routes]]
channel = "C_REDDIT"
accounts = ["brand-reddit"]
"""

    with Sandbox(redis_client, clock=clock, config=config) as sb:
        yield sb


def test_two_accounts_are_routed_to_two_channels(two_channels: Sandbox) -> None:
    sb = two_channels
    sb.poll("brand-reddit")
    sb.x.add_mention("@parleybrand hello from X", author_handle="ann")
    post = sb.reddit.add_submission(SUBREDDIT, "Hi", author="op")
    sb.reddit.add_comment(
        SUBREDDIT, "u/parleybrand hello from Reddit", author="bob", parent=post, mention=True
    )
    sb.poll("brand-x")
    sb.poll("brand-reddit")
    sb.drain()
    assert [m.all_text().count("hello from X") for m in sb.slack.messages(CHANNEL)] == [1]
    reddit_parents = sb.slack.messages("C_REDDIT")
    assert any("hello from Reddit" in m.all_text() for m in reddit_parents)
    card = next(m for m in sb.slack.thread("C_REDDIT", reddit_parents[-1].ts) if m.buttons())
    assert "Answering as u/parleybrand" in card.all_text()


@pytest.mark.parametrize("inbox_first", [True, False], ids=["inbox-first", "subreddit-first"])
def test_a_mention_in_a_watched_subreddit_is_one_case(sandbox: Sandbox, inbox_first: bool) -> None:
    """Seen by two sources (the inbox and the watched subreddit), in one poll or in two: one case,
    one parent, one card (issue 11, #2)."""
    sandbox.poll("reddit")
    post = sandbox.reddit.add_submission(SUBREDDIT, "Logged out again", author="op")
    comment = sandbox.reddit.add_comment(
        SUBREDDIT, "u/parleybrand the app logs me out", author="zed", parent=post, mention=inbox_first
    )
    sandbox.poll("reddit")
    if not inbox_first:
        sandbox.reddit.add_inbox_item(comment)  # the mention notification arrives after the comment was read
        sandbox.poll("reddit")
    sandbox.drain()

    texts = [m.text for m in forwarded(sandbox)]
    assert sum("logs me out" in t for t in texts) == 1
    assert len(sandbox.parley.store.open_cases()) == 2  # the submission and the comment
    assert sandbox.reddit.unread() == []

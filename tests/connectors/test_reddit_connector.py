"""RedditConnector through real praw against RedditEmulator: mapping, cursor, inbox, replies, error translation."""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain import Author, Network, Post
from connectors.base import Batch, Forbidden, Gone, RateLimited, Refused, Unauthorized, Unavailable
from connectors.reddit import RedditBatch, RedditConnector
from emulators.reddit import RedditEmulator

SUBREDDITS = ("brandfans", "r/support")


@pytest.fixture
def reddit() -> Iterator[RedditEmulator]:
    with RedditEmulator() as emulator:
        yield emulator


def _connector(emulator: RedditEmulator, **overrides: object) -> RedditConnector:
    options: dict[str, object] = {
        "client_id": emulator.client_id,
        "client_secret": emulator.client_secret,
        "username": emulator.username,
        "password": emulator.password,
        "user_agent": "parley-tests/0.1 (by u/parleybrand)",
        "subreddits": SUBREDDITS,
        "reddit_url": emulator.url,
        "oauth_url": emulator.url,
        "timeout": 2.0,
        **overrides,
    }
    return RedditConnector(**options)  # type: ignore[arg-type]


@pytest.fixture
def connector(reddit: RedditEmulator) -> Iterator[RedditConnector]:
    with _connector(reddit) as conn:
        yield conn


def _thread(reddit: RedditEmulator, subreddit: str = "brandfans") -> str:
    return reddit.add_submission(subreddit, "Anyone tried Parley?", "Looking for opinions.", "op_user")


def _mention(reddit: RedditEmulator, connector: RedditConnector, body: str = "what do you think?") -> Post:
    fullname = reddit.add_comment("brandfans", body, "ana", parent=_thread(reddit), mention=True)
    return next(p for p in connector.fetch(None).posts if p.id == fullname)


def _comments_requests(reddit: RedditEmulator) -> int:
    return len(reddit.requests_to(r"^/r/[^/]+/comments/?$"))


def test_is_a_reddit_connector_answering_as_its_username(
    reddit: RedditEmulator, connector: RedditConnector
) -> None:
    assert connector.network is Network.REDDIT
    assert connector.account == "parleybrand"
    assert reddit.requests == []  # nothing is requested before the first call


def test_refresh_token_login_looks_the_account_up_once(reddit: RedditEmulator) -> None:
    with _connector(reddit, username="", password="", refresh_token=reddit.refresh_token) as conn:
        assert conn.account == "parleybrand"
        assert conn.account == "parleybrand"
    [token] = reddit.requests_to(r"^/api/v1/access_token$")
    assert token.form()["grant_type"] == "refresh_token"
    assert len(reddit.requests_to(r"^/api/v1/me$")) == 1


def test_first_fetch_delivers_the_unread_inbox_but_no_subreddit_history(
    reddit: RedditEmulator, connector: RedditConnector
) -> None:
    thread = _thread(reddit)
    reddit.add_comment("brandfans", "old chatter about parley", "bo", parent=thread)
    when = datetime(2026, 3, 2, 9, 15, 0, tzinfo=UTC)
    mention = reddit.add_comment(
        "brandfans", "u/parleybrand is it *good*?", "ana", parent=thread, created_utc=when.timestamp()
    )

    batch = connector.fetch(None)

    assert isinstance(batch, RedditBatch)
    comment = reddit.comment(mention)
    assert list(batch.posts) == [
        Post(
            network=Network.REDDIT,
            id=mention,
            account="parleybrand",
            author=Author(id=batch.posts[0].author.id, handle="ana", name="ana"),
            text="u/parleybrand is it *good*?",  # raw Markdown
            url=f"https://www.reddit.com{comment.permalink}",
            created_at=when,
            conversation_id=thread,
            title="Anyone tried Parley?",
            place="brandfans",
            in_reply_to=thread,
        )
    ]
    assert batch.posts[0].author.id.startswith("t2_")
    assert batch.unread == (mention,)
    newest_comment = reddit.comment(mention).name
    assert json.loads(batch.cursor or "") == {"v": 1, "t1": newest_comment, "t3": thread}
    [comments] = reddit.requests_to(r"^/r/brandfans\+support/comments/$")
    assert comments.query["limit"] == "1"  # only to learn where we are


def test_inbox_items_are_marked_read_only_after_acknowledge(
    reddit: RedditEmulator, connector: RedditConnector
) -> None:
    mention = reddit.add_comment("brandfans", "hi", "ana", parent=_thread(reddit), mention=True)

    first = connector.fetch(None)
    assert [p.id for p in first.posts] == [mention]
    assert reddit.unread() == [mention]  # fetching alone marks nothing read

    again = connector.fetch(first.cursor)  # e.g. the batch was not stored: it comes back
    assert [p.id for p in again.posts] == [mention]
    assert reddit.requests_to(r"^/api/read_message/$") == []

    connector.acknowledge(again)

    assert reddit.unread() == []
    assert reddit.requests_to(r"^/api/read_message/$")[-1].form()["id"] == mention
    assert list(connector.fetch(again.cursor).posts) == []


def test_acknowledge_without_inbox_items_makes_no_request(
    reddit: RedditEmulator, connector: RedditConnector
) -> None:
    connector.acknowledge(connector.fetch(None))
    connector.acknowledge(Batch(posts=[], cursor=None))
    assert reddit.requests_to(r"^/api/read_message/$") == []


def test_replies_to_the_brand_are_delivered_and_private_messages_left_alone_when_turned_off(
    reddit: RedditEmulator,
) -> None:
    connector = _connector(reddit, private_messages=False)
    own_post = reddit.add_submission("support", "Parley 2.0 is out", "Ask us anything.", "parleybrand")
    post_reply = reddit.add_comment("support", "Does it do Mastodon?", "bo", parent=own_post)
    ours = reddit.add_comment("support", "Not yet!", "parleybrand", parent=post_reply)
    comment_reply = reddit.add_comment("support", "When then?", "bo", parent=ours)
    message = reddit.add_private_message("cy", "hello", "a private question")

    batch = connector.fetch(None)

    assert [p.id for p in batch.posts] == [post_reply, comment_reply]
    assert [p.title for p in batch.posts] == ["Parley 2.0 is out"] * 2
    assert set(reddit.unread()) == {post_reply, comment_reply, message}
    connector.acknowledge(batch)
    assert reddit.unread() == [message]


def test_second_fetch_returns_only_newer_subreddit_items_oldest_first(
    reddit: RedditEmulator, connector: RedditConnector
) -> None:
    thread = _thread(reddit)
    reddit.add_comment("brandfans", "before we started", "bo", parent=thread)
    cursor = connector.fetch(None).cursor

    new_thread = reddit.add_submission("support", "Parley keeps logging me out", "Help?", "cy")
    first = reddit.add_comment("brandfans", "Parley is neat", "dee", parent=thread)
    second = reddit.add_comment("support", "same here", "eve", parent=new_thread)
    reddit.add_submission("elsewhere", "Not watched", "parley parley", "fox")

    batch = connector.fetch(cursor)

    assert [p.id for p in batch.posts] == [new_thread, first, second]
    submission = batch.posts[0]
    assert (submission.title, submission.text, submission.place) == (
        "Parley keeps logging me out",
        "Help?",
        "support",
    )
    assert submission.url == f"https://www.reddit.com{reddit.submission(new_thread).permalink}"
    assert json.loads(batch.cursor or "") == {"v": 1, "t1": second, "t3": new_thread}
    assert batch.unread == ()

    later = connector.fetch(batch.cursor)
    assert list(later.posts) == []
    assert later.cursor == batch.cursor


def test_a_subreddit_empty_on_the_first_run_delivers_everything_after(
    reddit: RedditEmulator, connector: RedditConnector
) -> None:
    cursor = connector.fetch(None).cursor
    assert json.loads(cursor or "") == {"v": 1, "t1": "", "t3": ""}
    thread = _thread(reddit)
    comment = reddit.add_comment("brandfans", "first!", "bo", parent=thread)
    assert [p.id for p in connector.fetch(cursor).posts] == [thread, comment]


def test_keywords_filter_subreddit_items_but_not_the_inbox(reddit: RedditEmulator) -> None:
    with _connector(reddit, keywords=("Parley", "social inbox")) as conn:
        cursor = conn.fetch(None).cursor
        thread = reddit.add_submission("brandfans", "Best SOCIAL INBOX tools?", "", "op_user")
        other = reddit.add_submission("brandfans", "Weekly thread", "anything goes", "op_user")
        hit = reddit.add_comment("brandfans", "I use PARLEY daily", "ana", parent=other)
        reddit.add_comment("brandfans", "I use something else", "bo", parent=other)
        mention = reddit.add_comment("brandfans", "u/parleybrand hi", "cy", parent=other)

        batch = conn.fetch(cursor)

    assert [p.id for p in batch.posts] == [thread, hit, mention]
    assert batch.posts[0].text == "Best SOCIAL INBOX tools?"  # no body: the title is the text


def test_our_own_comments_never_come_back(reddit: RedditEmulator, connector: RedditConnector) -> None:
    post = _mention(reddit, connector)
    cursor = connector.fetch(None).cursor
    connector.acknowledge(connector.fetch(cursor))
    reply = connector.reply(post, "Thanks for asking!")

    batch = connector.fetch(cursor)
    assert reply.id not in [p.id for p in batch.posts]
    assert list(batch.posts) == []

    answer = reddit.add_comment("brandfans", "you're welcome", "ana", parent=reply.id)
    assert [p.id for p in connector.fetch(batch.cursor).posts] == [answer]  # a comment reply, via the inbox


def test_a_busy_subreddit_is_read_back_to_the_cursor_in_bounded_pages(
    reddit: RedditEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    thread = _thread(reddit)
    with _connector(reddit, listing_limit=300) as conn:
        cursor = conn.fetch(None).cursor
        ids = [reddit.add_comment("brandfans", f"comment {i}", "bo", parent=thread) for i in range(150)]
        before = _comments_requests(reddit)
        batch = conn.fetch(cursor)
    assert [p.id for p in batch.posts] == ids
    assert _comments_requests(reddit) - before == 2  # 100 + 50

    with _connector(reddit, listing_limit=100) as conn, caplog.at_level(logging.WARNING):
        before = _comments_requests(reddit)
        batch = conn.fetch(cursor)
    assert [p.id for p in batch.posts] == ids[50:]
    assert _comments_requests(reddit) - before == 1
    assert "older ones were skipped" in caplog.text


def test_reply_to_a_comment(reddit: RedditEmulator, connector: RedditConnector) -> None:
    post = _mention(reddit, connector)

    reply = connector.reply(post, "We'd love to help: **DM us**.")

    [comment] = reddit.replies
    assert comment.parent_id == post.id
    assert comment.body == "We'd love to help: **DM us**."
    assert reply.id == comment.name
    assert reply.url == f"https://www.reddit.com{comment.permalink}"
    assert abs((reply.posted_at - datetime.now(UTC)).total_seconds()) < 5
    form = reddit.requests_to(r"^/api/comment/$")[-1].form()
    assert (form["thing_id"], form["api_type"]) == (post.id, "json")


def test_reply_to_a_submission(reddit: RedditEmulator, connector: RedditConnector) -> None:
    cursor = connector.fetch(None).cursor
    thread = reddit.add_submission("support", "Parley question", "How do I export?", "ana")
    [post] = connector.fetch(cursor).posts

    reply = connector.reply(post, "Settings → Export.")

    [comment] = reddit.replies
    assert (comment.parent_id, comment.link_id) == (thread, thread)
    assert reply.id == comment.name


def test_reply_to_an_unknown_kind_is_refused(reddit: RedditEmulator, connector: RedditConnector) -> None:
    post = _mention(reddit, connector)
    with pytest.raises(Refused):
        connector.reply(Post(**{**post.__dict__, "id": "t5_abc"}), "hi")
    assert reddit.replies == []


def test_ratelimit_is_rate_limited_until_reddit_says(
    reddit: RedditEmulator, connector: RedditConnector
) -> None:
    post = _mention(reddit, connector)
    reddit.ratelimit_next(minutes=9)

    with pytest.raises(RateLimited) as caught:
        connector.reply(post, "Hello")

    assert caught.value.message == "Reddit asks this account to wait 9 minutes before commenting again."
    assert caught.value.retryable
    assert caught.value.retry_at is not None
    expected = datetime.now(UTC) + timedelta(minutes=9)
    assert abs((caught.value.retry_at - expected).total_seconds()) < 5
    assert reddit.replies == []
    assert len(reddit.requests_to(r"^/api/comment/$")) == 1  # praw did not wait and retry


def test_ratelimit_in_seconds(reddit: RedditEmulator, connector: RedditConnector) -> None:
    post = _mention(reddit, connector)
    reddit.ratelimit_next(seconds=30)
    with pytest.raises(RateLimited) as caught:
        connector.reply(post, "Hello")
    assert "30 seconds" in caught.value.message
    assert caught.value.retry_at is not None
    assert 25 < (caught.value.retry_at - datetime.now(UTC)).total_seconds() <= 31
    connector.reply(post, "Hello")  # the next attempt goes through
    assert len(reddit.replies) == 1


@pytest.mark.parametrize(
    ("control", "error", "words"),
    [("lock", Forbidden, "locked"), ("archive", Forbidden, "archived"), ("delete", Gone, "deleted")],
)
def test_refused_replies(
    reddit: RedditEmulator, connector: RedditConnector, control: str, error: type[Exception], words: str
) -> None:
    post = _mention(reddit, connector)
    getattr(reddit, control)(post.id)

    with pytest.raises(Refused) as caught:
        connector.reply(post, "Hello")

    assert type(caught.value) is error
    assert words in caught.value.message
    assert not caught.value.retryable
    assert reddit.replies == []


def test_a_locked_thread_refuses_replies_to_its_comments(
    reddit: RedditEmulator, connector: RedditConnector
) -> None:
    post = _mention(reddit, connector)
    reddit.lock(post.conversation_id or "")
    with pytest.raises(Forbidden):
        connector.reply(post, "Hello")


def test_too_long_is_refused(reddit: RedditEmulator, connector: RedditConnector) -> None:
    post = _mention(reddit, connector)
    with pytest.raises(Refused) as caught:
        connector.reply(post, "x" * 10_001)
    assert type(caught.value) is Refused
    assert "10,000" in caught.value.message


def test_429_is_rate_limited_until_the_window_resets(
    reddit: RedditEmulator, connector: RedditConnector
) -> None:
    post = _mention(reddit, connector)
    reddit.fail_next(r"^/api/comment/$", status=429, headers={"x-ratelimit-reset": "42"})

    with pytest.raises(RateLimited) as caught:
        connector.reply(post, "Hello")

    assert caught.value.retry_at is not None
    assert 40 <= (caught.value.retry_at - datetime.now(UTC)).total_seconds() <= 43
    assert "rate limit" in caught.value.message
    requests_so_far = len(reddit.requests)
    started = time.monotonic()
    with pytest.raises(RateLimited):  # while the window is spent, Reddit is not called (prawcore would sleep)
        connector.reply(post, "Hello")
    assert time.monotonic() - started < 0.5
    assert len(reddit.requests) == requests_so_far
    assert reddit.replies == []


def test_a_spent_window_stops_calls_instead_of_sleeping(reddit: RedditEmulator) -> None:
    reddit.rate_limit = (3, 60)
    with _connector(reddit) as conn:
        batch = conn.fetch(None)  # inbox, comments, submissions: the window's last request
        assert reddit.requests[-1].response is not None
        assert reddit.requests[-1].response.headers["x-ratelimit-remaining"] == "0.0"
        counted = len(reddit.requests)
        started = time.monotonic()
        with pytest.raises(RateLimited) as caught:
            conn.fetch(batch.cursor)
    assert time.monotonic() - started < 0.5
    assert len(reddit.requests) == counted
    assert caught.value.retry_at is not None
    assert 0 < (caught.value.retry_at - datetime.now(UTC)).total_seconds() <= 61


def test_an_exhausted_window_answers_429(reddit: RedditEmulator, connector: RedditConnector) -> None:
    post = _mention(reddit, connector)
    reddit.exhaust()
    with pytest.raises(RateLimited) as caught:
        connector.reply(post, "Hello")
    assert caught.value.retry_at is not None
    assert reddit.replies == []


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_unavailable_without_retrying(
    reddit: RedditEmulator, connector: RedditConnector, status: int
) -> None:
    post = _mention(reddit, connector)
    reddit.fail_next(r"^/api/comment/$", status=status)

    with pytest.raises(Unavailable) as caught:
        connector.reply(post, "Hello")

    assert caught.value.retryable
    assert str(status) in caught.value.message
    assert len(reddit.requests_to(r"^/api/comment/$")) == 1  # prawcore would have re-sent the comment
    assert reddit.replies == []


def test_connection_refused_and_timeouts_are_unavailable(reddit: RedditEmulator) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    closed = f"http://127.0.0.1:{port}"
    with (
        _connector(reddit, reddit_url=closed, oauth_url=closed) as conn,
        pytest.raises(Unavailable) as caught,
    ):
        conn.fetch(None)
    assert "Could not reach Reddit" in caught.value.message

    reddit.delay(r"^/message/unread/$", 0.5)
    with _connector(reddit, timeout=0.1) as conn, pytest.raises(Unavailable) as caught:
        conn.fetch(None)
    assert "did not answer in time" in caught.value.message
    assert len(reddit.requests_to(r"^/message/unread/$")) == 1


@pytest.mark.parametrize(
    "credentials",
    [
        {"client_secret": "wrong"},
        {"password": "wrong"},
        {"username": "", "password": "", "refresh_token": "wrong"},
    ],
)
def test_bad_credentials_are_unauthorized(reddit: RedditEmulator, credentials: dict[str, str]) -> None:
    with _connector(reddit, **credentials) as conn, pytest.raises(Unauthorized) as caught:
        conn.fetch(None)
    assert "An admin needs to check the Reddit settings" in caught.value.message
    assert not caught.value.retryable


@pytest.mark.parametrize(("status", "error"), [(403, Forbidden), (404, Gone)])
def test_http_refusals(
    reddit: RedditEmulator, connector: RedditConnector, status: int, error: type[Exception]
) -> None:
    post = _mention(reddit, connector)
    reddit.fail_next(r"^/api/comment/$", status=status)
    with pytest.raises(error):
        connector.reply(post, "Hello")


def test_find_reply_finds_our_reply_and_only_it(reddit: RedditEmulator, connector: RedditConnector) -> None:
    post = _mention(reddit, connector, "is it open?")
    other = _mention(reddit, connector, "and tomorrow?")
    assert connector.find_reply(post, "Yes, until 6pm & later!") is None

    posted = connector.reply(post, "Yes, until 6pm & later!")
    connector.reply(other, "Tomorrow too.")

    found = connector.find_reply(post, "  Yes, until 6pm\n& later! ")
    assert found is not None
    assert (found.id, found.url) == (posted.id, posted.url)
    assert abs((found.posted_at - posted.posted_at).total_seconds()) < 5
    assert connector.find_reply(post, "A different text") is None
    assert connector.find_reply(other, "Yes, until 6pm & later!") is None
    request = reddit.requests_to(r"^/user/parleybrand/comments$")[-1]
    assert (request.query["sort"], request.query["limit"]) == ("new", "100")


def test_find_reply_stops_at_comments_older_than_the_post(
    reddit: RedditEmulator, connector: RedditConnector
) -> None:
    post = _mention(reddit, connector)
    connector.reply(post, "Hello")
    later = Post(**{**post.__dict__, "created_at": datetime.now(UTC) + timedelta(hours=1)})
    assert connector.find_reply(later, "Hello") is None


def test_rate_limit_headers_are_present_and_praw_never_sleeps(
    reddit: RedditEmulator, connector: RedditConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeps: list[float] = []
    monkeypatch.setattr(time, "sleep", sleeps.append)
    started = time.monotonic()

    post = _mention(reddit, connector)
    reddit.ratelimit_next(minutes=1)
    with pytest.raises(RateLimited):
        connector.reply(post, "Hello")
    reddit.fail_next(r"^/api/comment/$", status=503)
    with pytest.raises(Unavailable):
        connector.reply(post, "Hello")
    connector.reply(post, "Hello")
    assert connector.find_reply(post, "Hello") is not None
    connector.acknowledge(connector.fetch(None))

    assert sleeps == []
    assert time.monotonic() - started < 2
    for request in reddit.requests:
        assert request.response is not None
        headers = request.response.headers
        assert int(headers["x-ratelimit-used"]) >= 0
        assert float(headers["x-ratelimit-remaining"]) >= 0
        assert 0 <= int(headers["x-ratelimit-reset"]) <= 60

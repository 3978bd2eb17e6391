"""XConnector through real tweepy against XEmulator: mapping, pagination, replies, error translation."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.domain import Author, Network, Post
from connectors.base import (
    Duplicate,
    Forbidden,
    Gone,
    RateLimited,
    Refused,
    Unauthorized,
    Unavailable,
)
from connectors.x import XConnector
from emulators.x import XEmulator

BRAND_ID = "1500000000000000001"


@pytest.fixture
def x() -> Iterator[XEmulator]:
    with XEmulator() as emulator:
        yield emulator


def _connector(base_url: str, **overrides: object) -> XConnector:
    options: dict[str, object] = {
        "bearer_token": "app-token",
        "consumer_key": "ck",
        "consumer_secret": "cs",
        "access_token": f"{BRAND_ID}-at",
        "access_token_secret": "ats",
        "base_url": base_url,
        "timeout": 2.0,
        **overrides,
    }
    return XConnector(**options)  # type: ignore[arg-type]


@pytest.fixture
def connector(x: XEmulator) -> Iterator[XConnector]:
    with _connector(x.url, page_size=5) as conn:
        yield conn


def _post(x: XEmulator, connector: XConnector, text: str, **kwargs: object) -> Post:
    tweet_id = x.add_mention(text, **kwargs)  # type: ignore[arg-type]
    return next(p for p in connector.fetch(None).posts if p.id == tweet_id)


def test_is_an_x_connector_that_looks_up_its_account_once(x: XEmulator, connector: XConnector) -> None:
    assert connector.network is Network.X
    assert connector.user_id == BRAND_ID
    assert connector.account == connector.username == "parleybrand"
    assert len(x.requests_to(r"^/2/users/me$")) == 1


def test_configured_account_needs_no_lookup(x: XEmulator) -> None:
    with _connector(x.url, user_id=BRAND_ID, username="parleybrand") as conn:
        conn.fetch(None)
    assert x.requests_to(r"^/2/users/me$") == []


def test_first_fetch_maps_the_newest_page_oldest_first(x: XEmulator, connector: XConnector) -> None:
    when = datetime(2026, 3, 2, 9, 15, 0, 123000, tzinfo=UTC)
    ids = [
        x.add_mention(f"question {i}", author_handle="ana", author_name="Ana B", created_at=when)
        for i in range(7)
    ]
    x.add_tweet("a post that does not mention the brand", author_handle="bo")

    batch = connector.fetch(None)

    assert [p.id for p in batch.posts] == ids[2:]  # one page of 5, no backfill
    assert batch.cursor == ids[-1]
    post = batch.posts[-1]
    assert post == Post(
        network=Network.X,
        id=ids[-1],
        account="parleybrand",
        author=Author(id=post.author.id, handle="ana", name="Ana B", followers=100),
        text="@parleybrand question 6",
        url=f"https://x.com/ana/status/{ids[-1]}",
        created_at=when,
        lang="en",
        conversation_id=ids[-1],
    )
    assert post.author.id.isdigit()
    request = x.requests_to(r"/mentions$")[-1]
    assert request.query["expansions"] == "author_id"
    assert request.query["max_results"] == "5"
    assert "since_id" not in request.query


def test_fetch_with_cursor_follows_pages_since_the_cursor(x: XEmulator, connector: XConnector) -> None:
    cursor = connector.fetch(None).cursor
    assert cursor is None
    old = x.add_mention("old")
    cursor = connector.fetch(None).cursor
    assert cursor == old

    new = [x.add_mention(f"new {i}", author_handle=f"user{i}") for i in range(12)]
    batch = connector.fetch(cursor)

    assert [p.id for p in batch.posts] == new
    assert [p.author.handle for p in batch.posts] == [f"user{i}" for i in range(12)]
    assert batch.cursor == new[-1]
    pages = x.requests_to(r"/mentions$")[-3:]
    assert [r.query.get("since_id") for r in pages] == [old] * 3
    assert "pagination_token" not in pages[0].query
    assert all("pagination_token" in r.query for r in pages[1:])


def test_empty_fetch_keeps_the_cursor(x: XEmulator, connector: XConnector) -> None:
    newest = x.add_mention("hi")
    batch = connector.fetch(newest)
    assert list(batch.posts) == []
    assert batch.cursor == newest


def test_reply_posts_in_reply_to_the_post(x: XEmulator, connector: XConnector) -> None:
    post = _post(x, connector, "when do you open?", author_handle="ana")

    reply = connector.reply(post, "At 9, see you!")

    [tweet] = x.posted
    assert tweet.in_reply_to_tweet_id == post.id
    assert tweet.text == "At 9, see you!"
    assert reply.id == tweet.id
    assert reply.url == f"https://x.com/parleybrand/status/{tweet.id}"
    assert abs((reply.posted_at - datetime.now(UTC)).total_seconds()) < 5
    assert (x.requests[-1].header("Authorization") or "").startswith("OAuth ")


def test_duplicate_text_is_duplicate(x: XEmulator, connector: XConnector) -> None:
    first = _post(x, connector, "a", author_handle="ana")
    second = _post(x, connector, "b", author_handle="bo")
    connector.reply(first, "Thanks for reaching out!")
    with pytest.raises(Duplicate) as caught:
        connector.reply(second, "Thanks for reaching out!")
    assert "same text" in caught.value.message
    assert not caught.value.retryable


def test_reply_to_a_post_without_mention_is_forbidden(x: XEmulator, connector: XConnector) -> None:
    tweet_id = x.add_tweet("parley rocks", author_handle="ana")
    post = Post(
        network=Network.X,
        id=tweet_id,
        account=BRAND_ID,
        author=Author(id="1", handle="ana", name="Ana"),
        text="parley rocks",
        url="https://x.com/ana/status/" + tweet_id,
        created_at=datetime.now(UTC),
    )
    with pytest.raises(Forbidden) as caught:
        connector.reply(post, "Thank you!")
    assert type(caught.value) is Forbidden
    assert "mention" in caught.value.message
    assert x.posted == []


def test_reply_to_a_deleted_post_is_gone(x: XEmulator, connector: XConnector) -> None:
    post = _post(x, connector, "hi")
    x.delete_tweet(post.id)
    with pytest.raises(Gone):
        connector.reply(post, "Hello")


def test_too_long_is_refused(x: XEmulator, connector: XConnector) -> None:
    post = _post(x, connector, "hi")
    with pytest.raises(Refused) as caught:
        connector.reply(post, "x" * 281)
    assert type(caught.value) is Refused
    assert "too long" in caught.value.message


def test_429_with_reset_is_rate_limited_until_reset(x: XEmulator, connector: XConnector) -> None:
    connector.user_id  # noqa: B018 - look the account up before counting requests
    reset = int(time.time()) + 600
    x.fail_next(r"/mentions$", status=429, headers={"x-rate-limit-reset": str(reset)})
    with pytest.raises(RateLimited) as caught:
        connector.fetch(None)
    assert caught.value.retry_at == datetime.fromtimestamp(reset, UTC)
    assert caught.value.retryable
    assert "rate limit" in caught.value.message


def test_exhausted_window_is_rate_limited(x: XEmulator, connector: XConnector) -> None:
    post = _post(x, connector, "hi")
    x.exhaust("create")
    with pytest.raises(RateLimited) as caught:
        connector.reply(post, "Hello")
    assert caught.value.retry_at is not None
    assert 0 < (caught.value.retry_at - datetime.now(UTC)).total_seconds() <= 901
    assert x.posted == []


@pytest.mark.parametrize("headers", [{}, {"x-rate-limit-reset": "soon"}, {"x-rate-limit-reset": "1000"}])
def test_429_without_usable_reset_makes_exactly_one_request(
    x: XEmulator, connector: XConnector, headers: dict[str, str]
) -> None:
    connector.user_id  # noqa: B018
    x.reset()
    x.fail_next(r"/mentions$", status=429, headers=headers)
    with pytest.raises(RateLimited) as caught:
        connector.fetch("1")
    assert caught.value.retry_at is None
    assert len(x.requests) == 1


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_are_unavailable(x: XEmulator, connector: XConnector, status: int) -> None:
    post = _post(x, connector, "hi")
    x.fail_next(r"^/2/tweets$", status=status)
    with pytest.raises(Unavailable) as caught:
        connector.reply(post, "Hello")
    assert caught.value.retryable
    assert x.posted == []


def test_connection_refused_and_timeouts_are_unavailable(x: XEmulator) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with _connector(f"http://127.0.0.1:{port}", user_id=BRAND_ID) as conn, pytest.raises(Unavailable):
        conn.fetch(None)

    x.delay(r"/mentions$", 0.5)
    with _connector(x.url, user_id=BRAND_ID, timeout=0.1) as conn, pytest.raises(Unavailable):
        conn.fetch(None)


def test_bad_credentials_are_unauthorized() -> None:
    with XEmulator(bearer_token="the-real-one") as strict, _connector(strict.url, user_id=BRAND_ID) as conn:
        with pytest.raises(Unauthorized) as caught:
            conn.fetch(None)
        assert "credentials" in caught.value.message


def test_find_reply_finds_our_reply_and_only_it(x: XEmulator, connector: XConnector) -> None:
    post = _post(x, connector, "is it open?", author_handle="ana")
    other = _post(x, connector, "and tomorrow?", author_handle="bo")
    assert connector.find_reply(post, "Yes, until 6pm & later!") is None

    posted = connector.reply(post, "Yes, until 6pm & later!")
    connector.reply(other, "Tomorrow too.")

    found = connector.find_reply(post, "  Yes, until 6pm\n& later! ")
    assert found is not None
    assert found.id == posted.id
    assert found.url == posted.url
    assert connector.find_reply(post, "A different text") is None
    assert connector.find_reply(other, "Yes, until 6pm & later!") is None
    request = x.requests_to(rf"^/2/users/{BRAND_ID}/tweets$")[-1]
    assert request.query["since_id"] == other.id


def test_a_spent_window_is_not_called_again_before_its_reset(x: XEmulator, connector: XConnector) -> None:
    post = _post(x, connector, "hello")
    x.set_limit("create", 1)
    connector.reply(post, "Hi, first reply")  # X answers with x-rate-limit-remaining: 0
    posts_before = len(x.requests_to(r"^/2/tweets$", method="POST"))
    with pytest.raises(RateLimited) as caught:
        connector.reply(post, "Hi, second reply")
    assert caught.value.retry_at is not None and "used up until" in caught.value.message
    assert len(x.requests_to(r"^/2/tweets$", method="POST")) == posts_before  # X was not asked again


def test_a_reply_from_a_read_only_app_says_how_to_fix_the_permission(
    x: XEmulator, connector: XConnector
) -> None:
    post = _post(x, connector, "@parleybrand hello?")
    x.access_level = "read"
    with pytest.raises(Unauthorized) as caught:
        connector.reply(post, "Hi!")
    assert "may only read" in caught.value.message and "Read and write" in caught.value.message
    assert x.posted == []


def test_verify_reads_the_apps_access_level(x: XEmulator, connector: XConnector) -> None:
    assert connector.verify() == "@parleybrand, app access read-write"
    x.access_level = "read"
    with pytest.raises(Forbidden, match="may only read"):
        connector.verify()

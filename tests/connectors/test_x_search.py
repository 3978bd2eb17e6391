"""XConnector in search mode ("listen only") through real tweepy against XEmulator."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain import Author, Network, Post
from connectors.base import Forbidden, RateLimited, Refused
from connectors.x import LISTEN_ONLY_MESSAGE, XConnector
from emulators.x import XEmulator

BRAND_ID = "1500000000000000001"


@pytest.fixture
def x() -> Iterator[XEmulator]:
    with XEmulator() as emulator:
        yield emulator


def _connector(base_url: str, search: str | None, **overrides: object) -> XConnector:
    options: dict[str, object] = {
        "bearer_token": "app-token",
        "consumer_key": "ck",
        "consumer_secret": "cs",
        "access_token": f"{BRAND_ID}-at",
        "access_token_secret": "ats",
        "base_url": base_url,
        "timeout": 2.0,
        "page_size": 10,
        "search": search,
        **overrides,
    }
    return XConnector(**options)  # type: ignore[arg-type]


@pytest.fixture
def connector(x: XEmulator) -> Iterator[XConnector]:
    with _connector(x.url, "parley -is:retweet") as conn:
        yield conn


def _hit(connector: XConnector, tweet_id: str) -> Post:
    return next(p for p in connector.fetch(None).posts if p.id == tweet_id)


def test_search_hits_are_listen_only_unless_they_mention_the_brand(
    x: XEmulator, connector: XConnector
) -> None:
    when = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    keyword = x.add_tweet(
        "Parley looks nice", author_handle="ana", author_name="Ana B", created_at=when, followers=7
    )
    mention = x.add_tweet("@ParleyBrand does parley do Mastodon?", author_handle="bo")
    x.add_tweet("totally unrelated", author_handle="cy")

    batch = connector.fetch(None)

    assert connector.account == "parleybrand"
    assert connector.search == "parley -is:retweet"
    assert [p.id for p in batch.posts] == [keyword, mention]
    assert batch.cursor == mention
    assert batch.posts[0] == Post(
        network=Network.X,
        id=keyword,
        account="parleybrand",
        author=Author(id=x.tweet(keyword).author_id, handle="ana", name="Ana B", followers=7),
        text="Parley looks nice",
        url=f"https://x.com/ana/status/{keyword}",
        created_at=when,
        lang="en",
        conversation_id=keyword,
        listen_only=True,
    )
    assert not batch.posts[1].listen_only
    [request] = x.requests_to(r"^/2/tweets/search/recent$")
    assert request.query["query"] == "parley -is:retweet"
    assert request.query["max_results"] == "10"
    assert request.query["expansions"] == "author_id,referenced_tweets.id"
    assert "since_id" not in request.query
    assert request.header("Authorization") == "Bearer app-token"
    assert x.requests_to(r"/mentions$") == []


def test_quoting_the_brand_allows_a_reply_but_quoting_others_does_not(
    x: XEmulator, connector: XConnector
) -> None:
    own = x.add_tweet("Parley 2.0 is out", author_id=BRAND_ID, author_handle="parleybrand")
    other = x.add_tweet("my parley review", author_handle="critic")
    quotes_brand = x.add_tweet("parley finally ships", author_handle="ana", quote_of=own)
    quotes_other = x.add_tweet("parley: agreed", author_handle="bo", quote_of=other)

    posts = {p.id: p for p in connector.fetch(None).posts}

    assert posts[quotes_brand].listen_only is False
    assert posts[quotes_other].listen_only is True
    assert posts[other].listen_only is True
    assert own not in posts  # the brand's own posts are left out


def test_retweets_are_listen_only(x: XEmulator) -> None:
    mention = x.add_mention("parley question", author_handle="ana")
    retweet = x.add_retweet(mention, author_handle="bo")
    with _connector(x.url, "parley") as conn:
        posts = {p.id: p for p in conn.fetch(None).posts}
    assert not posts[mention].listen_only
    assert posts[retweet].listen_only  # "RT @ana: @parleybrand ...": bo did not write the mention


def test_brand_replies_found_by_the_search_are_excluded(x: XEmulator, connector: XConnector) -> None:
    hit = x.add_mention("parley is down?", author_handle="ana")
    post = _hit(connector, hit)
    reply = connector.reply(post, "Parley is back up, sorry!")

    batch = connector.fetch(hit)

    assert list(batch.posts) == []
    assert batch.cursor == reply.id  # the cursor still moves past our own post


def test_reply_to_a_listen_only_post_is_forbidden_without_calling_x(
    x: XEmulator, connector: XConnector
) -> None:
    post = _hit(connector, x.add_tweet("parley is meh", author_handle="ana"))
    assert post.listen_only
    before = len(x.requests)

    with pytest.raises(Forbidden) as caught:
        connector.reply(post, "Sorry to hear that!")

    assert type(caught.value) is Forbidden
    assert caught.value.message == LISTEN_ONLY_MESSAGE
    assert not caught.value.retryable
    assert len(x.requests) == before
    assert x.requests_to(r"^/2/tweets$", method="POST") == []
    assert x.posted == []


def test_reply_to_a_hit_that_mentions_the_brand_is_posted(x: XEmulator, connector: XConnector) -> None:
    post = _hit(connector, x.add_mention("is parley open source?", author_handle="ana"))
    assert not post.listen_only

    reply = connector.reply(post, "Yes, MIT licensed.")

    [tweet] = x.posted
    assert tweet.in_reply_to_tweet_id == post.id
    assert reply.url == f"https://x.com/parleybrand/status/{tweet.id}"


def test_cursor_follows_pages_since_the_cursor(x: XEmulator, connector: XConnector) -> None:
    old = x.add_tweet("parley once", author_handle="ana")
    cursor = connector.fetch(None).cursor
    assert cursor == old

    new = [x.add_tweet(f"parley {i}", author_handle=f"user{i}") for i in range(23)]
    batch = connector.fetch(cursor)

    assert [p.id for p in batch.posts] == new
    assert batch.cursor == new[-1]
    pages = x.requests_to(r"/search/recent$")[-3:]
    assert [r.query.get("since_id") for r in pages] == [old] * 3
    assert "next_token" not in pages[0].query
    assert all("next_token" in r.query for r in pages[1:])

    empty = connector.fetch(batch.cursor)
    assert list(empty.posts) == []
    assert empty.cursor == new[-1]


def test_only_the_last_seven_days_are_searched(x: XEmulator, connector: XConnector) -> None:
    now = datetime.now(UTC)
    x.add_tweet("parley long ago", author_handle="ana", created_at=now - timedelta(days=8))
    recent = x.add_tweet("parley this week", author_handle="bo", created_at=now - timedelta(days=6))
    assert [p.id for p in connector.fetch(None).posts] == [recent]


def test_a_cursor_older_than_seven_days_restarts_from_the_oldest_id_x_accepts(
    x: XEmulator, connector: XConnector
) -> None:
    now = datetime.now(UTC)
    stale = x.add_tweet("parley long ago", author_handle="ana", created_at=now - timedelta(days=9))
    recent = x.add_tweet("parley this week", author_handle="bo", created_at=now - timedelta(days=3))
    today = x.add_tweet("parley today", author_handle="cy")

    batch = connector.fetch(stale)

    assert [p.id for p in batch.posts] == [recent, today]
    assert batch.cursor == today
    first, retry = x.requests_to(r"/search/recent$")
    assert first.query["since_id"] == stale
    assert first.response is not None and first.response.status == 400
    assert int(stale) < int(retry.query["since_id"]) < int(recent)

    x.delete_tweet(recent)
    x.delete_tweet(today)
    quiet = connector.fetch(stale)
    assert list(quiet.posts) == []
    assert quiet.cursor == x.requests_to(r"/search/recent$")[-1].query["since_id"]  # no 400 next time


@pytest.mark.parametrize("query", ["parley AND app", "lang:en", "(parley", "parley has:links"])
def test_an_invalid_query_is_refused(x: XEmulator, query: str) -> None:
    with _connector(x.url, query) as conn, pytest.raises(Refused) as caught:
        conn.fetch(None)
    assert type(caught.value) is Refused
    assert "There were errors processing your request" in caught.value.message
    assert not caught.value.retryable


def test_search_rate_limit_is_rate_limited(x: XEmulator, connector: XConnector) -> None:
    connector.user_id  # noqa: B018 - look the account up first
    x.exhaust("search")
    with pytest.raises(RateLimited) as caught:
        connector.fetch(None)
    assert caught.value.retry_at is not None


def test_search_needs_a_query_and_pages_of_at_least_ten(x: XEmulator) -> None:
    with pytest.raises(ValueError, match="non-empty"):
        _connector(x.url, "   ")
    with pytest.raises(ValueError, match="between 10 and 100"):
        _connector(x.url, "parley", page_size=5)
    with _connector(x.url, None, page_size=5) as mentions:
        assert mentions.search is None


def test_with_only_the_app_token_every_hit_is_listen_only(x: XEmulator) -> None:
    mention = x.add_mention("parley question", author_handle="ana")
    keyword = x.add_tweet("parley rocks", author_handle="bo")
    no_keys = {"consumer_key": "", "consumer_secret": "", "access_token": "", "access_token_secret": ""}

    with _connector(x.url, "parley", **no_keys) as conn:
        batch = conn.fetch(None)
        assert conn.account == ""
        with pytest.raises(Forbidden):
            conn.reply(batch.posts[0], "Hi!")

    assert [(p.id, p.listen_only, p.account) for p in batch.posts] == [
        (mention, True, ""),
        (keyword, True, ""),
    ]
    assert x.requests_to(r"/users/me$") == []
    assert {r.header("Authorization") for r in x.requests} == {"Bearer app-token"}

    own = x.add_tweet("parley news", author_id=BRAND_ID, author_handle="parleybrand")
    with _connector(x.url, "parley", user_id=BRAND_ID, username="parleybrand", **no_keys) as conn:
        posts = conn.fetch(None).posts
    assert own not in {p.id for p in posts}
    assert {p.account for p in posts} == {"parleybrand"}

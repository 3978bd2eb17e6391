"""XEmulator through the real tweepy 4.17 `Client`: wire format, refusals, rate limits."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
import tweepy

from emulators.x import DUPLICATE_DETAIL, NOT_MENTIONED_DETAIL, READ_ONLY_DETAIL, XEmulator

BRAND_ID = "1500000000000000001"
TWEET_FIELDS = ["created_at", "conversation_id", "author_id", "referenced_tweets", "lang"]
ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


class _Rebased(requests.Session):
    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        assert isinstance(url, str)
        kwargs.setdefault("timeout", 5)
        return super().request(method, url.replace("https://api.twitter.com", self.base_url), *args, **kwargs)


@pytest.fixture
def x() -> Iterator[XEmulator]:
    with XEmulator() as emulator:
        yield emulator


@pytest.fixture
def api(x: XEmulator) -> Iterator[tweepy.Client]:
    client = tweepy.Client(
        bearer_token="app-token",
        consumer_key="ck",
        consumer_secret="cs",
        access_token=f"{BRAND_ID}-at",
        access_token_secret="ats",
        return_type=dict,
        wait_on_rate_limit=False,
    )
    client.session.close()
    client.session = _Rebased(x.url)
    yield client
    client.session.close()


def _mentions(api: tweepy.Client, **params: Any) -> Any:
    return api.get_users_mentions(
        BRAND_ID,
        expansions=["author_id"],
        tweet_fields=TWEET_FIELDS,
        user_fields=["name", "username", "public_metrics"],
        **params,
    )


def test_get_me_needs_user_context(x: XEmulator, api: tweepy.Client) -> None:
    assert api.get_me() == {"data": {"id": BRAND_ID, "name": "Parley Brand", "username": "parleybrand"}}
    assert (x.requests[-1].header("Authorization") or "").startswith("OAuth ")

    with pytest.raises(tweepy.Forbidden) as caught:
        api.get_me(user_auth=False)
    assert caught.value.response.json()["title"] == "Unsupported Authentication"


def test_requests_without_authorization_get_401(x: XEmulator) -> None:
    with requests.get(f"{x.url}/2/users/{BRAND_ID}/mentions", timeout=5) as response:
        assert response.status_code == 401
        assert response.json() == {
            "title": "Unauthorized",
            "type": "about:blank",
            "status": 401,
            "detail": "Unauthorized",
        }


def test_configured_bearer_token_must_match(api: tweepy.Client) -> None:
    with XEmulator(bearer_token="right") as strict:
        api.session.base_url = strict.url
        with pytest.raises(tweepy.Unauthorized):
            _mentions(api)


def test_mentions_wire_format_with_author_expansion(x: XEmulator, api: tweepy.Client) -> None:
    x.add_tweet("not about the brand", author_handle="bystander")
    first = x.add_mention("@parleybrand hello", author_handle="ana", author_name="Ana", followers=42)
    second = x.add_mention("where is my order?", author_handle="bo", lang="de")

    body = _mentions(api)

    assert [t["id"] for t in body["data"]] == [second, first]  # newest first
    newest = body["data"][0]
    assert newest["text"] == "@parleybrand where is my order?"  # the mention is added when missing
    assert newest["edit_history_tweet_ids"] == [second]
    assert newest["lang"] == "de"
    assert newest["conversation_id"] == second
    assert ISO_MS.match(newest["created_at"])
    assert "referenced_tweets" not in newest  # X omits empty fields
    ana = next(u for u in body["includes"]["users"] if u["username"] == "ana")
    assert ana["name"] == "Ana"
    assert ana["public_metrics"]["followers_count"] == 42
    assert body["meta"] == {"result_count": 2, "newest_id": second, "oldest_id": first}
    assert int(second) > int(first) > 10**17  # numeric snowflake-like strings


def test_only_requested_fields_are_sent(x: XEmulator, api: tweepy.Client) -> None:
    x.add_mention("hi")
    body = api.get_users_mentions(BRAND_ID)
    assert set(body["data"][0]) == {"id", "text", "edit_history_tweet_ids"}
    assert "includes" not in body


def test_pagination_and_since_id(x: XEmulator, api: tweepy.Client) -> None:
    ids = [x.add_mention(f"question {i}", author_handle=f"user{i % 3}") for i in range(12)]

    seen: list[str] = []
    token = None
    pages = 0
    while True:
        body = _mentions(api, max_results=5, pagination_token=token)
        seen += [t["id"] for t in body["data"]]
        pages += 1
        token = body["meta"].get("next_token")
        if token is None:
            break
    assert pages == 3
    assert seen == list(reversed(ids))

    newer = _mentions(api, since_id=ids[8], max_results=5)
    assert [t["id"] for t in newer["data"]] == list(reversed(ids[9:]))
    assert "next_token" not in newer["meta"]

    older = _mentions(api, until_id=ids[2], max_results=5)
    assert [t["id"] for t in older["data"]] == [ids[1], ids[0]]


def test_empty_page_is_meta_only(x: XEmulator, api: tweepy.Client) -> None:
    assert _mentions(api) == {"meta": {"result_count": 0}}
    newest = x.add_mention("hi")
    assert _mentions(api, since_id=newest) == {"meta": {"result_count": 0}}
    x.delete_tweet(newest)
    assert _mentions(api) == {"meta": {"result_count": 0}}


def test_only_latest_800_mentions_are_reachable(x: XEmulator, api: tweepy.Client) -> None:
    ids = [x.add_mention(f"m{i}") for i in range(805)]
    reachable: list[str] = []
    token = None
    while True:
        body = api.get_users_mentions(BRAND_ID, max_results=100, pagination_token=token)
        reachable += [t["id"] for t in body["data"]]
        token = body["meta"].get("next_token")
        if token is None:
            break
    assert reachable == list(reversed(ids[5:]))


def test_invalid_parameters_are_400(x: XEmulator, api: tweepy.Client) -> None:
    with pytest.raises(tweepy.BadRequest) as caught:
        _mentions(api, max_results=1)
    assert "not between 5 and 100" in str(caught.value)
    with pytest.raises(tweepy.BadRequest):
        api.get_users_mentions(BRAND_ID, tweet_fields=["created_at", "colour"])
    with pytest.raises(tweepy.BadRequest):
        api.get_users_mentions(BRAND_ID, pagination_token="nonsense")


def test_reply_is_created_with_in_reply_to(x: XEmulator, api: tweepy.Client) -> None:
    mention = x.add_mention("is it open today?", author_handle="ana")

    body = api.create_tweet(text="Yes, until 6pm!", in_reply_to_tweet_id=mention)

    assert x.requests[-1].json() == {"text": "Yes, until 6pm!", "reply": {"in_reply_to_tweet_id": mention}}
    assert body == {
        "data": {
            "id": body["data"]["id"],
            "text": "Yes, until 6pm!",
            "edit_history_tweet_ids": [body["data"]["id"]],
        }
    }
    [posted] = x.posted
    assert posted.id == body["data"]["id"]
    assert posted.in_reply_to_tweet_id == mention
    assert posted.conversation_id == mention


def test_duplicate_text_is_refused(x: XEmulator, api: tweepy.Client) -> None:
    first = x.add_mention("a", author_handle="ana")
    second = x.add_mention("b", author_handle="bo")
    api.create_tweet(text="Thanks!", in_reply_to_tweet_id=first)
    with pytest.raises(tweepy.Forbidden) as caught:
        api.create_tweet(text="Thanks!", in_reply_to_tweet_id=second)
    assert caught.value.response.json() == {
        "detail": DUPLICATE_DETAIL,
        "type": "about:blank",
        "title": "Forbidden",
        "status": 403,
    }
    assert len(x.posted) == 1


def test_reply_only_to_posts_that_mention_or_quote_the_brand(x: XEmulator, api: tweepy.Client) -> None:
    stranger = x.add_tweet("parley is great (no at-mention)", author_handle="ana")
    with pytest.raises(tweepy.Forbidden) as caught:
        api.create_tweet(text="Thank you!", in_reply_to_tweet_id=stranger)
    assert caught.value.api_messages == [NOT_MENTIONED_DETAIL]

    own = api.create_tweet(text="Big news today")["data"]["id"]
    quote = x.add_tweet("look at this", author_handle="bo", quote_of=own)
    api.create_tweet(text="Glad you like it", in_reply_to_tweet_id=quote)
    assert [t.in_reply_to_tweet_id for t in x.posted] == [None, quote]


def test_reply_to_deleted_or_unknown_post(x: XEmulator, api: tweepy.Client) -> None:
    mention = x.add_mention("hi")
    x.delete_tweet(mention)
    for target in (mention, "1234567890123456789"):
        with pytest.raises(tweepy.Forbidden) as caught:
            api.create_tweet(text=f"hello {target}", in_reply_to_tweet_id=target)
        assert "deleted or not visible" in caught.value.api_messages[0]
    assert x.posted == []


def test_text_over_280_weighted_is_400(x: XEmulator, api: tweepy.Client) -> None:
    mention = x.add_mention("hi")
    with pytest.raises(tweepy.BadRequest):
        api.create_tweet(text="😀" * 141, in_reply_to_tweet_id=mention)  # 282 weighted
    api.create_tweet(text="😀" * 140, in_reply_to_tweet_id=mention)  # 280 weighted
    assert len(x.posted) == 1


def test_own_timeline_and_tweet_lookup(x: XEmulator, api: tweepy.Client) -> None:
    mention = x.add_mention("hi", author_handle="ana")
    reply_id = api.create_tweet(text="Hello Ana", in_reply_to_tweet_id=mention)["data"]["id"]

    timeline = api.get_users_tweets(
        BRAND_ID, since_id=mention, tweet_fields=["referenced_tweets", "created_at"]
    )
    [tweet] = timeline["data"]
    assert tweet["id"] == reply_id
    assert tweet["referenced_tweets"] == [{"type": "replied_to", "id": mention}]
    assert ISO_MS.match(tweet["created_at"])

    assert api.get_tweet(reply_id)["data"]["text"] == "Hello Ana"
    x.delete_tweet(reply_id)
    missing = api.get_tweet(reply_id)
    assert "data" not in missing
    assert missing["errors"][0]["title"] == "Not Found Error"
    assert api.get_users_tweets(BRAND_ID) == {"meta": {"result_count": 0}}


def test_rate_limit_headers_on_every_answer(x: XEmulator, api: tweepy.Client) -> None:
    mention = x.add_mention("hi")
    api.return_type = requests.Response
    answers: list[requests.Response] = [
        api.get_me(),
        _mentions(api),
        api.get_users_tweets(BRAND_ID),
        api.create_tweet(text="hello", in_reply_to_tweet_id=mention),
    ]
    answers.append(api.get_tweet(answers[-1].json()["data"]["id"]))
    with pytest.raises(tweepy.Forbidden) as caught:
        api.create_tweet(text="hello", in_reply_to_tweet_id=mention)
    answers.append(caught.value.response)

    now = time.time()
    for answer in answers:
        assert int(answer.headers["x-rate-limit-limit"]) > 0
        assert int(answer.headers["x-rate-limit-remaining"]) >= 0
        assert now < int(answer.headers["x-rate-limit-reset"]) <= now + 901
    assert answers[1].headers["x-rate-limit-limit"] == "300"
    assert answers[3].headers["x-rate-limit-limit"] == "100"
    assert answers[3].status_code == 201


def test_window_exhaustion_answers_429_with_reset(x: XEmulator, api: tweepy.Client) -> None:
    x.set_limit("mentions", 2)
    api.return_type = requests.Response
    first = _mentions(api)
    assert first.headers["x-rate-limit-limit"] == "2"
    assert first.headers["x-rate-limit-remaining"] == "1"
    _mentions(api)
    with pytest.raises(tweepy.TooManyRequests) as caught:
        _mentions(api)
    assert caught.value.response.json()["title"] == "Too Many Requests"
    assert caught.value.response.headers["x-rate-limit-remaining"] == "0"
    assert 0 < caught.value.reset_time - time.time() <= 900
    api.get_me()  # other endpoints have their own windows


def test_rate_limits_can_be_switched_off(api: tweepy.Client) -> None:
    with XEmulator(rate_limits=False, limits={"mentions": (1, 900)}) as lax:
        api.session.base_url = lax.url
        for _ in range(3):
            _mentions(api)


def test_injected_429_has_no_reset_header(x: XEmulator, api: tweepy.Client) -> None:
    x.fail_next(r"/mentions$", status=429)
    with pytest.raises(tweepy.TooManyRequests) as caught:
        _mentions(api)
    assert caught.value.reset_time is None
    assert caught.value.response.json() == {
        "title": "Too Many Requests",
        "detail": "Too Many Requests",
        "type": "about:blank",
        "status": 429,
    }
    assert caught.value.response.headers["x-rate-limit-remaining"] == "0"
    assert len(x.requests) == 1
    assert _mentions(api) == {"meta": {"result_count": 0}}


def test_created_at_is_kept(x: XEmulator, api: tweepy.Client) -> None:
    when = datetime(2026, 3, 1, 12, 30, 5, 250000, tzinfo=UTC)
    x.add_mention("old one", created_at=when)
    assert _mentions(api)["data"][0]["created_at"] == "2026-03-01T12:30:05.250Z"


# --- recent search ---------------------------------------------------------------------------------


def _search(api: tweepy.Client, query: str, **params: Any) -> Any:
    return api.search_recent_tweets(
        query,
        expansions=["author_id"],
        tweet_fields=TWEET_FIELDS,
        user_fields=["name", "username", "public_metrics"],
        **params,
    )


def _hits(api: tweepy.Client, query: str) -> list[str]:
    return [t["id"] for t in _search(api, query, max_results=100).get("data", [])]


def test_search_wire_format_with_app_auth(x: XEmulator, api: tweepy.Client) -> None:
    x.add_tweet("nothing to see here", author_handle="bystander")
    first = x.add_tweet("Parley is neat", author_handle="ana", author_name="Ana", followers=42)
    second = x.add_tweet("does parley support Mastodon?", author_handle="bo", lang="de")
    api.return_type = requests.Response

    answer = _search(api, "parley")

    assert (x.requests[-1].header("Authorization") or "") == "Bearer app-token"
    assert x.requests[-1].query["query"] == "parley"
    assert answer.headers["x-rate-limit-limit"] == "450"
    assert int(answer.headers["x-rate-limit-remaining"]) == 449
    body = answer.json()
    assert [t["id"] for t in body["data"]] == [second, first]  # newest first
    assert body["data"][0] == {
        "id": second,
        "text": "does parley support Mastodon?",
        "edit_history_tweet_ids": [second],
        "author_id": x.tweet(second).author_id,
        "conversation_id": second,
        "created_at": body["data"][0]["created_at"],
        "lang": "de",
    }
    assert ISO_MS.match(body["data"][0]["created_at"])
    assert [u["username"] for u in body["includes"]["users"]] == ["bo", "ana"]
    assert body["includes"]["users"][1]["public_metrics"]["followers_count"] == 42
    assert body["meta"] == {"result_count": 2, "newest_id": second, "oldest_id": first}
    assert list(body) == ["data", "includes", "meta"]


def test_search_accepts_user_context_too(x: XEmulator, api: tweepy.Client) -> None:
    hit = x.add_tweet("parley", author_handle="ana")
    assert [t["id"] for t in api.search_recent_tweets("parley", user_auth=True)["data"]] == [hit]
    assert (x.requests[-1].header("Authorization") or "").startswith("OAuth ")


def test_search_query_language(x: XEmulator, api: tweepy.Client) -> None:
    app = x.add_tweet("I love the Parley app", author_handle="ana")
    bug = x.add_tweet("parley has a bug in the app", author_handle="bo")
    phrase = x.add_tweet("Parley's app: great", author_handle="cy", lang="de")
    relay = x.add_tweet("relay race today", author_handle="ana")
    plural = x.add_tweet("parleys and talks", author_handle="bo")
    mention = x.add_mention("is parley down?", author_handle="dee")
    tagged = x.add_tweet("new release #Parley", author_handle="cy")
    retweet = x.add_retweet(app, author_handle="eve")
    reply = x.add_tweet("@ana parley works for me", author_handle="bo", in_reply_to=app)
    quote = x.add_tweet("parley, see this", author_handle="cy", quote_of=relay)
    assert x.tweet(retweet).text == "RT @ana: I love the Parley app"

    expected = {
        "parley": [quote, reply, retweet, tagged, mention, phrase, bug, app],
        "PARLEY app": [retweet, phrase, bug, app],
        '"parley app"': [retweet, app],  # whole words in a row: not "Parley's app"
        '"LOVE the parley"': [retweet, app],
        "relay OR parleys": [plural, relay],
        "parley -app": [quote, reply, tagged, mention],
        "parley -is:retweet": [quote, reply, tagged, mention, phrase, bug, app],
        "parley is:retweet": [retweet],
        "parley is:reply": [reply],
        "parley is:quote": [quote],
        "from:ANA": [relay, app],
        "from:bo parley": [reply, bug],
        "to:ana": [reply],
        "parley lang:de": [phrase],
        "@parleybrand": [mention],
        "#parley": [tagged],
        "(relay OR bug) -from:bo": [relay],
        "talks OR parley app -is:retweet": [plural, phrase, bug, app],  # AND binds tighter than OR
        "parley -(app OR bug OR release)": [quote, reply, mention],
        "nothing matches this": [],
    }
    for query, ids in expected.items():
        assert _hits(api, query) == ids, query


def test_search_pagination_and_since_id(x: XEmulator, api: tweepy.Client) -> None:
    ids = [x.add_tweet(f"parley question {i}", author_handle=f"user{i % 3}") for i in range(25)]
    x.add_tweet("unrelated", author_handle="bystander")

    seen: list[str] = []
    token = None
    pages = []
    while True:
        body = _search(api, "parley", max_results=10, next_token=token)
        seen += [t["id"] for t in body["data"]]
        pages.append(body["meta"])
        token = body["meta"].get("next_token")
        if token is None:
            break
    assert seen == list(reversed(ids))
    assert [p["result_count"] for p in pages] == [10, 10, 5]
    assert pages[0]["newest_id"] == ids[-1]
    assert pages[-1]["oldest_id"] == ids[0]
    assert all("next_token" in p for p in pages[:2])
    assert [r.query.get("next_token") is None for r in x.requests_to(r"/search/recent$")] == [
        True,
        False,
        False,
    ]

    newer = _search(api, "parley", since_id=ids[20], max_results=10)
    assert [t["id"] for t in newer["data"]] == list(reversed(ids[21:]))
    assert _search(api, "parley", since_id=ids[-1]) == {"meta": {"result_count": 0}}
    assert [t["id"] for t in _search(api, "parley", until_id=ids[2])["data"]] == [ids[1], ids[0]]
    default = _search(api, "parley")
    assert default["meta"]["result_count"] == 10  # max_results defaults to 10


def test_search_reaches_back_seven_days_only(x: XEmulator, api: tweepy.Client) -> None:
    now = datetime.now(UTC)
    too_old = x.add_tweet("parley long ago", created_at=now - timedelta(days=7, minutes=5))
    recent = x.add_tweet("parley last week", created_at=now - timedelta(days=6, hours=23))
    today = x.add_tweet("parley today")

    assert _hits(api, "parley") == [today, recent]

    with pytest.raises(tweepy.BadRequest) as caught:
        _search(api, "parley", since_id=too_old)
    [error] = caught.value.response.json()["errors"]
    assert error["parameters"] == {"since_id": [too_old]}
    match = re.fullmatch(
        r"'since_id' must be a tweet id created after \d{4}-\d\d-\d\dT\d\d:\d\dZ\. "
        r"Please use a 'since_id' that is larger than (\d+)",
        error["message"],
    )
    assert match is not None
    floor = match.group(1)
    assert int(too_old) < int(floor) < int(recent)
    assert [t["id"] for t in _search(api, "parley", since_id=floor)["data"]] == [today, recent]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "The `query` query parameter can not be empty"),
        ("   ", "The `query` query parameter can not be empty"),
        ("lang:en", "is/has/lang cannot be used as a standalone operator (at position 1)"),
        ("parley OR lang:en", "is/has/lang cannot be used as a standalone operator (at position 11)"),
        ("-parley -is:retweet", "Rules must contain at least one positive, non-stopword clause"),
        ("(parley OR relay", "Missing closing parenthesis"),
        ("parley)", "missing EOF at ')' (at position 7)"),
        ("parley AND app", "Ambiguous use of and as a keyword"),
        ("parley OR", "no viable alternative at input"),
        ("OR parley", "no viable alternative at input 'OR' (at position 1)"),
        ("'parley app'", "no viable alternative at character ''' (at position 1)"),
        ('"parley app', "no viable alternative at character '\"' (at position 1)"),
        ("parley has:links", "Reference to invalid operator 'has:links'"),
        ("parley colour:red", "Reference to invalid operator 'colour'"),
        ("parley " * 100, "Query length exceeds 512 characters"),
    ],
)
def test_invalid_queries_are_400(x: XEmulator, api: tweepy.Client, query: str, message: str) -> None:
    with pytest.raises(tweepy.BadRequest) as caught:
        api.search_recent_tweets(query)
    body = caught.value.response.json()
    assert body["title"] == "Invalid Request"
    assert body["type"] == "https://api.twitter.com/2/problems/invalid-request"
    [error] = body["errors"]
    assert list(error["parameters"]) == ["query"]
    assert message in error["message"]
    if query.strip():
        assert error["message"].startswith("There were errors processing your request: ")


def test_search_without_query_is_400(x: XEmulator) -> None:
    with requests.get(
        f"{x.url}/2/tweets/search/recent", headers={"Authorization": "Bearer t"}, timeout=5
    ) as response:
        assert response.status_code == 400
        assert response.json()["errors"] == [
            {"parameters": {"query": []}, "message": "The `query` query parameter can not be empty"}
        ]


def test_search_parameter_validation(x: XEmulator, api: tweepy.Client) -> None:
    for bad in (5, 101):
        with pytest.raises(tweepy.BadRequest) as caught:
            api.search_recent_tweets("parley", max_results=bad)
        assert "is not between 10 and 100" in str(caught.value)
    with pytest.raises(tweepy.BadRequest):
        api.search_recent_tweets("parley", next_token="nonsense")
    with pytest.raises(tweepy.BadRequest):
        api.search_recent_tweets("parley", sort_order="oldest")
    with pytest.raises(tweepy.BadRequest):
        api.search_recent_tweets("parley", expansions=["colour"])
    assert api.search_recent_tweets("parley", sort_order="relevancy") == {"meta": {"result_count": 0}}


def test_search_expands_referenced_tweets(x: XEmulator, api: tweepy.Client) -> None:
    own = api.create_tweet(text="Parley 2.0 is out")["data"]["id"]
    quote = x.add_tweet("parley finally!", author_handle="ana", quote_of=own)

    body = api.search_recent_tweets(
        "finally",
        expansions=["author_id", "referenced_tweets.id", "referenced_tweets.id.author_id"],
        tweet_fields=["author_id", "referenced_tweets"],
    )

    assert body["data"][0]["referenced_tweets"] == [{"type": "quoted", "id": own}]
    assert body["includes"]["tweets"] == [
        {"id": own, "text": "Parley 2.0 is out", "edit_history_tweet_ids": [own], "author_id": BRAND_ID}
    ]
    assert [u["username"] for u in body["includes"]["users"]] == ["ana", "parleybrand"]
    assert body["data"][0]["id"] == quote


def test_search_has_its_own_rate_limit_window(x: XEmulator, api: tweepy.Client) -> None:
    x.set_limit("search", 1)
    api.search_recent_tweets("parley")
    with pytest.raises(tweepy.TooManyRequests) as caught:
        api.search_recent_tweets("parley")
    assert caught.value.response.headers["x-rate-limit-limit"] == "1"
    assert 0 < caught.value.reset_time - time.time() <= 900
    _mentions(api)  # mentions keep their own window
    x.fail_next(r"/search/recent$", status=429)
    x.set_limit("search", 450)
    with pytest.raises(tweepy.TooManyRequests) as injected:
        api.search_recent_tweets("parley")
    assert injected.value.response.headers["x-rate-limit-limit"] == "450"


def test_user_context_answers_carry_the_apps_access_level(x: XEmulator, api: tweepy.Client) -> None:
    api.return_type = requests.Response
    assert api.get_me().headers["x-access-level"] == "read-write"
    assert "x-access-level" not in _mentions(api).headers  # app-only (bearer) answers do not say
    x.access_level = "read-write-directmessages"
    assert api.get_me().headers["x-access-level"] == "read-write-directmessages"


def test_a_read_only_app_may_read_but_not_post(x: XEmulator, api: tweepy.Client) -> None:
    x.access_level = "read"
    mention = x.add_mention("hi")
    assert api.get_me()["data"]["username"] == "parleybrand"
    with pytest.raises(tweepy.Forbidden) as caught:
        api.create_tweet(text="hello", in_reply_to_tweet_id=mention)
    assert caught.value.response.json()["detail"] == READ_ONLY_DETAIL
    assert x.posted == []

"""RedditEmulator through the real praw 8 / prawcore 4: auth, wire format, inbox, listings, comment errors, limits."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import praw
import prawcore
import pytest
import requests
from praw.exceptions import RedditAPIException
from praw.models import Comment, Message

from emulators.reddit import DELETED_COMMENT, THREAD_LOCKED, TOO_OLD, RedditEmulator


@pytest.fixture
def reddit() -> Iterator[RedditEmulator]:
    with RedditEmulator() as emulator:
        yield emulator


def _praw(emulator: RedditEmulator, **overrides: Any) -> praw.Reddit:
    settings: dict[str, Any] = {
        "client_id": emulator.client_id,
        "client_secret": emulator.client_secret,
        "username": emulator.username,
        "password": emulator.password,
        "user_agent": "parley-emulator-tests/0.1",
        "reddit_url": emulator.url,
        "oauth_url": emulator.url,
        "short_url": emulator.url,
        "check_for_updates": False,
        "ratelimit_seconds": 0,
        **overrides,
    }
    return praw.Reddit(**settings)


@pytest.fixture
def api(reddit: RedditEmulator) -> praw.Reddit:
    return _praw(reddit)


def _token(reddit: RedditEmulator) -> str:
    with requests.post(
        f"{reddit.url}/api/v1/access_token",
        auth=(reddit.client_id, reddit.client_secret),
        data={"grant_type": "password", "username": reddit.username, "password": reddit.password},
        timeout=5,
    ) as response:
        return str(response.json()["access_token"])


def _get(reddit: RedditEmulator, path: str, **params: str) -> requests.Response:
    headers = {"Authorization": f"bearer {_token(reddit)}"}
    return requests.get(f"{reddit.url}{path}", params=params, headers=headers, timeout=5)


def _thread(reddit: RedditEmulator, subreddit: str = "brandfans") -> str:
    return reddit.add_submission(subreddit, "Anyone tried Parley?", "Looking for opinions.", "op_user")


# --- auth ---


def test_password_login_answers_a_bearer_token(reddit: RedditEmulator, api: praw.Reddit) -> None:
    assert str(api.user.me()) == "parleybrand"
    token_request, me = reddit.requests
    assert token_request.path == "/api/v1/access_token"
    assert token_request.form()["grant_type"] == "password"
    assert (me.header("Authorization") or "").startswith("bearer ")
    assert token_request.response is not None
    body = token_request.response.body
    assert isinstance(body, dict)
    assert {k: body[k] for k in ("token_type", "expires_in", "scope")} == {
        "token_type": "bearer",
        "expires_in": 86400,
        "scope": "*",
    }


def test_refresh_token_login(reddit: RedditEmulator) -> None:
    api = _praw(reddit, username=None, password=None, refresh_token=reddit.refresh_token)
    assert str(api.user.me()) == "parleybrand"
    assert reddit.requests[0].form()["grant_type"] == "refresh_token"


def test_wrong_client_secret_is_a_401(reddit: RedditEmulator) -> None:
    with pytest.raises(prawcore.ResponseException) as caught:
        _praw(reddit, client_secret="wrong").user.me()
    assert caught.value.response.status_code == 401
    assert caught.value.response.json() == {"message": "Unauthorized", "error": 401}


@pytest.mark.parametrize(
    "overrides",
    [{"password": "wrong"}, {"username": None, "password": None, "refresh_token": "wrong"}],
)
def test_wrong_password_or_refresh_token_is_invalid_grant(
    reddit: RedditEmulator, overrides: dict[str, Any]
) -> None:
    with pytest.raises(prawcore.OAuthException) as caught:
        _praw(reddit, **overrides).user.me()
    assert caught.value.error == "invalid_grant"
    assert caught.value.response.status_code == 200  # as Reddit answers it


def test_api_without_a_valid_token_is_401_with_www_authenticate(reddit: RedditEmulator) -> None:
    for headers in ({}, {"Authorization": "bearer not-a-token"}):
        with requests.get(f"{reddit.url}/message/unread/", headers=headers, timeout=5) as response:
            assert response.status_code == 401
            assert response.json() == {"message": "Unauthorized", "error": 401}
            assert response.headers["www-authenticate"] == 'Bearer realm="reddit", error="invalid_token"'


def test_connection_close_is_echoed(reddit: RedditEmulator) -> None:
    # prawcore's token request asks for it; a client must not pool a connection the server closes.
    with requests.post(
        f"{reddit.url}/api/v1/access_token",
        auth=(reddit.client_id, reddit.client_secret),
        data={"grant_type": "password", "username": reddit.username, "password": reddit.password},
        headers={"Connection": "close"},
        timeout=5,
    ) as response:
        assert response.headers["Connection"] == "close"


# --- inbox ---


def test_mentions_and_replies_land_in_the_unread_inbox(reddit: RedditEmulator, api: praw.Reddit) -> None:
    thread = _thread(reddit)
    own_post = reddit.add_submission("support", "Parley 2.0", "AMA", "parleybrand")
    mention = reddit.add_comment("brandfans", "what does /u/ParleyBrand think?", "ana", parent=thread)
    reddit.add_comment("brandfans", "u/parleybrandx is someone else", "bo", parent=thread)
    reddit.add_comment(
        "brandfans", "u/ann u/ben u/cat u/parleybrand: too many to notify", "bo", parent=thread
    )
    post_reply = reddit.add_comment("support", "nice", "cy", parent=own_post)
    ours = reddit.add_comment("support", "thanks!", "parleybrand", parent=post_reply)
    comment_reply = reddit.add_comment("support", "you're welcome", "cy", parent=ours)
    prefixed = reddit.add_comment("brandfans", "thoughts?", "dee", parent=thread, mention=True)
    message = reddit.add_private_message("eve", "hello", "a private question")

    items = list(api.inbox.unread(limit=None))

    assert [i.fullname for i in items] == [message, prefixed, comment_reply, post_reply, mention]
    assert [type(i) for i in items] == [Message, Comment, Comment, Comment, Comment]
    by_name = {i.fullname: i for i in items}
    first = by_name[mention]
    assert (first.type, first.subject, first.was_comment, first.new) == (
        "username_mention",
        "username mention",
        True,
        True,
    )
    assert first.context == f"{reddit.comment(mention).permalink}?context=3"
    assert (first.link_title, first.parent_id, str(first.subreddit), str(first.author)) == (
        "Anyone tried Parley?",
        thread,
        "brandfans",
        "ana",
    )
    assert first.submission.id == thread.removeprefix("t3_")  # praw reads the link id from `context`
    assert (by_name[post_reply].type, by_name[post_reply].subject) == ("post_reply", "post reply")
    assert (by_name[comment_reply].type, by_name[comment_reply].subject) == ("comment_reply", "comment reply")
    assert by_name[prefixed].body == "u/parleybrand thoughts?"
    assert by_name[message].was_comment is False
    assert reddit.unread() == [mention, post_reply, comment_reply, prefixed, message]


def test_mark_read_and_unread(reddit: RedditEmulator, api: praw.Reddit) -> None:
    thread = _thread(reddit)
    first = reddit.add_comment("brandfans", "hi", "ana", parent=thread, mention=True)
    second = reddit.add_comment("brandfans", "hello", "bo", parent=thread, mention=True)

    api.inbox.mark_read([api.comment(first.removeprefix("t1_"))])

    assert reddit.requests[-1].form()["id"] == first
    assert reddit.unread() == [second]
    assert [i.fullname for i in api.inbox.unread()] == [second]
    assert [(i.fullname, i.new) for i in api.inbox.all()] == [(second, True), (first, False)]
    assert [i.fullname for i in api.inbox.mentions()] == [second, first]
    api.inbox.mark_unread([api.comment(first.removeprefix("t1_"))])
    assert reddit.unread() == [first, second]


def test_unread_with_mark_true_marks_them_read(reddit: RedditEmulator, api: praw.Reddit) -> None:
    reddit.add_comment("brandfans", "hi", "ana", parent=_thread(reddit), mention=True)
    assert len(list(api.inbox.unread(mark_read=True))) == 1
    assert reddit.unread() == []


# --- listings ---


def test_subreddit_comments_of_a_multi_newest_first(reddit: RedditEmulator, api: praw.Reddit) -> None:
    fans, support = _thread(reddit), _thread(reddit, "Support")
    first = reddit.add_comment("brandfans", "one", "ana", parent=fans)
    second = reddit.add_comment("support", "two", "bo", parent=support)
    reddit.add_comment("elsewhere", "not listed", "cy", parent=_thread(reddit, "elsewhere"))
    deleted = reddit.add_comment("brandfans", "gone soon", "dee", parent=fans)
    reddit.delete(deleted)

    comments = list(api.subreddit("brandfans+support").comments(limit=10))

    assert [c.fullname for c in comments] == [second, first]
    newest = comments[0]
    assert str(newest.subreddit) == "Support"  # the name as it was first written
    assert newest.subreddit_name_prefixed == "r/Support"
    assert newest.link_id == support
    assert newest.parent_id == support
    assert newest.link_title == "Anyone tried Parley?"
    assert newest.permalink == f"/r/Support/comments/{support[3:]}/anyone_tried_parley/{second[3:]}/"
    assert newest.author_fullname.startswith("t2_")
    assert (newest.locked, newest.archived, newest.score) == (False, False, 1)
    assert isinstance(newest.created_utc, float)


def test_listing_pages_with_after_and_before(reddit: RedditEmulator) -> None:
    thread = _thread(reddit)
    ids = [reddit.add_comment("brandfans", f"c{i}", "ana", parent=thread) for i in range(5)]

    page = _get(reddit, "/r/brandfans/comments/", limit="2", raw_json="1").json()
    assert page["kind"] == "Listing"
    assert [c["data"]["name"] for c in page["data"]["children"]] == [ids[4], ids[3]]
    assert (page["data"]["after"], page["data"]["before"], page["data"]["dist"]) == (ids[3], None, 2)

    older = _get(reddit, "/r/brandfans/comments/", limit="2", after=ids[3]).json()["data"]
    assert [c["data"]["name"] for c in older["children"]] == [ids[2], ids[1]]
    assert (older["after"], older["before"]) == (ids[1], ids[2])

    newer = _get(reddit, "/r/brandfans/comments/", limit="2", before=ids[1]).json()["data"]
    assert [c["data"]["name"] for c in newer["children"]] == [ids[3], ids[2]]

    last = _get(reddit, "/r/brandfans/comments/", after=ids[1]).json()["data"]
    assert [c["data"]["name"] for c in last["children"]] == [ids[0]]
    assert last["after"] is None


def test_listings_cap_limit_at_100_and_praw_pages_through(reddit: RedditEmulator, api: praw.Reddit) -> None:
    thread = _thread(reddit)
    ids = [reddit.add_comment("brandfans", f"c{i}", "ana", parent=thread) for i in range(130)]
    assert [c.fullname for c in api.subreddit("brandfans").comments(limit=None)] == ids[::-1]
    sizes = []
    for page in reddit.requests_to(r"/comments/$"):
        assert page.response is not None and isinstance(page.response.body, dict)
        sizes.append(len(page.response.body["data"]["children"]))
    assert sizes == [100, 30]


def test_submissions_new(reddit: RedditEmulator, api: praw.Reddit) -> None:
    older = reddit.add_submission("brandfans", "Old & gold", "text <b>", "ana")
    newer = reddit.add_submission("brandfans", "New", "", "bo")
    [first, second] = api.subreddit("brandfans").new(limit=5)
    assert (first.fullname, second.fullname) == (newer, older)
    assert (second.title, second.selftext, second.is_self) == ("Old & gold", "text <b>", True)
    assert second.permalink == f"/r/brandfans/comments/{older[3:]}/old_gold/"
    assert second.url == f"https://www.reddit.com{second.permalink}"


def test_text_is_html_escaped_without_raw_json(reddit: RedditEmulator) -> None:
    thread = reddit.add_submission("brandfans", "Q&A", "", "ana")
    reddit.add_comment("brandfans", "a < b & c", "bo", parent=thread)
    escaped = _get(reddit, "/r/brandfans/comments/").json()["data"]["children"][0]["data"]
    assert (escaped["body"], escaped["link_title"]) == ("a &lt; b &amp; c", "Q&amp;A")
    raw = _get(reddit, "/r/brandfans/comments/", raw_json="1").json()["data"]["children"][0]["data"]
    assert (raw["body"], raw["link_title"]) == ("a < b & c", "Q&A")


def test_user_comments_and_info(reddit: RedditEmulator, api: praw.Reddit) -> None:
    thread = _thread(reddit)
    mention = reddit.add_comment("brandfans", "hi", "ana", parent=thread, mention=True)
    first = api.comment(mention[3:]).reply("first")
    second = api.submission(thread[3:]).reply("second")
    assert first is not None and second is not None

    ours = list(api.redditor("parleybrand").comments.new(limit=10))
    assert [c.fullname for c in ours] == [second.fullname, first.fullname]
    assert [c.parent_id for c in ours] == [thread, mention]

    info = list(api.info(fullnames=[thread, mention, "t1_zzzzzzz"]))
    assert [i.fullname for i in info] == [thread, mention]


# --- replying ---


def test_comment_reply_wire_format(reddit: RedditEmulator, api: praw.Reddit) -> None:
    thread = _thread(reddit)
    mention = reddit.add_comment("brandfans", "hi", "ana", parent=thread, mention=True)

    created = api.comment(mention[3:]).reply("Hello **Ana**")

    request = reddit.requests[-1]
    assert request.form() == {"api_type": "json", "text": "Hello **Ana**", "thing_id": mention}
    assert request.response is not None
    body = request.response.body
    assert isinstance(body, dict)
    assert body["json"]["errors"] == []
    [thing] = body["json"]["data"]["things"]
    assert thing["kind"] == "t1"
    assert created is not None
    assert (created.fullname, created.body, created.parent_id, created.link_id) == (
        thing["data"]["name"],
        "Hello **Ana**",
        mention,
        thread,
    )
    [reply] = reddit.replies
    assert reply.name == created.fullname
    assert reddit.unread() == [mention]  # our own comment is not an inbox item


def test_a_deleted_submission_can_still_be_answered(reddit: RedditEmulator, api: praw.Reddit) -> None:
    thread = _thread(reddit)
    reddit.delete(thread)
    assert api.submission(thread[3:]).reply("still here") is not None


@pytest.mark.parametrize(
    ("control", "error"), [("lock", THREAD_LOCKED), ("archive", TOO_OLD), ("delete", DELETED_COMMENT)]
)
def test_refused_comments(
    reddit: RedditEmulator, api: praw.Reddit, control: str, error: tuple[str, str, str]
) -> None:
    mention = reddit.add_comment("brandfans", "hi", "ana", parent=_thread(reddit), mention=True)
    getattr(reddit, control)(mention)

    with pytest.raises(RedditAPIException) as caught:
        api.comment(mention[3:]).reply("Hello")

    [item] = caught.value.items
    assert (item.error_type, item.message, item.field) == error
    assert reddit.replies == []


def test_locking_or_archiving_the_submission_covers_its_comments(
    reddit: RedditEmulator, api: praw.Reddit
) -> None:
    thread = _thread(reddit)
    mention = reddit.add_comment("brandfans", "hi", "ana", parent=thread, mention=True)
    reddit.lock(thread)
    with pytest.raises(RedditAPIException, match="THREAD_LOCKED"):
        api.comment(mention[3:]).reply("Hello")
    reddit.archive(mention)
    with pytest.raises(RedditAPIException, match="TOO_OLD"):
        api.submission(thread[3:]).reply("Hello")
    assert reddit.submission(thread).archived


def test_ratelimit_error_is_raised_by_praw_at_once(reddit: RedditEmulator, api: praw.Reddit) -> None:
    mention = reddit.add_comment("brandfans", "hi", "ana", parent=_thread(reddit), mention=True)
    reddit.ratelimit_next()

    started = time.monotonic()
    with pytest.raises(RedditAPIException) as caught:
        api.comment(mention[3:]).reply("Hello")

    assert time.monotonic() - started < 1
    [item] = caught.value.items
    assert (item.error_type, item.field) == ("RATELIMIT", "ratelimit")
    assert item.message == (
        "Looks like you've been doing that a lot. Take a break for 9 minutes before trying again."
    )
    assert reddit.replies == []
    assert api.comment(mention[3:]).reply("Hello") is not None  # one attempt only


def test_ratelimit_in_seconds_and_singular(reddit: RedditEmulator, api: praw.Reddit) -> None:
    mention = reddit.add_comment("brandfans", "hi", "ana", parent=_thread(reddit), mention=True)
    reddit.ratelimit_next(seconds=30)
    reddit.ratelimit_next(minutes=1)
    for amount in ("30 seconds", "1 minute"):
        with pytest.raises(RedditAPIException, match=f"Take a break for {amount} before"):
            api.comment(mention[3:]).reply("Hello")


def test_bad_comments(reddit: RedditEmulator, api: praw.Reddit) -> None:
    mention = reddit.add_comment("brandfans", "hi", "ana", parent=_thread(reddit), mention=True)
    with pytest.raises(RedditAPIException, match="NO_TEXT"):
        api.comment(mention[3:]).reply("   ")
    with pytest.raises(RedditAPIException, match="TOO_LONG"):
        api.comment(mention[3:]).reply("x" * 10_001)
    assert api.comment(mention[3:]).reply("x" * 10_000) is not None
    with pytest.raises(prawcore.Forbidden) as caught:
        api.comment("zzzzzzz").reply("Hello")
    assert caught.value.response.json() == {"message": "Forbidden", "error": 403}


# --- rate limits ---


def test_rate_limit_headers_on_every_answer(reddit: RedditEmulator, api: praw.Reddit) -> None:
    mention = reddit.add_comment("brandfans", "hi", "ana", parent=_thread(reddit), mention=True)
    api.user.me()
    list(api.inbox.unread())
    api.comment(mention[3:]).reply("Hello")
    reddit.ratelimit_next()
    with pytest.raises(RedditAPIException):
        api.comment(mention[3:]).reply("Hello")
    with requests.get(f"{reddit.url}/message/unread/", timeout=5):
        pass
    with requests.get(f"{reddit.url}/nowhere", timeout=5) as missing:
        assert missing.status_code == 404

    used = []
    for request in reddit.requests:
        assert request.response is not None
        headers = request.response.headers
        assert headers["x-ratelimit-remaining"].endswith(".0")  # a float, as Reddit sends it
        assert 0 < int(headers["x-ratelimit-reset"]) <= 60  # seconds, not an epoch
        used.append(int(headers["x-ratelimit-used"]))
    assert used[1:5] == [1, 2, 3, 4]  # the token endpoint is not counted
    assert api.auth.limits == {"remaining": 96, "used": 4}


def test_exhausted_window_answers_429_and_prawcore_waits_for_the_reset(
    reddit: RedditEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeps: list[float] = []
    monkeypatch.setattr(time, "sleep", sleeps.append)  # prawcore would really wait
    now = [1_000_000.0]
    with RedditEmulator(rate_limit=(2, 60), clock=lambda: now[0]) as limited:
        api = _praw(limited)
        api.user.me()
        api.user.me(use_cache=False)
        assert sleeps == []
        assert api.auth.limits == {"remaining": 0, "used": 2}
        with pytest.raises(prawcore.TooManyRequests) as caught:
            api.user.me(use_cache=False)
        assert len(sleeps) == 1
        assert 59 < sleeps[0] <= 60  # prawcore paced itself by x-ratelimit-reset (seconds, not epoch)
        response = caught.value.response
        assert response.json() == {"message": "Too Many Requests", "error": 429}
        assert (response.headers["x-ratelimit-remaining"], response.headers["x-ratelimit-reset"]) == (
            "0.0",
            "60",
        )

        now[0] += 60  # a new window
        fresh = _praw(limited)
        fresh.user.me()
        assert fresh.auth.limits == {"remaining": 1, "used": 1}


def test_rate_limits_can_be_switched_off(reddit: RedditEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(time, "sleep", lambda seconds: None)
    with RedditEmulator(rate_limit=(1, 60), rate_limits=False) as lax:
        api = _praw(lax)
        for _ in range(3):
            api.user.me(use_cache=False)
        assert lax.requests[-1].response is not None
        assert lax.requests[-1].response.status == 200
        assert lax.requests[-1].response.headers["x-ratelimit-remaining"] == "0.0"


def test_injected_failures_have_reddit_bodies_and_headers(reddit: RedditEmulator) -> None:
    reddit.fail_next(r"^/message/unread/$", status=429)
    with pytest.raises(prawcore.TooManyRequests) as caught:
        list(_praw(reddit).inbox.unread())
    response = caught.value.response
    assert response.json() == {"message": "Too Many Requests", "error": 429}
    assert response.headers["x-ratelimit-remaining"] == "0.0"
    assert int(response.headers["x-ratelimit-reset"]) > 0

    reddit.fail_next(r"^/api/v1/me$", status=403, headers={"x-ratelimit-reset": "7"})
    with pytest.raises(prawcore.Forbidden) as forbidden:
        _praw(reddit).user.me()
    assert forbidden.value.response.json() == {"message": "Forbidden", "error": 403}
    assert forbidden.value.response.headers["x-ratelimit-reset"] == "7"


def test_reset_forgets_everything(reddit: RedditEmulator, api: praw.Reddit) -> None:
    reddit.add_comment("brandfans", "hi", "ana", parent=_thread(reddit), mention=True)
    api.user.me()
    token = _token(reddit)
    reddit.reset()
    assert (reddit.requests, reddit.unread(), reddit.replies) == ([], [], [])
    with requests.get(
        f"{reddit.url}/api/v1/me", headers={"Authorization": f"bearer {token}"}, timeout=5
    ) as response:
        assert response.status_code == 401  # tokens are forgotten too

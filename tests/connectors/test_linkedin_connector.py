"""LinkedInConnector (a typed client over requests) against LinkedInEmulator: mapping, cursor, nesting, errors."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain import Author, Network, Post
from connectors.base import Duplicate, Gone, RateLimited, Refused, Unauthorized, Unavailable
from connectors.linkedin import SIGN_IN_EXPIRED, LinkedInConnector, feed_url
from emulators.linkedin import LinkedInEmulator


class Clock:
    def __init__(self) -> None:
        self.at = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def linkedin() -> Iterator[LinkedInEmulator]:
    with LinkedInEmulator() as emulator:
        yield emulator


def _connector(emulator: LinkedInEmulator, **overrides: object) -> LinkedInConnector:
    options: dict[str, object] = {
        "access_token": emulator.access_token,
        "organization_id": emulator.organization_id,
        "api_url": emulator.url,
        "timeout": 2.0,
        **overrides,
    }
    return LinkedInConnector(**options)  # type: ignore[arg-type]


@pytest.fixture
def connector(linkedin: LinkedInEmulator) -> Iterator[LinkedInConnector]:
    with _connector(linkedin) as conn:
        yield conn


def _comment(
    linkedin: LinkedInEmulator, connector: LinkedInConnector, text: str = "Is this on Android?"
) -> Post:
    post = linkedin.add_post("We launched Parley 2.0 today!")
    cursor = connector.fetch(None).cursor
    linkedin.add_comment(post, text)
    [found] = connector.fetch(cursor).posts
    return found


def test_a_comment_on_the_page_post_becomes_a_post(
    linkedin: LinkedInEmulator, connector: LinkedInConnector
) -> None:
    share = linkedin.add_post("We launched Parley 2.0 today!")
    first = connector.fetch(None)
    assert first.posts == []  # no backfill
    urn = linkedin.add_comment(share, "Is this on Android?", actor="urn:li:person:ann123")
    batch = connector.fetch(first.cursor)
    created = datetime.fromtimestamp(linkedin.store.comments[urn].created / 1000, UTC)
    assert batch.posts == [
        Post(
            network=Network.LINKEDIN,
            id=urn,
            account="Parley Demo",
            author=Author(id="urn:li:person:ann123", handle="", name="LinkedIn member"),
            text="Is this on Android?",
            url=feed_url(share, urn),
            created_at=created,
            conversation_id=share,
            title="We launched Parley 2.0 today!",
        )
    ]
    assert connector.fetch(batch.cursor).posts == []
    request = linkedin.requests_to(r"/comments$")[-1]
    assert (
        request.header("LinkedIn-Version") == "202611"
        and request.header("X-Restli-Protocol-Version") == "2.0.0"
    )


def test_the_page_own_comments_are_left_out(linkedin: LinkedInEmulator, connector: LinkedInConnector) -> None:
    share = linkedin.add_post("Hello")
    cursor = connector.fetch(None).cursor
    linkedin.add_comment(share, "We are hiring too", actor=linkedin.organization)
    assert connector.fetch(cursor).posts == []


def test_a_mention_of_the_page_becomes_a_post(
    linkedin: LinkedInEmulator, connector: LinkedInConnector
) -> None:
    cursor = connector.fetch(None).cursor
    urn = linkedin.mention("Thanks @Parley Demo for the great support!", author="urn:li:person:bob456")
    batch = connector.fetch(cursor)
    [post] = batch.posts
    assert (post.id, post.text, post.author.id, post.url) == (
        urn,
        "Thanks @Parley Demo for the great support!",
        "urn:li:person:bob456",
        feed_url(urn),
    )
    assert connector.fetch(batch.cursor).posts == []
    query = linkedin.requests_to(r"organizationalEntityNotifications")[0].query
    assert query["actions"] == "List(SHARE_MENTION)" and query["timeRange"].startswith("(start:")


def test_reply_nests_under_the_comment_as_the_page(
    linkedin: LinkedInEmulator, connector: LinkedInConnector
) -> None:
    post = _comment(linkedin, connector)
    reply = connector.reply(post, "Yes, on Android and iOS!")
    [ours] = linkedin.comments_by_page()
    assert (
        ours.parent == post.id
        and ours.actor == linkedin.organization
        and ours.text == "Yes, on Android and iOS!"
    )
    assert reply.id == ours.urn and reply.url == feed_url(str(post.conversation_id), ours.urn)
    [request] = linkedin.requests_to(r"/comments$", method="POST")
    assert request.json()["parentComment"] == post.id
    assert "%3A" in request.path  # the comment URN is URL-encoded in the path (Rest.li 2.0)


def test_reply_to_a_mention_comments_on_the_mentioning_post(
    linkedin: LinkedInEmulator, connector: LinkedInConnector
) -> None:
    cursor = connector.fetch(None).cursor
    urn = linkedin.mention("Shout-out to @Parley Demo")
    [post] = connector.fetch(cursor).posts
    connector.reply(post, "Thank you Bob!")
    [ours] = linkedin.comments_by_page()
    assert ours.object == urn and ours.parent is None


def test_find_reply_finds_only_the_page_comment_with_that_text(
    linkedin: LinkedInEmulator, connector: LinkedInConnector
) -> None:
    post = _comment(linkedin, connector)
    assert connector.find_reply(post, "Yes!") is None
    linkedin.add_comment(str(post.conversation_id), "Yes!", actor="urn:li:person:x", parent=post.id)
    assert connector.find_reply(post, "Yes!") is None  # someone else's
    connector.reply(post, "Yes!  On Android.")
    found = connector.find_reply(post, "Yes! On\nAndroid.")
    assert found is not None and found.id == linkedin.comments_by_page()[0].urn


def test_an_expired_token_is_explained(linkedin: LinkedInEmulator, connector: LinkedInConnector) -> None:
    post = _comment(linkedin, connector)
    linkedin.expire_token()
    with pytest.raises(Unauthorized) as refused:
        connector.reply(post, "Yes")
    assert refused.value.message == SIGN_IN_EXPIRED and "LINKEDIN_ACCESS_TOKEN" in refused.value.message
    with pytest.raises(Unauthorized):
        connector.verify()
    assert linkedin.comments_by_page() == []


def test_a_missing_permission_is_named(linkedin: LinkedInEmulator, connector: LinkedInConnector) -> None:
    post = _comment(linkedin, connector)
    linkedin.can_write = False
    with pytest.raises(Unauthorized, match="w_organization_social_feed"):
        connector.reply(post, "Yes")


def test_a_429_waits_for_retry_after_or_midnight(linkedin: LinkedInEmulator) -> None:
    clock = Clock()
    with _connector(linkedin, clock=clock) as conn:
        post = _comment(linkedin, conn)
        linkedin.fail_next(r"/comments$", status=429, method="POST", headers={"Retry-After": "120"})
        with pytest.raises(RateLimited) as limited:
            conn.reply(post, "Yes")
        assert limited.value.retry_at == clock.at + timedelta(seconds=120)
        linkedin.fail_next(r"/comments$", status=429, method="POST")
        with pytest.raises(RateLimited) as daily:
            conn.reply(post, "Yes")
        assert (
            daily.value.retry_at is not None
            and daily.value.retry_at.hour == 0
            and daily.value.retry_at > clock.at
        )
    assert linkedin.comments_by_page() == []
    assert len(linkedin.requests_to(r"/comments$", method="POST")) == 2  # no retries of its own


@pytest.mark.parametrize(("status", "error"), [(500, Unavailable), (404, Gone), (422, Refused)])
def test_other_errors_are_translated(
    linkedin: LinkedInEmulator, connector: LinkedInConnector, status: int, error: type[Exception]
) -> None:
    post = _comment(linkedin, connector)
    linkedin.fail_next(r"/comments$", status=status, method="POST")
    with pytest.raises(error):
        connector.reply(post, "Yes")


def test_a_sunset_version_says_which_setting_to_change(linkedin: LinkedInEmulator) -> None:
    with _connector(linkedin, version="202301") as old, pytest.raises(Refused, match="LINKEDIN_VERSION"):
        old.verify()


def test_verify_names_the_page(connector: LinkedInConnector) -> None:
    assert connector.verify() == "Parley Demo (urn:li:organization:2414183)"


def test_bad_settings_are_refused_at_construction(linkedin: LinkedInEmulator) -> None:
    with pytest.raises(ValueError, match="numeric"):
        _connector(linkedin, organization_id="acme")
    with pytest.raises(ValueError, match="YYYYMM"):
        _connector(linkedin, version="2026-11")


def test_a_reply_under_a_comment_is_read_and_answered_under_the_same_comment(
    linkedin: LinkedInEmulator, connector: LinkedInConnector
) -> None:
    top = _comment(linkedin, connector)
    connector.reply(top, "Yes, on Android too.")
    cursor = connector.fetch(None).cursor
    time.sleep(0.005)
    follow = linkedin.add_comment(str(top.conversation_id), "Great, and on tablets?", parent=top.id)
    [post] = connector.fetch(cursor).posts
    assert (post.id, post.in_reply_to, post.author.id) == (follow, top.id, "urn:li:person:ann123")
    connector.reply(post, "Tablets too!")
    ours = [c for c in linkedin.comments_by_page() if c.text == "Tablets too!"]
    assert [c.parent for c in ours] == [top.id]  # one level of nesting: under the first comment
    assert connector.find_reply(post, "Tablets too!") is not None


def test_a_comment_of_the_same_millisecond_as_the_cursor_is_neither_lost_nor_repeated() -> None:
    from connectors.linkedin import Cursor

    start = Cursor(1000, 999)
    assert start.is_new(1000, "urn:li:comment:(urn:li:share:1,a)")  # made in the poll's millisecond
    after = start.after([(1000, "a"), (1000, "b")], 999)
    assert (after.comments, after.edge) == (1000, ("a", "b"))
    assert not after.is_new(1000, "a") and after.is_new(1000, "c") and after.is_new(1001, "a")
    later = after.after([(1000, "c")], 999)
    assert later.edge == ("a", "b", "c")
    assert Cursor.parse(later.dump()) == later
    assert after.after([(1002, "d")], 1500) == Cursor(1002, 1500, ("d",))


def test_a_duplicate_comment_is_a_duplicate_so_approving_it_unchanged_is_refused(
    linkedin: LinkedInEmulator, connector: LinkedInConnector
) -> None:
    post = _comment(linkedin, connector)
    body = {"status": 422, "message": "Duplicate comment detected"}
    linkedin.fail_next(r"/comments$", status=422, method="POST", body=body)
    with pytest.raises(Duplicate):
        connector.reply(post, "Yes")

"""YouTubeConnector through the real google-api-python-client against YouTubeEmulator: mapping,
cursor, replies in the thread, the quota, and error translation."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain import Author, Network, Post
from bot.domain.quota import next_reset
from connectors.base import Forbidden, Gone, RateLimited, Refused, Unauthorized, Unavailable
from connectors.youtube import MemoryQuota, YouTubeConnector
from emulators.youtube import SHOWN_REPLIES, YouTubeEmulator

T0 = datetime(2026, 12, 6, 18, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.at = T0

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def yt(clock: Clock) -> Iterator[YouTubeEmulator]:
    with YouTubeEmulator(clock=lambda: clock().timestamp()) as emulator:
        yield emulator


def make(yt: YouTubeEmulator, clock: Callable[[], datetime], **overrides: object) -> YouTubeConnector:
    options: dict[str, object] = {
        "client_id": yt.client_id,
        "client_secret": yt.client_secret,
        "refresh_token": yt.refresh_token,
        "channel_id": yt.channel_id,
        "api_url": yt.url,
        "token_url": yt.url + "/token",
        "timeout": 2.0,
        "clock": clock,
        **overrides,
    }
    return YouTubeConnector(**options)  # type: ignore[arg-type]


@pytest.fixture
def connector(yt: YouTubeEmulator, clock: Clock) -> Iterator[YouTubeConnector]:
    with make(yt, clock) as conn:
        yield conn


def api_calls(yt: YouTubeEmulator, path: str = "") -> int:
    return len(yt.requests_to(r"^/youtube/v3/" + path))


def started(connector: YouTubeConnector) -> str | None:
    """The cursor of a first poll (which delivers nothing)."""
    first = connector.fetch(None)
    assert first.posts == ()
    return first.cursor


def test_a_new_comment_becomes_a_post_with_the_video_title_and_a_link(
    yt: YouTubeEmulator, connector: YouTubeConnector, clock: Clock
) -> None:
    video = yt.add_video("How to export your data")
    cursor = started(connector)
    clock.at += timedelta(minutes=1)
    comment = yt.add_comment(video, "How do I export <everything>?", author="@ann", author_channel_id="UCann")
    [post] = connector.fetch(cursor).posts
    assert post == Post(
        network=Network.YOUTUBE,
        id=comment,
        account=yt.channel_id,
        author=Author(id="UCann", handle="@ann", name="@ann"),
        text="How do I export <everything>?",
        url=f"https://www.youtube.com/watch?v={video}&lc={comment}",
        created_at=clock.at,
        conversation_id=comment,
        title="How to export your data",
    )


def test_a_comment_in_a_thread_that_takes_no_replies_is_listen_only(
    yt: YouTubeEmulator, connector: YouTubeConnector, clock: Clock
) -> None:
    video = yt.add_video("v")
    cursor = started(connector)
    clock.at += timedelta(minutes=1)
    closed = yt.add_comment(video, "replies are off here")
    yt.close_replies(closed)
    yt.add_comment(video, "open thread")
    found = {p.text: p.listen_only for p in connector.fetch(cursor).posts}
    assert found == {"replies are off here": True, "open thread": False}


def test_the_first_poll_remembers_where_youtube_is(yt: YouTubeEmulator, connector: YouTubeConnector) -> None:
    yt.add_comment(yt.add_video("v"), "old news", at=T0.timestamp() - 3600)
    cursor = started(connector)
    assert connector.fetch(cursor).posts == []


def test_the_first_poll_of_an_empty_channel_still_starts_the_cursor(
    yt: YouTubeEmulator, connector: YouTubeConnector, clock: Clock
) -> None:
    cursor = started(connector)
    clock.at += timedelta(seconds=5)
    yt.add_comment(yt.add_video("v"), "first!")
    assert [p.text for p in connector.fetch(cursor).posts] == ["first!"]


def test_only_newer_comments_and_replies_oldest_first_never_our_own(
    yt: YouTubeEmulator, connector: YouTubeConnector, clock: Clock
) -> None:
    video = yt.add_video("v")
    top = yt.add_comment(video, "question", at=T0.timestamp() - 60)
    cursor = started(connector)
    clock.at += timedelta(minutes=1)
    yt.add_comment(video, "ours", parent=top, author_channel_id=yt.channel_id)
    clock.at += timedelta(minutes=1)
    reply = yt.add_comment(video, "a follow-up", parent=top, author="@bob")
    clock.at += timedelta(minutes=1)
    yt.add_comment(video, "another thread")
    batch = connector.fetch(cursor)
    assert [p.text for p in batch.posts] == ["a follow-up", "another thread"]
    assert (
        batch.posts[0].id == reply
        and batch.posts[0].in_reply_to == top
        and batch.posts[0].conversation_id == top
    )
    assert connector.fetch(batch.cursor).posts == []


def test_a_comment_in_the_same_second_as_the_cursor_is_not_lost(
    yt: YouTubeEmulator, connector: YouTubeConnector
) -> None:
    video = yt.add_video("v")
    yt.add_comment(video, "one")
    cursor = started(connector)
    yt.add_comment(video, "two, same second")
    assert [p.text for p in connector.fetch(cursor).posts] == ["two, same second"]


def test_replies_beyond_what_a_thread_carries_are_listed_once_the_count_changes(
    yt: YouTubeEmulator, connector: YouTubeConnector, clock: Clock
) -> None:
    video = yt.add_video("v")
    top = yt.add_comment(video, "busy thread", at=T0.timestamp() - 600)
    for n in range(SHOWN_REPLIES):
        yt.add_comment(video, f"old {n}", parent=top, at=T0.timestamp() - 500 + n)
    cursor = started(connector)
    clock.at += timedelta(minutes=1)
    yt.add_comment(video, "the sixth reply", parent=top)
    batch = connector.fetch(cursor)
    assert [p.text for p in batch.posts] == ["the sixth reply"]
    listed = api_calls(yt, "comments")
    assert connector.fetch(batch.cursor).posts == []
    assert api_calls(yt, "comments") == listed  # same count: the thread's replies are not listed again


def test_a_fetch_reads_a_bounded_number_of_pages(yt: YouTubeEmulator, clock: Clock) -> None:
    video = yt.add_video("v")
    with make(yt, clock, max_pages=2) as connector:
        cursor = started(connector)
        clock.at += timedelta(minutes=1)
        for n in range(250):
            yt.add_comment(video, f"c{n}", at=clock.at.timestamp() + n)
        before = api_calls(yt, "commentThreads")
        assert len(connector.fetch(cursor).posts) == 200
        assert api_calls(yt, "commentThreads") - before == 2


def test_every_call_is_charged_to_the_quota(yt: YouTubeEmulator, clock: Clock) -> None:
    meter = MemoryQuota(10_000, clock)
    with make(yt, clock, quota=meter) as connector:
        cursor = started(connector)
        yt.add_comment(yt.add_video("v"), "q")
        connector.fetch(cursor)  # one page of threads, one video title
        assert meter.used() == yt.quota_used == 3
        assert meter.last_poll() == (clock.at, 2)


def test_a_reply_goes_in_the_thread_and_a_reply_to_a_reply_under_its_top_comment(
    yt: YouTubeEmulator, connector: YouTubeConnector, clock: Clock
) -> None:
    video = yt.add_video("v")
    cursor = started(connector)
    clock.at += timedelta(minutes=1)
    top = yt.add_comment(video, "question")
    yt.add_comment(video, "same here", parent=top)
    first, second = connector.fetch(cursor).posts
    reply = connector.reply(second, "Thanks, we are on it.")
    assert [c.parent_id for c in yt.posted] == [top]
    assert reply.url == f"https://www.youtube.com/watch?v={video}&lc={reply.id}" and reply.id.startswith(top)
    connector.reply(first, "Another answer.")
    assert [c.parent_id for c in yt.posted] == [top, top]
    assert yt.quota_used == 3 + 100


def test_find_reply_finds_ours_and_only_ours(
    yt: YouTubeEmulator, connector: YouTubeConnector, clock: Clock
) -> None:
    video = yt.add_video("v")
    cursor = started(connector)
    clock.at += timedelta(minutes=1)
    yt.add_comment(video, "question")
    [post] = connector.fetch(cursor).posts
    assert connector.find_reply(post, "Thanks!") is None
    yt.add_comment(video, "Thanks!", parent=post.id, author="@someone-else")
    assert connector.find_reply(post, "Thanks!") is None
    posted = connector.reply(post, "Thanks!\n")
    found = connector.find_reply(post, "  Thanks! ")
    assert found is not None and found.id == posted.id


def posted_question(yt: YouTubeEmulator, connector: YouTubeConnector, clock: Clock) -> Post:
    video = yt.add_video("v")
    cursor = started(connector)
    clock.at += timedelta(minutes=1)
    yt.add_comment(video, "question")
    [post] = connector.fetch(cursor).posts
    return post


def test_quota_exceeded_is_rate_limited_until_midnight_pacific(yt: YouTubeEmulator, clock: Clock) -> None:
    meter = MemoryQuota(10_000, clock)
    with make(yt, clock, quota=meter) as connector:
        post = posted_question(yt, connector, clock)
        yt.use_quota(9_990)  # other programs of the project spent it: Parley's count does not know
        inserts = len(yt.requests_to("/comments$", method="POST"))
        with pytest.raises(RateLimited) as raised:
            connector.reply(post, "hello")
        assert raised.value.retry_at == next_reset(clock.at) == datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
        assert "quota" in raised.value.message and "midnight Pacific" in raised.value.message
        assert len(yt.requests_to("/comments$", method="POST")) == inserts + 1
        assert meter.used() == 10_000  # counted spent until the reset
        with pytest.raises(RateLimited):  # and nothing more is sent today
            connector.reply(post, "hello")
        assert len(yt.requests_to("/comments$", method="POST")) == inserts + 1
        assert yt.posted == []


def test_above_80_percent_polls_are_spaced_out_and_skipped_polls_keep_the_cursor(
    yt: YouTubeEmulator, clock: Clock
) -> None:
    meter = MemoryQuota(1_000, clock)
    with make(yt, clock, quota=meter) as connector:
        cursor = started(connector)
        meter.spend(850)
        first = connector.fetch(cursor)
        calls = api_calls(yt)
        clock.at += timedelta(minutes=1)
        yt.add_comment(yt.add_video("v"), "waiting")
        skipped = connector.fetch(first.cursor)
        assert skipped.posts == () and skipped.cursor == first.cursor and api_calls(yt) == calls
        clock.at += timedelta(hours=1)  # 14 h to reset, 50 spare units, 1 a poll: every ~17 min
        assert [p.text for p in connector.fetch(first.cursor).posts] == ["waiting"]


@pytest.mark.parametrize(
    ("arrange", "text", "error", "words"),
    [
        (lambda yt, post: yt.close_replies(post.id), "hi", Forbidden, "replies are turned off"),
        (lambda yt, post: None, "x" * 10_001, Refused, "10,000"),
        (lambda yt, post: yt.fail_next("/comments$", status=503), "hi", Unavailable, "error 503"),
        (lambda yt, post: yt.fail_next("/comments$", status=404), "hi", Gone, "deleted"),
        (lambda yt, post: yt.fail_next("/comments$", status=429), "hi", RateLimited, "slow down"),
    ],
)
def test_refusals_are_translated_and_sent_once(
    yt: YouTubeEmulator,
    connector: YouTubeConnector,
    clock: Clock,
    arrange: Callable[[YouTubeEmulator, Post], object],
    text: str,
    error: type[Exception],
    words: str,
) -> None:
    post = posted_question(yt, connector, clock)
    arrange(yt, post)
    with pytest.raises(error, match=words):
        connector.reply(post, text)
    assert len(yt.requests_to("/comments$", method="POST")) == 1 and yt.posted == []


def test_an_expired_access_token_is_renewed_without_posting_twice(
    yt: YouTubeEmulator, connector: YouTubeConnector, clock: Clock
) -> None:
    post = posted_question(yt, connector, clock)
    yt.expire_tokens()
    connector.reply(post, "hello")
    assert len(yt.posted) == 1


def test_a_revoked_refresh_token_is_explained(
    yt: YouTubeEmulator, connector: YouTubeConnector, clock: Clock
) -> None:
    post = posted_question(yt, connector, clock)
    yt.revoke()
    yt.expire_tokens()
    with pytest.raises(Unauthorized, match=r"expired or was revoked.*authorize Parley"):
        connector.reply(post, "hello")
    with pytest.raises(Unauthorized, match="YOUTUBE_REFRESH_TOKEN"):
        connector.verify()


def test_a_closed_port_is_unavailable(clock: Clock) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with YouTubeEmulator() as yt:
        closed = make(
            yt, clock, api_url=f"http://127.0.0.1:{port}", token_url=f"http://127.0.0.1:{port}/token"
        )
        with pytest.raises(Unavailable, match="reach"):
            closed.fetch(None)


def test_verify_names_the_channel_or_the_wrong_one(yt: YouTubeEmulator, clock: Clock) -> None:
    with make(yt, clock) as connector:
        assert connector.verify() == f"Parley Brand ({yt.channel_id})"
    with (
        make(yt, clock, channel_id="UCsomeoneelse") as other,
        pytest.raises(Unauthorized, match="not YOUTUBE"),
    ):
        other.verify()


def test_a_reply_whose_answer_never_came_is_found_instead_of_posted_again(
    yt: YouTubeEmulator, clock: Clock
) -> None:
    with make(yt, clock, timeout=0.3) as connector:
        post = posted_question(yt, connector, clock)
        yt.delay("/comments$", 0.6, method="POST")  # YouTube posts it, but answers too late
        with pytest.raises(Unavailable, match="in time"):
            connector.reply(post, "We are on it.")
        yt.wait_for(lambda: len(yt.posted) == 1)
        found = connector.find_reply(post, "We are on it.")
        assert found is not None and found.id == yt.posted[0].id
        assert len(yt.requests_to("/comments$", method="POST")) == 1

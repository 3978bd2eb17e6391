"""BlueskyConnector through the real atproto SDK against BlueskyEmulator: session, cursor, replies, errors."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from bot.domain import Network, Post
from connectors.base import Gone, RateLimited, Streaming, Unauthorized, Unavailable
from connectors.bluesky import BlueskyConnector
from emulators.bluesky import BlueskyEmulator

ANN = "ann.bsky.social"


@pytest.fixture
def bluesky() -> Iterator[BlueskyEmulator]:
    with BlueskyEmulator() as emulator:
        yield emulator


@pytest.fixture
def connector(bluesky: BlueskyEmulator) -> BlueskyConnector:
    return BlueskyConnector(
        handle=bluesky.brand.handle,
        app_password=bluesky.app_password,
        pds_url=bluesky.url,
        jetstream_url=bluesky.jetstream_url,
        timeout=2.0,
    )


def mention(bluesky: BlueskyEmulator, text: str = "where is my order?", **options: str) -> str:
    return bluesky.add_post(f"@{bluesky.brand.handle} {text}", author_handle=ANN, **options).uri


def test_mentions_and_replies_become_posts_once_oldest_first(
    bluesky: BlueskyEmulator, connector: BlueskyConnector
) -> None:
    first = mention(bluesky, "first")
    ours = bluesky.brand_post("We ship on Mondays")
    bluesky.add_post("unrelated", author_handle="zed.bsky.social")
    answer = bluesky.add_post("ok but when?", author_handle=ANN, reply_to=ours.uri).uri
    batch = connector.fetch(None)
    assert [p.id for p in batch.posts] == [first, answer]
    post = batch.posts[1]
    assert post.network is Network.BLUESKY and post.author.handle == ANN and post.author.name == "Ann Lee"
    assert post.in_reply_to == ours.uri and post.conversation_id == ours.uri
    assert post.title == "We ship on Mondays" and batch.posts[0].title is None  # the post it answers
    assert post.url.startswith(f"https://bsky.app/profile/{ANN}/post/")
    assert batch.posts[0].conversation_id == first and batch.posts[0].lang == "en"

    assert connector.fetch(batch.cursor).posts == []
    later = mention(bluesky, "later")
    assert [p.id for p in connector.fetch(batch.cursor).posts] == [later]


def test_a_cursor_follows_the_pages_back_to_it(bluesky: BlueskyEmulator, connector: BlueskyConnector) -> None:
    cursor = connector.fetch(None).cursor
    uris = [mention(bluesky, f"number {i}") for i in range(120)]
    assert [p.id for p in connector.fetch(cursor).posts] == uris


def test_the_session_is_reused_and_signed_in_again_once_refused(
    bluesky: BlueskyEmulator, connector: BlueskyConnector
) -> None:
    connector.fetch(None)
    connector.fetch(None)
    assert len(bluesky.requests_to("createSession")) == 1
    bluesky.expire_sessions()
    connector.fetch(None)
    assert len(bluesky.requests_to("createSession")) == 2


def test_a_short_lived_session_is_refreshed_before_it_expires(
    bluesky: BlueskyEmulator, connector: BlueskyConnector
) -> None:
    bluesky.access_ttl = 60  # the SDK refreshes when less than 15 minutes are left
    connector.fetch(None)
    connector.fetch(None)
    assert bluesky.requests_to("refreshSession") and len(bluesky.requests_to("createSession")) == 1


def test_a_wrong_app_password_says_what_to_do(bluesky: BlueskyEmulator) -> None:
    connector = BlueskyConnector(handle=bluesky.brand.handle, app_password="nope", pds_url=bluesky.url)
    with pytest.raises(Unauthorized, match="app password"):
        connector.verify()


def test_reply_threads_under_the_root_and_find_reply_sees_it(
    bluesky: BlueskyEmulator, connector: BlueskyConnector
) -> None:
    root = bluesky.add_post("a thread", author_handle="zoe.bsky.social")
    uri = mention(bluesky, "help", reply_to=root.uri)
    post = connector.fetch(None).posts[-1]
    assert connector.find_reply(post, "On it!") is None
    reply = connector.reply(post, "On it!")
    [stored] = bluesky.replies_by_brand()
    assert stored.uri == reply.id and stored.record["reply"]["root"]["uri"] == root.uri
    assert stored.record["reply"]["parent"]["uri"] == uri
    found = connector.find_reply(post, "  On   it! ")
    assert found is not None and found.id == reply.id


def test_facets_index_utf8_bytes(bluesky: BlueskyEmulator, connector: BlueskyConnector) -> None:
    mention(bluesky)
    post = connector.fetch(None).posts[0]
    text = f"Ciao 🇮🇹 @{ANN}, è qui: https://example.com/ä"
    connector.reply(post, text)
    [stored] = bluesky.replies_by_brand()
    data = text.encode()
    slices = sorted(
        data[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode() for f in stored.record["facets"]
    )
    assert slices == [f"@{ANN}", "https://example.com/ä"]


def test_errors_are_translated(bluesky: BlueskyEmulator, connector: BlueskyConnector) -> None:
    mention(bluesky)
    post = connector.fetch(None).posts[0]
    bluesky.fail_next("listNotifications", status=502)
    with pytest.raises(Unavailable):
        connector.fetch(None)
    gone = Post(**{**post.__dict__, "id": post.id[:-3] + "zzz"})
    with pytest.raises(Gone):
        connector.reply(gone, "hello")


def test_the_stream_keeps_only_posts_addressed_to_the_brand(
    bluesky: BlueskyEmulator, connector: BlueskyConnector
) -> None:
    assert isinstance(connector, Streaming)
    ours = bluesky.brand_post("Big news")
    got: list[Post] = []
    opened, stop = threading.Event(), threading.Event()
    thread = threading.Thread(
        target=connector.listen, kwargs={"on_open": opened.set, "on_post": got.append, "stopped": stop.is_set}
    )
    thread.start()
    try:
        assert opened.wait(5)
        bluesky.add_post("nothing for us", author_handle="zed.bsky.social")
        bluesky.brand_post("our own post")
        wanted = [
            mention(bluesky, "streamed"),
            bluesky.add_post("nice", author_handle=ANN, reply_to=ours.uri).uri,
        ]
        bluesky.wait_for(lambda: len(got) >= 2)
    finally:
        stop.set()
        thread.join(5)
    assert [p.id for p in got] == wanted and got[0].author.handle == ANN
    assert not thread.is_alive()


def test_a_stream_that_cannot_connect_is_unavailable(
    bluesky: BlueskyEmulator, connector: BlueskyConnector
) -> None:
    bluesky.jetstream.refuse_next(1)
    with pytest.raises(Unavailable):
        connector.listen(on_open=lambda: None, on_post=lambda p: None, stopped=lambda: False)


def test_a_spent_window_is_not_called_again_before_its_reset(
    bluesky: BlueskyEmulator, connector: BlueskyConnector
) -> None:
    connector.fetch(None)
    bluesky.fail_next("listNotifications", status=429)
    with pytest.raises(RateLimited) as limited:
        connector.fetch(None)
    assert limited.value.retry_at is not None
    calls = len(bluesky.requests)
    with pytest.raises(RateLimited, match="used up until"):
        connector.fetch(None)
    assert len(bluesky.requests) == calls


class _Shared:
    """A session store as two processes would share it (Redis in Parley)."""

    def __init__(self) -> None:
        self.value: str | None = None
        self.writes = 0

    def get(self) -> str | None:
        return self.value

    def set(self, value: str) -> None:
        self.value, self.writes = value, self.writes + 1


def test_processes_share_one_sign_in_and_each_refresh(bluesky: BlueskyEmulator) -> None:
    shared = _Shared()

    def connector() -> BlueskyConnector:
        return BlueskyConnector(
            handle=bluesky.brand.handle,
            app_password=bluesky.app_password,
            pds_url=bluesky.url,
            sessions=shared,
        )

    first, second = connector(), connector()
    first.fetch(None)
    second.fetch(None)
    assert len(bluesky.requests_to("createSession")) == 1 and shared.writes == 1
    bluesky.access_ttl = 60  # the next session is short-lived: the SDK refreshes it, and shares the new one
    bluesky.expire_sessions()
    second.fetch(None)
    third = connector()
    third.fetch(None)
    assert len(bluesky.requests_to("createSession")) == 2
    assert bluesky.requests_to("refreshSession") and shared.writes >= 3


def test_a_stored_session_of_another_account_is_not_used(bluesky: BlueskyEmulator) -> None:
    bluesky.network.add_account("old-brand.bsky.social", "Old", "old-pw")
    shared = _Shared()
    BlueskyConnector(
        handle="old-brand.bsky.social", app_password="old-pw", pds_url=bluesky.url, sessions=shared
    ).fetch(None)
    connector = BlueskyConnector(
        handle=bluesky.brand.handle, app_password=bluesky.app_password, pds_url=bluesky.url, sessions=shared
    )
    assert connector.did == bluesky.brand.did
    assert len(bluesky.requests_to("createSession")) == 2

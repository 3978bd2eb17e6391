"""MastodonConnector through real Mastodon.py against MastodonEmulator: mentions, replies, limits, errors."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from bot.domain import Post
from connectors.base import Gone, RateLimited, Refused, Streaming, Unauthorized, Unavailable
from connectors.mastodon import MastodonConnector
from connectors.mastodon.mapping import html_to_text
from emulators.mastodon import MastodonEmulator


@pytest.fixture
def mastodon() -> Iterator[MastodonEmulator]:
    with MastodonEmulator() as emulator:
        yield emulator


@pytest.fixture
def connector(mastodon: MastodonEmulator) -> MastodonConnector:
    return MastodonConnector(api_base_url=mastodon.url, access_token=mastodon.access_token, timeout=2.0)


def test_mentions_become_posts_and_the_cursor_reads_forward(
    mastodon: MastodonEmulator, connector: MastodonConnector
) -> None:
    first = mastodon.add_status("@parleybrand hello <b>there</b> & co")
    batch = connector.fetch(None)
    [post] = batch.posts
    assert post.id == first.id and post.text == "@parleybrand hello <b>there</b> & co"
    assert (
        post.author.handle == "ann@social.example"
        and not post.private
        and post.reply_limit == 500 - len("@ann ")
    )
    assert connector.fetch(batch.cursor).posts == []
    ids = [mastodon.add_status(f"@parleybrand number {i}").id for i in range(95)]  # more than two pages
    assert [p.id for p in connector.fetch(batch.cursor).posts] == ids


def test_the_servers_own_limit_and_500_when_it_says_nothing(mastodon: MastodonEmulator) -> None:
    mastodon.max_characters = 1000
    assert MastodonConnector(api_base_url=mastodon.url, access_token=mastodon.access_token).limit == 1000
    mastodon.max_characters = None
    assert MastodonConnector(api_base_url=mastodon.url, access_token=mastodon.access_token).limit == 500


def test_replies_name_everyone_and_are_never_wider_than_the_post(
    mastodon: MastodonEmulator, connector: MastodonConnector
) -> None:
    mastodon.server.add_account("bob@other.example", "Bob")
    for visibility in ("public", "unlisted", "private", "direct"):
        mastodon.add_status(f"@parleybrand @bob@other.example {visibility} question", visibility=visibility)
    posts = connector.fetch(None).posts
    assert [p.private for p in posts] == [False, False, False, True]
    assert posts[3].conversation_id == "direct:ann@social.example,bob@other.example,parleybrand"
    for post in posts:
        connector.reply(post, "Thanks, we're on it", idempotency_key=f"key-{post.id}")
    replies = mastodon.replies_by_brand()
    assert [r.visibility for r in replies] == ["public", "unlisted", "private", "direct"]
    assert {r.text for r in replies} == {"@ann@social.example @bob@other.example Thanks, we're on it"}
    assert [r.in_reply_to.id for r in replies if r.in_reply_to] == [p.id for p in posts]


def test_the_idempotency_key_makes_a_retried_post_land_once(
    mastodon: MastodonEmulator, connector: MastodonConnector
) -> None:
    mastodon.add_status("@parleybrand hi")
    [post] = connector.fetch(None).posts
    first = connector.reply(post, "@ann@social.example Hello", idempotency_key="same")
    again = connector.reply(post, "@ann@social.example Hello", idempotency_key="same")
    assert first.id == again.id and len(mastodon.replies_by_brand()) == 1
    found = connector.find_reply(post, "Hello")
    assert found is not None and found.id == first.id
    mastodon.server.add_account("bob@other.example", "Bob")
    connector.reply(post, "Ask @bob@other.example too")
    again_found = connector.find_reply(post, "Ask @bob@other.example too")
    assert again_found is not None and again_found.id != first.id


def test_a_reply_to_a_reply_knows_its_thread(
    mastodon: MastodonEmulator, connector: MastodonConnector
) -> None:
    root = mastodon.add_status("@parleybrand first")
    [post] = connector.fetch(None).posts
    ours = connector.reply(post, "Answer")
    follow = mastodon.add_status("@parleybrand and then?", in_reply_to=ours.id)
    [later] = connector.fetch(None).posts[-1:]
    assert later.id == follow.id and later.in_reply_to == ours.id and later.conversation_id == root.id
    assert later.title is not None and later.title.endswith("Answer")  # the status it answers


def test_errors_are_translated(mastodon: MastodonEmulator, connector: MastodonConnector) -> None:
    mastodon.add_status("@parleybrand hi")
    [post] = connector.fetch(None).posts
    mastodon.fail_next("notifications", status=503)
    with pytest.raises(Unavailable):
        connector.fetch(None)
    with pytest.raises(Refused, match="character limit"):
        connector.reply(post, "x" * 600)
    with pytest.raises(Gone):
        connector.reply(Post(**{**post.__dict__, "id": "1"}), "hi")
    bad = MastodonConnector(api_base_url=mastodon.url, access_token="revoked")
    with pytest.raises(Unauthorized, match="MASTODON_ACCESS_TOKEN"):
        bad.verify()


def test_a_spent_window_is_not_called_again_before_its_reset(
    mastodon: MastodonEmulator, connector: MastodonConnector
) -> None:
    connector.fetch(None)
    mastodon.fail_next("notifications", status=429)
    with pytest.raises(RateLimited) as limited:
        connector.fetch(None)
    assert limited.value.retry_at is not None
    calls = len(mastodon.requests_to("notifications"))
    with pytest.raises(RateLimited):
        connector.fetch(None)
    assert len(mastodon.requests_to("notifications")) == calls


def test_the_user_stream_brings_mentions(mastodon: MastodonEmulator, connector: MastodonConnector) -> None:
    assert isinstance(connector, Streaming)
    got: list[Post] = []
    opened, stop = threading.Event(), threading.Event()
    thread = threading.Thread(
        target=connector.listen, kwargs={"on_open": opened.set, "on_post": got.append, "stopped": stop.is_set}
    )
    thread.start()
    try:
        assert opened.wait(5)
        status = mastodon.add_status("@parleybrand streamed", visibility="direct")
        mastodon.add_status("not for us")
        mastodon.wait_for(lambda: len(got) >= 1)
    finally:
        stop.set()
        thread.join(5)
    assert [p.id for p in got] == [status.id] and got[0].private
    assert not thread.is_alive()


def test_html_becomes_text() -> None:
    html = '<p>Hi <span class="h-card"><a href="x" class="u-url mention">@<span>ann</span></a></span> &amp; co</p><p>line<br />two</p>'
    assert html_to_text(html) == "Hi @ann & co\n\nline\ntwo"


def test_a_reply_naming_the_author_already_is_left_as_written() -> None:
    from connectors.mastodon.mapping import with_mentions

    handles = ["ann@social.example", "bob"]
    assert with_mentions("Thanks!", handles) == "@ann@social.example @bob Thanks!"
    assert with_mentions("Hi @ann, and @bob too", handles) == "Hi @ann, and @bob too"
    assert with_mentions("Hi @ANN@social.example", handles) == "@bob Hi @ANN@social.example"
    assert with_mentions("Hi @annie", handles) == "@ann@social.example @bob Hi @annie"

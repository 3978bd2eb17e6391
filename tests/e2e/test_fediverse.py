"""Bluesky and Mastodon through the whole loop, in real time: streamed once, answered in the right thread."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import redis

from blocks import ids
from bot.domain import State, case_id_for
from bot.domain.model import Network
from demo.fediverse import FediverseSandbox
from demo.sandbox import CHANNEL, Sandbox
from emulators.slack import Message, plain_text_value
from tests.e2e.conftest import Clock, card_of, forwarded, modal_for

pytestmark = pytest.mark.e2e

ANN = "ann.bsky.social"


@pytest.fixture
def sb(redis_client: redis.Redis, clock: Clock) -> Iterator[FediverseSandbox]:
    with FediverseSandbox(redis_client, clock=clock) as sandbox:
        yield sandbox


def polls(sb: FediverseSandbox) -> tuple[int, int]:
    """How many times each network's notifications were read (a poll, or a catch-up)."""
    return (
        len(sb.bluesky.requests_to(r"listNotifications")),
        len(sb.mastodon.requests_to(r"^/api/v1/notifications")),
    )


def arrives(sb: FediverseSandbox, network: Network, post_id: str) -> None:
    """Wait until the case of `post_id` is stored (no poll runs meanwhile: the stream brings it)."""
    case_id = case_id_for(network, post_id)
    sb.slack.wait_for(lambda: sb.parley.store.get(case_id) is not None, timeout=10)


def parent_of(sb: FediverseSandbox, words: str) -> Message:
    sb.drain()
    [parent] = [m for m in forwarded(sb) if words in m.all_text()]
    return parent


def edit(sb: FediverseSandbox, parent: Message, text: str, user: str = "U_MARIA") -> dict[str, str]:
    """Type `text` in the Edit modal and save; Slack's errors for the input (empty when saved)."""
    sb.slack.click(sb.app_url, card_of(sb, parent), "Edit", user=user)
    modal = modal_for(sb, user)
    sb.slack.submit_view(
        sb.app_url, modal.id, {ids.BLOCK_DRAFT: {ids.ACTION_DRAFT_TEXT: plain_text_value(text)}}
    )
    stored = sb.slack.view(modal.id)
    return dict(stored.errors or {}) if stored is not None else {}


def test_a_bluesky_mention_is_streamed_once_and_answered_in_its_thread_with_facets(
    sb: FediverseSandbox,
) -> None:
    root = sb.bluesky.add_post("Our new app is out", author_handle="zoe.bsky.social", author_name="Zoe")
    with sb.streaming():
        before = polls(sb)
        post = sb.bluesky.add_post(
            f"@{sb.bluesky.brand.handle} the export button does nothing 😢",
            author_handle=ANN,
            reply_to=root.uri,
        )
        arrives(sb, Network.BLUESKY, post.uri)
        assert polls(sb) == before  # it came by the stream, not by a poll
        assert sb.poll("bluesky").new == 0  # and the poller knows it already
    parent = parent_of(sb, "export button")
    assert "@ann.bsky.social" in parent.all_text() and len(forwarded(sb)) == 1
    assert "Our new app is out" in parent.all_text()  # the post it answers
    assert "/300" in card_of(sb, parent).all_text()

    text = f"Hi @{ANN} 👋 try the steps at https://example.com/help/export — thanks!"
    assert edit(sb, parent, text) == {}
    sb.slack.click(sb.app_url, card_of(sb, parent), "Approve", user="U_MARIA")
    sb.drain()
    [reply] = sb.bluesky.replies_by_brand()
    record = reply.record
    assert record["text"] == text
    assert record["reply"]["parent"] == {
        "uri": post.uri,
        "cid": post.cid,
        "$type": "com.atproto.repo.strongRef",
    }
    assert record["reply"]["root"] == {
        "uri": root.uri,
        "cid": root.cid,
        "$type": "com.atproto.repo.strongRef",
    }
    data = text.encode()
    spans = {
        feature["$type"].rsplit("#", 1)[1]: (
            data[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode(),
            feature.get("did") or feature.get("uri"),
        )
        for f in record["facets"]
        for feature in f["features"]
    }
    ann = sb.bluesky.network.account(ANN)
    assert ann is not None
    assert spans == {
        "mention": (f"@{ANN}", ann.did),
        "link": ("https://example.com/help/export", "https://example.com/help/export"),
    }
    assert sb.parley.store.get(case_id_for(Network.BLUESKY, post.uri)).state is State.POSTED  # type: ignore[union-attr]


def test_a_direct_mastodon_mention_is_streamed_once_and_answered_directly(sb: FediverseSandbox) -> None:
    with sb.streaming():
        before = polls(sb)
        status = sb.mastodon.add_status(
            "@parleybrand my invoice shows the wrong VAT number",
            author="carl@social.example",
            visibility="direct",
        )
        arrives(sb, Network.MASTODON, status.id)
        assert polls(sb) == before
    case = sb.parley.store.get(case_id_for(Network.MASTODON, status.id))
    assert case is not None and case.post.private and case.post.reply_limit == 500 - len("@carl ")
    parent = parent_of(sb, "VAT number")
    sb.slack.click(sb.app_url, card_of(sb, parent), "Approve", user="U_MARIA")
    sb.drain()
    [reply] = sb.mastodon.replies_by_brand()
    assert reply.in_reply_to is not None and reply.in_reply_to.id == status.id
    assert reply.visibility == "direct"
    assert reply.text.startswith("@carl@social.example ")
    assert len(forwarded(sb)) == 1


def test_over_long_replies_are_refused_in_the_edit_modal(redis_client: redis.Redis, clock: Clock) -> None:
    with FediverseSandbox(redis_client, clock=clock, mastodon_limit=120) as sb:
        sb.bluesky.add_post(f"@{sb.bluesky.brand.handle} bluesky question", author_handle=ANN)
        sb.mastodon.add_status("@parleybrand mastodon question", author="dan@social.example")
        sb.poll("bluesky")
        sb.poll("mastodon")
        bluesky, mastodon = parent_of(sb, "bluesky question"), parent_of(sb, "mastodon question")

        thumbs = "👍🏽" * 301  # 301 graphemes, 602 code points
        assert "301/300" in edit(sb, bluesky, thumbs)[ids.BLOCK_DRAFT]
        sb.slack.close_view(sb.app_url, modal_for(sb, "U_MARIA").id)
        assert edit(sb, bluesky, thumbs[:-2], user="U_LUCA") == {}

        most = 120 - len("@dan ")
        assert f"/{most}" in edit(sb, mastodon, "x" * (most + 1), user="U_ANNA")[ids.BLOCK_DRAFT]
        sb.slack.close_view(sb.app_url, modal_for(sb, "U_ANNA").id)
        assert edit(sb, mastodon, "x" * most, user="U_ANNA") == {}


def test_a_stream_dropped_mid_burst_and_a_restart_lose_and_duplicate_nothing(sb: FediverseSandbox) -> None:
    brand = sb.bluesky.brand.handle
    written: list[tuple[Network, str]] = []

    def drop() -> None:
        """Both streams cut, and the next two attempts to reopen each refused (an endpoint restarting)."""
        sb.bluesky.jetstream.refuse_next(2)
        sb.mastodon.streaming.refuse_next(2)
        sb.bluesky.jetstream.drop_all()
        sb.mastodon.streaming.drop_all()

    def burst(tag: str, count: int, *, drop_at: int = -1) -> None:
        for i in range(count):
            if i == drop_at:
                drop()
            written.append(
                (Network.BLUESKY, sb.bluesky.add_post(f"@{brand} {tag} {i}", author_handle=ANN).uri)
            )
            written.append((Network.MASTODON, sb.mastodon.add_status(f"@parleybrand {tag} {i}").id))

    with sb.streaming() as streams:
        burst("mid-burst", 10, drop_at=4)  # the last six of each are written while nothing listens
        sb.slack.wait_for(lambda: min(streams.connects.values()) >= 2, timeout=30)
        burst("after reconnecting", 3)
        for network, post_id in written:
            arrives(sb, network, post_id)

    burst("while stopped", 3)  # Parley is down
    sb.restart()
    with sb.streaming():
        for network, post_id in written:
            arrives(sb, network, post_id)
        assert sb.poll("bluesky").new == 0 and sb.poll("mastodon").new == 0

    cases = sb.parley.store.open_cases()
    assert sorted(c.id for c in cases) == sorted(case_id_for(n, p) for n, p in written)
    sb.drain()
    assert len(forwarded(sb)) == len(written) == 32
    # every process and the restart reused one Bluesky sign-in, kept in Redis
    assert len(sb.bluesky.requests_to("createSession")) == 1
    assert sb.redis.get("parley:session:bluesky:bluesky")
    assert len({m.ts for m in sb.slack.messages(CHANNEL)}) == 32


def test_the_doctor_reaches_both_accounts_and_explains_a_revoked_token(sb: FediverseSandbox) -> None:
    from bot.app.doctor.services import network_checks

    checks = {c.name: c for c in network_checks(sb.parley.settings)}
    assert checks["bluesky"].ok and sb.bluesky.brand.handle in checks["bluesky"].detail
    assert checks["mastodon"].ok and "500 characters" in checks["mastodon"].detail
    assert "stream ok" in checks["bluesky"].detail and "stream ok" in checks["mastodon"].detail
    sb.bluesky.jetstream.refuse_next(1)
    checks = {c.name: c for c in network_checks(sb.parley.settings)}
    assert checks["bluesky"].ok and "polling only" in checks["bluesky"].detail  # a stream down is no failure
    sb.mastodon.access_token = "rotated"
    checks = {c.name: c for c in network_checks(sb.parley.settings)}
    assert not checks["mastodon"].ok and "MASTODON_ACCESS_TOKEN" in checks["mastodon"].detail


def fediverse_config(sb: Sandbox) -> str:
    assert isinstance(sb, FediverseSandbox)
    return f"""
[[accounts]]
name = "acme-bsky"
network = "bluesky"
handle = "{sb.bluesky.brand.handle}"
app_password = "env:BLUESKY_APP_PASSWORD"
pds_url = "{sb.bluesky.url}"
jetstream_url = "{sb.bluesky.jetstream_url}"

[[accounts]]
name = "acme-masto"
network = "mastodon"
api_base_url = "{sb.mastodon.url}"
access_token = "env:MASTODON_ACCESS_TOKEN"

[[routes]]
channel = "C_BSKY"
accounts = ["acme-bsky"]

[[routes]]
channel = "C_MASTO"
networks = ["mastodon"]
"""


def test_accounts_from_the_config_file_stream_and_route_to_their_channels(
    redis_client: redis.Redis, clock: Clock
) -> None:
    with FediverseSandbox(redis_client, clock=clock, config=fediverse_config) as sb:
        assert sorted(a.name for a in sb.parley.settings.accounts) == ["acme-bsky", "acme-masto"]
        with sb.streaming():
            post = sb.bluesky.add_post(f"@{sb.bluesky.brand.handle} routed?", author_handle=ANN)
            status = sb.mastodon.add_status("@parleybrand routed too?")
            arrives(sb, Network.BLUESKY, post.uri)
            arrives(sb, Network.MASTODON, status.id)
        sb.drain()
        [bsky] = sb.slack.messages("C_BSKY")
        [masto] = sb.slack.messages("C_MASTO")
        assert "routed?" in bsky.all_text() and "routed too?" in masto.all_text()
        case = sb.parley.store.get(case_id_for(Network.BLUESKY, post.uri))
        assert case is not None and case.source == "acme-bsky"


def test_a_reply_whose_answer_was_lost_is_found_and_not_posted_twice(
    sb: FediverseSandbox, clock: Clock
) -> None:
    sb.bluesky.add_post(f"@{sb.bluesky.brand.handle} lost answer?", author_handle=ANN)
    sb.mastodon.add_status("@parleybrand lost answer too?")
    sb.poll("bluesky")
    sb.poll("mastodon")
    sb.bluesky.lose_answers = sb.mastodon.lose_answers = 1
    for network, words in ((Network.BLUESKY, "lost answer?"), (Network.MASTODON, "lost answer too?")):
        parent = parent_of(sb, words)
        sb.slack.click(sb.app_url, card_of(sb, parent), "Approve", user="U_MARIA")
        sb.drain()
        [case] = [c for c in sb.parley.store.open_cases() if c.post.network is network]
        assert case.failure is not None and case.failure.retryable  # a 502: Parley cannot know it landed
        clock.advance(seconds=31)  # the retry is due
        sb.parley.publisher.publish(case.id)  # what the scheduled job does
        sb.drain()
    assert len(sb.bluesky.replies_by_brand()) == 1 and len(sb.mastodon.replies_by_brand()) == 1
    assert sb.parley.store.open_cases() == []  # both posted
    assert len(sb.mastodon.requests_to("^/api/v1/statuses/?$", method="POST")) == 1  # found, not posted again


def test_an_answer_to_our_reply_joins_the_conversation_on_both_networks(sb: FediverseSandbox) -> None:
    """in_reply_to is our reply's id (an at:// URI, a status id): the follow-up joins the case's thread."""
    post = sb.bluesky.add_post(f"@{sb.bluesky.brand.handle} bluesky question one", author_handle=ANN)
    dm = sb.mastodon.add_status(
        "@parleybrand mastodon question one", author="carl@social.example", visibility="direct"
    )
    sb.poll("bluesky")
    sb.poll("mastodon")
    sb.drain()
    parents = [case_parent(sb, Network.BLUESKY, post.uri), case_parent(sb, Network.MASTODON, dm.id)]
    for parent in parents:
        sb.slack.click(sb.app_url, card_of(sb, parent), "Approve", user="U_MARIA")
        sb.drain()
    [ours_bsky], [ours_masto] = sb.bluesky.replies_by_brand(), sb.mastodon.replies_by_brand()
    assert ours_masto.visibility == "direct"
    with sb.streaming():
        later = sb.bluesky.add_post("still broken though", author_handle=ANN, reply_to=ours_bsky.uri)
        status = sb.mastodon.add_status(
            "@parleybrand still broken too",
            author="carl@social.example",
            visibility="direct",
            in_reply_to=ours_masto.id,
        )
        for post_id in (later.uri, status.id):  # filed under the cases they continue
            sb.slack.wait_for(filed(sb, post_id))
    sb.drain()
    assert len(forwarded(sb)) == 2  # no new parent messages: each follow-up joined its thread
    for parent in parents:
        head = sb.slack.message(CHANNEL, parent.ts).all_text()
        assert "2 messages" in head, head
    cards = [m for m in sb.slack.thread(CHANNEL, parents[0].ts) if "Approve" in str(m.buttons())]
    sb.slack.click(sb.app_url, cards[-1], "Approve", user="U_LUCA")
    sb.drain()
    newest = sb.bluesky.replies_by_brand()[-1].record["reply"]
    assert newest["parent"]["uri"] == later.uri and newest["root"]["uri"] == post.uri  # in its place


def filed(sb: FediverseSandbox, post_id: str) -> Callable[[], bool]:
    """Whether some case holds the post (a follow-up is filed under the case it continues)."""
    return lambda: any(post_id in [p.id for p in c.posts] for c in sb.parley.store.open_cases())


def case_parent(sb: FediverseSandbox, network: Network, post_id: str) -> Message:
    case = sb.parley.store.get(case_id_for(network, post_id))
    assert case is not None and case.slack is not None and case.slack.parent_ts is not None
    return sb.slack.message(case.slack.channel, case.slack.parent_ts)

"""The Facebook and Instagram connectors through their Graph client against MetaEmulator."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from connectors import CONNECTORS
from connectors.base import Forbidden, Gone, RateLimited, Unauthorized, Unavailable
from connectors.meta.connector import FacebookConnector, InstagramConnector
from emulators.meta import MetaEmulator, Person

CUSTOMER = Person("24000000000000001", "Giulia Rossi")
IG_CUSTOMER = Person("17841499999999991", "marco.b", "marco.b")


@pytest.fixture
def meta() -> Iterator[MetaEmulator]:
    with MetaEmulator() as emulator:
        yield emulator


def options(meta: MetaEmulator, **overrides: object) -> dict[str, object]:
    return {
        "access_token": meta.access_token,
        "app_secret": meta.app_secret,
        "page_id": meta.page_id,
        "ig_user_id": meta.ig_user_id,
        "base_url": meta.graph_url,
        "timeout": 2.0,
        **overrides,
    }


def facebook(meta: MetaEmulator, **overrides: object) -> FacebookConnector:
    return FacebookConnector(**options(meta, **overrides))  # type: ignore[arg-type]


def instagram(meta: MetaEmulator, **overrides: object) -> InstagramConnector:
    return InstagramConnector(**options(meta, **overrides))


def test_the_registry_builds_both_networks(meta: MetaEmulator) -> None:
    from bot.domain import Network

    assert isinstance(CONNECTORS[Network.FACEBOOK](**options(meta)), FacebookConnector)
    assert isinstance(CONNECTORS[Network.INSTAGRAM](**options(meta)), InstagramConnector)
    with pytest.raises(ValueError, match="META_IG_USER_ID"):
        instagram(meta, ig_user_id="")


def test_every_call_carries_the_token_and_the_appsecret_proof(meta: MetaEmulator) -> None:
    meta.add_comment(meta.add_post("Menu"), "Vegan options?", author=CUSTOMER)
    facebook(meta).fetch(None)
    proof = hmac.new(meta.app_secret.encode(), meta.access_token.encode(), hashlib.sha256).hexdigest()
    assert meta.requests and all(r.query.get("appsecret_proof") == proof for r in meta.requests)
    assert all(r.header("Authorization") == f"Bearer {meta.access_token}" for r in meta.requests)
    assert not any("access_token" in r.query for r in meta.requests)  # never in a URL a log may print
    assert all(r.path.startswith("/v21.0/") for r in meta.requests)


def test_a_wrong_app_secret_is_refused_by_meta(meta: MetaEmulator) -> None:
    with pytest.raises(Forbidden, match="appsecret_proof"):
        facebook(meta, app_secret="wrong").verify()


def test_fetch_returns_comments_mentions_and_messages_since_the_cursor(meta: MetaEmulator) -> None:
    connector = facebook(meta, name="Acme")
    first = connector.fetch(None)
    assert first.posts == []
    post = meta.add_post("Autumn menu")
    comment = meta.add_comment(post, "Gluten free?", author=CUSTOMER)
    meta.add_comment(post, "Thanks!", author=meta.store.page)  # our own: left out
    tagged = meta.add_foreign_post("Loved @Acme", author=CUSTOMER, platform="facebook")
    message = meta.add_message("Where is my order?", author=CUSTOMER)
    batch = connector.fetch(first.cursor)
    assert {p.id for p in batch.posts} == {comment.id, tagged.id, message.id}
    assert all(p.account == "Acme" for p in batch.posts)
    [dm] = [p for p in batch.posts if p.private]
    assert dm.conversation_id == CUSTOMER.id and dm.reply_limit == 2_000
    [commented] = [p for p in batch.posts if p.id == comment.id]
    assert commented.title == "Autumn menu" and commented.in_reply_to == post.id
    assert batch.cursor is not None and int(batch.cursor) >= int(first.cursor or 0)


def test_instagram_reads_media_comments_and_direct_messages(meta: MetaEmulator) -> None:
    media = meta.add_post("Collection", platform="instagram")
    comment = meta.add_comment(media, "Blue in stock?", author=IG_CUSTOMER)
    message = meta.add_message("Hi!", author=IG_CUSTOMER, platform="instagram")
    meta.add_message("Messenger, not Instagram", author=CUSTOMER)
    batch = instagram(meta).fetch(None)
    assert [p.id for p in batch.posts] == sorted([comment.id, message.id], key=[comment.id, message.id].index)
    assert {p.author.handle for p in batch.posts} == {"marco.b"}


def test_a_reply_is_found_again_instead_of_posted_twice(meta: MetaEmulator) -> None:
    post = meta.add_post("Menu")
    meta.add_comment(post, "Open Sunday?", author=CUSTOMER)
    connector = facebook(meta)
    [question] = connector.fetch(None).posts
    assert connector.find_reply(question, "Yes, 10 to 4!") is None
    reply = connector.reply(question, "Yes, 10 to 4!")
    found = connector.find_reply(question, "Yes,  10 to 4!")
    assert found is not None and found.id == reply.id


def test_a_rate_limit_says_when_meta_gives_access_back(meta: MetaEmulator) -> None:
    meta.rate_limit_next(minutes=12)
    connector = facebook(meta)
    before = datetime.now(UTC)
    with pytest.raises(RateLimited) as raised:
        connector.fetch(None)
    assert raised.value.retry_at is not None
    assert before + timedelta(minutes=11) < raised.value.retry_at < before + timedelta(minutes=13)
    with pytest.raises(RateLimited):  # Meta's usage header said wait: no call is made meanwhile
        connector.fetch(None)
    assert len(meta.requests) == 1


def test_an_expired_token_and_a_deleted_comment(meta: MetaEmulator) -> None:
    meta.add_comment(meta.add_post("Menu"), "Hi", author=CUSTOMER)
    connector = facebook(meta)
    [question] = connector.fetch(None).posts
    with meta.store.lock:
        del meta.store.comments[question.id]
    with pytest.raises(Gone):
        connector.reply(question, "Hello")
    meta.expire_token()
    with pytest.raises(Unauthorized, match="expired"):
        connector.reply(question, "Hello")


def test_meta_down_is_unavailable(meta: MetaEmulator) -> None:
    meta.fail_next(r"/feed$", status=500, body={"error": {"message": "An unknown error", "code": 1}})
    with pytest.raises(Unavailable):
        facebook(meta).fetch(None)


def test_hide_and_unhide_a_comment_on_both_networks(meta: MetaEmulator) -> None:
    fb_comment = meta.add_comment(meta.add_post("Menu"), "spam spam", author=CUSTOMER)
    ig_comment = meta.add_comment(meta.add_post("Reel", platform="instagram"), "spam", author=IG_CUSTOMER)
    fb, ig = facebook(meta), instagram(meta)
    [fb_post] = [p for p in fb.fetch(None).posts if p.id == fb_comment.id]
    [ig_post] = [p for p in ig.fetch(None).posts if p.id == ig_comment.id]
    fb.set_hidden(fb_post, True)
    ig.set_hidden(ig_post, True)
    assert fb_comment.hidden and ig_comment.hidden
    assert meta.requests_to(rf"/{ig_comment.id}$", method="POST")[-1].json() == {"hide": True}
    fb.set_hidden(fb_post, False)
    assert not fb_comment.hidden
    message = meta.add_message("hello", author=CUSTOMER)
    [dm] = [p for p in fb.fetch(None).posts if p.id == message.id]
    with pytest.raises(Forbidden):
        fb.set_hidden(dm, True)


def test_an_instagram_mention_reply_that_cannot_be_checked_asks_a_person_instead_of_posting_again(
    meta: MetaEmulator,
) -> None:
    from bot.domain import Network
    from connectors.base import Unverifiable
    from tests.factories import make_post

    mention = make_post(network=Network.INSTAGRAM, id="mention-17900000000001", account=meta.ig_user_id)
    with pytest.raises(Unverifiable, match="click Retry"):
        instagram(meta).find_reply(mention, "Thanks for the mention!")

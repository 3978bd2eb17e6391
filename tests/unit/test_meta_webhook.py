"""Meta's webhook signature and payloads, pure: what is accepted, what each kind becomes."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from bot.domain import Network
from bot.domain.windows import Phase, reply_window
from connectors.meta.webhook import Found, Lookup, parse, sign, signature_ok
from tests.factories import make_post

SECRET = "app-secret"
AT = datetime(2026, 12, 6, 18, 0, tzinfo=UTC)
PAGE, IG = "1000000001", "17841400000000001"


def clock() -> datetime:
    return AT


def named(network: Network, account_id: str) -> str | None:
    return {(Network.FACEBOOK, PAGE): "Acme", (Network.INSTAGRAM, IG): "acme"}.get((network, account_id))


def test_the_signature_is_hmac_sha256_of_the_raw_body_keyed_with_the_app_secret() -> None:
    body = b'{"object":"page","entry":[{"id":"1","changes":[{"field":"feed","value":{"message":"caf\\u00e9"}}]}]}'
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert sign(body, SECRET) == expected
    assert signature_ok(body, expected, SECRET)
    assert not signature_ok(body + b" ", expected, SECRET)  # the raw bytes, not the parsed JSON
    assert not signature_ok(body, expected.upper(), SECRET)
    assert not signature_ok(body, "sha1=" + expected[7:], SECRET)
    assert not signature_ok(body, None, SECRET)
    assert not signature_ok(body, expected, "")  # no secret configured: nothing is trusted


def _change(obj: str, entry: str, field: str, value: Mapping[str, object]) -> dict[str, object]:
    return {"object": obj, "entry": [{"id": entry, "time": 1, "changes": [{"field": field, "value": value}]}]}


def test_a_page_comment_becomes_a_post_with_the_comment_id() -> None:
    value = {
        "from": {"id": "24", "name": "Giulia"},
        "post": {"id": f"{PAGE}_5"},
        "message": "Open Sunday?",
        "post_id": f"{PAGE}_5",
        "comment_id": "5_77",
        "created_time": 1796580000,
        "item": "comment",
        "parent_id": f"{PAGE}_5",
        "verb": "add",
    }
    [found] = parse(_change("page", PAGE, "feed", value), named=named, clock=clock)
    assert isinstance(found, Found)
    post = found.post
    assert (post.network, post.id, post.account, post.text) == (
        Network.FACEBOOK,
        "5_77",
        "Acme",
        "Open Sunday?",
    )
    assert post.author.name == "Giulia" and post.conversation_id == f"{PAGE}_5" and not post.private
    assert post.created_at == datetime.fromtimestamp(1796580000, UTC)


def test_edits_removals_reactions_and_our_own_comments_are_left_out() -> None:
    base: dict[str, object] = {
        "from": {"id": "24", "name": "G"},
        "post_id": "1_5",
        "comment_id": "5_7",
        "item": "comment",
        "verb": "add",
    }
    changes: list[dict[str, object]] = [
        {"verb": "edited"},
        {"verb": "remove"},
        {"item": "reaction"},
        {"from": {"id": PAGE}},
    ]
    for change in changes:
        assert parse(_change("page", PAGE, "feed", base | change), named=named, clock=clock) == []


def test_entries_of_accounts_not_configured_and_other_objects_are_skipped() -> None:
    value = {"from": {"id": "24"}, "post_id": "1_5", "comment_id": "5_7", "item": "comment", "verb": "add"}
    assert parse(_change("page", "999", "feed", value), named=named, clock=clock) == []
    assert parse(_change("user", PAGE, "feed", value), named=named, clock=clock) == []
    assert parse([1, 2], named=named, clock=clock) == []


def test_mentions_come_back_as_lookups() -> None:
    ig = parse(
        _change("instagram", IG, "mentions", {"media_id": "179", "comment_id": "180"}),
        named=named,
        clock=clock,
    )
    fb = parse(
        _change("page", PAGE, "mention", {"post_id": "2_3", "item": "post", "verb": "add", "sender_id": "9"}),
        named=named,
        clock=clock,
    )
    assert ig == [Lookup(Network.INSTAGRAM, IG, "179", "180")]
    assert fb == [Lookup(Network.FACEBOOK, PAGE, "2_3", None)]


def test_an_instagram_comment_and_messages() -> None:
    comment = {
        "from": {"id": "55", "username": "marco"},
        "media": {"id": "179"},
        "id": "180",
        "text": "stock?",
    }
    [found] = parse(_change("instagram", IG, "comments", comment), named=named, clock=clock)
    assert isinstance(found, Found) and found.post.id == "180" and found.post.author.handle == "marco"
    assert found.post.in_reply_to == "179" and found.post.created_at == AT  # no time in the payload

    def messaging(obj: str, entry: str, message: dict[str, object], sender: str = "55") -> dict[str, object]:
        event = {
            "sender": {"id": sender},
            "recipient": {"id": entry},
            "timestamp": 1796580000123,
            "message": message,
        }
        return {"object": obj, "entry": [{"id": entry, "time": 1, "messaging": [event]}]}

    [dm] = parse(messaging("instagram", IG, {"mid": "aWdf1", "text": "hi"}), named=named, clock=clock)
    assert isinstance(dm, Found) and dm.post.private and dm.post.reply_limit == 1_000
    assert dm.post.conversation_id == "55" and dm.post.network is Network.INSTAGRAM
    [pm] = parse(messaging("page", PAGE, {"mid": "m_1", "text": "hi"}), named=named, clock=clock)
    assert isinstance(pm, Found) and pm.post.reply_limit == 2_000
    assert pm.post.created_at == datetime.fromtimestamp(1796580000.123, UTC)
    echo = messaging("page", PAGE, {"mid": "m_2", "text": "ours", "is_echo": True})
    assert parse(echo, named=named, clock=clock) == []
    assert parse(messaging("page", PAGE, {"mid": "m_3"}, sender=PAGE), named=named, clock=clock) == []
    assert json.dumps(pm.post.text) == '"hi"'


def test_the_reply_window_of_a_message() -> None:
    message = make_post(network=Network.FACEBOOK, private=True, created_at=AT)
    standard = reply_window(message, AT + timedelta(hours=23))
    assert standard is not None and standard.phase is Phase.STANDARD
    assert standard.left(AT + timedelta(hours=23)) == timedelta(hours=1)
    tagged = reply_window(message, AT + timedelta(hours=25))
    assert tagged is not None and tagged.phase is Phase.HUMAN_AGENT
    closed = reply_window(message, AT + timedelta(hours=25), human_agent=False)
    assert closed is not None and closed.phase is Phase.CLOSED
    gone = reply_window(message, AT + timedelta(days=7, seconds=1))
    assert gone is not None and gone.phase is Phase.CLOSED
    assert reply_window(make_post(network=Network.FACEBOOK, created_at=AT), AT) is None  # a public comment
    assert reply_window(make_post(network=Network.X, private=True, created_at=AT), AT) is None

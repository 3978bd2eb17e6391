"""Meta's webhook deliveries: the signature check, and the payload as posts (or mentions to look up).

Meta signs each delivery with ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body,
keyed with the app secret>`` (developers.facebook.com/docs/graph-api/webhooks/getting-started,
"Validate Payloads"); `signature_ok` compares in constant time and never parses the body.

Payloads (Graph API webhooks reference: Page ``feed``, ``mention``; Instagram ``comments``,
``mentions``; Messenger Platform ``messages``)::

    {"object": "page" | "instagram", "entry": [
        {"id": <Page or IG account id>, "time": ..., "changes": [{"field": ..., "value": {...}}]},
        {"id": ..., "time": ..., "messaging": [{"sender": {"id"}, "recipient": {"id"},
                                                "timestamp": ms, "message": {"mid", "text"}}]}]}

`parse` keeps what Parley answers: new comments by others (``feed`` with ``item: comment``,
``verb: add``), messages from people (not our own echoes), IG comments by others; Page and IG
mentions carry no text, so they come back as `Lookup`s for the worker to complete through Graph.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.domain import Network, Post
from connectors.meta import mapping


def sign(body: bytes, app_secret: str) -> str:
    """The `X-Hub-Signature-256` value Meta sends for `body`."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def signature_ok(body: bytes, header: str | None, app_secret: str) -> bool:
    """Whether `header` is Meta's signature of the raw `body` (constant-time; False without a secret)."""
    if not app_secret or not header:
        return False
    return hmac.compare_digest(sign(body, app_secret).encode(), header.strip().encode())


@dataclass(frozen=True)
class Lookup:
    """A mention Meta announced without its text: the worker reads it through Graph, then accepts it."""

    network: Network
    account_id: str  # the Page id or the IG account id the entry was for
    media_id: str  # IG media, or the Facebook post
    comment_id: str | None  # the comment the mention is in; None for a post or a caption


@dataclass(frozen=True)
class Found:
    """One post of a delivery, for the configured account whose id is `account_id`."""

    account_id: str
    post: Post


Event = Found | Lookup
Namer = Callable[[Network, str], str | None]  # (network, Page/IG id) -> the account's display name


def parse(payload: Any, *, named: Namer, clock: Callable[[], datetime]) -> list[Event]:
    """The posts and lookups of a delivery; entries for accounts `named` does not know are skipped."""
    if not isinstance(payload, dict):
        return []
    network = {"page": Network.FACEBOOK, "instagram": Network.INSTAGRAM}.get(str(payload.get("object")))
    if network is None:
        return []
    events: list[Event] = []
    for entry in payload.get("entry") or []:
        if not isinstance(entry, dict):
            continue
        entry_id = str(entry.get("id") or "")
        account = named(network, entry_id)
        if account is None:
            continue
        for change in entry.get("changes") or []:
            events += _change(network, entry_id, account, change, clock)
        for item in entry.get("messaging") or []:
            events += _messaging(network, entry_id, account, item, clock)
    return events


def _change(
    network: Network, entry_id: str, account: str, change: Any, clock: Callable[[], datetime]
) -> Iterator[Event]:
    if not isinstance(change, dict):
        return
    field, value = change.get("field"), change.get("value")
    if not isinstance(value, dict):
        return
    if network is Network.FACEBOOK and field == "feed":
        sender = str((value.get("from") or {}).get("id") or "")
        if value.get("item") == "comment" and value.get("verb") == "add" and sender != entry_id:
            post = mapping.facebook_comment(value, page_id=entry_id, clock=clock)
            yield Found(entry_id, _as(post, account))
    elif network is Network.FACEBOOK and field == "mention" and value.get("verb", "add") == "add":
        comment = value.get("comment_id")
        yield Lookup(network, entry_id, str(value.get("post_id") or ""), str(comment) if comment else None)
    elif network is Network.INSTAGRAM and field == "comments":
        commenter = str((value.get("from") or {}).get("id") or "")
        if commenter != entry_id and value.get("id"):
            post = mapping.instagram_comment(value, ig_user_id=entry_id, clock=clock)
            yield Found(entry_id, _as(post, account))
    elif network is Network.INSTAGRAM and field == "mentions":
        comment = value.get("comment_id")
        yield Lookup(network, entry_id, str(value.get("media_id") or ""), str(comment) if comment else None)


def _messaging(
    network: Network, entry_id: str, account: str, item: Any, clock: Callable[[], datetime]
) -> Iterator[Event]:
    if not isinstance(item, dict):
        return
    message = item.get("message")
    if not isinstance(message, dict) or message.get("is_echo") or not message.get("mid"):
        return
    sender = item.get("sender") or {}
    if str(sender.get("id") or "") == entry_id:
        return
    post = mapping.message(
        network,
        mid=str(message["mid"]),
        sender=sender,
        text=str(message.get("text") or ""),
        sent=item.get("timestamp"),
        account=account,
        page_id=str((item.get("recipient") or {}).get("id") or entry_id),
        clock=clock,
    )
    yield Found(entry_id, post)


def _as(post: Post, account: str) -> Post:
    return replace(post, account=account)


def loads(body: bytes) -> Any:
    """The delivery's JSON, or None when it is not JSON."""
    try:
        return json.loads(body)
    except ValueError:
        return None

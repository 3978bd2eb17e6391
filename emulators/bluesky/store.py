"""The emulated network's data: accounts, post records, and how the AppView renders them.

Identifiers look like Bluesky's: DIDs ``did:plc:`` + 24 base32 characters, record keys are TIDs
(microseconds since the epoch in base32-sortable), CIDs are CIDv1 dag-cbor sha-256 in base32.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import regex

POST = "app.bsky.feed.post"
MENTION = "app.bsky.richtext.facet#mention"
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"

JSON = dict[str, Any]


def iso(at: float) -> str:
    """Bluesky's datetime format: milliseconds... here microseconds, so that order is exact."""
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def cid_of(record: JSON) -> str:
    digest = hashlib.sha256(json.dumps(record, sort_keys=True).encode()).digest()
    raw = bytes([0x01, 0x71, 0x12, 0x20]) + digest
    return "b" + base64.b32encode(raw).decode().lower().rstrip("=")


def graphemes(text: str) -> int:
    return len(regex.findall(r"\X", text))


@dataclass
class Account:
    did: str
    handle: str
    display_name: str
    password: str = ""
    followers: int = 0

    def basic(self) -> JSON:
        return {"did": self.did, "handle": self.handle, "displayName": self.display_name}


@dataclass
class StoredPost:
    uri: str
    cid: str
    author: Account
    record: JSON
    indexed_at: str
    time_us: int
    rkey: str

    def view(self, reply_count: int = 0) -> JSON:
        return {
            "$type": "app.bsky.feed.defs#postView",
            "uri": self.uri,
            "cid": self.cid,
            "author": self.author.basic(),
            "record": self.record,
            "indexedAt": self.indexed_at,
            "replyCount": reply_count,
            "repostCount": 0,
            "likeCount": 0,
            "quoteCount": 0,
        }


@dataclass
class Network:
    """Accounts and posts, thread-safe; `clock` gives epoch seconds."""

    clock: Callable[[], float] = time.time
    accounts: dict[str, Account] = field(default_factory=dict)  # by DID
    posts: dict[str, StoredPost] = field(default_factory=dict)  # by URI, in creation order
    lock: threading.RLock = field(default_factory=threading.RLock)
    _last_us: int = 0

    def account(self, handle_or_did: str) -> Account | None:
        with self.lock:
            if handle_or_did in self.accounts:
                return self.accounts[handle_or_did]
            wanted = handle_or_did.removeprefix("@").lower()
            return next((a for a in self.accounts.values() if a.handle.lower() == wanted), None)

    def add_account(self, handle: str, display_name: str, password: str = "") -> Account:
        with self.lock:
            existing = self.account(handle)
            if existing is not None:
                return existing
            digest = base64.b32encode(hashlib.sha256(handle.encode()).digest()).decode().lower()
            account = Account(f"did:plc:{digest[:24]}", handle, display_name, password)
            self.accounts[account.did] = account
            return account

    def _next_us(self) -> int:
        now_us = max(int(self.clock() * 1_000_000), self._last_us + 1)
        self._last_us = now_us
        return now_us

    def create(self, author: Account, record: JSON) -> StoredPost:
        with self.lock:
            at_us = self._next_us()
            rkey = tid(at_us)
            record = {"$type": POST, **record}
            stored = StoredPost(
                uri=f"at://{author.did}/{POST}/{rkey}",
                cid=cid_of(record),
                author=author,
                record=record,
                indexed_at=iso(at_us / 1_000_000),
                time_us=at_us,
                rkey=rkey,
            )
            self.posts[stored.uri] = stored
            return stored

    def replies_to(self, uri: str) -> list[StoredPost]:
        with self.lock:
            return [
                p
                for p in self.posts.values()
                if (p.record.get("reply") or {}).get("parent", {}).get("uri") == uri
            ]

    def notifications_of(self, account: Account) -> list[JSON]:
        """The account's mention and reply notifications, newest first (as listNotifications pages them)."""
        found: list[JSON] = []
        with self.lock:
            for post in self.posts.values():
                if post.author.did == account.did:
                    continue
                reason = _reason(post.record, account.did)
                if reason is None:
                    continue
                item = {
                    "uri": post.uri,
                    "cid": post.cid,
                    "author": post.author.basic(),
                    "reason": reason,
                    "record": post.record,
                    "isRead": False,
                    "indexedAt": post.indexed_at,
                }
                if reason == "reply":
                    item["reasonSubject"] = post.record["reply"]["parent"]["uri"]
                found.append(item)
        return sorted(found, key=lambda n: n["indexedAt"], reverse=True)


def _reason(record: JSON, did: str) -> str | None:
    reply = record.get("reply") or {}
    mine = f"at://{did}/"
    if str((reply.get("parent") or {}).get("uri", "")).startswith(mine):
        return "reply"
    for facet in record.get("facets") or []:
        for feature in facet.get("features") or []:
            if feature.get("$type") == MENTION and feature.get("did") == did:
                return "mention"
    return None


def tid(micros: int, clock_id: int = 0) -> str:
    """A record key: 13 base32-sortable characters of (microseconds << 10 | clock id)."""
    value = (micros << 10) | clock_id
    return "".join(_TID_ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(13)))


def mention_facets(text: str, mentions: dict[str, str]) -> list[JSON]:
    """Facets for each ``@handle`` of `mentions` (handle -> DID) in `text`: UTF-8 byte offsets."""
    facets = []
    data = text.encode()
    for handle, did in mentions.items():
        needle = f"@{handle}".encode()
        start = data.find(needle)
        if start >= 0:
            facets.append(
                {
                    "index": {"byteStart": start, "byteEnd": start + len(needle)},
                    "features": [{"$type": MENTION, "did": did}],
                }
            )
    return facets

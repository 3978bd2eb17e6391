"""Bluesky records (from notifications or Jetstream) as domain `Post`s, and text comparisons."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.domain import Author, Network, Post
from connectors.common import folded, parse_time

POST_COLLECTION = "app.bsky.feed.post"
MENTION = "app.bsky.richtext.facet#mention"
REASONS = ("mention", "reply")  # listNotifications reasons that are addressed to the brand

_SPACES = re.compile(r"\s+")


def post_uri(did: str, rkey: str) -> str:
    return f"at://{did}/{POST_COLLECTION}/{rkey}"


def did_of(uri: str) -> str:
    """The repository (author DID) of an ``at://`` URI."""
    return uri.removeprefix("at://").split("/", 1)[0]


def web_url(handle_or_did: str, uri: str) -> str:
    """The bsky.app address of a post."""
    return f"https://bsky.app/profile/{handle_or_did}/post/{uri.rsplit('/', 1)[-1]}"


def reply_refs(record: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(root URI, parent URI) of a post record that is a reply; (None, None) otherwise."""
    reply = record.get("reply") or {}
    root, parent = reply.get("root") or {}, reply.get("parent") or {}
    return root.get("uri"), parent.get("uri")


def mentioned_dids(record: Mapping[str, Any]) -> set[str]:
    return {
        str(feature.get("did"))
        for facet in record.get("facets") or []
        for feature in facet.get("features") or []
        if feature.get("$type") == MENTION
    }


def addressed_to(record: Mapping[str, Any], did: str) -> bool:
    """The post mentions `did`, or answers (or sits in a thread started by) one of its posts."""
    root, parent = reply_refs(record)
    mine = f"at://{did}/"
    return did in mentioned_dids(record) or any(u and u.startswith(mine) for u in (root, parent))


def to_post(
    *,
    uri: str,
    author: Author,
    record: Mapping[str, Any],
    account: str,
    seen_at: datetime,
    title: str | None = None,
) -> Post:
    """`title`: the text of the post this one answers, when known (shown above it on the card)."""
    root, parent = reply_refs(record)
    langs = record.get("langs") or []
    return Post(
        network=Network.BLUESKY,
        id=uri,
        account=account,
        author=author,
        text=str(record.get("text", "")),
        url=web_url(author.handle or author.id, uri),
        created_at=parse_time(record.get("createdAt")) or seen_at,
        lang=str(langs[0]) if langs else None,
        conversation_id=root or uri,
        in_reply_to=parent,
        title=title,
    )


def author_of(profile: Mapping[str, Any]) -> Author:
    handle = str(profile.get("handle", ""))
    return Author(
        id=str(profile["did"]),
        handle=handle,
        name=str(profile.get("displayName") or handle),
        followers=profile.get("followersCount"),
    )


clean = folded  # how a reply found on the network is compared with ours

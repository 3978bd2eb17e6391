"""Jetstream: Bluesky's public stream of repository commits as JSON over a WebSocket.

``GET {jetstream}/subscribe?wantedCollections=app.bsky.feed.post`` sends one JSON message per
event; a new post is ``{"did", "time_us", "kind": "commit", "commit": {"operation": "create",
"collection": "app.bsky.feed.post", "rkey", "cid", "record": {...}}}`` (Jetstream's README).
Jetstream cannot filter by mention, so every post is received and only those that mention the
brand's DID or answer one of its posts are kept; the brand's own posts are skipped.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI
from websockets.sync.client import connect

from bot.domain import Post
from connectors.base import Unavailable
from connectors.bluesky.mapping import POST_COLLECTION, addressed_to, post_uri

log = logging.getLogger(__name__)

POLL_EVERY = 1.0  # seconds between checks of `stopped` while the stream is quiet


def subscribe_url(base: str) -> str:
    return f"{base.rstrip('/')}/subscribe?wantedCollections={POST_COLLECTION}"


def wanted(event: dict[str, Any], did: str) -> tuple[str, str, dict[str, Any]] | None:
    """(author DID, post URI, record) of an event that creates a post addressed to `did`, else None."""
    commit = event.get("commit") or {}
    if (
        event.get("kind") != "commit"
        or commit.get("operation") != "create"
        or commit.get("collection") != POST_COLLECTION
    ):
        return None
    author, record = str(event.get("did", "")), commit.get("record") or {}
    if not author or author == did or not isinstance(record, dict) or not addressed_to(record, did):
        return None
    return author, post_uri(author, str(commit.get("rkey", ""))), record


def jetstream_reachable(base: str, *, timeout: float) -> None:
    """Open and close a subscription (`parley doctor`); Unavailable when Jetstream refuses or is away."""
    try:
        with connect(subscribe_url(base), open_timeout=timeout, close_timeout=1):
            pass
    except (ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI, OSError) as error:
        raise Unavailable(f"The Bluesky stream ({base}) is not reachable: {type(error).__name__}.") from error


def listen_to_jetstream(
    base: str,
    *,
    did: str,
    to_post: Callable[[str, str, dict[str, Any]], Post],
    on_open: Callable[[], None],
    on_post: Callable[[Post], object],
    stopped: Callable[[], bool],
    timeout: float,
) -> None:
    """Read Jetstream until `stopped()`; raise Unavailable when it cannot connect or the link drops."""
    url = subscribe_url(base)
    try:
        with connect(url, open_timeout=timeout, close_timeout=1, max_size=2**22) as socket:
            on_open()
            while not stopped():
                try:
                    message = socket.recv(timeout=POLL_EVERY)
                except TimeoutError:
                    continue
                try:
                    event = json.loads(message)
                except ValueError:
                    log.warning("Jetstream sent a message that is not JSON; skipped")
                    continue
                found = wanted(event, did) if isinstance(event, dict) else None
                if found is not None:
                    on_post(to_post(*found))
    except (ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI, OSError) as error:
        raise Unavailable(
            f"The Bluesky stream ({base}) is not reachable or closed: {type(error).__name__}."
        ) from error

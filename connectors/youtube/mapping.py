"""YouTube's comment resources as domain values, the links to them, and the cursor."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bot.domain import Author, Network, Post, Reply
from connectors.common import folded
from connectors.common import parse_time as iso_time

log = logging.getLogger(__name__)

CURSOR_VERSION = 1


def watch_url(video_id: str, comment_id: str) -> str:
    """The link that opens the video with this comment highlighted."""
    return f"https://www.youtube.com/watch?v={video_id}&lc={comment_id}"


def video_of(url: str) -> str:
    """The video id of a `watch_url`; "" for anything else."""
    return parse_qs(urlsplit(url).query).get("v", [""])[0]


def parse_time(value: str) -> datetime:
    parsed = iso_time(value)
    if parsed is None:
        raise ValueError(f"not a YouTube time: {value!r}")
    return parsed


def snippet_of(comment: dict[str, Any]) -> dict[str, Any]:
    snippet = comment.get("snippet")
    return snippet if isinstance(snippet, dict) else {}


def author_channel(comment: dict[str, Any]) -> str:
    owner = snippet_of(comment).get("authorChannelId")
    return str(owner.get("value", "")) if isinstance(owner, dict) else ""


def text_of(comment: dict[str, Any]) -> str:
    """The comment's text: the original where the API gives it, else the plain-text display."""
    snippet = snippet_of(comment)
    return str(snippet.get("textOriginal") or snippet.get("textDisplay") or "")


def published(comment: dict[str, Any]) -> datetime:
    return parse_time(str(snippet_of(comment)["publishedAt"]))


def to_post(comment: dict[str, Any], *, account: str, title: str | None, listen_only: bool = False) -> Post:
    """A top-level comment or a reply as a `Post` of the thread (`conversation_id`: the top-level id);
    `listen_only` when the thread takes no replies (``canReply`` false)."""
    snippet = snippet_of(comment)
    name = str(snippet.get("authorDisplayName") or "")
    parent = snippet.get("parentId")
    video = str(snippet.get("videoId") or "")
    return Post(
        network=Network.YOUTUBE,
        id=str(comment["id"]),
        account=account,
        author=Author(id=author_channel(comment) or name, handle=name, name=name),
        text=text_of(comment),
        url=watch_url(video, str(comment["id"])),
        created_at=published(comment),
        conversation_id=str(parent or comment["id"]),
        title=title,
        in_reply_to=str(parent) if parent else None,
        listen_only=listen_only,
    )


def to_reply(comment: dict[str, Any], video_id: str) -> Reply:
    return Reply(
        id=str(comment["id"]),
        url=watch_url(str(snippet_of(comment).get("videoId") or video_id), str(comment["id"])),
        posted_at=published(comment),
    )


@dataclass(frozen=True)
class Cursor:
    """The newest `publishedAt` delivered, the ids published at that very second, and the reply
    counts of threads with more replies than a thread carries (to know when to list them)."""

    at: datetime | None = None
    ids: frozenset[str] = frozenset()
    replies: dict[str, int] = field(default_factory=dict)

    @classmethod
    def parse(cls, cursor: str | None) -> Cursor:
        if not cursor:
            return cls()
        try:
            data = json.loads(cursor)
            if data.get("v") != CURSOR_VERSION:
                raise ValueError(cursor)
            at = parse_time(data["t"]) if data.get("t") else None
            return cls(
                at, frozenset(data.get("ids", ())), {str(k): int(v) for k, v in data.get("n", {}).items()}
            )
        except (ValueError, TypeError, AttributeError, KeyError):
            log.warning("YouTube: ignoring a cursor Parley cannot read: %r", cursor)
            return cls()

    def dump(self) -> str:
        moment = self.at.strftime("%Y-%m-%dT%H:%M:%SZ") if self.at else None
        return json.dumps({"v": CURSOR_VERSION, "t": moment, "ids": sorted(self.ids), "n": self.replies})

    def is_new(self, comment: dict[str, Any]) -> bool:
        if self.at is None:
            return False
        when = published(comment)
        return when > self.at or (when == self.at and str(comment["id"]) not in self.ids)

    def after(self, comments: list[dict[str, Any]], replies: dict[str, int]) -> Cursor:
        """The cursor once `comments` (everything read) are delivered."""
        times = [published(c) for c in comments]
        newest = max([*times, *([self.at] if self.at else [])], default=None)
        if newest is None:
            return Cursor(None, frozenset(), replies)
        ids = {str(c["id"]) for c, t in zip(comments, times, strict=True) if t == newest}
        if newest == self.at:
            ids |= self.ids
        return Cursor(newest, frozenset(ids), replies)


clean = folded  # how a reply found on the network is compared with ours

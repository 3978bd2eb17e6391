"""LinkedIn comments and posts as domain `Post`s and `Reply`s, URNs, links and the cursor."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from bot.domain import Author, Network, Post, Reply

CURSOR_VERSION = 1
TITLE_BUDGET = 200
_COMMENT_URN = re.compile(r"urn:li:comment:\((?P<object>urn:li:[A-Za-z]+:[^,]+),(?P<id>[^)]+)\)")


@dataclass
class Cursor:
    """Epoch milliseconds of the newest comment and mention notification seen, and the comments seen
    at exactly that millisecond (`edge`), so a comment of the same millisecond is neither lost nor
    delivered twice."""

    comments: int
    mentions: int
    edge: tuple[str, ...] = ()

    @classmethod
    def parse(cls, raw: str | None) -> Cursor | None:
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            return None
        if not isinstance(data, dict) or data.get("v") != CURSOR_VERSION:
            return None
        edge = tuple(str(urn) for urn in data.get("e") or ())
        return cls(int(data.get("c", 0)), int(data.get("m", 0)), edge)

    def is_new(self, created: int, urn: str) -> bool:
        return created > self.comments or (created == self.comments and urn not in self.edge)

    def after(self, seen: list[tuple[int, str]], mentions: int) -> Cursor:
        """The cursor once the comments `seen` ((created, urn), all new) are delivered."""
        newest = max([self.comments, *(created for created, _ in seen)])
        edge = tuple(urn for created, urn in seen if created == newest)
        return Cursor(newest, mentions, (*self.edge, *edge) if newest == self.comments else edge)

    def dump(self) -> str:
        data: dict[str, object] = {"v": CURSOR_VERSION, "c": self.comments, "m": self.mentions}
        if self.edge:
            data["e"] = list(self.edge)
        return json.dumps(data, separators=(",", ":"))


def comment_object(urn: str) -> str | None:
    """The post (activity, share or ugcPost) a comment URN belongs to; None when `urn` is no comment."""
    match = _COMMENT_URN.fullmatch(urn)
    return match.group("object") if match else None


def ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def from_ms(value: Any) -> datetime | None:
    return (
        datetime.fromtimestamp(int(value) / 1000, UTC)
        if isinstance(value, int | float) and value > 0
        else None
    )


def feed_url(post_urn: str, comment_urn: str | None = None) -> str:
    url = f"https://www.linkedin.com/feed/update/{post_urn}/"
    return url + (f"?commentUrn={quote(comment_urn, safe='')}" if comment_urn else "")


def author_of(actor: str) -> Author:
    """LinkedIn's comment and post objects name their author only by URN (no name without extra
    permissions): the card says "LinkedIn member" and links to the comment."""
    if actor.startswith("urn:li:organization:"):
        return Author(id=actor, handle="", name=f"Organization {actor.rpartition(':')[2]}")
    return Author(id=actor, handle="", name="LinkedIn member")


def comment_urn(comment: dict[str, Any]) -> str:
    return str(comment.get("commentUrn") or comment.get("$URN") or "")


def comment_to_post(
    comment: dict[str, Any], *, post: dict[str, Any], account: str, clock: Callable[[], datetime]
) -> Post:
    """A comment on one of the page's posts: answered by a comment nested under it."""
    urn = comment_urn(comment)
    post_urn = str(post.get("id", comment.get("object", "")))
    return Post(
        network=Network.LINKEDIN,
        id=urn,
        account=account,
        author=author_of(str(comment.get("actor", ""))),
        text=str((comment.get("message") or {}).get("text", "")),
        url=feed_url(post_urn, urn),
        created_at=from_ms((comment.get("created") or {}).get("time")) or clock(),
        conversation_id=post_urn,
        title=_title(post),
        in_reply_to=str(comment["parentComment"]) if comment.get("parentComment") else None,
    )


def mention_to_post(mentioning: dict[str, Any], *, account: str, clock: Callable[[], datetime]) -> Post:
    """A member's post that mentions the page: answered by a comment on that post."""
    urn = str(mentioning.get("id", ""))
    return Post(
        network=Network.LINKEDIN,
        id=urn,
        account=account,
        author=author_of(str(mentioning.get("author", ""))),
        text=str(mentioning.get("commentary", "")),
        url=feed_url(urn),
        created_at=from_ms(mentioning.get("createdAt")) or clock(),
        conversation_id=urn,
    )


def to_reply(comment: dict[str, Any], urn: str, post_urn: str, clock: Callable[[], datetime]) -> Reply:
    return Reply(
        id=urn,
        url=feed_url(post_urn, urn),
        posted_at=from_ms((comment.get("created") or {}).get("time")) or clock(),
    )


def _title(post: dict[str, Any]) -> str | None:
    text = " ".join(str(post.get("commentary", "")).split())
    if not text:
        return None
    return text if len(text) <= TITLE_BUDGET else text[: TITLE_BUDGET - 1].rstrip() + "…"

"""Mastodon statuses as domain `Post`s, their HTML as text, and the mentions a reply starts with."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from html import unescape
from html.parser import HTMLParser
from typing import Any

from bot.domain import Author, Network, Post
from bot.domain.text import mastodon_length

DEFAULT_LIMIT = 500
VISIBILITY = ("direct", "private", "unlisted", "public")  # narrowest first

_SPACES = re.compile(r"[ \t]+")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(content: str) -> str:
    """A status's HTML (``<p>``, ``<br>``, mention and link anchors) as plain text."""
    parser = _Text()
    parser.feed(content or "")
    parser.close()
    return unescape("".join(parser.parts)).strip()


def narrowest(*visibilities: str) -> str:
    """The narrowest of the visibilities ("direct" < "private" < "unlisted" < "public")."""
    known = [v for v in visibilities if v in VISIBILITY] or ["direct"]
    return min(known, key=VISIBILITY.index)


def reply_handles(status: Mapping[str, Any], me: str) -> list[str]:
    """Who a reply to `status` addresses, author first (accts, without "@"), never the brand (`me`)."""
    handles = [str(status["account"]["acct"])]
    handles += [str(m["acct"]) for m in status.get("mentions") or []]
    return [h for h in dict.fromkeys(handles) if h.lower() != me.lower()]


def names(text: str, handle: str) -> bool:
    """Whether `text` already mentions `handle` (``user@server``), as ``@user@server`` or ``@user``."""
    user, _, server = handle.partition("@")
    full = rf"@{re.escape(user)}(?:@{re.escape(server)})?" if server else rf"@{re.escape(user)}"
    return re.search(rf"(?<![\w@]){full}(?![\w@])", text, re.IGNORECASE) is not None


def with_mentions(text: str, handles: Sequence[str]) -> str:
    """`text` starting with each ``@handle`` it does not already name."""
    missing = [f"@{h}" for h in handles if not names(text, h)]
    return " ".join([*missing, text]) if missing else text


def mentions_length(handles: Sequence[str]) -> int:
    """What the ``@handles `` prefix of a reply costs, as Mastodon counts (``@user@server`` = ``@user``)."""
    return mastodon_length(" ".join(f"@{h}" for h in handles) + " ") if handles else 0


def conversation_of(status: Mapping[str, Any], ancestors: Sequence[Mapping[str, Any]]) -> str:
    if status.get("visibility") == "direct":
        people = {str(status["account"]["acct"])} | {str(m["acct"]) for m in status.get("mentions") or []}
        return "direct:" + ",".join(sorted(people, key=str.lower))
    return str(ancestors[0]["id"]) if ancestors else str(status["id"])


def to_post(
    status: Mapping[str, Any],
    *,
    account: str,
    limit: int,
    me: str,
    ancestors: Sequence[Mapping[str, Any]],
    seen_at: datetime,
) -> Post:
    author = status["account"]
    text = html_to_text(str(status.get("content", "")))
    if status.get("spoiler_text"):
        text = f"[{status['spoiler_text']}]\n{text}"
    created = status.get("created_at")
    replying_to = status.get("in_reply_to_id")
    return Post(
        network=Network.MASTODON,
        id=str(status["id"]),
        account=account,
        author=Author(
            id=str(author["id"]),
            handle=str(author["acct"]),
            name=str(author.get("display_name") or author.get("username") or author["acct"]),
            followers=author.get("followers_count"),
        ),
        text=text,
        url=str(status.get("url") or status.get("uri") or ""),
        created_at=created.astimezone(UTC) if isinstance(created, datetime) else seen_at,
        lang=status.get("language"),
        conversation_id=conversation_of(status, ancestors),
        private=status.get("visibility") == "direct",
        title=html_to_text(str(ancestors[-1].get("content", ""))) or None if ancestors else None,
        in_reply_to=str(replying_to) if replying_to is not None else None,
        reply_limit=max(1, limit - mentions_length(reply_handles(status, me))),
    )


_REMOTE = re.compile(r"(?<![\w@])(@\w+)@[\w.-]+\w")


def clean(text: str) -> str:
    """Text compared for "is this our reply?": whitespace folded, ``@user@server`` as the HTML shows it (``@user``)."""
    return _REMOTE.sub(r"\1", _SPACES.sub(" ", text.replace("\n", " "))).strip()

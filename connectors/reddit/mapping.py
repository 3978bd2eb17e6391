"""praw's objects as domain values, Reddit's ids and cursor, and the text comparison on replies."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.domain import Author, Network, Post, Reply
from connectors.base import Batch
from connectors.common import folded

log = logging.getLogger(__name__)

REDDIT_URL = "https://www.reddit.com"
CURSOR_VERSION = 1


@dataclass(frozen=True)
class RedditBatch(Batch):
    """A batch that remembers which of its posts are unread inbox items, for `acknowledge`."""

    unread: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cursor:
    """Newest subreddit comment and submission ids seen; "" once looked at an empty listing."""

    comments: str | None = None
    submissions: str | None = None

    @classmethod
    def parse(cls, cursor: str | None) -> Cursor:
        if not cursor:
            return cls()
        try:
            data = json.loads(cursor)
        except ValueError:
            log.warning("Reddit: ignoring a cursor that is not JSON: %r", cursor)
            return cls()
        if not isinstance(data, dict) or data.get("v") != CURSOR_VERSION:
            log.warning("Reddit: ignoring a cursor of an unknown version: %r", cursor)
            return cls()
        comments, submissions = data.get("t1"), data.get("t3")
        return cls(
            comments if isinstance(comments, str) else None,
            submissions if isinstance(submissions, str) else None,
        )

    def dump(self) -> str:
        return json.dumps({"v": CURSOR_VERSION, "t1": self.comments, "t3": self.submissions})


def id_number(fullname: str) -> int:
    """The base36 counter of a fullname (``t1_l000001`` or ``l000001``); 0 for "" or junk."""
    try:
        return int(fullname.rpartition("_")[2] or "0", 36)
    except ValueError:
        return 0


def data_of(thing: Any) -> dict[str, Any]:
    """The attributes praw set from Reddit's JSON; reading them never triggers a lazy fetch."""
    return dict(vars(thing))


def name_of(value: Any) -> str:
    """A Redditor/Subreddit object (or plain string) as its name; "" for None (deleted)."""
    return "" if value is None else str(value)


def to_reply(comment: dict[str, Any], posted_at: datetime) -> Reply:
    """The brand's comment or private message (praw's attributes) as a `Reply`."""
    name = str(comment.get("name") or f"t1_{comment['id']}")
    if name.startswith("t4_"):
        thread = str(comment.get("first_message_name") or "") or name
        return Reply(
            id=name,
            url=f"{REDDIT_URL}/message/messages/{name.removeprefix('t4_')}",
            posted_at=posted_at,
            conversation_id=thread,
        )
    return Reply(id=name, url=REDDIT_URL + str(comment.get("permalink", "")), posted_at=posted_at)


def to_post(thing: Any, *, account: str, clock: Callable[[], datetime]) -> Post:
    """A comment, submission or private message as a `Post` answered as `account`; the clock's time
    if it has none. A private message's conversation is the first message of its thread."""
    data = data_of(thing)
    fullname = str(data.get("name") or thing.fullname)
    handle = name_of(data.get("author")) or "[deleted]"
    permalink = str(data.get("permalink") or str(data.get("context", "")).partition("?")[0])
    private = fullname.startswith("t4_")
    in_reply_to: str | None = str(data.get("parent_id") or "") or None
    conversation: str | None
    if private:
        text = str(data.get("body") or "")
        title = str(data.get("subject") or "") or None
        conversation = str(data.get("first_message_name") or "") or fullname
        permalink = f"/message/messages/{fullname.removeprefix('t4_')}"
    elif fullname.startswith("t3_"):
        text = str(data.get("selftext") or data.get("title") or "")
        title = str(data.get("title") or "") or None
        conversation = fullname
        in_reply_to = None
    else:
        text = str(data.get("body") or "")
        title = str(data.get("link_title") or "") or None
        conversation = str(data.get("link_id") or "") or _link_from(permalink)
    created = data.get("created_utc")
    return Post(
        network=Network.REDDIT,
        id=fullname,
        account=account,
        author=Author(id=str(data.get("author_fullname") or handle), handle=handle, name=handle),
        text=text,
        url=REDDIT_URL + permalink,
        created_at=datetime.fromtimestamp(float(created), UTC) if created is not None else clock(),
        conversation_id=conversation,
        title=title,
        place=None if private else name_of(data.get("subreddit")) or None,
        private=private,
        in_reply_to=in_reply_to,
    )


def _link_from(permalink: str) -> str | None:
    """``t3_abc`` from ``/r/sub/comments/abc/slug/cid/``."""
    parts = permalink.strip("/").split("/")
    return f"t3_{parts[3]}" if len(parts) > 3 and parts[2] == "comments" else None


clean = folded  # how a reply found on the network is compared with ours

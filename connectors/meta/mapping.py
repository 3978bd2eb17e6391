"""Graph API objects and webhook values as domain `Post`s: the same id whichever way a post arrived.

Ids (a case's id is derived from the post id, so the webhook and the poll must agree):

- Facebook Page comment: the comment id (``{post}_{comment}``), as Graph and the ``feed`` webhook
  give it; a Page mention: the id of the post or comment that mentions the Page.
- Instagram comment: the IG comment id; an Instagram @mention: ``mention-{comment id}`` (or
  ``mention-{media id}`` for a caption), because it is answered through another endpoint
  (``POST /{ig-user-id}/mentions``) and lives on media the brand does not own.
- Messenger and Instagram Direct: the message id (``mid``), which Graph's conversation messages
  and the ``messages`` webhook share. `conversation_id` is the sender's page-scoped id (PSID or
  IGSID): Meta's webhook carries no thread id, and a Page has one conversation per person.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bot.domain import Author, Network, Post
from connectors.common import folded
from connectors.common import parse_time as iso_time

MENTION = "mention-"
MESSENGER_LIMIT = 2_000  # Messenger Send API: text up to 2,000 characters
INSTAGRAM_DIRECT_LIMIT = 1_000  # Instagram messaging: text up to 1,000 bytes
TITLE_CHARS = 200


def parse_time(value: Any) -> datetime | None:
    """Graph's `2026-12-06T18:00:00+0000`, or a webhook's epoch seconds (or milliseconds)."""
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 10**11 else value
        return datetime.fromtimestamp(seconds, UTC)
    return iso_time(value)


def title_of(text: Any) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return None
    flat = " ".join(text.split())
    return flat if len(flat) <= TITLE_CHARS else flat[: TITLE_CHARS - 1] + "…"


def facebook_url(object_id: str) -> str:
    return f"https://www.facebook.com/{object_id}"


def inbox_url(page_id: str, network: Network) -> str:
    box = "instagram_direct" if network is Network.INSTAGRAM else "messenger"
    return f"https://business.facebook.com/latest/inbox/{box}?asset_id={page_id}"


def is_mention(post: Post) -> bool:
    return post.id.startswith(MENTION)


def facebook_comment(
    comment: dict[str, Any],
    *,
    page_id: str,
    under: dict[str, Any] | None = None,
    clock: Callable[[], datetime],
) -> Post:
    """A Page comment (Graph `Comment` or the `feed` webhook's value) as a Post; `under` is its post."""
    comment_id = str(comment.get("comment_id") or comment["id"])
    sender = comment.get("from") or {}
    parent = comment.get("parent_id") or (comment.get("parent") or {}).get("id")
    post_id = str(comment.get("post_id") or (under or {}).get("id") or comment_id.split("_", maxsplit=1)[0])
    return Post(
        network=Network.FACEBOOK,
        id=comment_id,
        account=page_id,
        author=_author(sender),
        text=str(comment.get("message") or ""),
        url=facebook_url(comment_id),
        created_at=parse_time(comment.get("created_time")) or clock(),
        conversation_id=post_id,
        in_reply_to=str(parent) if parent else post_id,
        title=title_of((under or {}).get("message")),
    )


def facebook_mention(item: dict[str, Any], *, page_id: str, clock: Callable[[], datetime]) -> Post:
    """A post (Graph `/{page-id}/tagged`) or comment that mentions the Page."""
    object_id = str(item["id"])
    return Post(
        network=Network.FACEBOOK,
        id=object_id,
        account=page_id,
        author=_author(item.get("from") or {}),
        text=str(item.get("message") or ""),
        url=facebook_url(object_id),
        created_at=parse_time(item.get("created_time")) or clock(),
        conversation_id=object_id.split("_", maxsplit=1)[0] if "_" in object_id else object_id,
    )


def instagram_comment(
    comment: dict[str, Any],
    *,
    ig_user_id: str,
    media: dict[str, Any] | None = None,
    clock: Callable[[], datetime],
) -> Post:
    """An IG comment (Graph `IG Comment` or the `comments` webhook's value) as a Post."""
    sender = comment.get("from") or {}
    username = str(sender.get("username") or comment.get("username") or "")
    media = media or comment.get("media") or {}
    media_id = str(media.get("id") or "")
    parent = comment.get("parent_id")
    return Post(
        network=Network.INSTAGRAM,
        id=str(comment["id"]),
        account=ig_user_id,
        author=Author(id=str(sender.get("id") or ""), handle=username, name=username),
        text=str(comment.get("text") or ""),
        url=str(media.get("permalink") or f"https://www.instagram.com/{username or 'instagram'}/"),
        created_at=parse_time(comment.get("timestamp")) or clock(),
        conversation_id=media_id or None,
        in_reply_to=str(parent) if parent else (media_id or None),
        title=title_of(media.get("caption")),
    )


def instagram_mention(
    found: dict[str, Any],
    *,
    ig_user_id: str,
    media_id: str,
    comment_id: str | None,
    clock: Callable[[], datetime],
) -> Post:
    """What `GET /{ig-user-id}?fields=mentioned_comment|mentioned_media` found, as a Post."""
    username = str(found.get("username") or "")
    media = found.get("media") or {}
    return Post(
        network=Network.INSTAGRAM,
        id=MENTION + (comment_id or media_id),
        account=ig_user_id,
        author=Author(id=str((found.get("from") or {}).get("id") or ""), handle=username, name=username),
        text=str(found.get("text") or found.get("caption") or ""),
        url=str(found.get("permalink") or media.get("permalink") or "https://www.instagram.com/"),
        created_at=parse_time(found.get("timestamp")) or clock(),
        conversation_id=media_id,
        in_reply_to=media_id,
        title=title_of(media.get("caption")) if comment_id else None,
    )


def message(
    network: Network,
    *,
    mid: str,
    sender: dict[str, Any],
    text: str,
    sent: Any,
    account: str,
    page_id: str,
    clock: Callable[[], datetime],
) -> Post:
    """A Messenger or Instagram Direct message as a private Post."""
    sender_id = str(sender.get("id") or "")
    name = str(sender.get("name") or sender.get("username") or sender_id)
    return Post(
        network=network,
        id=mid,
        account=account,
        author=Author(id=sender_id, handle=str(sender.get("username") or ""), name=name),
        text=text,
        url=inbox_url(page_id, network),
        created_at=parse_time(sent) or clock(),
        conversation_id=sender_id,
        private=True,
        reply_limit=INSTAGRAM_DIRECT_LIMIT if network is Network.INSTAGRAM else MESSENGER_LIMIT,
    )


def _author(sender: dict[str, Any]) -> Author:
    name = str(sender.get("name") or "")
    return Author(id=str(sender.get("id") or ""), handle="", name=name or "Facebook user")


clean = folded  # how a reply found on the network is compared with ours

"""What a poll reads from Graph: comments on the recent posts or media, Page mentions, conversations.

The poll is the fallback and the catch-up after downtime (webhooks can be missed): it reads the
newest `RECENT` posts (or IG media) and, on each, the newest `PAGE` comments; the Page's tagged
posts (mentions); and the conversations updated since the cursor with their newest messages.
Everything older than the cursor (epoch seconds of the newest post seen) is left out; the store
drops what the webhook already brought. Instagram @mentions cannot be listed through Graph: they
arrive only by webhook.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from bot.domain import Network, Post
from connectors.meta import mapping
from connectors.meta.client import GraphClient

RECENT = 25  # posts or media whose comments are read
PAGE = 100  # comments per post, messages per conversation, conversations per poll
COMMENT_FIELDS = "id,message,from,created_time,parent{id}"
IG_COMMENT_FIELDS = "id,text,timestamp,username,from,parent_id"
MESSAGE_FIELDS = "id,message,from,created_time"


def _data(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for item in body.get("data") or [] if isinstance(item, dict)]


def page_comments(graph: GraphClient, page_id: str, clock: Callable[[], datetime]) -> Iterator[Post]:
    feed = graph.get(
        f"{page_id}/feed", "reading the Page's posts", fields="id,message,created_time", limit=RECENT
    )
    for under in _data(feed):
        body = graph.get(
            f"{under['id']}/comments",
            "reading comments on the Page's posts",
            fields=COMMENT_FIELDS,
            filter="stream",
            order="reverse_chronological",
            limit=PAGE,
        )
        for comment in _data(body):
            if str((comment.get("from") or {}).get("id") or "") != page_id:
                yield mapping.facebook_comment(comment, page_id=page_id, under=under, clock=clock)


def page_mentions(graph: GraphClient, page_id: str, clock: Callable[[], datetime]) -> Iterator[Post]:
    body = graph.get(
        f"{page_id}/tagged", "reading posts that mention the Page", fields=MESSAGE_FIELDS, limit=RECENT
    )
    for item in _data(body):
        yield mapping.facebook_mention(item, page_id=page_id, clock=clock)


def media_comments(graph: GraphClient, ig_user_id: str, clock: Callable[[], datetime]) -> Iterator[Post]:
    media = graph.get(
        f"{ig_user_id}/media",
        "reading the Instagram media",
        fields="id,caption,permalink,timestamp",
        limit=RECENT,
    )
    for item in _data(media):
        body = graph.get(
            f"{item['id']}/comments", "reading Instagram comments", fields=IG_COMMENT_FIELDS, limit=PAGE
        )
        for comment in _data(body):
            if str((comment.get("from") or {}).get("id") or "") != ig_user_id:
                yield mapping.instagram_comment(comment, ig_user_id=ig_user_id, media=item, clock=clock)


def messages(
    graph: GraphClient,
    network: Network,
    *,
    page_id: str,
    me: str,
    since: datetime,
    clock: Callable[[], datetime],
) -> Iterator[Post]:
    """Messages from people (not `me`) in conversations updated since `since`."""
    platform = "instagram" if network is Network.INSTAGRAM else "messenger"
    body = graph.get(
        f"{page_id}/conversations",
        "reading conversations",
        platform=platform,
        fields="id,updated_time",
        limit=PAGE,
    )
    for conversation in _data(body):
        updated = mapping.parse_time(conversation.get("updated_time"))
        if updated is not None and updated < since:
            continue
        found = graph.get(
            f"{conversation['id']}/messages", "reading messages", fields=MESSAGE_FIELDS, limit=PAGE
        )
        for item in _data(found):
            sender = item.get("from") or {}
            if str(sender.get("id") or "") in (me, page_id):
                continue
            yield mapping.message(
                network,
                mid=str(item["id"]),
                sender=sender,
                text=str(item.get("message") or ""),
                sent=item.get("created_time"),
                account=me,
                page_id=page_id,
                clock=clock,
            )


def conversation_with(
    graph: GraphClient, network: Network, *, page_id: str, person: str
) -> list[dict[str, Any]]:
    """Our conversation's newest messages with `person` (PSID or IGSID), newest first."""
    platform = "instagram" if network is Network.INSTAGRAM else "messenger"
    body = graph.get(
        f"{page_id}/conversations",
        "checking for an earlier message",
        platform=platform,
        user_id=person,
        fields="id",
    )
    found: list[dict[str, Any]] = []
    for conversation in _data(body)[:1]:
        found += _data(
            graph.get(
                f"{conversation['id']}/messages",
                "checking for an earlier message",
                fields=MESSAGE_FIELDS,
                limit=PAGE,
            )
        )
    return found

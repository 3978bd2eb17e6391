"""YouTube's resources as the Data API v3 renders them, its error bodies and each method's quota cost."""

from __future__ import annotations

import html
import secrets
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "COSTS",
    "MAX_COMMENT_LENGTH",
    "Comment",
    "Video",
    "google_error",
    "new_id",
    "rfc3339",
]

# https://developers.google.com/youtube/v3/determine_quota_cost: every list 1 unit, comments.insert 50.
COSTS = {
    ("GET", "commentThreads"): 1,
    ("GET", "comments"): 1,
    ("POST", "comments"): 50,
    ("GET", "videos"): 1,
    ("GET", "channels"): 1,
}
MAX_COMMENT_LENGTH = 10_000  # YouTube's comment limit; longer texts get 400 commentTextTooLong
_ALPHABET = string.ascii_letters + string.digits + "-_"


def new_id(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def rfc3339(epoch: float) -> str:
    """``2026-12-06T18:51:07Z``: how the API writes `publishedAt`."""
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Video:
    id: str
    title: str
    channel_id: str
    published: float


@dataclass
class Comment:
    """A top-level comment (`parent_id` None: its id is also the thread's) or a reply."""

    id: str
    video_id: str
    channel_id: str  # the channel whose video this comment is on
    author_channel_id: str
    author_name: str
    text: str
    published: float
    parent_id: str | None = None
    can_reply: bool = True
    replies: list[Comment] = field(default_factory=list)

    def render(self, text_format: str) -> dict[str, Any]:
        shown = self.text if text_format == "plainText" else html.escape(self.text).replace("\n", "<br>")
        snippet: dict[str, Any] = {
            "channelId": self.channel_id,
            "videoId": self.video_id,
            "textDisplay": shown,
            "textOriginal": self.text,
            "authorDisplayName": self.author_name,
            "authorProfileImageUrl": "https://yt3.ggpht.example/avatar.jpg",
            "authorChannelUrl": f"http://www.youtube.com/channel/{self.author_channel_id}",
            "authorChannelId": {"value": self.author_channel_id},
            "canRate": True,
            "viewerRating": "none",
            "likeCount": 0,
            "publishedAt": rfc3339(self.published),
            "updatedAt": rfc3339(self.published),
        }
        if self.parent_id is not None:
            snippet["parentId"] = self.parent_id
        return {"kind": "youtube#comment", "etag": new_id(27), "id": self.id, "snippet": snippet}

    def render_thread(self, parts: set[str], text_format: str, shown_replies: int) -> dict[str, Any]:
        thread: dict[str, Any] = {"kind": "youtube#commentThread", "etag": new_id(27), "id": self.id}
        if "snippet" in parts:
            thread["snippet"] = {
                "channelId": self.channel_id,
                "videoId": self.video_id,
                "topLevelComment": self.render(text_format),
                "canReply": self.can_reply,
                "totalReplyCount": len(self.replies),
                "isPublic": True,
            }
        if "replies" in parts and self.replies:
            thread["replies"] = {"comments": [r.render(text_format) for r in self.replies[:shown_replies]]}
        return thread


def google_error(
    code: int, reason: str, message: str, *, domain: str = "youtube.commentThread", status: str = ""
) -> dict[str, Any]:
    """Google's JSON error body: ``{"error": {"code", "message", "errors": [{message, domain, reason}]}}``."""
    error: dict[str, Any] = {
        "code": code,
        "message": message,
        "errors": [{"message": message, "domain": domain, "reason": reason}],
    }
    if status:
        error["status"] = status
    return {"error": error}

"""The emulated LinkedIn: the page, posts, comments (nested one level) and mention notifications."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

MAX_COMMENT_CHARS = 1250


@dataclass
class LiPost:
    urn: str
    author: str
    commentary: str
    created: int  # epoch ms

    def render(self) -> dict[str, Any]:
        return {
            "id": self.urn,
            "author": self.author,
            "commentary": self.commentary,
            "createdAt": self.created,
            "lastModifiedAt": self.created,
            "publishedAt": self.created,
            "visibility": "PUBLIC",
            "lifecycleState": "PUBLISHED",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "isReshareDisabledByAuthor": False,
        }


@dataclass
class LiComment:
    urn: str
    id: str
    object: str  # the post's URN
    actor: str
    text: str
    created: int
    parent: str | None = None
    agent: str | None = None  # the member acting for an organization

    def render(self, replies: int = 0) -> dict[str, Any]:
        body: dict[str, Any] = {
            "actor": self.actor,
            "commentUrn": self.urn,
            "$URN": self.urn,
            "id": self.id,
            "object": self.object,
            "message": {"text": self.text, "attributes": []},
            "created": {"actor": self.agent or self.actor, "time": self.created},
            "lastModified": {"actor": self.agent or self.actor, "time": self.created},
            "likesSummary": {"totalLikes": 0, "likedByCurrentUser": False, "selectedLikes": []},
            "commentsSummary": {
                "aggregatedTotalComments": replies,
                "totalFirstLevelComments": replies,
                "selectedComments": [],
            },
        }
        if self.parent:
            body["parentComment"] = self.parent
        if self.agent:
            body["agent"] = self.agent
        return body


@dataclass
class Notification:
    action: str
    source_post: str
    at: int

    def render(self, organization: str) -> dict[str, Any]:
        return {
            "action": self.action,
            "organizationalEntity": organization,
            "sourcePost": self.source_post,
            "lastModifiedAt": self.at,
        }


@dataclass
class Store:
    posts: dict[str, LiPost] = field(default_factory=dict)
    comments: dict[str, LiComment] = field(default_factory=dict)
    notifications: list[Notification] = field(default_factory=list)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(7_300_000_000_000_000_000))

    def next_id(self) -> str:
        return str(next(self.ids))

    def under(self, target: str) -> list[LiComment]:
        """First-level comments of a post, or the replies to a comment, oldest first."""
        if target.startswith("urn:li:comment:"):
            found = [c for c in self.comments.values() if c.parent == target]
        else:
            found = [c for c in self.comments.values() if c.object == target and c.parent is None]
        return sorted(found, key=lambda c: (c.created, c.id))

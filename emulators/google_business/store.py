"""The emulated Business Profile: locations, reviews and the owner's replies, and the OAuth grants."""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

STAR_NAMES = {1: "ONE", 2: "TWO", 3: "THREE", 4: "FOUR", 5: "FIVE"}
MAX_REPLY_BYTES = 4096


def rfc3339(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


@dataclass
class Location:
    id: str
    title: str
    verified: bool = True

    @property
    def maps_uri(self) -> str:
        return f"https://maps.google.com/maps?cid={self.id}"

    def render(self) -> dict[str, Any]:
        return {
            "name": f"locations/{self.id}",
            "title": self.title,
            "metadata": {"mapsUri": self.maps_uri, "placeId": f"ChIJ{self.id}"},
        }


@dataclass
class Review:
    account: str
    location: str
    id: str
    stars: int
    comment: str
    reviewer: str
    created: float
    updated: float
    anonymous: bool = False
    reply: str | None = None
    reply_updated: float | None = None
    reply_history: list[str] = field(default_factory=list)  # every reply text ever put, oldest first

    def render(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "name": f"accounts/{self.account}/locations/{self.location}/reviews/{self.id}",
            "reviewId": self.id,
            "reviewer": {"displayName": "A Google User", "isAnonymous": True}
            if self.anonymous
            else {"displayName": self.reviewer, "profilePhotoUrl": "https://lh3.googleusercontent.com/a/x"},
            "starRating": STAR_NAMES[self.stars],
            "createTime": rfc3339(self.created),
            "updateTime": rfc3339(self.updated),
        }
        if self.comment:
            body["comment"] = self.comment
        if self.reply is not None and self.reply_updated is not None:
            body["reviewReply"] = self.render_reply()
        return body

    def render_reply(self) -> dict[str, Any]:
        assert self.reply is not None and self.reply_updated is not None
        return {"comment": self.reply, "updateTime": rfc3339(self.reply_updated)}


class Store:
    """State behind a lock held by the emulator; ids are random like Google's opaque ones."""

    def __init__(self, account: str) -> None:
        self.account = account
        self.locations: dict[str, Location] = {}
        self.reviews: dict[str, Review] = {}
        self._location_ids = itertools.count(11_000_000_000_000_000)
        self.refresh_tokens: set[str] = set()
        self.access_tokens: set[str] = set()

    def new_location_id(self) -> str:
        return str(next(self._location_ids))

    @staticmethod
    def new_review_id() -> str:
        return "AbFvOq" + secrets.token_urlsafe(24).replace("-", "x").replace("_", "y")

    def location_reviews(self, location: str) -> list[Review]:
        """Most recently updated first (Google's `updateTime desc`)."""
        found = [r for r in self.reviews.values() if r.location == location]
        return sorted(found, key=lambda r: (r.updated, r.id), reverse=True)

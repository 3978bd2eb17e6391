"""Business Profile reviews as domain `Post`s and `Reply`s, the post ids and the cursor."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.domain import Author, Network, Post, Reply
from connectors.common import parse_time

STARS = {"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}
CURSOR_VERSION = 1
REVIEWS_HOME = "https://business.google.com/reviews"


@dataclass(frozen=True)
class Place:
    """A location of the brand: its id (`locations/{id}` without the prefix), name and Maps page."""

    id: str
    title: str
    maps_url: str = ""

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Place:
        location_id = str(data.get("name", "")).rpartition("/")[2]
        metadata = data.get("metadata") or {}
        return cls(
            id=location_id,
            title=str(data.get("title") or location_id),
            maps_url=str(metadata.get("mapsUri", "")),
        )

    @property
    def url(self) -> str:
        return self.maps_url or REVIEWS_HOME


@dataclass
class Cursor:
    """The newest `updateTime` seen per location (RFC 3339 strings compare in time order once parsed)."""

    seen: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, raw: str | None) -> Cursor:
        if not raw:
            return cls()
        try:
            data = json.loads(raw)
        except ValueError:
            return cls()
        if (
            not isinstance(data, dict)
            or data.get("v") != CURSOR_VERSION
            or not isinstance(data.get("t"), dict)
        ):
            return cls()
        return cls({str(k): str(v) for k, v in data["t"].items()})

    def dump(self) -> str:
        return json.dumps({"v": CURSOR_VERSION, "t": dict(sorted(self.seen.items()))}, separators=(",", ":"))


def post_id(location: str, review: str) -> str:
    """`{location id}/{review id}`: what `reply` needs, and unique (a review belongs to one location)."""
    return f"{location}/{review}"


def split_post_id(value: str) -> tuple[str, str]:
    location, _, review = value.partition("/")
    return location, review


def review_id(review: dict[str, Any]) -> str:
    return str(review.get("reviewId") or str(review.get("name", "")).rpartition("/")[2])


def to_post(review: dict[str, Any], place: Place, *, account: str, clock: Callable[[], datetime]) -> Post:
    """A review as a case's post: its stars in `rating`, the location's name in `place`."""
    reviewer = review.get("reviewer") or {}
    anonymous = bool(reviewer.get("isAnonymous"))
    name = "" if anonymous else str(reviewer.get("displayName") or "")
    rid = review_id(review)
    return Post(
        network=Network.GOOGLE,
        id=post_id(place.id, rid),
        account=account,
        author=Author(id=name or "anonymous", handle="", name=name or "A Google user"),
        text=str(review.get("comment") or ""),
        url=place.url,
        created_at=parse_time(review.get("createTime")) or clock(),
        conversation_id=post_id(place.id, rid),
        place=place.title,
        rating=STARS.get(str(review.get("starRating", ""))),
    )


def to_reply(post: Post, reply: dict[str, Any], clock: Callable[[], datetime]) -> Reply:
    """The owner's reply: one per review, so it has the review's id; Maps shows it under the review."""
    return Reply(id=post.id, url=post.url, posted_at=parse_time(reply.get("updateTime")) or clock())

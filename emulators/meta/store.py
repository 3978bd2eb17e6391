"""What the Graph emulator holds: a Page, its Instagram account, posts, comments, conversations."""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


def graph_time(epoch: float) -> str:
    """Graph's `created_time`: `2026-12-06T18:00:00+0000`."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


@dataclass
class Person:
    id: str  # page-scoped (PSID) on Facebook, Instagram-scoped (IGSID) on Instagram
    name: str
    username: str = ""


@dataclass
class Item:
    """A Page post or an Instagram media object."""

    id: str
    owner: str  # the Page or IG account id; someone else's for a post that mentions the Page
    text: str
    created: float
    platform: str  # "facebook" or "instagram"
    author: Person | None = None  # who posted it when not the owner (mentions)
    tagged: tuple[str, ...] = ()  # the Pages / IG accounts it mentions

    @property
    def permalink(self) -> str:
        if self.platform == "instagram":
            return f"https://www.instagram.com/p/{self.id}/"
        return f"https://www.facebook.com/{self.id}"


@dataclass
class Comment:
    id: str
    item_id: str  # the post or media it is under
    author: Person
    text: str
    created: float
    platform: str
    parent_id: str | None = None  # the comment it replies to
    hidden: bool = False


@dataclass
class Message:
    id: str
    conversation_id: str
    sender: Person
    text: str
    created: float
    tag: str | None = None  # HUMAN_AGENT when sent with the tag


@dataclass
class Conversation:
    id: str
    platform: str  # "messenger" or "instagram"
    person: Person
    messages: list[Message] = field(default_factory=list)

    @property
    def updated(self) -> float:
        return max((m.created for m in self.messages), default=0.0)

    def last_from(self, person_id: str) -> float | None:
        return max((m.created for m in self.messages if m.sender.id == person_id), default=None)


class GraphStore:
    """Everything the emulated Graph knows, behind one lock."""

    def __init__(self, *, page_id: str, page_name: str, ig_user_id: str, ig_username: str) -> None:
        self.lock = threading.RLock()
        self.page = Person(page_id, page_name)
        self.ig = Person(ig_user_id, ig_username, ig_username)
        self.items: dict[str, Item] = {}
        self.comments: dict[str, Comment] = {}
        self.conversations: dict[str, Conversation] = {}
        self._ids = itertools.count(1001)

    def next_id(self) -> int:
        return next(self._ids)

    def comments_under(self, object_id: str) -> list[Comment]:
        """Top-level comments of a post or media, or the replies to a comment; newest first."""
        with self.lock:
            if object_id in self.comments:
                found = [c for c in self.comments.values() if c.parent_id == object_id]
            else:
                found = [c for c in self.comments.values() if c.item_id == object_id and c.parent_id is None]
        return sorted(found, key=lambda c: c.created, reverse=True)

    def conversation_with(self, platform: str, person_id: str) -> Conversation | None:
        with self.lock:
            return next(
                (
                    c
                    for c in self.conversations.values()
                    if c.platform == platform and c.person.id == person_id
                ),
                None,
            )

    def owner_of(self, node: str) -> str | None:
        """The Page or IG account a node belongs to, for permission-free checks."""
        if node in (self.page.id, self.ig.id):
            return node
        item = self.items.get(node)
        return item.owner if item else None


def person_json(person: Person, platform: str) -> dict[str, Any]:
    if platform == "instagram":
        return {"id": person.id, "username": person.username or person.name}
    return {"id": person.id, "name": person.name}

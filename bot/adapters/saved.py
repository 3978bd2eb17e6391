"""Saved replies: the team's reusable answers, with placeholders filled for each case."""

from __future__ import annotations

import re

import redis

from bot.adapters import keys
from bot.domain import Network, Post
from bot.domain.i18n import _

NAME = re.compile(r"^[\w-]{1,40}$")
PLACEHOLDERS = ("{name}", "{handle}", "{brand}")


class SavedReplies:
    def __init__(self, client: redis.Redis, *, brand: str) -> None:
        self.redis = client
        self.brand = brand

    def add(self, name: str, text: str) -> str | None:
        """Save (or replace) a reply; returns what is wrong with it, or None."""
        if not NAME.match(name):
            return _("Name it with letters, digits, - or _ (up to 40), e.g. `refund-policy`.")
        if not text.strip():
            return _("The reply is empty: `/parley saved add <name> <text>`.")
        self.redis.hset(keys.SAVED_REPLIES, name, text.strip())
        return None

    def remove(self, name: str) -> bool:
        return bool(self.redis.hdel(keys.SAVED_REPLIES, name))

    def all(self) -> dict[str, str]:
        raw: dict[bytes, bytes] = self.redis.hgetall(keys.SAVED_REPLIES)  # type: ignore[assignment]
        return {k.decode(): v.decode() for k, v in sorted(raw.items())}

    def get(self, name: str) -> str | None:
        raw = self.redis.hget(keys.SAVED_REPLIES, name)
        return raw.decode() if isinstance(raw, bytes) else None

    def fill(self, text: str, post: Post) -> str:
        return fill(text, post, brand=self.brand)


def fill(text: str, post: Post, *, brand: str) -> str:
    """Replace {name} (first name, else handle), {handle} (@ann on X, u/ann on Reddit) and {brand}."""
    name = post.author.name.split()[0] if post.author.name.strip() else post.author.handle
    handle = f"u/{post.author.handle}" if post.network is Network.REDDIT else f"@{post.author.handle}"
    return text.replace("{name}", name).replace("{handle}", handle).replace("{brand}", brand)

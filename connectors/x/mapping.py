"""X API v2 objects (tweepy's `return_type=dict`) as domain values, and the text comparisons on them."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.domain import Author, Network, Post
from connectors.common import parse_time

MAX_PAGE_SIZE = 100
MIN_SEARCH_PAGE_SIZE = 10  # recent search's max_results floor
TWEET_FIELDS = ["created_at", "conversation_id", "author_id", "referenced_tweets", "lang"]
USER_FIELDS = ["name", "username", "public_metrics"]
SEARCH_EXPANSIONS = [
    "author_id",
    "referenced_tweets.id",
]  # quoted tweets, to see whether the brand wrote them


def clean(text: str) -> str:
    """Text as we compare it: X returns `&amp;`-escaped text, wraps links and may prefix @handles."""
    text = html.unescape(text)
    text = re.sub(r"https?://\S+", "<link>", text)
    text = re.sub(r"^(?:@\w+\s+)+", "", text.strip())
    return " ".join(text.split())


def status_url(handle: str, tweet_id: str) -> str:
    return f"https://x.com/{handle or 'i'}/status/{tweet_id}"


def to_post(
    tweet: dict[str, Any],
    users: dict[str, dict[str, Any]],
    *,
    account: str,
    clock: Callable[[], datetime],
    listen_only: bool = False,
) -> Post:
    """A tweet as a `Post` answered as `account`; the clock's time stands in for a missing `created_at`."""
    tweet_id = str(tweet["id"])
    author_id = str(tweet.get("author_id", ""))
    user = users.get(author_id, {})
    handle = str(user.get("username", ""))
    followers = user.get("public_metrics", {}).get("followers_count")
    conversation = tweet.get("conversation_id")
    return Post(
        network=Network.X,
        id=tweet_id,
        account=account,
        author=Author(
            id=author_id,
            handle=handle,
            name=str(user.get("name", handle)),
            followers=int(followers) if followers is not None else None,
        ),
        text=html.unescape(str(tweet.get("text", ""))),
        url=status_url(handle, tweet_id),
        created_at=parse_time(tweet.get("created_at")) or clock(),
        lang=tweet.get("lang"),
        conversation_id=str(conversation) if conversation is not None else None,
        in_reply_to=min(replies_to(tweet), default=None),
        listen_only=listen_only,
    )


def replies_to(tweet: dict[str, Any]) -> set[str]:
    """The ids of the posts `tweet` answers."""
    return {
        str(ref.get("id")) for ref in tweet.get("referenced_tweets") or [] if ref.get("type") == "replied_to"
    }


def addressed_to(
    tweet: dict[str, Any], referenced: dict[str, dict[str, Any]], *, username: str, user_id: str
) -> bool:
    """Whether X would let the brand reply: the author @mentioned it or quoted one of its posts.

    A retweet never counts: its text (and any mention in it) belongs to someone else.
    """
    refs = tweet.get("referenced_tweets") or []
    if any(ref.get("type") == "retweeted" for ref in refs):
        return False
    mention = rf"(?<![\w@])@{re.escape(username)}(?!\w)"
    if re.search(mention, str(tweet.get("text", "")), re.IGNORECASE):
        return True
    return any(
        ref.get("type") == "quoted"
        and str(referenced.get(str(ref.get("id")), {}).get("author_id", "")) == user_id
        for ref in refs
    )


@dataclass
class Pages:
    """What the pages of one fetch returned: tweets by id, their authors and the posts they reference."""

    tweets: dict[str, dict[str, Any]] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    referenced: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, body: dict[str, Any]) -> None:
        includes = body.get("includes", {})
        for user in includes.get("users", []):
            self.users[str(user["id"])] = user
        for tweet in includes.get("tweets", []):
            self.referenced[str(tweet["id"])] = tweet
        for tweet in body.get("data") or []:
            self.tweets.setdefault(str(tweet["id"]), tweet)


def checked_search(search: str | None, page_size: int) -> str | None:
    """The search query stripped, once it and the page size suit X (ValueError otherwise)."""
    if not 5 <= page_size <= MAX_PAGE_SIZE:
        raise ValueError("page_size must be between 5 and 100")
    if search is None:
        return None
    search = search.strip()
    if not search:
        raise ValueError("search must be a non-empty X search query")
    if page_size < MIN_SEARCH_PAGE_SIZE:
        raise ValueError("page_size must be between 10 and 100 with a search")
    return search

"""The accounts and posts of the emulated X, their snowflake ids and timestamps."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_WEIGHTED_LENGTH",
    "REACHABLE_MENTIONS",
    "REACHABLE_TIMELINE",
    "SEARCH_WINDOW",
    "TWITTER_EPOCH_MS",
    "XDmEvent",
    "XTweet",
    "XUser",
    "iso",
    "mentions_handle",
    "one_to_one",
    "snowflake",
    "snowflake_time",
]

TWITTER_EPOCH_MS = 1288834974657
MAX_WEIGHTED_LENGTH = 280
REACHABLE_MENTIONS = 800
REACHABLE_TIMELINE = 3200
SEARCH_WINDOW = timedelta(days=7)  # recent search reaches this far back
MAX_QUERY_LENGTH = 512


@dataclass
class XUser:
    id: str
    username: str
    name: str
    followers: int = 0
    created_at: datetime = field(default_factory=lambda: datetime(2015, 3, 1, tzinfo=UTC))
    accepts_dms: bool = True  # False: only people they already talk to in DMs may message them


@dataclass
class XDmEvent:
    """One direct message (a `MessageCreate` event) in a one-to-one conversation."""

    id: str
    conversation_id: str  # "<lower user id>-<higher user id>" for one-to-one conversations
    sender_id: str
    participant_ids: tuple[str, str]
    text: str
    created_at: datetime


def one_to_one(first: str, second: str) -> str:
    """X's id of the one-to-one DM conversation between two users."""
    low, high = sorted((first, second), key=int)
    return f"{low}-{high}"


@dataclass
class XTweet:
    id: str
    text: str
    author_id: str
    created_at: datetime
    conversation_id: str
    lang: str = "en"
    in_reply_to_tweet_id: str | None = None
    in_reply_to_user_id: str | None = None
    quote_of: str | None = None
    retweet_of: str | None = None
    deleted: bool = False

    @property
    def references(self) -> list[tuple[str, str]]:
        """(type, tweet id) of the tweets this one replies to, quotes or retweets, as X names them."""
        refs = [
            ("replied_to", self.in_reply_to_tweet_id),
            ("quoted", self.quote_of),
            ("retweeted", self.retweet_of),
        ]
        return [(kind, tweet_id) for kind, tweet_id in refs if tweet_id]


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def snowflake_time(tweet_id: int) -> datetime:
    return datetime.fromtimestamp(((tweet_id >> 22) + TWITTER_EPOCH_MS) / 1000, UTC)


def snowflake(moment: datetime) -> int:
    return (int(moment.timestamp() * 1000) - TWITTER_EPOCH_MS) << 22


def mentions_handle(text: str, username: str) -> bool:
    """Whether `text` @mentions `username` (case-insensitive, not inside a word or an e-mail address)."""
    return re.search(rf"(?<![\w@])@{re.escape(username)}(?!\w)", text, re.IGNORECASE) is not None

"""Reddit private messages: answering one in its thread, writing to the author of a public post, and
finding what the brand sent (after a crash) in its sent box. Texts are never logged: only ids.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

import praw
from praw.models import Message

from bot.domain import Post, Reply
from connectors.reddit.mapping import REDDIT_URL, clean, data_of, name_of, to_reply

MAX_SUBJECT_LENGTH = 100
SENT_LIMIT = 100  # the newest sent messages looked through for an earlier one


class _WithoutBodies(logging.Filter):
    """Drops prawcore's debug record of each request's form data: it carries comment and message text."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG or not str(record.msg).startswith("Data:")


_FILTER = _WithoutBodies()


def keep_messages_out_of_logs() -> None:
    """Make prawcore's debug logging leave request bodies (private messages) out; idempotent."""
    logger = logging.getLogger("prawcore")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)


def subject_for(post: Post) -> str:
    """The subject of a private message about a public post: "About your comment in r/sub"."""
    kind = "post" if post.id.startswith("t3_") else "comment"
    where = f" in r/{post.place}" if post.place else ""
    return f"About your {kind}{where}"[:MAX_SUBJECT_LENGTH]


def message(reddit: praw.Reddit, fullname: str) -> Message:
    """A praw `Message` for `fullname` without fetching it (enough to reply to it or mark it read)."""
    return Message(reddit, _data={"id": fullname.removeprefix("t4_"), "replies": []})


class PrivateMessages:
    """The brand's private messages through praw.

    Args:
        reddit: the connector's praw instance.
        each: iterates a praw listing, translating errors of each page request (`RedditConnector._each`).
        translate: the connector's error translation for one call.
        clock: returns the current aware UTC time.
    """

    def __init__(
        self,
        reddit: praw.Reddit,
        each: Callable[[Iterable[Any], str], Iterator[Any]],
        translate: Callable[[str], AbstractContextManager[None]],
        clock: Callable[[], datetime],
    ) -> None:
        self._reddit = reddit
        self._each = each
        self._translate = translate
        self._clock = clock

    def compose(self, post: Post, text: str) -> None:
        """Write `text` to the author of `post` in a new thread (Reddit returns nothing to keep)."""
        with self._translate(f"sending a private message to u/{post.author.handle}"):
            self._reddit.redditor(post.author.handle).message(subject=subject_for(post), message=text)

    def find_sent(self, *, since: datetime, wanted: Callable[[dict[str, Any]], bool]) -> Reply | None:
        """The newest message we sent since `since` that `wanted` accepts, from the sent box."""
        cutoff = since.timestamp()
        sent = self._reddit.inbox.sent(limit=SENT_LIMIT)
        for item in self._each(sent, "checking the sent private messages"):
            data = data_of(item)
            created = float(data.get("created_utc") or 0)
            if created < cutoff:
                break  # newest first: the rest is older
            if wanted(data):
                return to_reply(data, datetime.fromtimestamp(created, UTC))
        return None

    def find_answer(self, post: Post, text: str) -> Reply | None:
        """Our answer with this text in the thread of the private message `post`."""
        body = clean(text)
        return self.find_sent(
            since=post.created_at,
            wanted=lambda d: d.get("parent_id") == post.id and clean(str(d.get("body", ""))) == body,
        )

    def find_to_author(self, post: Post, text: str) -> Reply | None:
        """Our message with this text to the author of `post`, sent after the post."""
        body, author = clean(text), post.author.handle.casefold()
        return self.find_sent(
            since=post.created_at,
            wanted=lambda d: (
                name_of(d.get("dest")).casefold() == author and clean(str(d.get("body", ""))) == body
            ),
        )

    def sent_box_reply(self, post: Post) -> Reply:
        """What we can say about a message Reddit accepted but does not list yet."""
        return Reply(id=f"pm:{post.id}", url=f"{REDDIT_URL}/message/sent/", posted_at=self._clock())

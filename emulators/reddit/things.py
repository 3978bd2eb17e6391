"""Reddit's things (t1 comments, t3 submissions, t4 messages, inbox items), their ids and error shapes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from emulators.http import Response

MAX_COMMENT_LENGTH = 10_000
MAX_LISTING_LIMIT = 100
DEFAULT_LISTING_LIMIT = 25
MAX_MENTIONS_NOTIFIED = 3
DEFAULT_RATE_LIMIT = (100, 60)  # requests, window seconds: "100 queries per minute per OAuth client id"

RATELIMIT_MESSAGE = "Looks like you've been doing that a lot. Take a break for {amount} before trying again."
THREAD_LOCKED = ("THREAD_LOCKED", "Comments are locked.", "parent")
TOO_OLD = ("TOO_OLD", "that's a piece of history now; it's too late to reply to it", "parent")
DELETED_COMMENT = ("DELETED_COMMENT", "that comment has been deleted", "parent")
NO_TEXT = ("NO_TEXT", "we need something here", "text")
TOO_LONG = ("TOO_LONG", f"this is too long (max: {MAX_COMMENT_LENGTH})", "text")
MAX_SUBJECT_LENGTH = 100
NO_SUBJECT = ("NO_SUBJECT", "please enter a subject", "subject")
SUBJECT_TOO_LONG = ("TOO_LONG", f"this is too long (max: {MAX_SUBJECT_LENGTH})", "subject")
USER_DOESNT_EXIST = ("USER_DOESNT_EXIST", "that user doesn't exist", "to")
NOT_WHITELISTED = ("NOT_WHITELISTED_BY_USER_MESSAGE", "Can't send a message to that user.", "to")

SUBJECTS = {
    "username_mention": "username mention",
    "comment_reply": "comment reply",
    "post_reply": "post reply",
}
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
USER_MENTION = re.compile(r"(?<![\w/])/?u/([A-Za-z0-9_-]{3,20})(?![\w-])", re.IGNORECASE)


def base36(number: int) -> str:
    """`number` in Reddit's id alphabet (0-9a-z)."""
    out = ""
    while True:
        number, digit = divmod(number, 36)
        out = DIGITS[digit] + out
        if number == 0:
            return out


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")[:50].rstrip("_") or "_"


@dataclass
class RedditSubmission:
    id: str
    subreddit: str
    title: str
    selftext: str
    author: str
    created_utc: float
    locked: bool = False
    archived: bool = False
    deleted: bool = False
    score: int = 1

    @property
    def name(self) -> str:
        return f"t3_{self.id}"

    @property
    def permalink(self) -> str:
        return f"/r/{self.subreddit}/comments/{self.id}/{slug(self.title)}/"


@dataclass
class RedditComment:
    id: str
    submission: RedditSubmission
    parent_id: str
    body: str
    author: str
    created_utc: float
    locked: bool = False
    deleted: bool = False
    score: int = 1

    @property
    def name(self) -> str:
        return f"t1_{self.id}"

    @property
    def subreddit(self) -> str:
        return self.submission.subreddit

    @property
    def link_id(self) -> str:
        return self.submission.name

    @property
    def permalink(self) -> str:
        return f"{self.submission.permalink}{self.id}/"


@dataclass
class RedditMessage:
    """A private message (kind t4) between the brand and someone else, in either direction."""

    id: str
    author: str
    subject: str
    body: str
    created_utc: float
    dest: str = ""  # the recipient's username
    parent_id: str | None = None  # the t4 it answers; None for the first message of a thread
    first_message: str | None = None  # the thread's first message id (base36); None when this is it

    @property
    def name(self) -> str:
        return f"t4_{self.id}"

    @property
    def thread(self) -> str:
        """The fullname of the thread's first message."""
        return f"t4_{self.first_message or self.id}"


@dataclass
class InboxItem:
    """One entry of the brand's inbox: a comment (mention or reply) or a private message."""

    name: str  # t1_… or t4_…
    type: str  # username_mention, comment_reply, post_reply, or "unknown" for private messages
    created_utc: float
    new: bool = True
    sequence: int = 0  # arrival order, for ties on created_utc


def reddit_error(status: int) -> dict[str, Any]:
    """Reddit's JSON body for an HTTP error: ``{"message": "Forbidden", "error": 403}``."""
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    return {"message": phrase, "error": status}


def api_errors(*errors: tuple[str, str, str | None]) -> Response:
    return Response(200, {"json": {"errors": [list(e) for e in errors]}})

"""X direct messages: reading the brand's DM events, sending a DM, finding one we sent, and the cursor
that covers mentions and DMs.

DMs need the brand's user context and X's DM permission: for OAuth 1.0a keys the X app's permission
"Read and write and Direct message" (`x-access-level: read-write-directmessages`), for OAuth 2.0 the
scopes ``dm.read dm.write``. Private text is never logged here: only ids.
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import tweepy

from bot.domain import Author, Network, Post, Reply
from connectors.common import parse_time
from connectors.x.errors import translated
from connectors.x.mapping import USER_FIELDS, clean

log = logging.getLogger(__name__)

DM_EVENT_FIELDS = ["created_at", "sender_id", "dm_conversation_id", "participant_ids", "text", "event_type"]
DM_PAGE_SIZE = 100
MAX_DM_PAGES = 10  # X keeps 30 days of DM events; a poll reads at most this many pages of them
CURSOR_VERSION = 1
MAX_DM_LENGTH = 10_000  # characters of a direct message (a post has 280 weighted)


class _WithoutDirectMessages(logging.Filter):
    """Drops the debug records of tweepy (DM requests and answers) and requests-oauthlib (request
    bodies) that may carry a message's text."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.DEBUG:
            return True
        message = record.getMessage()
        return "dm_" not in message and not message.startswith("Updated body")


_FILTER = _WithoutDirectMessages()


def keep_dms_out_of_logs() -> None:
    """Make the SDKs' debug logging (request bodies, answers) leave direct messages out; idempotent."""
    for name in ("tweepy.client", "requests_oauthlib.oauth1_auth"):
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


def messages_url(conversation_id: str) -> str:
    return f"https://x.com/messages/{conversation_id}"


@dataclass(frozen=True)
class XCursor:
    """Where the last fetch stopped: the newest mention (or search hit) id and the newest DM event id.

    Stored as a plain id while DMs are not read (as before DMs existed), else as a small JSON object.
    An old plain id also serves as the DM floor: tweet and DM event ids are both time-ordered
    snowflakes, so DMs newer than it are exactly the DMs that arrived since that poll.
    """

    mentions: str | None = None
    dms: str | None = None

    @classmethod
    def parse(cls, cursor: str | None) -> XCursor:
        if not cursor:
            return cls()
        if cursor.isdigit():
            return cls(cursor, cursor)
        try:
            data = json.loads(cursor)
        except ValueError:
            log.warning("X: ignoring a cursor that is neither an id nor JSON: %r", cursor[:80])
            return cls()
        if not isinstance(data, dict) or data.get("v") != CURSOR_VERSION:
            log.warning("X: ignoring a cursor of an unknown version: %r", cursor[:80])
            return cls()
        mentions, dms = data.get("mentions"), data.get("dms")
        return cls(
            mentions if isinstance(mentions, str) and mentions.isdigit() else None,
            dms if isinstance(dms, str) and dms.isdigit() else None,
        )

    def dump(self, *, with_dms: bool) -> str | None:
        if not with_dms:
            return self.mentions
        return json.dumps({"v": CURSOR_VERSION, "mentions": self.mentions, "dms": self.dms})


def dm_to_post(
    event: dict[str, Any],
    users: dict[str, dict[str, Any]],
    *,
    account: str,
    clock: Callable[[], datetime],
    in_reply_to: str | None = None,
) -> Post:
    """A `MessageCreate` event as a private `Post` (its conversation is the DM conversation);
    `in_reply_to`: the brand's message it follows, when known."""
    sender = str(event.get("sender_id", ""))
    user = users.get(sender, {})
    handle = str(user.get("username", ""))
    followers = user.get("public_metrics", {}).get("followers_count")
    conversation = str(event.get("dm_conversation_id", ""))
    return Post(
        network=Network.X,
        id=str(event["id"]),
        account=account,
        author=Author(
            id=sender,
            handle=handle,
            name=str(user.get("name", handle)),
            followers=int(followers) if followers is not None else None,
        ),
        text=html.unescape(str(event.get("text", ""))),
        url=messages_url(conversation),
        created_at=parse_time(event.get("created_at")) or clock(),
        conversation_id=conversation or None,
        in_reply_to=in_reply_to,
        private=True,
        reply_limit=MAX_DM_LENGTH,
    )


def answered(events: list[dict[str, Any]], brand_id: str) -> dict[str, str]:
    """For each event of someone else, the brand's latest message before it in the same conversation,
    among `events` (newest first, as X returns them): event id -> the brand's event id."""
    last: dict[str, str] = {}
    found: dict[str, str] = {}
    for event in reversed(events):
        conversation = str(event.get("dm_conversation_id", ""))
        if str(event.get("sender_id", "")) == brand_id:
            last[conversation] = str(event["id"])
        elif conversation in last:
            found[str(event["id"])] = last[conversation]
    return found


class DirectMessages:
    """The DM endpoints of X through tweepy, always in the brand's user context."""

    def __init__(self, client: tweepy.Client, clock: Callable[[], datetime]) -> None:
        self._client = client
        self._clock = clock

    def newer(self, since: str | None) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]], str | None]:
        """DM events newer than `since` (only the newest page without it), newest first; their senders;
        and the newest event id X returned (None when there are none)."""
        events: list[dict[str, Any]] = []
        users: dict[str, dict[str, Any]] = {}
        newest: str | None = None
        token: str | None = None
        for page in range(MAX_DM_PAGES if since else 1):
            with translated("reading direct messages", self._clock):
                body: dict[str, Any] = self._client.get_direct_message_events(
                    dm_event_fields=DM_EVENT_FIELDS,
                    event_types="MessageCreate",
                    expansions=["sender_id"],
                    user_fields=USER_FIELDS,
                    max_results=DM_PAGE_SIZE,
                    pagination_token=token,
                    user_auth=True,
                )
            for user in body.get("includes", {}).get("users", []):
                users[str(user["id"])] = user
            data = body.get("data") or []
            if page == 0 and data:
                newest = str(data[0]["id"])
            fresh = [e for e in data if since is None or int(e["id"]) > int(since)]
            events.extend(e for e in fresh if e.get("event_type", "MessageCreate") == "MessageCreate")
            token = body.get("meta", {}).get("next_token")
            if len(fresh) < len(data) or not token:
                break
        else:
            if since and token:
                log.warning(
                    "X direct messages: stopped after %d pages; older ones were skipped", MAX_DM_PAGES
                )
        return events, users, newest

    def send(self, participant_id: str, text: str, *, doing: str) -> Reply:
        """Send `text` to `participant_id` (their one-to-one conversation with the brand)."""
        with translated(doing, self._clock):
            body = self._client.create_direct_message(
                participant_id=participant_id, text=text, user_auth=True
            )
        data = body["data"]
        return Reply(
            id=str(data["dm_event_id"]),
            url=messages_url(str(data["dm_conversation_id"])),
            posted_at=self._clock(),
            conversation_id=str(data["dm_conversation_id"]),
        )

    def find(self, participant_id: str, *, sender_id: str, after: str, text: str) -> Reply | None:
        """Our DM to `participant_id` with this text sent after the event or tweet id `after`, if any."""
        wanted = clean(text)
        token: str | None = None
        for _ in range(3):
            with translated("checking for an earlier direct message", self._clock):
                body = self._client.get_direct_message_events(
                    participant_id=participant_id,
                    dm_event_fields=DM_EVENT_FIELDS,
                    event_types="MessageCreate",
                    max_results=DM_PAGE_SIZE,
                    pagination_token=token,
                    user_auth=True,
                )
            for event in body.get("data") or []:
                if int(event["id"]) <= int(after):
                    return None  # newest first: the rest is older than the post
                if str(event.get("sender_id")) == sender_id and clean(str(event.get("text", ""))) == wanted:
                    return Reply(
                        id=str(event["id"]),
                        url=messages_url(str(event.get("dm_conversation_id", ""))),
                        posted_at=parse_time(event.get("created_at")) or self._clock(),
                        conversation_id=str(event.get("dm_conversation_id", "")) or None,
                    )
            token = body.get("meta", {}).get("next_token")
            if not token:
                break
        return None

    def accepts(self, user_id: str) -> bool:
        """Whether X says the brand may send this user a DM now (`receives_your_dm`)."""
        with translated("checking whether the author accepts direct messages", self._clock):
            body = self._client.get_user(id=user_id, user_fields=["receives_your_dm"], user_auth=True)
        return bool((body.get("data") or {}).get("receives_your_dm"))

"""Reddit's private messages (kind t4): composing, answering in a thread, the sent box, their JSON.

Followed: Reddit's API documentation for ``POST /api/compose`` (`api_type`, `subject` of at most 100
characters, `text`, `to`; errors in a 200 ``{"json": {"errors": [...]}}``: NO_SUBJECT, NO_TEXT,
TOO_LONG, USER_DOESNT_EXIST, NOT_WHITELISTED_BY_USER_MESSAGE), ``POST /api/comment`` with a t4
`thing_id` (a reply in the message's thread, returned as a t4 thing), ``GET /message/sent`` and
``/message/messages``, and the message JSON praw parses (`author`, `dest`, `subject` with "re: " on
answers, `body`, `parent_id`, `first_message` (the thread's first id as a base-10 integer) and
`first_message_name`, `was_comment: false`, `context: ""`, `new`, `replies`).

Simplified: no subreddit (modmail) messages, no blocking; `replies` is always empty.
"""

from __future__ import annotations

from typing import Any

from emulators.http import RecordedRequest, Response
from emulators.reddit.rendering import RedditRendering
from emulators.reddit.things import (
    MAX_COMMENT_LENGTH,
    MAX_SUBJECT_LENGTH,
    NO_SUBJECT,
    NO_TEXT,
    NOT_WHITELISTED,
    SUBJECT_TOO_LONG,
    TOO_LONG,
    USER_DOESNT_EXIST,
    InboxItem,
    RedditMessage,
    api_errors,
    reddit_error,
)

__all__ = ["RedditMessages"]


class RedditMessages(RedditRendering):
    """Private messages between the brand and others; routes are registered by `RedditEmulator`."""

    def _may_message(self, username: str) -> bool:
        """Someone who restricts messages may still be written to once they wrote to the brand."""
        if username.lower() not in self._refusing:
            return True
        return any(
            m.author.lower() == username.lower() and self._is_brand(m.dest) for m in self._messages.values()
        )

    # -- routes (called with self._state held) -----------------------------------------------------

    def _compose(self, request: RecordedRequest) -> Response:
        form = request.form()
        to = form.get("to", "").strip().removeprefix("/u/").removeprefix("u/")
        subject, text = form.get("subject", ""), form.get("text", "")
        if not to or to.lower() not in self._user_ids or self._is_brand(to):
            return api_errors(USER_DOESNT_EXIST)
        if not subject.strip():
            return api_errors(NO_SUBJECT)
        if len(subject) > MAX_SUBJECT_LENGTH:
            return api_errors(SUBJECT_TOO_LONG)
        if not text.strip():
            return api_errors(NO_TEXT)
        if len(text) > MAX_COMMENT_LENGTH:
            return api_errors(TOO_LONG)
        if not self._may_message(to):
            return api_errors(NOT_WHITELISTED)
        self._store_message(self.username, self._display_name(to), subject, text, parent=None)
        return Response(200, {"json": {"errors": []}})

    def _reply_to_message(self, request: RecordedRequest) -> Response:
        form = request.form()
        parent = self._messages.get(form.get("thing_id", "").removeprefix("t4_"))
        if parent is None:
            return Response(403, reddit_error(403))
        text = form.get("text", "")
        if not text.strip():
            return api_errors(NO_TEXT)
        if len(text) > MAX_COMMENT_LENGTH:
            return api_errors(TOO_LONG)
        other = parent.dest if self._is_brand(parent.author) else parent.author
        message = self._store_message(self.username, other, "", text, parent=parent)
        escape = request.query.get("raw_json") != "1"
        thing = {"kind": "t4", "data": self._render_message(message, escape, new=False)}
        return Response(200, {"json": {"errors": [], "data": {"things": [thing]}}})

    def _sent(self, request: RecordedRequest) -> Response:
        sent = sorted(
            (m for m in self._messages.values() if self._is_brand(m.author)),
            key=lambda m: int(m.id, 36),
            reverse=True,
        )
        escape = request.query.get("raw_json") != "1"
        return self._listing(
            request,
            sent,
            lambda m: m.name,
            lambda m: {"kind": "t4", "data": self._render_message(m, escape, new=False)},
        )

    # -- rendering ---------------------------------------------------------------------------------

    def _display_name(self, username: str) -> str:
        """The name as its owner spells it (the first spelling seen)."""
        for message in self._messages.values():
            if message.author.lower() == username.lower():
                return message.author
        return username

    def _render_inbox(self, item: InboxItem, escape: bool) -> dict[str, Any]:
        if item.name.startswith("t4_"):
            message = self._messages[item.name.removeprefix("t4_")]
            return {"kind": "t4", "data": self._render_message(message, escape, new=item.new)}
        return super()._render_inbox(item, escape)

    def _render_message(self, message: RedditMessage, escape: bool, *, new: bool) -> dict[str, Any]:
        first = message.first_message
        return {
            "id": message.id,
            "name": message.name,
            "body": self._text(message.body, escape),
            "body_html": self._html(message.body),
            **self._author_fields(message.author, False),
            "dest": message.dest,
            "created_utc": message.created_utc,
            "created": message.created_utc,
            "context": "",
            "parent_id": message.parent_id,
            "first_message": int(first, 36) if first else None,
            "first_message_name": f"t4_{first}" if first else None,
            "subreddit": None,
            "subreddit_name_prefixed": None,
            "subject": self._text(message.subject, escape),
            "type": "unknown",
            "was_comment": False,
            "new": new,
            "likes": None,
            "distinguished": None,
            "replies": "",
        }

"""Read-only copies of the recorded state, for assertions; and storing a message a person wrote."""

from __future__ import annotations

import copy

from emulators.slack.arguments import ApiError, decode_params
from emulators.slack.records import ApiCall, Ephemeral, Message, ResponseUse, StoredView
from emulators.slack.state import SlackState

__all__ = ["Inspection"]


class Inspection(SlackState):
    """What tests look at: messages, threads, ephemerals, views, response URL uses, API calls."""

    def messages(self, channel: str) -> list[Message]:
        """Top-level messages of `channel`, oldest first (copies)."""
        with self._state:
            return [copy.deepcopy(m) for m in self._messages.get(channel, []) if m.thread_ts is None]

    def thread(self, channel: str, ts: str) -> list[Message]:
        """Replies in the thread of `ts`, oldest first (the parent excluded)."""
        with self._state:
            return [copy.deepcopy(m) for m in self._replies(channel, ts)]

    def message(self, channel: str, ts: str) -> Message:
        """The current version of a message; `KeyError` if it does not exist (or was deleted)."""
        with self._state:
            message = self._find(channel, ts)
            if message is None:
                raise KeyError(f"no message {ts} in {channel}")
            return copy.deepcopy(message)

    def deleted_messages(self) -> list[Message]:
        with self._state:
            return copy.deepcopy(self._deleted)

    def ephemerals(self, user: str | None = None, *, channel: str | None = None) -> list[Ephemeral]:
        """Ephemeral messages, oldest first, optionally for one user and/or channel."""
        with self._state:
            return [
                copy.deepcopy(e)
                for e in self._ephemerals
                if (user is None or e.user == user) and (channel is None or e.channel == channel)
            ]

    @property
    def views(self) -> dict[str, StoredView]:
        """Every modal and Home view by id (copies)."""
        with self._state:
            return copy.deepcopy(self._views)

    def view(self, view_id: str) -> StoredView:
        with self._state:
            return copy.deepcopy(self._views[view_id])

    def open_views(self, user: str | None = None) -> list[StoredView]:
        """Modals currently open (not closed), oldest first."""
        with self._state:
            return [
                copy.deepcopy(v)
                for v in self._views.values()
                if v.type == "modal" and not v.closed and (user is None or v.user == user)
            ]

    @property
    def published_homes(self) -> dict[str, StoredView]:
        """The latest Home tab published for each user."""
        with self._state:
            return {user: copy.deepcopy(self._views[view_id]) for user, view_id in self._homes.items()}

    @property
    def responses(self) -> list[ResponseUse]:
        """Every POST to a response_url, oldest first."""
        with self._state:
            return list(self._responses)

    def calls(self, method: str) -> list[ApiCall]:
        """Web API calls to `method` (e.g. "chat.postMessage"), oldest first, injected failures included."""
        calls = []
        for request in self.requests:
            if request.path != f"/api/{method}":
                continue
            status = request.response.status if request.response else None
            body = request.response.body if request.response else None
            error = body.get("error") if isinstance(body, dict) and not body.get("ok") else None
            try:
                params = decode_params(request)
            except (ApiError, ValueError):
                params = {}
            calls.append(ApiCall(method, params, status, error, request))
        return calls

    def post_user_message(
        self, channel: str, text: str, *, user: str, thread_ts: str | None = None
    ) -> Message:
        """Store a message a person wrote (no event is sent: use `send_event(message_event(...))`)."""
        with self._state:
            message = self._store(
                Message(
                    channel=channel, ts=self._next_ts(), text=text, blocks=[], user=user, thread_ts=thread_ts
                )
            )
            return copy.deepcopy(message)

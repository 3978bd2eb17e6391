"""X's direct messages (API v2): one-to-one DM events, their lookup and sending, and the user lookup
that says whether someone accepts our DMs (`receives_your_dm`).

Followed: docs.x.com "Direct Messages lookup" (``GET /2/dm_events``,
``GET /2/dm_conversations/with/:participant_id/dm_events``, ``GET /2/dm_conversations/:id/dm_events``:
newest first, events of the last 30 days, `dm_event.fields`, `event_types`, `expansions`
``sender_id``/``participant_ids``, `max_results` 1-100 (default 100), `pagination_token`), "Manage
Direct Messages" (``POST /2/dm_conversations/with/:participant_id/messages`` and
``POST /2/dm_conversations/:dm_conversation_id/messages`` with ``{"text": ...}``, answered 201
``{"data": {"dm_conversation_id", "dm_event_id"}}``; 200 requests per 15 minutes per user), the
`DmEvent` schema (`id`, `event_type`, `text`, `sender_id`, `dm_conversation_id`, `created_at`,
`participant_ids`), the OAuth 2.0 scopes the endpoints list (`dm.read`, `tweet.read`, `users.read`,
and `dm.write` to send) and the app permission "Read, write and Direct Messages" that OAuth 1.0a
needs (`x-access-level: read-write-directmessages`).

Refusals as X answers them: an OAuth 2.0 user token without the scopes gets a bare 403 "Forbidden"
problem; an OAuth 1.0a app without the DM permission gets 403 with X's "This application is not
allowed to access or delete your direct messages."; a message to someone who does not accept DMs
from the brand (and never wrote to it) gets 403 "You cannot send messages to this user.".

Simplified: one-to-one conversations only (no groups, no `ParticipantsJoin`/`Leave` events), no
attachments, no `previous_token`; a conversation's id is ``"<lower id>-<higher id>"`` as X forms it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from emulators.http import RecordedRequest, Response
from emulators.x.model import XDmEvent, XUser, iso, one_to_one
from emulators.x.problems import INVALID_REQUEST, invalid, not_found, problem
from emulators.x.rendering import USER_FIELDS, XRendering

__all__ = [
    "DM_EVENT_FIELDS",
    "DM_EXPANSIONS",
    "DM_PERMISSION_DETAIL",
    "DM_REFUSED_DETAIL",
    "DM_RETENTION",
    "MAX_DM_LENGTH",
    "XMessages",
]

DM_EVENT_FIELDS = frozenset(
    [
        "attachments",
        "created_at",
        "dm_conversation_id",
        "entities",
        "event_type",
        "id",
        "participant_ids",
        "referenced_tweets",
        "sender_id",
        "text",
    ]
)
DM_EXPANSIONS = frozenset(["attachments.media_keys", "participant_ids", "referenced_tweets.id", "sender_id"])
EVENT_TYPES = frozenset(["MessageCreate", "ParticipantsJoin", "ParticipantsLeave"])
DM_PERMISSION_DETAIL = "This application is not allowed to access or delete your direct messages."
DM_REFUSED_DETAIL = "You cannot send messages to this user."
DM_RETENTION = timedelta(days=30)
MAX_DM_LENGTH = 10_000
READ_SCOPES = frozenset(["dm.read", "tweet.read", "users.read"])
WRITE_SCOPES = READ_SCOPES | {"dm.write"}


class XMessages(XRendering):
    """Direct messages between the brand and other users; routes are registered by `XEmulator`."""

    user_tokens: dict[str, frozenset[str]]  # OAuth 2.0 user tokens of the brand -> their scopes
    access_level: str

    # -- test helpers ------------------------------------------------------------------------------

    def add_direct_message(
        self,
        text: str,
        *,
        author_handle: str = "someone",
        author_name: str | None = None,
        author_id: str | None = None,
        created_at: datetime | None = None,
    ) -> str:
        """A DM from `author_handle` to the brand; its event id."""
        author = self.add_user(author_handle, name=author_name, user_id=author_id)
        with self._state:
            return self._store_dm(author, self.brand, text, created_at).id

    def set_accepts_dms(self, handle: str, accepts: bool) -> None:
        """Whether `handle` accepts DMs from accounts they have not written to (X's privacy setting)."""
        with self._state:
            self.add_user(handle).accepts_dms = accepts

    @property
    def sent_messages(self) -> list[XDmEvent]:
        """DMs the brand sent, oldest first."""
        with self._state:
            return [e for e in self._dm_events.values() if e.sender_id == self.brand.id]

    def dm_event(self, event_id: str) -> XDmEvent:
        with self._state:
            return self._dm_events[event_id]

    # -- plumbing ----------------------------------------------------------------------------------

    def _clear(self) -> None:
        super()._clear()
        with self._state:
            self._dm_events: dict[str, XDmEvent] = {}

    def _store_dm(self, sender: XUser, recipient: XUser, text: str, created_at: datetime | None) -> XDmEvent:
        created_at = (created_at or self._now()).astimezone(UTC)
        event = XDmEvent(
            id=self._next_id(created_at),
            conversation_id=one_to_one(sender.id, recipient.id),
            sender_id=sender.id,
            participant_ids=(sender.id, recipient.id),
            text=text,
            created_at=created_at,
        )
        self._dm_events[event.id] = event
        return event

    def _may_message(self, user: XUser) -> bool:
        """X lets the brand write to someone who accepts DMs, or who already wrote to the brand."""
        if user.accepts_dms or user.id == self.brand.id:
            return True
        conversation = one_to_one(user.id, self.brand.id)
        return any(
            e.conversation_id == conversation and e.sender_id == user.id for e in self._dm_events.values()
        )

    def _render_user(self, user: XUser, fields: set[str]) -> dict[str, Any]:
        data = super()._render_user(user, fields)
        if "receives_your_dm" in fields:
            data["receives_your_dm"] = self._may_message(user)
        return data

    def _dm_permission(self, request: RecordedRequest, *, write: bool) -> Response | None:
        """403 when the caller's app permission (OAuth 1.0a) or token scopes (OAuth 2.0) lack DMs."""
        scheme, _, credentials = (request.header("Authorization") or "").partition(" ")
        if scheme == "OAuth":
            if self.access_level != "read-write-directmessages":
                return problem(403, DM_PERMISSION_DETAIL, title="Forbidden")
            return None
        scopes = self.user_tokens.get(credentials.strip(), frozenset())
        if not (WRITE_SCOPES if write else READ_SCOPES) <= scopes:
            return problem(403, "Forbidden", title="Forbidden")
        return None

    # -- routes (called with self._state held) ---------------------------------------------------------

    def _get_user(self, request: RecordedRequest) -> Response:
        fields = self._fields(request)
        if isinstance(fields, Response):
            return fields
        user = self._users.get(request.path_params["user_id"])
        if user is None:
            return not_found("user", request.path_params["user_id"])
        return Response(200, {"data": self._render_user(user, fields[1])})

    def _dm_events_route(self, request: RecordedRequest) -> Response:
        refusal = self._dm_permission(request, write=False)
        if refusal is not None:
            return refusal
        params = request.path_params
        oldest = self._now() - DM_RETENTION
        events = [
            e
            for e in self._dm_events.values()
            if self.brand.id in e.participant_ids and e.created_at >= oldest
        ]
        if "participant_id" in params:
            conversation = one_to_one(params["participant_id"], self.brand.id)
            events = [e for e in events if e.conversation_id == conversation]
        elif "conversation_id" in params:
            events = [e for e in events if e.conversation_id == params["conversation_id"]]
        return self._dm_page(request, sorted(events, key=lambda e: int(e.id), reverse=True))

    def _send_dm_route(self, request: RecordedRequest) -> Response:
        refusal = self._dm_permission(request, write=True)
        if refusal is not None:
            return refusal
        params = request.path_params
        if "participant_id" in params:
            recipient = self._users.get(params["participant_id"])
        else:
            ids = params["conversation_id"].split("-")
            other = [i for i in ids if i != self.brand.id]
            recipient = self._users.get(other[0]) if len(ids) == 2 and len(other) == 1 else None
        if recipient is None or recipient.id == self.brand.id:
            which = "participant_id" if "participant_id" in params else "dm_conversation_id"
            value = params.get("participant_id") or params.get("conversation_id", "")
            return invalid(which, [value], f"The `{which}` value [{value}] is not valid")
        try:
            payload = request.json()
        except ValueError:
            payload = None
        text = payload.get("text") if isinstance(payload, dict) else None
        if not isinstance(text, str) or not text.strip():
            return problem(
                400,
                "The `text` field is required and cannot be empty.",
                title="Invalid Request",
                type_=INVALID_REQUEST,
            )
        if len(text) > MAX_DM_LENGTH:
            return invalid(
                "text", [text[:40]], f"The `text` field is longer than {MAX_DM_LENGTH} characters."
            )
        if not self._may_message(recipient):
            return problem(403, DM_REFUSED_DETAIL, title="Forbidden")
        event = self._store_dm(self.brand, recipient, text, None)
        return Response(201, {"data": {"dm_conversation_id": event.conversation_id, "dm_event_id": event.id}})

    # -- rendering ---------------------------------------------------------------------------------

    def _dm_page(self, request: RecordedRequest, events: list[XDmEvent]) -> Response:
        """One page of `events` (newest first) under `max_results`, `pagination_token`, fields and expansions."""
        query = request.query
        chosen = _choices(query)
        if isinstance(chosen, Response):
            return chosen
        event_fields, expansions, event_types, user_fields = chosen
        raw_max = query.get("max_results", "100")
        if not raw_max.isdigit() or not 1 <= int(raw_max) <= 100:
            return invalid(
                "max_results",
                [raw_max],
                f"The `max_results` query parameter value [{raw_max}] is not between 1 and 100",
            )
        if event_types and "MessageCreate" not in event_types:
            events = []
        token = query.get("pagination_token")
        if token is not None:
            start = self._decode_token(token)
            if start is None:
                return invalid(
                    "pagination_token",
                    [token],
                    f"The `pagination_token` query parameter value [{token}] is not valid",
                )
            events = [e for e in events if int(e.id) <= start]
        page, rest = events[: int(raw_max)], events[int(raw_max) :]
        meta: dict[str, Any] = {"result_count": len(page)}
        if rest:
            meta["next_token"] = self._encode_token(int(rest[0].id))
        if not page:
            return Response(200, {"meta": meta})
        body: dict[str, Any] = {"data": [_render_event(e, event_fields) for e in page]}
        user_ids: list[str] = []
        for event in page:
            wanted = ([event.sender_id] if "sender_id" in expansions else []) + (
                list(event.participant_ids) if "participant_ids" in expansions else []
            )
            user_ids.extend(u for u in wanted if u not in user_ids and u in self._users)
        if user_ids:
            body["includes"] = {"users": [self._render_user(self._users[u], user_fields) for u in user_ids]}
        body["meta"] = meta
        return Response(200, body)


def _choices(query: dict[str, str]) -> tuple[set[str], set[str], set[str], set[str]] | Response:
    chosen: list[set[str]] = []
    for parameter, allowed in (
        ("dm_event.fields", DM_EVENT_FIELDS),
        ("expansions", DM_EXPANSIONS),
        ("event_types", EVENT_TYPES),
        ("user.fields", USER_FIELDS),
    ):
        values = {v for v in query.get(parameter, "").split(",") if v}
        bad = sorted(values - allowed)
        if bad:
            return invalid(
                parameter,
                bad,
                f"The `{parameter}` query parameter value [{bad[0]}] is not one of [{','.join(sorted(allowed))}]",
            )
        chosen.append(values)
    return chosen[0], chosen[1], chosen[2], chosen[3]


def _render_event(event: XDmEvent, fields: set[str]) -> dict[str, Any]:
    """A `MessageCreate` event: `id`, `event_type` and `text` always, the rest when asked for."""
    data: dict[str, Any] = {"id": event.id, "event_type": "MessageCreate", "text": event.text}
    if "created_at" in fields:
        data["created_at"] = iso(event.created_at)
    if "sender_id" in fields:
        data["sender_id"] = event.sender_id
    if "dm_conversation_id" in fields:
        data["dm_conversation_id"] = event.conversation_id
    if "participant_ids" in fields:
        data["participant_ids"] = list(event.participant_ids)
    return data

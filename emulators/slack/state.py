"""The shared base of the Slack emulator: configuration, recorded state, ids and timestamps."""

from __future__ import annotations

import copy
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable

from emulators.http import Emulator
from emulators.slack.arguments import ApiError
from emulators.slack.records import (
    Ephemeral,
    Message,
    MessageVersion,
    ResponseUrlRecord,
    ResponseUse,
    StoredView,
    Trigger,
    UploadedFile,
)
from emulators.slack.workspace import (
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    DEFAULT_SCOPES,
    TEAM_ID,
    TRIGGER_TTL,
    JSONDict,
)
from emulators.socket_mode import SocketModeServer

__all__ = ["ApiHandler", "SlackState"]

ApiHandler = Callable[[JSONDict], JSONDict]


class SlackState(Emulator):
    """Configuration and recorded state of the workspace, and the internals every Web API mixin shares.

    `_state` guards the state; Web API methods run with it held."""

    def __init__(
        self,
        *,
        bot_token: str = "xoxb-test",
        signing_secret: str = "8f14e45fceea167a5a36dedd4bea2543",  # 32 hex digits, as Slack's
        verification_token: str = "test-verification-token",
        clock: Callable[[], float] = time.time,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(host=host, port=port)
        self.bot_token = bot_token
        self.signing_secret = signing_secret
        self.verification_token = verification_token
        self.team_id = TEAM_ID
        self.bot_user_id = BOT_USER_ID
        self.clock = clock
        self.trigger_ttl = TRIGGER_TTL
        self.missing_channels: set[str] = set()
        self.channel_names: dict[str, str] = {"C_SOCIAL": "social"}
        self.scopes: tuple[str, ...] = DEFAULT_SCOPES  # the bot token's, sent in `x-oauth-scopes`
        self.non_member_channels: set[str] = set()  # the bot was not invited: `not_in_channel`
        self._state = threading.RLock()
        self._users: dict[str, JSONDict] = {}
        for user_id, name in (("U_MARIA", "maria"), ("U_LUCA", "luca"), ("U_ANNA", "anna")):
            self.add_user(user_id, name)
        self.add_user(BOT_USER_ID, "parley", is_bot=True)
        self._rate_limits: dict[str, tuple[int, float, bool]] = {}
        self.usergroups: dict[str, list[str]] = {}  # user group id (S…) -> member user ids
        self._clear_state()
        self.socket_mode = SocketModeServer(host=host, app_id=APP_ID)  # see emulators/socket_mode/
        self._methods = self._api_methods()

    def _api_methods(self) -> dict[str, ApiHandler]:
        """The Web API methods served, by name; `SlackEmulator` lists its mixins' handlers."""
        return {}

    def _clear_state(self) -> None:
        with self._state:
            self._messages: dict[str, list[Message]] = {}
            self._deleted: list[Message] = []
            self._ephemerals: list[Ephemeral] = []
            self._views: dict[str, StoredView] = {}
            self._stacks: dict[str, list[str]] = {}
            self._homes: dict[str, str] = {}
            self._triggers: dict[str, Trigger] = {}
            self._response_urls: dict[str, ResponseUrlRecord] = {}
            self._responses: list[ResponseUse] = []
            self._pending_files: dict[str, UploadedFile] = {}
            self.files: list[UploadedFile] = []  # shared files, in the order they were completed
            self._windows: dict[tuple[str, str | None], deque[float]] = {}
            self._last_ts = 0
            self._counter = 0

    def reset(self) -> None:
        """Forget requests, injected failures, messages, views, triggers and response URLs (keeps users)."""
        super().reset()
        self._clear_state()
        self.socket_mode.reset()

    def stop(self) -> None:
        self.socket_mode.stop()
        super().stop()

    # -- configuration ----------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        real_name: str | None = None,
        tz: str = "Europe/Rome",
        is_bot: bool = False,
    ) -> None:
        """Make `users.info` know `user_id`."""
        real = real_name or name.capitalize()
        with self._state:
            self._users[user_id] = {
                "id": user_id,
                "team_id": TEAM_ID,
                "name": name,
                "deleted": False,
                "color": "9f69e7",
                "real_name": real,
                "tz": tz,
                "tz_label": "Central European Standard Time",
                "tz_offset": 3600,
                "profile": {
                    "real_name": real,
                    "real_name_normalized": real,
                    "display_name": name,
                    "display_name_normalized": name,
                    "title": "",
                    "image_48": f"https://avatars.example/{user_id}_48.png",
                    "team": TEAM_ID,
                },
                "is_admin": False,
                "is_owner": False,
                "is_bot": is_bot,
                "is_app_user": False,
                "updated": 1732600000,
            }

    def add_channel(self, channel_id: str, name: str) -> None:
        """Give a channel a name (used in interaction payloads and `#name` lookups)."""
        with self._state:
            self.channel_names[channel_id] = name

    def rate_limit(
        self, api_method: str, *, limit: int, per_seconds: float, per_channel: bool = False
    ) -> None:
        """Answer 429 + Retry-After once `api_method` is called more than `limit` times in `per_seconds`."""
        with self._state:
            self._rate_limits[api_method] = (limit, per_seconds, per_channel)

    # -- small internals ----------------------------------------------------------------------

    def _next_ts(self) -> str:
        with self._state:
            micros = max(int(self.clock() * 1_000_000), self._last_ts + 1)
            self._last_ts = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _serial(self) -> int:
        with self._state:
            self._counter += 1
            return self._counter

    def _channel_name(self, channel: str) -> str:
        return self.channel_names.get(channel, channel.lower())

    def _channel(self, params: JSONDict, key: str = "channel") -> str:
        channel = str(params.get(key) or "")
        if channel.startswith("#"):
            names = {name: cid for cid, name in self.channel_names.items()}
            channel = names.get(channel[1:], "")
        elif channel[:1] in ("U", "W") and channel in self._users:
            channel = "D" + channel[1:]
        if not channel or channel in self.missing_channels:
            raise ApiError("channel_not_found")
        return channel

    def _find(self, channel: str, ts: str) -> Message | None:
        for message in self._messages.get(channel, []):
            if message.ts == ts:
                return message
        return None

    def _replies(self, channel: str, ts: str) -> list[Message]:
        return [m for m in self._messages.get(channel, []) if m.thread_ts == ts]

    def _serialize(self, message: Message, *, metadata: bool) -> JSONDict:
        data: JSONDict = {
            "type": "message",
            "user": message.user,
            "text": message.text,
            "ts": message.ts,
            "team": TEAM_ID,
        }
        if message.bot_id:
            data["bot_id"] = message.bot_id
            data["app_id"] = APP_ID
            data["bot_profile"] = {"id": BOT_ID, "app_id": APP_ID, "name": "Parley", "team_id": TEAM_ID}
        if message.blocks:
            data["blocks"] = copy.deepcopy(message.blocks)
        if message.edited_ts:
            data["edited"] = {"user": message.user, "ts": message.edited_ts}
        if message.thread_ts:
            parent = self._find(message.channel, message.thread_ts)
            data["thread_ts"] = message.thread_ts
            data["parent_user_id"] = parent.user if parent else message.user
        else:
            replies = self._replies(message.channel, message.ts)
            if replies:
                users = list(dict.fromkeys(r.user for r in replies))
                data.update(
                    thread_ts=message.ts,
                    reply_count=len(replies),
                    reply_users_count=len(users),
                    latest_reply=replies[-1].ts,
                    reply_users=users,
                    is_locked=False,
                    subscribed=False,
                )
        if metadata and message.metadata is not None:
            data["metadata"] = copy.deepcopy(message.metadata)
        return data

    def _store(self, message: Message) -> Message:
        message.versions.append(_version(message, message.ts))
        self._messages.setdefault(message.channel, []).append(message)
        return message

    def _record_edit(self, message: Message) -> None:
        """Stamp `message` as edited now and keep its new version."""
        message.edited_ts = self._next_ts()
        message.versions.append(_version(message, message.edited_ts))

    def _issue_trigger(self, user: str, issued_at: float | None = None) -> str:
        now = self.clock()
        trigger_id = f"{int(now)}{self._serial():04d}.{int(TEAM_ID[1:]) + 5000000000}.{secrets.token_hex(16)}"
        with self._state:
            self._triggers[trigger_id] = Trigger(user, now if issued_at is None else issued_at)
        return trigger_id

    def issue_trigger_id(self, user: str = "U_MARIA", *, issued_at: float | None = None) -> str:
        """A trigger id as an interaction would carry; `issued_at` in the past makes an expired one."""
        return self._issue_trigger(user, issued_at)

    def _new_response_url(self, record: ResponseUrlRecord) -> str:
        response_id = f"{TEAM_ID}/{self._serial()}/{secrets.token_hex(12)}"
        with self._state:
            self._response_urls[response_id] = record
        return f"{self.url}/response/{response_id}"

    def _user_ref(self, user: str) -> JSONDict:
        record = self._users.get(user)
        if record is None:
            raise KeyError(f"unknown user {user!r}: add_user() first")
        return {"id": user, "username": record["name"], "name": record["name"], "team_id": TEAM_ID}


def _version(message: Message, ts: str) -> MessageVersion:
    return MessageVersion(message.text, copy.deepcopy(message.blocks), message.metadata, ts)

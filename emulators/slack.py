"""A local Slack: the Web API methods Parley calls, plus a driver that acts as a Slack user.

`SlackEmulator` serves `POST|GET /api/<method>` for the real `slack_sdk.WebClient`
(`WebClient(token=emulator.bot_token, base_url=emulator.url + "/api/")`) and `POST /response/<id>`
for `response_url`s; `apps.connections.open` (app-level `xapp-` token) hands out the Socket Mode
URLs of `emulator.socket_mode` (`emulators/socket_mode.py`). Its driver methods (`click`,
`submit_view`, `slash_command`, `send_event`, `url_verification`) build the payloads Slack
sends, sign them with the signing secret and POST them to `<app_url>/slack/events`;
`*_request()` variants return the signed request unsent.

Faithful:
- wire format: form or JSON bodies, `Authorization: Bearer`, HTTP 200 `{"ok": false, "error"}`,
  429 + `Retry-After` (`fail_next(..., status=429)` or `rate_limit(...)`);
- errors: `not_authed`, `invalid_auth`, `channel_not_found`, `no_text`, `invalid_blocks`,
  `msg_too_long`, `message_not_found`, `cant_update_message`, `thread_not_found`, `user_not_found`,
  `invalid_trigger_id`, `exchanged_trigger_id` (reused), `expired_trigger_id` (> 3 s),
  `hash_conflict`, `not_found`, `push_limit_reached`, `duplicate_external_id`,
  `invalid_arguments` with `response_metadata.messages`;
- Block Kit limits (50 blocks per message, 100 per view, section 3,000, fields 10 x 2,000,
  header 150, button 75, value 2,000, ids 255, actions 25, context 10, modal title/submit/close
  24, `private_metadata` 3,000, `plain_text_input.max_length` 3,000); Slack fills in missing
  `block_id`/`action_id` and `emoji: true`;
- `chat.update` keeps old blocks/text/metadata when omitted; `metadata` is returned by
  `chat.postMessage`/`chat.update` and by history/replies only with `include_all_metadata`,
  never inside interaction payloads; threads: `reply_count`, `latest_reply`, `parent_user_id`;
  an unknown `thread_ts` posts to the channel as Slack does;
- `response_url`: 5 uses within 30 minutes, `replace_original` / `delete_original` /
  `response_type`; trigger ids expire after 3 s and work once;
- the driver signs exactly like Slack and fills `view.state.values` for every input block, refusing
  to submit what the Slack client would refuse (empty required inputs, too short/long text,
  unknown options); the modal reacts to `response_action` (errors, update, push, clear, close).

Simplified: one workspace, no scopes, any channel id exists unless listed in `missing_channels`,
everyone is a member, no files/reactions/attachments rendering, no message events emitted on
`chat.postMessage`, block validation covers the common blocks and elements only, text past 40,000
characters is refused with `msg_too_long` instead of being truncated, and the cursor is base64 of
`next_ts:<ts>` as Slack's but not interchangeable with it.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import math
import secrets
import string
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode

from emulators.http import Emulator, RecordedRequest, Response, route
from emulators.socket_mode import SocketModeServer

__all__ = [
    "ApiCall",
    "AppResponse",
    "Ephemeral",
    "Message",
    "MessageVersion",
    "ResponseUse",
    "SignedRequest",
    "SlackEmulator",
    "StoredView",
    "checkboxes_value",
    "multi_static_select_value",
    "plain_text_value",
    "radio_buttons_value",
    "sign",
    "static_select_value",
    "users_select_value",
    "validate_blocks",
    "validate_view",
]

JSONDict = dict[str, Any]

TEAM_ID = "T0001"
TEAM_DOMAIN = "parley-test"
TEAM_NAME = "Parley Test"
BOT_USER_ID = "U0BOT"
BOT_ID = "B0BOT"
APP_ID = "A0PARLEY"
ACK_DEADLINE = 3.0
TRIGGER_TTL = 3.0
RESPONSE_URL_MAX_USES = 5
RESPONSE_URL_TTL = 30 * 60.0
MAX_TEXT = 40_000
MAX_VIEW_STACK = 3

_ID_ALPHABET = string.ascii_uppercase + string.digits
_BLOCK_ID_ALPHABET = string.ascii_letters + string.digits + "+/="


# -- value objects -------------------------------------------------------------------------------


class _HasBlocks:
    """Assertion helpers shared by messages and ephemerals."""

    text: str
    blocks: list[JSONDict]

    def buttons(self) -> list[JSONDict]:
        """Every button element (actions blocks and section accessories), in order."""
        return [button for _, button in _buttons(self.blocks)]

    def all_text(self) -> str:
        """The text of every block (text objects, fields, buttons), one per line; `text` if no blocks."""
        if not self.blocks:
            return self.text
        return "\n".join(_texts(self.blocks))


@dataclass
class MessageVersion:
    """One version of a message: the original post or an edit."""

    text: str
    blocks: list[JSONDict]
    metadata: JSONDict | None
    ts: str


@dataclass
class Message(_HasBlocks):
    """A message as stored by the emulator. `thread_ts` is set on replies only."""

    channel: str
    ts: str
    text: str
    blocks: list[JSONDict]
    user: str
    bot_id: str | None = None
    thread_ts: str | None = None
    metadata: JSONDict | None = None
    versions: list[MessageVersion] = field(default_factory=list)
    edited_ts: str | None = None

    @property
    def edits(self) -> int:
        """How many times the message was updated (`chat.update` or `replace_original`)."""
        return max(len(self.versions) - 1, 0)


@dataclass
class UploadedFile:
    """A file shared with files.getUploadURLExternal + upload + files.completeUploadExternal."""

    id: str
    filename: str
    length: int
    content: bytes | None = None
    title: str = ""
    channel: str | None = None
    initial_comment: str | None = None
    thread_ts: str | None = None


@dataclass
class Ephemeral(_HasBlocks):
    """An ephemeral message only `user` sees. `source`: chat.postEphemeral, response_url or ack."""

    channel: str
    user: str
    message_ts: str
    text: str
    blocks: list[JSONDict]
    thread_ts: str | None = None
    source: str = "chat.postEphemeral"
    replaced: int = 0


@dataclass
class StoredView:
    """A modal or Home tab. `data` is the Slack view object; `errors` the last `response_action: errors`."""

    data: JSONDict
    user: str
    closed: bool = False
    updates: int = 0
    errors: dict[str, str] | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def type(self) -> str:
        return str(self.data["type"])

    @property
    def callback_id(self) -> str:
        return str(self.data.get("callback_id") or "")

    @property
    def private_metadata(self) -> str:
        return str(self.data.get("private_metadata") or "")

    @property
    def hash(self) -> str:
        return str(self.data["hash"])

    @property
    def title(self) -> str:
        title = self.data.get("title")
        return str(title.get("text", "")) if isinstance(title, dict) else ""

    @property
    def blocks(self) -> list[JSONDict]:
        blocks: list[JSONDict] = self.data.get("blocks") or []
        return blocks

    def input_block_ids(self) -> list[str]:
        return [str(b["block_id"]) for b in self.blocks if b.get("type") == "input"]

    def buttons(self) -> list[JSONDict]:
        return [button for _, button in _buttons(self.blocks)]

    def all_text(self) -> str:
        return "\n".join(_texts(self.blocks))


@dataclass(frozen=True)
class ResponseUse:
    """One POST to a `response_url`.

    `action`: ephemeral, in_channel, replace_original, delete_original or rejected.
    """

    response_id: str
    user: str
    payload: JSONDict
    action: str
    status: int
    error: str | None
    timestamp: float


@dataclass(frozen=True)
class ApiCall:
    """A Web API call as received (injected failures included); `params` with JSON fields decoded."""

    method: str
    params: JSONDict
    status: int | None
    error: str | None
    request: RecordedRequest


@dataclass(frozen=True)
class AppResponse:
    """What the app answered to a driver request."""

    status: int
    body: str
    headers: dict[str, str]
    elapsed: float

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def acked_in_time(self) -> bool:
        """2xx within Slack's 3 s deadline."""
        return self.ok and self.elapsed <= ACK_DEADLINE

    def json(self) -> Any:
        """The body as JSON, or None when the body is empty."""
        return json.loads(self.body) if self.body.strip() else None


@dataclass(frozen=True)
class SignedRequest:
    """A request exactly as Slack would send it; `send()` it, replay it, or tamper with it."""

    body: bytes
    headers: dict[str, str]
    path: str = "/slack/events"

    @property
    def payload(self) -> Any:
        """The decoded payload (the `payload=` JSON of an interaction, the form of a command, the event)."""
        text = self.body.decode()
        if self.headers.get("Content-Type", "").startswith("application/json"):
            return json.loads(text)
        form = dict(_parse_form(text))
        return json.loads(form["payload"]) if "payload" in form else form

    def with_headers(self, **headers: str) -> SignedRequest:
        """A copy with headers replaced; `X_Slack_Signature=...` means `X-Slack-Signature`."""
        merged = dict(self.headers)
        for name, value in headers.items():
            dashed = name.replace("_", "-")
            for existing in [k for k in merged if k.lower() == dashed.lower()]:
                del merged[existing]
            merged[dashed] = value
        return replace(self, headers=merged)

    def tampered(self) -> SignedRequest:
        """A copy whose signature no longer matches (last hex digit changed)."""
        signature = self.headers["X-Slack-Signature"]
        last = "0" if signature[-1] != "0" else "1"
        return self.with_headers(X_Slack_Signature=signature[:-1] + last)

    def send(self, app_url: str, *, timeout: float = 10.0) -> AppResponse:
        """POST to `app_url + path` and return the app's answer (any status)."""
        request = urllib.request.Request(
            app_url.rstrip("/") + self.path, data=self.body, headers=self.headers, method="POST"
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                body = answer.read()
                status = int(answer.status)
                headers = dict(answer.headers.items())
        except urllib.error.HTTPError as error:
            with error:
                body = error.read()
                status = error.code
                headers = dict(error.headers.items())
        elapsed = time.perf_counter() - started
        return AppResponse(status, body.decode("utf-8", errors="replace"), headers, elapsed)


def sign(signing_secret: str, timestamp: str | int, body: bytes | str) -> str:
    """Slack's request signature: `v0=` + hex HMAC-SHA256 over `v0:{timestamp}:{body}`."""
    raw = body.encode() if isinstance(body, str) else body
    base = f"v0:{timestamp}:".encode() + raw
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


# -- view_submission value helpers -----------------------------------------------------------------


def plain_text_value(value: str | None, *, type: str = "plain_text_input") -> JSONDict:
    """State of a text input (`type` may be email_text_input, url_text_input, number_input)."""
    return {"type": type, "value": value}


def _option(value: str, text: str | None) -> JSONDict:
    return {"text": {"type": "plain_text", "text": text or value, "emoji": True}, "value": value}


def static_select_value(value: str | None, text: str | None = None) -> JSONDict:
    """State of a static_select (the driver swaps in the view's own option object)."""
    return {"type": "static_select", "selected_option": None if value is None else _option(value, text)}


def multi_static_select_value(*values: str) -> JSONDict:
    return {"type": "multi_static_select", "selected_options": [_option(v, None) for v in values]}


def checkboxes_value(*values: str) -> JSONDict:
    return {"type": "checkboxes", "selected_options": [_option(v, None) for v in values]}


def radio_buttons_value(value: str | None) -> JSONDict:
    return {"type": "radio_buttons", "selected_option": None if value is None else _option(value, None)}


def users_select_value(user: str | None) -> JSONDict:
    return {"type": "users_select", "selected_user": user}


# -- Block Kit walking and validation (pure) -------------------------------------------------------

_BLOCK_TYPES = {
    "actions",
    "context",
    "context_actions",
    "divider",
    "file",
    "header",
    "image",
    "input",
    "markdown",
    "rich_text",
    "section",
    "table",
    "video",
}
_ELEMENT_TYPES = {
    "button",
    "channels_select",
    "checkboxes",
    "conversations_select",
    "datepicker",
    "datetimepicker",
    "email_text_input",
    "external_select",
    "file_input",
    "image",
    "multi_channels_select",
    "multi_conversations_select",
    "multi_external_select",
    "multi_static_select",
    "multi_users_select",
    "number_input",
    "overflow",
    "plain_text_input",
    "radio_buttons",
    "rich_text_input",
    "static_select",
    "timepicker",
    "url_text_input",
    "users_select",
    "workflow_button",
}
_OPTION_LIMITS = {
    "static_select": 100,
    "multi_static_select": 100,
    "checkboxes": 10,
    "radio_buttons": 10,
    "overflow": 5,
}
_SKIP_TEXT_KEYS = {"placeholder", "confirm", "accessibility_label"}


def _buttons(blocks: list[JSONDict]) -> Iterator[tuple[str, JSONDict]]:
    for block in blocks:
        block_id = str(block.get("block_id", ""))
        if block.get("type") == "actions":
            for element in block.get("elements") or []:
                if isinstance(element, dict) and element.get("type") == "button":
                    yield block_id, element
        accessory = block.get("accessory")
        if isinstance(accessory, dict) and accessory.get("type") == "button":
            yield block_id, accessory


def _texts(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        text = node.get("text")
        if node.get("type") in ("plain_text", "mrkdwn", "text") and isinstance(text, str):
            yield text
            return
        for key, value in node.items():
            if key not in _SKIP_TEXT_KEYS:
                yield from _texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _texts(item)


def _too_long(limit: int, pointer: str) -> str:
    return f"must be less than {limit + 1} characters [json-pointer:{pointer}]"


def _text_errors(obj: object, pointer: str, *, limit: int, plain_only: bool = False) -> list[str]:
    if not isinstance(obj, dict):
        return [f"must provide an object [json-pointer:{pointer}]"]
    allowed = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
    if obj.get("type") not in allowed:
        return [f"must be a valid enum value [json-pointer:{pointer}/type]"]
    text = obj.get("text")
    if not isinstance(text, str):
        return [f"must provide a string [json-pointer:{pointer}/text]"]
    if not text:
        return [f"must be more than 0 characters [json-pointer:{pointer}/text]"]
    if len(text) > limit:
        return [_too_long(limit, f"{pointer}/text")]
    return []


def _id_errors(node: JSONDict, key: str, pointer: str) -> list[str]:
    value = node.get(key)
    if value is None:
        return []
    if not isinstance(value, str) or not value:
        return [f"must provide a non-empty string [json-pointer:{pointer}/{key}]"]
    return [_too_long(255, f"{pointer}/{key}")] if len(value) > 255 else []


def _options(element: JSONDict) -> list[JSONDict]:
    options: list[JSONDict] = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options.extend(group.get("options") or [])
    return options


def _element_errors(element: object, pointer: str) -> list[str]:
    if not isinstance(element, dict) or element.get("type") not in _ELEMENT_TYPES:
        return [f"must be a valid element [json-pointer:{pointer}]"]
    kind = element["type"]
    errors = _id_errors(element, "action_id", pointer)
    if kind == "button":
        errors += _text_errors(element.get("text"), f"{pointer}/text", limit=75, plain_only=True)
        value = element.get("value")
        if value is not None and len(str(value)) > 2000:
            errors.append(_too_long(2000, f"{pointer}/value"))
        if element.get("url") is not None and len(str(element["url"])) > 3000:
            errors.append(_too_long(3000, f"{pointer}/url"))
        if element.get("style") not in (None, "primary", "danger"):
            errors.append(f"must be a valid enum value [json-pointer:{pointer}/style]")
    elif kind == "plain_text_input":
        for key in ("max_length", "min_length"):
            length = element.get(key)
            if length is not None and (not isinstance(length, int) or not 0 <= length <= 3000):
                errors.append(f"must be between 0 and 3000 [json-pointer:{pointer}/{key}]")
        initial = element.get("initial_value")
        if isinstance(initial, str) and len(initial) > 3000:
            errors.append(_too_long(3000, f"{pointer}/initial_value"))
    elif kind in _OPTION_LIMITS:
        options = _options(element)
        if not options:
            errors.append(f"must provide options [json-pointer:{pointer}/options]")
        if len(options) > _OPTION_LIMITS[kind]:
            errors.append(
                f"no more than {_OPTION_LIMITS[kind]} items allowed [json-pointer:{pointer}/options]"
            )
        for i, option in enumerate(options):
            option_pointer = f"{pointer}/options/{i}"
            text_limit = 75 if kind in ("static_select", "multi_static_select", "overflow") else 3000
            errors += _text_errors(
                option.get("text"), f"{option_pointer}/text", limit=text_limit, plain_only=text_limit == 75
            )
            if len(str(option.get("value", ""))) > 150:
                errors.append(_too_long(150, f"{option_pointer}/value"))
    return errors


def _block_errors(block: JSONDict, pointer: str) -> list[str]:
    kind = block["type"]
    errors: list[str] = []
    if kind == "section":
        if block.get("text") is None and not block.get("fields"):
            errors.append(f"must provide either text or fields [json-pointer:{pointer}]")
        if block.get("text") is not None:
            errors += _text_errors(block["text"], f"{pointer}/text", limit=3000)
        fields = block.get("fields") or []
        if len(fields) > 10:
            errors.append(f"no more than 10 items allowed [json-pointer:{pointer}/fields]")
        for i, item in enumerate(fields):
            errors += _text_errors(item, f"{pointer}/fields/{i}", limit=2000)
        if block.get("accessory") is not None:
            errors += _element_errors(block["accessory"], f"{pointer}/accessory")
    elif kind == "header":
        errors += _text_errors(block.get("text"), f"{pointer}/text", limit=150, plain_only=True)
    elif kind == "actions":
        elements = block.get("elements") or []
        if not elements:
            errors.append(f"must provide at least 1 item [json-pointer:{pointer}/elements]")
        if len(elements) > 25:
            errors.append(f"no more than 25 items allowed [json-pointer:{pointer}/elements]")
        action_ids: set[str] = set()
        for i, element in enumerate(elements):
            errors += _element_errors(element, f"{pointer}/elements/{i}")
            action_id = element.get("action_id") if isinstance(element, dict) else None
            if action_id is not None and action_id in action_ids:
                errors.append(
                    f"duplicate action_id: {action_id} [json-pointer:{pointer}/elements/{i}/action_id]"
                )
            if action_id is not None:
                action_ids.add(action_id)
    elif kind == "context":
        elements = block.get("elements") or []
        if not elements:
            errors.append(f"must provide at least 1 item [json-pointer:{pointer}/elements]")
        if len(elements) > 10:
            errors.append(f"no more than 10 items allowed [json-pointer:{pointer}/elements]")
        for i, element in enumerate(elements):
            if isinstance(element, dict) and element.get("type") != "image":
                errors += _text_errors(element, f"{pointer}/elements/{i}", limit=3000)
    elif kind == "input":
        errors += _text_errors(block.get("label"), f"{pointer}/label", limit=2000, plain_only=True)
        if block.get("hint") is not None:
            errors += _text_errors(block["hint"], f"{pointer}/hint", limit=2000, plain_only=True)
        errors += _element_errors(block.get("element"), f"{pointer}/element")
    elif kind == "markdown":
        text = block.get("text")
        if not isinstance(text, str) or not text:
            errors.append(f"must provide a string [json-pointer:{pointer}/text]")
        elif len(text) > 12_000:
            errors.append(_too_long(12_000, f"{pointer}/text"))
    return errors


def validate_blocks(blocks: object, *, pointer: str = "/blocks", max_blocks: int = 50) -> list[str]:
    """Slack-style error strings (`"... [json-pointer:/blocks/0/text/text]"`) for a blocks array."""
    if not isinstance(blocks, list):
        return [f"must provide an array [json-pointer:{pointer}]"]
    errors: list[str] = []
    if len(blocks) > max_blocks:
        errors.append(f"no more than {max_blocks} items allowed [json-pointer:{pointer}]")
    block_ids: set[str] = set()
    for i, block in enumerate(blocks):
        block_pointer = f"{pointer}/{i}"
        if not isinstance(block, dict) or block.get("type") not in _BLOCK_TYPES:
            errors.append(f"must be a valid block type [json-pointer:{block_pointer}/type]")
            continue
        errors += _id_errors(block, "block_id", block_pointer)
        block_id = block.get("block_id")
        if isinstance(block_id, str):
            if block_id in block_ids:
                errors.append(f"duplicate block_id: {block_id} [json-pointer:{block_pointer}/block_id]")
            block_ids.add(block_id)
        errors += _block_errors(block, block_pointer)
    return errors


def validate_view(view: object) -> list[str]:
    """Slack-style error strings for a view object (modal or home)."""
    if not isinstance(view, dict):
        return ["must provide an object [json-pointer:/view]"]
    errors: list[str] = []
    kind = view.get("type")
    if kind not in ("modal", "home"):
        errors.append("must be a valid enum value [json-pointer:/view/type]")
    if kind == "modal":
        errors += _text_errors(view.get("title"), "/view/title", limit=24, plain_only=True)
        has_input = any(isinstance(b, dict) and b.get("type") == "input" for b in view.get("blocks") or [])
        if has_input and view.get("submit") is None:
            errors.append("must provide submit when input blocks are present [json-pointer:/view/submit]")
    for key in ("submit", "close"):
        if view.get(key) is not None:
            errors += _text_errors(view[key], f"/view/{key}", limit=24, plain_only=True)
    metadata = view.get("private_metadata")
    if metadata is not None and (not isinstance(metadata, str) or len(metadata) > 3000):
        errors.append(_too_long(3000, "/view/private_metadata"))
    for key in ("callback_id", "external_id"):
        value = view.get(key)
        if value is not None and (not isinstance(value, str) or len(value) > 255):
            errors.append(_too_long(255, f"/view/{key}"))
    errors += validate_blocks(view.get("blocks"), pointer="/view/blocks", max_blocks=100)
    if len(json.dumps(view)) > 250_000:
        errors.append("view is too large (max 250 kB) [json-pointer:/view]")
    return errors


def _random_id(prefix: str, length: int = 10) -> str:
    return prefix + "".join(secrets.choice(_ID_ALPHABET) for _ in range(length))


def _normalize(node: Any) -> Any:
    """Deep copy with what Slack adds: `emoji: true` on plain_text, `verbatim: false` on mrkdwn."""
    if isinstance(node, list):
        return [_normalize(item) for item in node]
    if isinstance(node, dict):
        copied = {key: _normalize(value) for key, value in node.items()}
        if copied.get("type") == "plain_text" and isinstance(copied.get("text"), str):
            copied.setdefault("emoji", True)
        elif copied.get("type") == "mrkdwn" and isinstance(copied.get("text"), str):
            copied.setdefault("verbatim", False)
        return copied
    return node


def _normalize_blocks(blocks: list[JSONDict]) -> list[JSONDict]:
    """Normalize and give every block a `block_id` and every interactive element an `action_id`."""
    normalized: list[JSONDict] = _normalize(blocks)
    for block in normalized:
        block.setdefault("block_id", "".join(secrets.choice(_BLOCK_ID_ALPHABET) for _ in range(5)))
        elements = list(block.get("elements") or []) if block.get("type") == "actions" else []
        for key in ("accessory", "element"):
            if isinstance(block.get(key), dict):
                elements.append(block[key])
        for element in elements:
            if isinstance(element, dict) and element.get("type") in _ELEMENT_TYPES - {"image"}:
                element.setdefault("action_id", "".join(secrets.choice(_BLOCK_ID_ALPHABET) for _ in range(5)))
    return normalized


def _parse_form(text: str) -> list[tuple[str, str]]:
    return parse_qsl(text, keep_blank_values=True)


def _truthy(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def _int(value: object, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        return int(str(value))
    except ValueError as error:
        raise _ApiError("invalid_arguments") from error


def _ts_key(ts: str) -> tuple[int, int]:
    seconds, _, micros = ts.partition(".")
    return int(seconds), int((micros or "0").ljust(6, "0")[:6])


def _cursor(ts: str) -> str:
    return base64.b64encode(f"next_ts:{ts}".encode()).decode()


def _cursor_ts(cursor: str) -> str:
    try:
        decoded = base64.b64decode(cursor.encode(), validate=True).decode()
    except (ValueError, UnicodeDecodeError) as error:
        raise _ApiError("invalid_cursor") from error
    if not decoded.startswith("next_ts:"):
        raise _ApiError("invalid_cursor")
    return decoded.removeprefix("next_ts:")


class _ApiError(Exception):
    def __init__(
        self,
        error: str,
        *,
        status: int = 200,
        extra: JSONDict | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(error)
        self.error = error
        self.status = status
        self.extra = extra or {}
        self.headers = headers or {}


def _invalid_arguments(errors: list[str]) -> _ApiError:
    return _ApiError(
        "invalid_arguments", extra={"response_metadata": {"messages": [f"[ERROR] {e}" for e in errors]}}
    )


def _invalid_blocks(errors: list[str]) -> _ApiError:
    return _ApiError(
        "invalid_blocks",
        extra={"errors": errors, "response_metadata": {"messages": [f"[ERROR] {e}" for e in errors]}},
    )


@dataclass
class _Trigger:
    user: str
    issued_at: float
    used: bool = False


@dataclass
class _ResponseUrl:
    user: str
    channel: str
    created_at: float
    origin_ts: str | None = None
    origin_ephemeral: bool = False
    thread_ts: str | None = None
    uses: int = 0


_ApiHandler = Callable[[JSONDict], JSONDict]
_APP_TOKEN_METHODS = {"apps.connections.open"}  # the methods that take the app-level xapp- token


# -- the emulator ----------------------------------------------------------------------------------


class SlackEmulator(Emulator):
    """The Slack Web API and a Slack user, for tests and demos. Thread-safe."""

    def __init__(
        self,
        *,
        bot_token: str = "xoxb-test",
        signing_secret: str = "test-signing-secret",
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
        self._state = threading.RLock()
        self._users: dict[str, JSONDict] = {}
        for user_id, name in (("U_MARIA", "maria"), ("U_LUCA", "luca"), ("U_ANNA", "anna")):
            self.add_user(user_id, name)
        self.add_user(BOT_USER_ID, "parley", is_bot=True)
        self._rate_limits: dict[str, tuple[int, float, bool]] = {}
        self.usergroups: dict[str, list[str]] = {}  # user group id (S…) -> member user ids
        self._clear_state()
        self.socket_mode = SocketModeServer(host=host, app_id=APP_ID)  # see emulators/socket_mode.py
        self._methods: dict[str, _ApiHandler] = {
            "apps.connections.open": self._apps_connections_open,
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.getPermalink": self._chat_get_permalink,
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "users.info": self._users_info,
            "usergroups.users.list": self._usergroups_users_list,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
        }

    def _clear_state(self) -> None:
        with self._state:
            self._messages: dict[str, list[Message]] = {}
            self._deleted: list[Message] = []
            self._ephemerals: list[Ephemeral] = []
            self._views: dict[str, StoredView] = {}
            self._stacks: dict[str, list[str]] = {}
            self._homes: dict[str, str] = {}
            self._triggers: dict[str, _Trigger] = {}
            self._response_urls: dict[str, _ResponseUrl] = {}
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

    # -- configuration ------------------------------------------------------------------------

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

    def failure_response(self, request: RecordedRequest, status: int, body: object) -> Response:
        if status == 429:
            return Response(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})
        error = "internal_error" if status >= 500 else "request_error"
        return Response(status, {"ok": False, "error": error})

    # -- small internals --------------------------------------------------------------------------

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

    def _issue_trigger(self, user: str, issued_at: float | None = None) -> str:
        now = self.clock()
        trigger_id = f"{int(now)}{self._serial():04d}.{int(TEAM_ID[1:]) + 5000000000}.{secrets.token_hex(16)}"
        with self._state:
            self._triggers[trigger_id] = _Trigger(user, now if issued_at is None else issued_at)
        return trigger_id

    def issue_trigger_id(self, user: str = "U_MARIA", *, issued_at: float | None = None) -> str:
        """A trigger id as an interaction would carry; `issued_at` in the past makes an expired one."""
        return self._issue_trigger(user, issued_at)

    def _new_response_url(self, record: _ResponseUrl) -> str:
        response_id = f"{TEAM_ID}/{self._serial()}/{secrets.token_hex(12)}"
        with self._state:
            self._response_urls[response_id] = record
        return f"{self.url}/response/{response_id}"

    # -- Web API dispatch --------------------------------------------------------------------------

    @route("POST", r"/api/(?P<method>[A-Za-z0-9_.]+)")
    @route("GET", r"/api/(?P<method>[A-Za-z0-9_.]+)")
    def _api(self, request: RecordedRequest) -> Response:
        name = request.path_params["method"]
        handler = self._methods.get(name)
        if handler is None:
            return Response(404, {"ok": False, "error": "unknown_method", "req_method": name})
        try:
            params = _decode_params(request)
            token = params.get("token")
            authorization = request.header("Authorization") or ""
            if authorization.lower().startswith("bearer "):
                token = authorization[7:].strip()
            if not token:
                raise _ApiError("not_authed")
            if (name in _APP_TOKEN_METHODS) != token.startswith("xapp-"):  # app-level token: Socket Mode
                raise _ApiError(
                    "not_allowed_token_type" if token.startswith(("xoxb-", "xapp-")) else "invalid_auth"
                )
            if name not in _APP_TOKEN_METHODS and token != self.bot_token:
                raise _ApiError("invalid_auth")
            self._check_rate_limit(name, params)
            with self._state:
                result = handler(params)
        except _ApiError as error:
            return Response(error.status, {"ok": False, "error": error.error, **error.extra}, error.headers)
        return Response(200, {"ok": True, **result})

    def _check_rate_limit(self, name: str, params: JSONDict) -> None:
        with self._state:
            rule = self._rate_limits.get(name)
            if rule is None:
                return
            limit, per_seconds, per_channel = rule
            key = (name, str(params.get("channel")) if per_channel else None)
            window = self._windows.setdefault(key, deque())
            now = self.clock()
            while window and window[0] <= now - per_seconds:
                window.popleft()
            if len(window) >= limit:
                retry_after = max(1, math.ceil(window[0] + per_seconds - now))
                raise _ApiError("ratelimited", status=429, headers={"Retry-After": str(retry_after)})
            window.append(now)

    def _channel(self, params: JSONDict, key: str = "channel") -> str:
        channel = str(params.get(key) or "")
        if channel.startswith("#"):
            names = {name: cid for cid, name in self.channel_names.items()}
            channel = names.get(channel[1:], "")
        elif channel[:1] in ("U", "W") and channel in self._users:
            channel = "D" + channel[1:]
        if not channel or channel in self.missing_channels:
            raise _ApiError("channel_not_found")
        return channel

    @staticmethod
    def _content(params: JSONDict) -> tuple[str, list[JSONDict] | None]:
        text = params.get("text")
        text = "" if text is None else str(text)
        blocks = params.get("blocks")
        if blocks is not None and not isinstance(blocks, list):
            raise _invalid_blocks(["must provide an array [json-pointer:/blocks]"])
        return text, blocks

    @staticmethod
    def _check_content(text: str, blocks: list[JSONDict] | None, params: JSONDict) -> None:
        if not text and not blocks and not params.get("attachments"):
            raise _ApiError("no_text")
        if blocks is not None:
            errors = validate_blocks(blocks)
            if errors:
                raise _invalid_blocks(errors)
        if len(text) > MAX_TEXT:
            raise _ApiError("msg_too_long")

    @staticmethod
    def _metadata(params: JSONDict) -> JSONDict | None:
        metadata = params.get("metadata")
        if metadata is None or metadata == "":
            return None
        if (
            not isinstance(metadata, dict)
            or not isinstance(metadata.get("event_type"), str)
            or not metadata["event_type"]
            or not isinstance(metadata.get("event_payload"), dict)
        ):
            raise _ApiError("invalid_metadata_format")
        return copy.deepcopy(metadata)

    def _store(self, message: Message) -> Message:
        message.versions.append(
            MessageVersion(message.text, copy.deepcopy(message.blocks), message.metadata, message.ts)
        )
        self._messages.setdefault(message.channel, []).append(message)
        return message

    # -- Web API methods --------------------------------------------------------------------------

    def _apps_connections_open(self, params: JSONDict) -> JSONDict:
        return {"url": self.socket_mode.open_url()}

    def _auth_test(self, params: JSONDict) -> JSONDict:
        return {
            "url": f"https://{TEAM_DOMAIN}.slack.com/",
            "team": TEAM_NAME,
            "user": "parley",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _chat_post_message(self, params: JSONDict) -> JSONDict:
        channel = self._channel(params)
        text, blocks = self._content(params)
        self._check_content(text, blocks, params)
        metadata = self._metadata(params)
        thread_ts = str(params.get("thread_ts") or "") or None
        if thread_ts is not None:
            parent = self._find(channel, thread_ts)
            thread_ts = None if parent is None else (parent.thread_ts or parent.ts)
        message = self._store(
            Message(
                channel=channel,
                ts=self._next_ts(),
                text=text,
                blocks=_normalize_blocks(blocks or []),
                user=BOT_USER_ID,
                bot_id=BOT_ID,
                thread_ts=thread_ts,
                metadata=metadata,
            )
        )
        return {"channel": channel, "ts": message.ts, "message": self._serialize(message, metadata=True)}

    def _chat_update(self, params: JSONDict) -> JSONDict:
        channel = self._channel(params)
        message = self._find(channel, str(params.get("ts") or ""))
        if message is None:
            raise _ApiError("message_not_found")
        if message.bot_id != BOT_ID:
            raise _ApiError("cant_update_message")
        text, blocks = self._content(params)
        new_text = text if "text" in params else message.text
        new_blocks = blocks if blocks is not None else message.blocks
        self._check_content(new_text, new_blocks, params)
        if "metadata" in params:
            message.metadata = self._metadata(params)
        message.text = new_text
        if blocks is not None:
            message.blocks = _normalize_blocks(blocks)
        message.edited_ts = self._next_ts()
        message.versions.append(
            MessageVersion(message.text, copy.deepcopy(message.blocks), message.metadata, message.edited_ts)
        )
        return {
            "channel": channel,
            "ts": message.ts,
            "text": message.text,
            "message": self._serialize(message, metadata=True),
        }

    def _chat_delete(self, params: JSONDict) -> JSONDict:
        channel = self._channel(params)
        message = self._find(channel, str(params.get("ts") or ""))
        if message is None:
            raise _ApiError("message_not_found")
        if message.bot_id != BOT_ID:
            raise _ApiError("cant_delete_message")
        self._messages[channel].remove(message)
        self._deleted.append(message)
        return {"channel": channel, "ts": message.ts}

    def _chat_post_ephemeral(self, params: JSONDict) -> JSONDict:
        channel = self._channel(params)
        user = str(params.get("user") or "")
        if user not in self._users:
            raise _ApiError("user_not_found")
        text, blocks = self._content(params)
        self._check_content(text, blocks, params)
        message_ts = self._next_ts()
        self._ephemerals.append(
            Ephemeral(
                channel=channel,
                user=user,
                message_ts=message_ts,
                text=text,
                blocks=_normalize_blocks(blocks or []),
                thread_ts=str(params.get("thread_ts") or "") or None,
            )
        )
        return {"message_ts": message_ts}

    def _chat_get_permalink(self, params: JSONDict) -> JSONDict:
        channel = self._channel(params)
        message = self._find(channel, str(params.get("message_ts") or ""))
        if message is None:
            raise _ApiError("message_not_found")
        link = f"https://{TEAM_DOMAIN}.slack.com/archives/{channel}/p{message.ts.replace('.', '')}"
        if message.thread_ts:
            link += f"?thread_ts={message.thread_ts}&cid={channel}"
        return {"channel": channel, "permalink": link}

    def _page(
        self, messages: list[Message], params: JSONDict, *, default_limit: int, newest_first: bool
    ) -> tuple[list[Message], str]:
        oldest = str(params.get("oldest") or "0")
        latest = params.get("latest")
        inclusive = _truthy(params.get("inclusive"))
        selected = []
        for message in messages:
            key = _ts_key(message.ts)
            low_ok = key >= _ts_key(oldest) if inclusive else key > _ts_key(oldest)
            high_ok = latest in (None, "") or (
                key <= _ts_key(str(latest)) if inclusive else key < _ts_key(str(latest))
            )
            if low_ok and high_ok:
                selected.append(message)
        selected.sort(key=lambda m: _ts_key(m.ts), reverse=newest_first)
        cursor = params.get("cursor")
        if cursor:
            start_ts = _cursor_ts(str(cursor))
            positions = [i for i, m in enumerate(selected) if m.ts == start_ts]
            selected = selected[positions[0] :] if positions else []
        limit = max(1, min(_int(params.get("limit"), default_limit), 999 if newest_first else 1000))
        page, rest = selected[:limit], selected[limit:]
        return page, _cursor(rest[0].ts) if rest else ""

    def _conversations_history(self, params: JSONDict) -> JSONDict:
        channel = self._channel(params)
        top_level = [m for m in self._messages.get(channel, []) if m.thread_ts is None]
        page, next_cursor = self._page(top_level, params, default_limit=100, newest_first=True)
        with_metadata = _truthy(params.get("include_all_metadata"))
        return {
            "messages": [self._serialize(m, metadata=with_metadata) for m in page],
            "has_more": bool(next_cursor),
            "pin_count": 0,
            "channel_actions_ts": None,
            "channel_actions_count": 0,
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _conversations_replies(self, params: JSONDict) -> JSONDict:
        channel = self._channel(params)
        message = self._find(channel, str(params.get("ts") or ""))
        if message is None:
            raise _ApiError("thread_not_found")
        with_metadata = _truthy(params.get("include_all_metadata"))
        if message.thread_ts is not None:  # the ts of a reply: Slack returns that reply only
            return {
                "messages": [self._serialize(message, metadata=with_metadata)],
                "has_more": False,
                "response_metadata": {"next_cursor": ""},
            }
        replies = self._replies(channel, message.ts)
        page, next_cursor = self._page(replies, params, default_limit=1000, newest_first=False)
        return {
            "messages": [self._serialize(m, metadata=with_metadata) for m in [message, *page]],
            "has_more": bool(next_cursor),
            "response_metadata": {"next_cursor": next_cursor},
        }

    # -- files (the v2 upload: get a URL, POST the bytes there, complete with a channel) ------------------

    def _files_get_upload_url(self, params: JSONDict) -> JSONDict:
        try:
            length = int(params.get("length") or 0)
        except (TypeError, ValueError):
            raise _ApiError("invalid_arguments") from None
        if length <= 0 or not params.get("filename"):
            raise _ApiError("invalid_arguments")
        file_id = f"F{len(self._pending_files) + len(self.files) + 1:08d}"
        self._pending_files[file_id] = UploadedFile(
            id=file_id, filename=str(params["filename"]), length=length
        )
        return {"upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    @route("POST", r"/upload/(?P<file_id>F\d+)")
    def _upload(self, request: RecordedRequest) -> Response:
        with self._state:
            pending = self._pending_files.get(request.path_params["file_id"])
            if pending is None:
                return Response(404, "not found")
            pending.content = request.body
        return Response(200, f"OK - {len(request.body)}")

    def _files_complete_upload(self, params: JSONDict) -> JSONDict:
        raw = params.get("files")
        files = json.loads(raw) if isinstance(raw, str) else raw
        if not isinstance(files, list) or not files:
            raise _ApiError("invalid_arguments")
        channel = str(params.get("channel_id") or "") or None
        done: list[JSONDict] = []
        for item in files:
            pending = self._pending_files.pop(str(item.get("id")), None)
            if pending is None or pending.content is None:
                raise _ApiError("file_not_found")
            pending.title = str(item.get("title") or pending.filename)
            pending.channel = channel
            pending.initial_comment = str(params.get("initial_comment") or "") or None
            pending.thread_ts = str(params.get("thread_ts") or "") or None
            self.files.append(pending)
            done.append({"id": pending.id, "name": pending.filename, "title": pending.title})
        return {"files": done}

    def _usergroups_users_list(self, params: JSONDict) -> JSONDict:
        group = str(params.get("usergroup") or "")
        if group not in self.usergroups:
            raise _ApiError("no_such_subteam")
        return {"users": list(self.usergroups[group])}

    def _users_info(self, params: JSONDict) -> JSONDict:
        user = self._users.get(str(params.get("user") or ""))
        if user is None:
            raise _ApiError("user_not_found")
        return {"user": copy.deepcopy(user)}

    # -- views --------------------------------------------------------------------------------------

    def _consume_trigger(self, params: JSONDict) -> str:
        trigger = self._triggers.get(str(params.get("trigger_id") or ""))
        if trigger is None:
            raise _ApiError("invalid_trigger_id")
        if trigger.used:
            raise _ApiError("exchanged_trigger_id")
        if self.clock() - trigger.issued_at > self.trigger_ttl:
            raise _ApiError("expired_trigger_id")
        trigger.used = True
        return trigger.user

    def _view_param(self, params: JSONDict, *, kind: str, current_id: str | None = None) -> JSONDict:
        view = params.get("view")
        errors = validate_view(view)
        if not errors and isinstance(view, dict) and view.get("type") != kind:
            errors = ["must be a valid enum value [json-pointer:/view/type]"]
        if errors or not isinstance(view, dict):
            raise _invalid_arguments(errors)
        external_id = view.get("external_id")
        if external_id and any(
            v.data.get("external_id") == external_id and v.id != current_id and not v.closed
            for v in self._views.values()
        ):
            raise _ApiError("duplicate_external_id")
        return view

    def _new_hash(self) -> str:
        return f"{int(self.clock())}.{secrets.token_hex(4)}"

    def _view_data(self, view: JSONDict, *, view_id: str, root_id: str, previous_id: str | None) -> JSONDict:
        def text(key: str) -> JSONDict | None:
            value = view.get(key)
            return _normalize(value) if isinstance(value, dict) else None

        return {
            "id": view_id,
            "team_id": TEAM_ID,
            "type": view["type"],
            "title": text("title"),
            "submit": text("submit"),
            "close": text("close"),
            "blocks": _normalize_blocks(view.get("blocks") or []),
            "private_metadata": view.get("private_metadata") or "",
            "callback_id": view.get("callback_id") or "",
            "external_id": view.get("external_id") or "",
            "state": {"values": {}},
            "hash": self._new_hash(),
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "root_view_id": root_id,
            "previous_view_id": previous_id,
            "app_id": APP_ID,
            "app_installed_team_id": TEAM_ID,
            "bot_id": BOT_ID,
        }

    def _open_view(self, view: JSONDict, user: str, *, stack: list[str] | None) -> StoredView:
        view_id = _random_id("V")
        root_id = stack[0] if stack else view_id
        previous = stack[-1] if stack else None
        stored = StoredView(
            self._view_data(view, view_id=view_id, root_id=root_id, previous_id=previous), user
        )
        self._views[view_id] = stored
        if stack is None:
            self._stacks[view_id] = [view_id]
        else:
            stack.append(view_id)
        return stored

    def _views_open(self, params: JSONDict) -> JSONDict:
        user = self._consume_trigger(params)
        view = self._view_param(params, kind="modal")
        return {"view": copy.deepcopy(self._open_view(view, user, stack=None).data)}

    def _views_push(self, params: JSONDict) -> JSONDict:
        user = self._consume_trigger(params)
        view = self._view_param(params, kind="modal")
        open_stacks = [
            stack
            for stack in self._stacks.values()
            if stack and self._views[stack[-1]].user == user and not self._views[stack[-1]].closed
        ]
        stack = open_stacks[-1] if open_stacks else None
        if stack is not None and len(stack) >= MAX_VIEW_STACK:
            raise _ApiError("push_limit_reached")
        return {"view": copy.deepcopy(self._open_view(view, user, stack=stack).data)}

    def _views_update(self, params: JSONDict) -> JSONDict:
        view_id = str(params.get("view_id") or "")
        external_id = str(params.get("external_id") or "")
        if not view_id and not external_id:
            raise _invalid_arguments(["must provide view_id or external_id [json-pointer:/view_id]"])
        stored = self._views.get(view_id) if view_id else None
        if stored is None and external_id:
            stored = next((v for v in self._views.values() if v.data.get("external_id") == external_id), None)
        if stored is None or stored.closed:
            raise _ApiError("not_found")
        view = self._view_param(params, kind=stored.type, current_id=stored.id)
        expected = params.get("hash")
        if expected and expected != stored.hash:
            raise _ApiError("hash_conflict")
        self._replace_view(stored, view)
        return {"view": copy.deepcopy(stored.data)}

    def _replace_view(self, stored: StoredView, view: JSONDict) -> None:
        stored.data = self._view_data(
            view,
            view_id=stored.id,
            root_id=str(stored.data["root_view_id"]),
            previous_id=stored.data.get("previous_view_id"),
        )
        stored.updates += 1
        stored.errors = None

    def _views_publish(self, params: JSONDict) -> JSONDict:
        user = str(params.get("user_id") or "")
        if user not in self._users:
            raise _ApiError("user_not_found")
        home_id = self._homes.get(user)
        view = self._view_param(params, kind="home", current_id=home_id)
        if home_id is None:
            stored = self._open_view(view, user, stack=None)
            self._stacks.pop(stored.id, None)
            self._homes[user] = stored.id
        else:
            stored = self._views[home_id]
            expected = params.get("hash")
            if expected and expected != stored.hash:
                raise _ApiError("hash_conflict")
            self._replace_view(stored, view)
        return {"view": copy.deepcopy(stored.data)}

    # -- response_url ---------------------------------------------------------------------------------

    @route("POST", r"/response/(?P<response_id>.+)")
    def _response_url(self, request: RecordedRequest) -> Response:
        response_id = request.path_params["response_id"]
        try:
            payload = request.json() if request.content_type == "application/json" else request.form()
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            return Response(400, {"ok": False, "error": "invalid_payload"})
        with self._state:
            record = self._response_urls.get(response_id)
            if record is None or self.clock() - record.created_at > RESPONSE_URL_TTL:
                return self._record_use(response_id, "", payload, "rejected", 404, "expired_url")
            if record.uses >= RESPONSE_URL_MAX_USES:
                return self._record_use(response_id, record.user, payload, "rejected", 404, "used_url")
            record.uses += 1
            try:
                action = self._apply_response(record, payload)
            except _ApiError as error:
                return self._record_use(response_id, record.user, payload, "rejected", 400, error.error)
            return self._record_use(response_id, record.user, payload, action, 200, None)

    def _record_use(
        self, response_id: str, user: str, payload: JSONDict, action: str, status: int, error: str | None
    ) -> Response:
        self._responses.append(ResponseUse(response_id, user, payload, action, status, error, self.clock()))
        body: JSONDict = {"ok": True} if error is None else {"ok": False, "error": error}
        return Response(status, body)

    def _apply_response(self, record: _ResponseUrl, payload: JSONDict) -> str:
        blocks = payload.get("blocks")
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        text = str(payload.get("text") or "")
        if _truthy(payload.get("delete_original")):
            if record.origin_ts is None:
                raise _ApiError("no_original")
            self._delete_origin(record)
            return "delete_original"
        self._check_content(text, blocks, payload)
        if _truthy(payload.get("replace_original")) and record.origin_ts is not None:
            self._replace_origin(record, text, blocks)
            return "replace_original"
        thread_ts = str(payload.get("thread_ts") or "") or record.thread_ts
        if payload.get("response_type") == "in_channel":
            self._store(
                Message(
                    channel=record.channel,
                    ts=self._next_ts(),
                    text=text,
                    blocks=_normalize_blocks(blocks or []),
                    user=BOT_USER_ID,
                    bot_id=BOT_ID,
                    thread_ts=thread_ts if thread_ts and self._find(record.channel, thread_ts) else None,
                )
            )
            return "in_channel"
        self._ephemerals.append(
            Ephemeral(
                channel=record.channel,
                user=record.user,
                message_ts=self._next_ts(),
                text=text,
                blocks=_normalize_blocks(blocks or []),
                thread_ts=thread_ts,
                source="response_url",
            )
        )
        return "ephemeral"

    def _delete_origin(self, record: _ResponseUrl) -> None:
        if record.origin_ephemeral:
            self._ephemerals = [e for e in self._ephemerals if e.message_ts != record.origin_ts]
            return
        message = self._find(record.channel, str(record.origin_ts))
        if message is not None:
            self._messages[record.channel].remove(message)
            self._deleted.append(message)

    def _replace_origin(self, record: _ResponseUrl, text: str, blocks: list[JSONDict] | None) -> None:
        if record.origin_ephemeral:
            for ephemeral in self._ephemerals:
                if ephemeral.message_ts == record.origin_ts:
                    ephemeral.text = text
                    ephemeral.blocks = _normalize_blocks(blocks or [])
                    ephemeral.replaced += 1
            return
        message = self._find(record.channel, str(record.origin_ts))
        if message is None:
            raise _ApiError("message_not_found")
        message.text = text
        message.blocks = _normalize_blocks(blocks or [])
        message.edited_ts = self._next_ts()
        message.versions.append(
            MessageVersion(message.text, copy.deepcopy(message.blocks), message.metadata, message.edited_ts)
        )

    # -- accessors for tests -------------------------------------------------------------------------

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
                params = _decode_params(request)
            except (_ApiError, ValueError):
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

    # -- the driver: acting as a Slack user --------------------------------------------------------

    def signed_request(
        self,
        body: bytes | str,
        *,
        content_type: str = "application/x-www-form-urlencoded",
        timestamp: int | None = None,
        headers: dict[str, str] | None = None,
        path: str = "/slack/events",
    ) -> SignedRequest:
        """Sign `body` as Slack does; `timestamp` defaults to now (pass an old one to test replay)."""
        raw = body.encode() if isinstance(body, str) else body
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        all_headers = {
            "Content-Type": content_type,
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
            "Accept": "application/json,*/*",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": sign(self.signing_secret, stamp, raw),
            **(headers or {}),
        }
        return SignedRequest(raw, all_headers, path)

    def _user_ref(self, user: str) -> JSONDict:
        record = self._users.get(user)
        if record is None:
            raise KeyError(f"unknown user {user!r}: add_user() first")
        return {"id": user, "username": record["name"], "name": record["name"], "team_id": TEAM_ID}

    def _interaction(self, payload: JSONDict, retry_num: int | None = None) -> SignedRequest:
        body = urlencode({"payload": json.dumps(payload, separators=(",", ":"))})
        headers = _retry_headers(retry_num, "http_timeout")
        return self.signed_request(body, content_type="application/x-www-form-urlencoded", headers=headers)

    def click_request(
        self,
        message: Message | Ephemeral,
        button_text: str,
        *,
        user: str = "U_MARIA",
        retry_num: int | None = None,
    ) -> SignedRequest:
        """The signed `block_actions` request for clicking the button whose text contains `button_text`."""
        with self._state:
            if isinstance(message, Message):
                current = self._find(message.channel, message.ts)
                if current is None:
                    raise KeyError(f"message {message.ts} in {message.channel} no longer exists")
                blocks, channel, ts, thread_ts = (
                    current.blocks,
                    current.channel,
                    current.ts,
                    current.thread_ts,
                )
                message_payload: JSONDict | None = self._serialize(current, metadata=False)
                ephemeral = False
            else:
                found = [
                    e
                    for e in self._ephemerals
                    if e.message_ts == message.message_ts and e.user == message.user
                ]
                if not found:
                    raise KeyError(f"ephemeral {message.message_ts} no longer exists")
                blocks, channel, ts, thread_ts = found[0].blocks, found[0].channel, found[0].message_ts, None
                message_payload, ephemeral = None, True
            block_id, button = _pick_button(blocks, button_text)
            user_ref = self._user_ref(user)
            trigger_id = self._issue_trigger(user)
            response_url = self._new_response_url(
                _ResponseUrl(user, channel, self.clock(), ts, ephemeral, thread_ts=thread_ts)
            )
        container: JSONDict = {
            "type": "message",
            "message_ts": ts,
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        }
        if thread_ts:
            container["thread_ts"] = thread_ts
        action: JSONDict = {
            "action_id": button.get("action_id"),
            "block_id": block_id,
            "text": copy.deepcopy(button.get("text")),
            "type": "button",
            "action_ts": self._next_ts(),
        }
        for key in ("value", "style"):
            if key in button:
                action[key] = button[key]
        payload: JSONDict = {
            "type": "block_actions",
            "user": user_ref,
            "api_app_id": APP_ID,
            "token": self.verification_token,
            "container": container,
            "trigger_id": trigger_id,
            "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
            "enterprise": None,
            "is_enterprise_install": False,
            "channel": {"id": channel, "name": self._channel_name(channel)},
        }
        if message_payload is not None:
            payload["message"] = message_payload
        payload.update(state={"values": {}}, response_url=response_url, actions=[action])
        return self._interaction(payload, retry_num)

    def click(
        self,
        app_url: str,
        message: Message | Ephemeral,
        button_text: str,
        *,
        user: str = "U_MARIA",
        retry_num: int | None = None,
    ) -> AppResponse:
        """Click a button in a message (or ephemeral) as `user` and return the app's answer."""
        return self.click_request(message, button_text, user=user, retry_num=retry_num).send(app_url)

    def view_submission_request(
        self,
        view_id: str,
        values: dict[str, dict[str, JSONDict]] | None = None,
        *,
        user: str | None = None,
        enforce_required: bool = True,
    ) -> SignedRequest:
        """The signed `view_submission` for an open modal; `values` is block_id -> action_id -> state.

        Inputs not in `values` keep their initial value. `user` defaults to the modal's owner.
        With `enforce_required`, refuses (ValueError) what the Slack client would not submit.
        """
        with self._state:
            stored = self._views.get(view_id)
            if stored is None or stored.type != "modal":
                raise KeyError(f"no modal {view_id!r}")
            if stored.closed:
                raise ValueError(f"modal {view_id} is closed")
            submitter = user or stored.user
            state = _state_values(stored.blocks, values or {}, enforce_required=enforce_required)
            view = copy.deepcopy(stored.data)
            view["state"] = {"values": state}
            payload: JSONDict = {
                "type": "view_submission",
                "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
                "user": self._user_ref(submitter),
                "api_app_id": APP_ID,
                "token": self.verification_token,
                "trigger_id": self._issue_trigger(submitter),
                "view": view,
                "response_urls": [],
                "is_enterprise_install": False,
                "enterprise": None,
            }
        return self._interaction(payload)

    def select_in_view(
        self, app_url: str, view_id: str, action_id: str, value: str, *, user: str | None = None
    ) -> AppResponse:
        """The user picks `value` in a static_select of an open modal (an accessory, or an input with
        `dispatch_action`): Slack sends `block_actions` with a `view` container and no response_url."""
        with self._state:
            stored = self._views.get(view_id)
            if stored is None or stored.closed:
                raise KeyError(f"no open modal {view_id!r}")
            found = [
                (block, element)
                for block in stored.blocks
                for element in (block.get("accessory"), block.get("element"))
                if isinstance(element, dict) and element.get("action_id") == action_id
            ]
            if not found:
                raise LookupError(f"no element {action_id!r} in modal {view_id}")
            block, element = found[0]
            options = [o for o in element.get("options") or [] if o.get("value") == value]
            if not options:
                raise ValueError(f"{value!r} is not an option of {action_id!r}")
            actor = user or stored.user
            payload: JSONDict = {
                "type": "block_actions",
                "user": self._user_ref(actor),
                "api_app_id": APP_ID,
                "token": self.verification_token,
                "container": {"type": "view", "view_id": view_id},
                "trigger_id": self._issue_trigger(actor),
                "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
                "enterprise": None,
                "is_enterprise_install": False,
                "view": copy.deepcopy(stored.data),
                "actions": [
                    {
                        "type": "static_select",
                        "action_id": action_id,
                        "block_id": block.get("block_id"),
                        "selected_option": copy.deepcopy(options[0]),
                        "action_ts": self._next_ts(),
                    }
                ],
            }
        return self._interaction(payload).send(app_url)

    def close_view(self, app_url: str, view_id: str, *, user: str | None = None) -> AppResponse:
        """The user closes (cancels) a modal. Slack tells the app only if the view has `notify_on_close`."""
        with self._state:
            stored = self._views.get(view_id)
            if stored is None or stored.type != "modal":
                raise KeyError(f"no modal {view_id!r}")
            stored.closed = True
            notify = bool(stored.data.get("notify_on_close"))
            payload: JSONDict = {
                "type": "view_closed",
                "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
                "user": self._user_ref(user or stored.user),
                "api_app_id": APP_ID,
                "token": self.verification_token,
                "view": copy.deepcopy(stored.data),
                "is_cleared": False,
                "is_enterprise_install": False,
                "enterprise": None,
            }
        if not notify:
            return AppResponse(status=200, body="", headers={}, elapsed=0.0)
        return self._interaction(payload).send(app_url)

    def submit_view(
        self,
        app_url: str,
        view_id: str,
        values: dict[str, dict[str, JSONDict]] | None = None,
        *,
        user: str | None = None,
        enforce_required: bool = True,
    ) -> AppResponse:
        """Submit a modal and apply the app's answer to it like Slack (close, errors, update, push, clear)."""
        request = self.view_submission_request(view_id, values, user=user, enforce_required=enforce_required)
        response = request.send(app_url)
        self._apply_view_answer(view_id, response)
        return response

    def _apply_view_answer(self, view_id: str, response: AppResponse) -> None:
        with self._state:
            stored = self._views[view_id]
            if not response.acked_in_time:
                stored.problems.append(
                    f"not acknowledged in time: HTTP {response.status} in {response.elapsed:.2f}s"
                )
                return
            try:
                answer = response.json()
            except ValueError:
                stored.problems.append("answer is not JSON")
                return
            action = answer.get("response_action") if isinstance(answer, dict) else None
            stack = self._stacks.get(str(stored.data["root_view_id"]), [view_id])
            if action is None:
                stored.closed = True
                if view_id in stack:
                    stack.remove(view_id)
            elif action == "errors":
                errors = answer.get("errors") or {}
                stored.errors = dict(errors)
                bad = set(errors) - set(stored.input_block_ids())
                if bad:
                    stored.problems.append(f"errors for non-input block ids: {sorted(bad)}")
            elif action in ("update", "push"):
                problems = validate_view(answer.get("view"))
                if problems:
                    stored.problems.extend(problems)
                elif action == "update":
                    self._replace_view(stored, answer["view"])
                elif len(stack) >= MAX_VIEW_STACK:
                    stored.problems.append("push_limit_reached")
                else:
                    self._open_view(answer["view"], stored.user, stack=stack)
            elif action == "clear":
                for stacked in stack:
                    self._views[stacked].closed = True
                stack.clear()
            else:
                stored.problems.append(f"unknown response_action {action!r}")

    def slash_command_request(
        self, text: str, *, command: str = "/parley", user: str = "U_MARIA", channel: str = "C_SOCIAL"
    ) -> SignedRequest:
        """The signed slash command request (form-encoded, as Slack sends it)."""
        with self._state:
            user_ref = self._user_ref(user)
            fields = {
                "token": self.verification_token,
                "team_id": TEAM_ID,
                "team_domain": TEAM_DOMAIN,
                "channel_id": channel,
                "channel_name": self._channel_name(channel),
                "user_id": user,
                "user_name": user_ref["name"],
                "command": command,
                "text": text,
                "api_app_id": APP_ID,
                "is_enterprise_install": "false",
                "response_url": self._new_response_url(_ResponseUrl(user, channel, self.clock())),
                "trigger_id": self._issue_trigger(user),
            }
        return self.signed_request(urlencode(fields))

    def slash_command(
        self,
        app_url: str,
        text: str,
        *,
        command: str = "/parley",
        user: str = "U_MARIA",
        channel: str = "C_SOCIAL",
    ) -> AppResponse:
        """Run a slash command; a non-empty ack body is shown like Slack (ephemeral or in_channel)."""
        response = self.slash_command_request(text, command=command, user=user, channel=channel).send(app_url)
        if response.acked_in_time and response.body.strip():
            try:
                answer = response.json()
            except ValueError:
                answer = {"text": response.body}
            if isinstance(answer, dict):
                self._show_ack(answer, user=user, channel=channel)
        return response

    def _show_ack(self, answer: JSONDict, *, user: str, channel: str) -> None:
        with self._state:
            text = str(answer.get("text") or "")
            blocks = _normalize_blocks(answer.get("blocks") or [])
            if answer.get("response_type") == "in_channel":
                self._store(Message(channel, self._next_ts(), text, blocks, user=BOT_USER_ID, bot_id=BOT_ID))
            else:
                self._ephemerals.append(Ephemeral(channel, user, self._next_ts(), text, blocks, source="ack"))

    def event_request(
        self,
        event: JSONDict,
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
    ) -> SignedRequest:
        """The signed `event_callback` envelope for `event`; retries carry X-Slack-Retry-* headers."""
        envelope = {
            "token": self.verification_token,
            "team_id": TEAM_ID,
            "context_team_id": TEAM_ID,
            "context_enterprise_id": None,
            "api_app_id": APP_ID,
            "event": event,
            "type": "event_callback",
            "event_id": event_id or _random_id("Ev"),
            "event_time": int(self.clock()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": TEAM_ID,
                    "user_id": BOT_USER_ID,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": "4-" + secrets.token_urlsafe(24),
        }
        return self.signed_request(
            json.dumps(envelope),
            content_type="application/json",
            headers=_retry_headers(retry_num, retry_reason),
        )

    def send_event(
        self,
        app_url: str,
        event: JSONDict,
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
    ) -> AppResponse:
        """Deliver an Events API event (reuse `event_id` with `retry_num` to simulate Slack's retries)."""
        request = self.event_request(event, event_id=event_id, retry_num=retry_num, retry_reason=retry_reason)
        return request.send(app_url)

    def url_verification(self, app_url: str, challenge: str | None = None) -> AppResponse:
        """Slack's Request URL check; a correct app answers with the challenge."""
        body = {
            "token": self.verification_token,
            "challenge": challenge or secrets.token_urlsafe(32),
            "type": "url_verification",
        }
        return self.signed_request(json.dumps(body), content_type="application/json").send(app_url)

    def app_home_opened_event(self, user: str = "U_MARIA", *, tab: str = "home") -> JSONDict:
        """An `app_home_opened` event, with the user's current Home view if one was published."""
        event: JSONDict = {
            "type": "app_home_opened",
            "user": user,
            "channel": "D" + user[1:],
            "tab": tab,
            "event_ts": self._next_ts(),
        }
        with self._state:
            home_id = self._homes.get(user)
            if home_id is not None:
                event["view"] = copy.deepcopy(self._views[home_id].data)
        return event

    def message_event(
        self, channel: str, text: str, *, user: str = "U_MARIA", thread_ts: str | None = None
    ) -> JSONDict:
        """A `message` event for a person's message (store it first with `post_user_message` if needed)."""
        ts = self._next_ts()
        event: JSONDict = {
            "type": "message",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": ts,
            "event_ts": ts,
            "channel_type": "channel",
            "team": TEAM_ID,
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        return event


# -- driver helpers (pure) ---------------------------------------------------------------------------


def _retry_headers(retry_num: int | None, reason: str) -> dict[str, str]:
    if retry_num is None:
        return {}
    return {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": reason}


def _pick_button(blocks: list[JSONDict], button_text: str) -> tuple[str, JSONDict]:
    buttons = list(_buttons(blocks))
    wanted = button_text.casefold()
    labels = [str((b.get("text") or {}).get("text", "")) for _, b in buttons]
    exact = [pair for pair, label in zip(buttons, labels, strict=True) if label.casefold() == wanted]
    matches = exact or [
        pair for pair, label in zip(buttons, labels, strict=True) if wanted in label.casefold()
    ]
    if not matches:
        raise LookupError(f"no button containing {button_text!r}; buttons: {labels}")
    if len(matches) > 1:
        raise LookupError(f"several buttons match {button_text!r}; buttons: {labels}")
    return matches[0]


def _decode_params(request: RecordedRequest) -> JSONDict:
    params = request.params()
    for key in ("blocks", "attachments", "metadata", "view"):
        value = params.get(key)
        if isinstance(value, str) and value:
            try:
                params[key] = json.loads(value)
            except ValueError as error:
                raise _ApiError(f"invalid_{key}" if key != "view" else "invalid_arguments") from error
    return params


def _empty_state(element: JSONDict) -> JSONDict:
    kind = str(element.get("type"))
    state: JSONDict = {"type": kind}
    if kind in ("plain_text_input", "email_text_input", "url_text_input", "number_input"):
        state["value"] = element.get("initial_value")
    elif kind in ("static_select", "external_select", "radio_buttons"):
        state["selected_option"] = element.get("initial_option")
    elif kind in ("multi_static_select", "multi_external_select", "checkboxes"):
        state["selected_options"] = element.get("initial_options") or []
    elif kind == "users_select":
        state["selected_user"] = element.get("initial_user")
    elif kind == "multi_users_select":
        state["selected_users"] = element.get("initial_users") or []
    elif kind == "conversations_select":
        state["selected_conversation"] = element.get("initial_conversation")
    elif kind == "channels_select":
        state["selected_channel"] = element.get("initial_channel")
    elif kind == "datepicker":
        state["selected_date"] = element.get("initial_date")
    elif kind == "timepicker":
        state["selected_time"] = element.get("initial_time")
    elif kind == "rich_text_input":
        state["rich_text_value"] = element.get("initial_value")
    return state


def _is_empty(state: JSONDict) -> bool:
    values = [v for k, v in state.items() if k != "type"]
    return all(v in (None, "", []) for v in values)


def _state_values(
    blocks: list[JSONDict], values: dict[str, dict[str, JSONDict]], *, enforce_required: bool
) -> dict[str, dict[str, JSONDict]]:
    stateful: dict[str, tuple[JSONDict, JSONDict]] = {}  # block_id -> (block, element)
    for block in blocks:
        if block.get("type") == "input" and isinstance(block.get("element"), dict):
            stateful[str(block["block_id"])] = (block, block["element"])
    state: dict[str, dict[str, JSONDict]] = {}
    for block_id, (_, element) in stateful.items():
        state[block_id] = {str(element["action_id"]): _empty_state(element)}
    for block_id, by_action in values.items():
        if block_id not in stateful:
            raise KeyError(f"no input block {block_id!r} in the view; input blocks: {sorted(stateful)}")
        element = stateful[block_id][1]
        for action_id, value in by_action.items():
            if action_id != element["action_id"]:
                raise KeyError(
                    f"block {block_id!r} has action_id {element['action_id']!r}, not {action_id!r}"
                )
            state[block_id][action_id] = _resolve_options(element, copy.deepcopy(value))
    if enforce_required:
        for block_id, (block, element) in stateful.items():
            current = state[block_id][str(element["action_id"])]
            label = f"input {block_id!r}"
            if not block.get("optional") and _is_empty(current):
                raise ValueError(f"{label} is required: the Slack client would not submit")
            text = current.get("value")
            if isinstance(text, str) and element.get("type") == "plain_text_input":
                if element.get("max_length") is not None and len(text) > int(element["max_length"]):
                    raise ValueError(f"{label} is longer than max_length: the Slack client would not submit")
                if text and element.get("min_length") is not None and len(text) < int(element["min_length"]):
                    raise ValueError(f"{label} is shorter than min_length: the Slack client would not submit")
    return state


def _resolve_options(element: JSONDict, value: JSONDict) -> JSONDict:
    options = {str(o.get("value")): o for o in _options(element)}
    if not options:
        return value

    def resolve(selected: JSONDict) -> JSONDict:
        key = str(selected.get("value"))
        if key not in options:
            raise ValueError(
                f"option {key!r} is not offered by {element.get('action_id')!r}: {sorted(options)}"
            )
        return copy.deepcopy(options[key])

    if isinstance(value.get("selected_option"), dict):
        value["selected_option"] = resolve(value["selected_option"])
    if isinstance(value.get("selected_options"), list):
        value["selected_options"] = [resolve(o) for o in value["selected_options"]]
    return value

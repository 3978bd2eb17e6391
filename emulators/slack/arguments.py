"""Web API arguments: decoding them, checking message content, and the errors Slack answers with."""

from __future__ import annotations

import base64
import copy
import json

from emulators.http import RecordedRequest
from emulators.slack.validation import validate_blocks
from emulators.slack.workspace import MAX_TEXT, JSONDict


def truthy(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def int_param(value: object, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        return int(str(value))
    except ValueError as error:
        raise ApiError("invalid_arguments") from error


def ts_key(ts: str) -> tuple[int, int]:
    seconds, _, micros = ts.partition(".")
    return int(seconds), int((micros or "0").ljust(6, "0")[:6])


def encode_cursor(ts: str) -> str:
    return base64.b64encode(f"next_ts:{ts}".encode()).decode()


def decode_cursor(cursor: str) -> str:
    try:
        decoded = base64.b64decode(cursor.encode(), validate=True).decode()
    except (ValueError, UnicodeDecodeError) as error:
        raise ApiError("invalid_cursor") from error
    if not decoded.startswith("next_ts:"):
        raise ApiError("invalid_cursor")
    return decoded.removeprefix("next_ts:")


class ApiError(Exception):
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


def invalid_arguments(errors: list[str]) -> ApiError:
    return ApiError(
        "invalid_arguments", extra={"response_metadata": {"messages": [f"[ERROR] {e}" for e in errors]}}
    )


def invalid_blocks(errors: list[str]) -> ApiError:
    return ApiError(
        "invalid_blocks",
        extra={"errors": errors, "response_metadata": {"messages": [f"[ERROR] {e}" for e in errors]}},
    )


def decode_params(request: RecordedRequest) -> JSONDict:
    params = request.params()
    for key in ("blocks", "attachments", "metadata", "view"):
        value = params.get(key)
        if isinstance(value, str) and value:
            try:
                params[key] = json.loads(value)
            except ValueError as error:
                raise ApiError(f"invalid_{key}" if key != "view" else "invalid_arguments") from error
    return params


def message_content(params: JSONDict) -> tuple[str, list[JSONDict] | None]:
    text = params.get("text")
    text = "" if text is None else str(text)
    blocks = params.get("blocks")
    if blocks is not None and not isinstance(blocks, list):
        raise invalid_blocks(["must provide an array [json-pointer:/blocks]"])
    return text, blocks


def check_content(text: str, blocks: list[JSONDict] | None, params: JSONDict) -> None:
    if not text and not blocks and not params.get("attachments"):
        raise ApiError("no_text")
    if blocks is not None:
        errors = validate_blocks(blocks)
        if errors:
            raise invalid_blocks(errors)
    if len(text) > MAX_TEXT:
        raise ApiError("msg_too_long")


def message_metadata(params: JSONDict) -> JSONDict | None:
    metadata = params.get("metadata")
    if metadata is None or metadata == "":
        return None
    if (
        not isinstance(metadata, dict)
        or not isinstance(metadata.get("event_type"), str)
        or not metadata["event_type"]
        or not isinstance(metadata.get("event_payload"), dict)
    ):
        raise ApiError("invalid_metadata_format")
    return copy.deepcopy(metadata)

"""Assertions over whole Block Kit payloads: walk every string, not just the ones we expect."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from blocks.message import Message

# Keys whose strings Slack does not render as text: an input's prefill is the raw draft on purpose.
RAW_KEYS = frozenset(
    {"type", "style", "initial_value", "private_metadata", "value", "action_id", "block_id", "callback_id"}
)

# Every `<…>` Slack would interpret must be one Parley made: a user mention, a date, or one of our links.
_OURS = re.compile(
    r"@[UW][A-Z0-9_]+"
    r"|!date\^\d+\^[^|<>]+\|[^|<>]+"
    r"|https://(x\.com|www\.reddit\.com|acme\.slack\.com)/[^|<>\s]*\|[^<>]*"
)
_BARE_AMP = re.compile(r"&(?!amp;|lt;|gt;)")


def strings(payload: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """(key, string) for every string leaf in a JSON-like payload."""
    if isinstance(payload, Message):
        yield "text", payload.text
        yield from strings(payload.blocks)
    elif isinstance(payload, dict):
        for k, v in payload.items():
            yield from strings(v, k)
    elif isinstance(payload, list | tuple):
        for item in payload:
            yield from strings(item, key)
    elif isinstance(payload, str):
        yield key, payload


def rendered(payload: Any) -> list[str]:
    return [s for k, s in strings(payload) if k not in RAW_KEYS]


def joined(payload: Any) -> str:
    return "\n".join(rendered(payload))


def assert_escaped(payload: Any) -> None:
    """No control sequence of outside origin survives, and no stray `&` could start one."""
    for text in rendered(payload):
        assert "<!channel>" not in text
        assert "<@U123>" not in text
        assert "<https://evil" not in text
        assert not _BARE_AMP.search(text), text
        for inner in re.findall(r"<([^>]*)>", text):
            assert _OURS.fullmatch(inner), f"unexpected Slack control sequence <{inner}> in {text!r}"


def section_texts(blocks: list[dict[str, Any]]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "section"]


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"] if e["type"] == "button"]


def assert_within_limits(message: Message) -> None:
    """Block Kit limits from platform-notes (Slack): counts and per-field lengths."""
    assert 0 < len(message.blocks) <= 50
    for block in message.blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "context":
            assert 0 < len(block["elements"]) <= 10
            assert all(e["text"] for e in block["elements"])
    for button in buttons(message.blocks):
        assert len(button["text"]["text"]) <= 75
    assert len(joined(message.blocks)) < 12_000  # msg_blocks_too_long shows up around 12-13k

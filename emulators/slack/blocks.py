"""Block Kit walking and normalization: what Slack adds to blocks it stores, what tests look for in them."""

from __future__ import annotations

import secrets
import string
from collections.abc import Iterator
from typing import Any

from emulators.slack.workspace import JSONDict

BLOCK_TYPES = {
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


ELEMENT_TYPES = {
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
_ID_ALPHABET = string.ascii_uppercase + string.digits
_BLOCK_ID_ALPHABET = string.ascii_letters + string.digits + "+/="
_SKIP_TEXT_KEYS = {"placeholder", "confirm", "accessibility_label"}


def block_buttons(blocks: list[JSONDict]) -> Iterator[tuple[str, JSONDict]]:
    for block in blocks:
        block_id = str(block.get("block_id", ""))
        if block.get("type") == "actions":
            for element in block.get("elements") or []:
                if isinstance(element, dict) and element.get("type") == "button":
                    yield block_id, element
        accessory = block.get("accessory")
        if isinstance(accessory, dict) and accessory.get("type") == "button":
            yield block_id, accessory


def block_texts(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        text = node.get("text")
        if node.get("type") in ("plain_text", "mrkdwn", "text") and isinstance(text, str):
            yield text
            return
        for key, value in node.items():
            if key not in _SKIP_TEXT_KEYS:
                yield from block_texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from block_texts(item)


def element_options(element: JSONDict) -> list[JSONDict]:
    options: list[JSONDict] = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options.extend(group.get("options") or [])
    return options


def random_id(prefix: str, length: int = 10) -> str:
    return prefix + "".join(secrets.choice(_ID_ALPHABET) for _ in range(length))


def normalize(node: Any) -> Any:
    """Deep copy with what Slack adds: `emoji: true` on plain_text, `verbatim: false` on mrkdwn."""
    if isinstance(node, list):
        return [normalize(item) for item in node]
    if isinstance(node, dict):
        copied = {key: normalize(value) for key, value in node.items()}
        if copied.get("type") == "plain_text" and isinstance(copied.get("text"), str):
            copied.setdefault("emoji", True)
        elif copied.get("type") == "mrkdwn" and isinstance(copied.get("text"), str):
            copied.setdefault("verbatim", False)
        return copied
    return node


def normalize_blocks(blocks: list[JSONDict]) -> list[JSONDict]:
    """Normalize and give every block a `block_id` and every interactive element an `action_id`."""
    normalized: list[JSONDict] = normalize(blocks)
    for block in normalized:
        block.setdefault("block_id", "".join(secrets.choice(_BLOCK_ID_ALPHABET) for _ in range(5)))
        elements = list(block.get("elements") or []) if block.get("type") == "actions" else []
        for key in ("accessory", "element"):
            if isinstance(block.get(key), dict):
                elements.append(block[key])
        for element in elements:
            if isinstance(element, dict) and element.get("type") in ELEMENT_TYPES - {"image"}:
                element.setdefault("action_id", "".join(secrets.choice(_BLOCK_ID_ALPHABET) for _ in range(5)))
    return normalized

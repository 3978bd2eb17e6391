"""Block Kit validation: the errors Slack answers `invalid_blocks` / `invalid_arguments` with."""

from __future__ import annotations

import json
from typing import Any

from emulators.slack.blocks import BLOCK_TYPES, ELEMENT_TYPES, element_options
from emulators.slack.workspace import JSONDict

__all__ = ["validate_blocks", "validate_view"]

_OPTION_LIMITS = {
    "static_select": 100,
    "multi_static_select": 100,
    "checkboxes": 10,
    "radio_buttons": 10,
    "overflow": 5,
}


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


def _element_errors(element: object, pointer: str) -> list[str]:
    if not isinstance(element, dict) or element.get("type") not in ELEMENT_TYPES:
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
        options = element_options(element)
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


def _elements_count_errors(elements: list[Any], pointer: str, *, most: int) -> list[str]:
    """Slack's errors for a block's `elements` array when it is empty or longer than `most`."""
    errors: list[str] = []
    if not elements:
        errors.append(f"must provide at least 1 item [json-pointer:{pointer}/elements]")
    if len(elements) > most:
        errors.append(f"no more than {most} items allowed [json-pointer:{pointer}/elements]")
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
        errors += _elements_count_errors(elements, pointer, most=25)
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
        errors += _elements_count_errors(elements, pointer, most=10)
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
        if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
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

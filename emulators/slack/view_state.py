"""A modal's `view.state.values`: the helpers tests fill it with, and how the driver completes and checks it
as the Slack client would before submitting."""

from __future__ import annotations

import copy

from emulators.slack.blocks import element_options
from emulators.slack.workspace import JSONDict


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


def state_values(
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
    options = {str(o.get("value")): o for o in element_options(element)}
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

"""The Edit modal, and pure readers/validators for its submission."""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.domain import Case, Network
from bot.text import length_problem, limit
from handlers.blocks.fmt import author, clip, escape_keeping_mentions, quoted
from handlers.blocks.ids import (
    ACTION_APPROVE_AFTER,
    ACTION_DRAFT_TEXT,
    BLOCK_DRAFT,
    BLOCK_OPTIONS,
    CALLBACK_EDIT,
    CALLBACK_LOADING,
    OPTION_APPROVE,
)
from handlers.blocks.kit import INPUT_MAX, MODAL_TITLE, SECTION_TEXT, context, option, plain, section
from handlers.blocks.message import View

POST_BUDGET = 500


@dataclass(frozen=True)
class EditSubmission:
    case_id: str
    version: int  # the draft version the editor started from, to detect concurrent edits
    text: str
    approve: bool


def edit_modal(case: Case) -> View:
    """Raises ValueError when the case has no draft yet: show `loading_modal` instead."""
    draft = case.draft
    if draft is None:
        raise ValueError(f"case {case.id} has no draft to edit yet")
    network = case.post.network
    most = input_max(network)
    text_input = {
        "type": "plain_text_input",
        "action_id": ACTION_DRAFT_TEXT,
        "multiline": True,
        "initial_value": draft.text[:most],
        "max_length": most,
    }
    approve_after = {
        "type": "checkboxes",
        "action_id": ACTION_APPROVE_AFTER,
        "options": [option("Save and approve (post now)", OPTION_APPROVE)],
    }
    post = case.post
    return {
        "type": "modal",
        "callback_id": CALLBACK_EDIT,
        "private_metadata": json.dumps({"case_id": case.id, "version": draft.version}),
        "title": plain("Edit reply"),
        "notify_on_close": True,  # so closing the window frees the case for others
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "blocks": [
            context(f"Replying to {author(post)} on {post.network.label}:\n{quoted(post.text, POST_BUDGET)}"),
            context(_limit_hint(network, len(draft.text))),
            {"type": "input", "block_id": BLOCK_DRAFT, "label": plain("Reply"), "element": text_input},
            {
                "type": "input",
                "block_id": BLOCK_OPTIONS,
                "optional": True,
                "label": plain("After saving"),
                "element": approve_after,
            },
        ],
    }


def input_max(network: Network) -> int:
    """The input's character cap. On X a link counts 23 however long it is, so a valid reply can
    hold more than 280 characters: the cap stays at Slack's maximum and validate_edit decides."""
    return INPUT_MAX if network is Network.X else min(limit(network), INPUT_MAX)


def _limit_hint(network: Network, draft_chars: int) -> str:
    if network is Network.X:
        hint = "X counts up to 280; links count 23, emoji and CJK characters count 2."
    else:
        hint = f"{network.label} allows up to {limit(network):,} characters."
    if draft_chars > input_max(network):
        hint += (
            f" ⚠️ This draft has {draft_chars:,} characters but the editor holds {INPUT_MAX:,}:"
            " saving keeps only what you see."
        )
    return hint


def loading_modal(title: str, text: str = "Loading…") -> View:
    """A placeholder to open within the 3 s trigger window, then replace with views.update."""
    return {
        "type": "modal",
        "callback_id": CALLBACK_LOADING,
        "title": plain(clip(title, MODAL_TITLE, str)),
        "close": plain("Close"),
        "blocks": [section(clip(text, SECTION_TEXT, escape_keeping_mentions))],
    }


def read_edit(view: View) -> EditSubmission:
    """Parse a view_submission's `view`; raises KeyError/ValueError when it is not our modal."""
    meta = json.loads(view["private_metadata"])
    values = view["state"]["values"]
    text = values[BLOCK_DRAFT][ACTION_DRAFT_TEXT].get("value") or ""
    checked = values.get(BLOCK_OPTIONS, {}).get(ACTION_APPROVE_AFTER, {}).get("selected_options") or []
    return EditSubmission(
        case_id=str(meta["case_id"]),
        version=int(meta["version"]),
        text=text.strip(),
        approve=any(o.get("value") == OPTION_APPROVE for o in checked),
    )


def validate_edit(network: Network, text: str) -> dict[str, str]:
    """Slack's `errors` for `ack(response_action="errors", ...)`, or {} when the text can be posted."""
    problem = length_problem(network, text.strip())
    return {BLOCK_DRAFT: problem} if problem else {}

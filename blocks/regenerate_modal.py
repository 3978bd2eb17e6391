"""The "Regenerate" modal: ask the drafter for a new version, optionally saying how."""

from __future__ import annotations

import json
from dataclasses import dataclass

from blocks.ids import (
    ACTION_REGEN_CHOICE,
    ACTION_REGEN_TEXT,
    BLOCK_REGEN_CHOICE,
    BLOCK_REGEN_TEXT,
    CALLBACK_REGENERATE,
)
from blocks.kit import context, option, plain
from blocks.message import View
from bot.domain import Case
from bot.domain.i18n import N_, _

CHOICES: dict[str, str] = {  # English: translated where shown
    "shorter": N_("Shorter"),
    "formal": N_("More formal"),
    "warmer": N_("Warmer"),
    "different": N_("Different wording"),
}


@dataclass(frozen=True)
class RegenerateRequest:
    case_id: str
    instruction: str  # "" when nothing was said: just another version


def regenerate_modal(case: Case) -> View:
    return {
        "type": "modal",
        "callback_id": CALLBACK_REGENERATE,
        "private_metadata": json.dumps({"case_id": case.id}),
        "title": plain(_("New draft")),
        "submit": plain(_("Regenerate")),
        "close": plain(_("Cancel")),
        "blocks": [
            context(_("The current draft stays in the history; the new one replaces it on the card.")),
            {
                "type": "input",
                "block_id": BLOCK_REGEN_CHOICE,
                "optional": True,
                "label": plain(_("How should it change?")),
                "element": {
                    "type": "static_select",
                    "action_id": ACTION_REGEN_CHOICE,
                    "placeholder": plain(_("Choose…")),
                    "options": [option(_(label), value) for value, label in CHOICES.items()],
                },
            },
            {
                "type": "input",
                "block_id": BLOCK_REGEN_TEXT,
                "optional": True,
                "label": plain(_("Or say it in your words")),
                "element": {
                    "type": "plain_text_input",
                    "action_id": ACTION_REGEN_TEXT,
                    "max_length": 300,
                    "placeholder": plain(_("e.g. mention that the fix ships on Monday")),
                },
            },
        ],
    }


def read_regenerate(view: View) -> RegenerateRequest:
    values = view["state"]["values"]
    selected = values.get(BLOCK_REGEN_CHOICE, {}).get(ACTION_REGEN_CHOICE, {}).get("selected_option") or {}
    value = str(selected.get("value", ""))
    choice = _(CHOICES[value]) if value in CHOICES else ""
    words = (values.get(BLOCK_REGEN_TEXT, {}).get(ACTION_REGEN_TEXT, {}).get("value") or "").strip()
    instruction = "; ".join(part for part in (choice.lower(), words) if part)
    return RegenerateRequest(
        case_id=str(json.loads(view["private_metadata"])["case_id"]), instruction=instruction
    )

"""The Reject modal: a quick reason, optional details, and a pure reader for the submission."""

from __future__ import annotations

import json
from dataclasses import dataclass

from blocks.fmt import author, quoted
from blocks.ids import (
    ACTION_REASON,
    ACTION_REASON_TEXT,
    BLOCK_REASON,
    BLOCK_REASON_TEXT,
    CALLBACK_REJECT,
)
from blocks.kit import context, option, plain
from blocks.message import View
from bot.domain import Case
from bot.domain.i18n import N_, _

DETAILS_MAX = 500
POST_BUDGET = 500

# value -> label (English; translated where shown); the label is what ends up in the case's history.
REASONS: dict[str, str] = {
    "spam": N_("Spam"),
    "not_for_us": N_("Not for us"),
    "answered_elsewhere": N_("Answered elsewhere"),
    "duplicate": N_("Duplicate"),
    "other": N_("Other"),
}


@dataclass(frozen=True)
class RejectSubmission:
    case_id: str
    reason: str  # "" when the reviewer gave none


def reject_modal(case: Case) -> View:
    post = case.post
    reason_select = {
        "type": "static_select",
        "action_id": ACTION_REASON,
        "placeholder": plain(_("Pick a reason")),
        "options": [option(_(label), value) for value, label in REASONS.items()],
    }
    details = {
        "type": "plain_text_input",
        "action_id": ACTION_REASON_TEXT,
        "multiline": True,
        "max_length": DETAILS_MAX,
    }
    return {
        "type": "modal",
        "callback_id": CALLBACK_REJECT,
        "private_metadata": json.dumps({"case_id": case.id}),
        "title": plain(_("Reject case")),
        "submit": plain(_("Reject")),
        "close": plain(_("Cancel")),
        "blocks": [
            context(
                _("{author} on {network}:").format(author=author(post), network=post.network.label)
                + f"\n{quoted(post.text, POST_BUDGET)}"
            ),
            context(_("Nothing will be posted; the case is closed.")),
            _optional_input(BLOCK_REASON, _("Reason"), reason_select),
            _optional_input(BLOCK_REASON_TEXT, _("Details"), details),
        ],
    }


def _optional_input(block_id: str, label: str, element: View) -> View:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": True,
        "label": plain(label),
        "element": element,
    }


def read_reject(view: View) -> RejectSubmission:
    """ "Spam — account is a bot", "Spam", "account is a bot" or ""."""
    meta = json.loads(view["private_metadata"])
    values = view["state"]["values"]
    selected = values.get(BLOCK_REASON, {}).get(ACTION_REASON, {}).get("selected_option") or {}
    choice = selected.get("value")
    # Our own label, not the payload's text: the value is all we need to trust.
    label = _(REASONS[choice]) if choice in REASONS else ""
    details = (values.get(BLOCK_REASON_TEXT, {}).get(ACTION_REASON_TEXT, {}).get("value") or "").strip()
    return RejectSubmission(case_id=str(meta["case_id"]), reason=" — ".join(p for p in (label, details) if p))

"""The read-only "History" modal: every version of a case's reply, newest first, and what happened."""

from __future__ import annotations

from blocks.activity import activity_text
from blocks.fmt import TIME, drafter_label, quoted, slack_date
from blocks.ids import CALLBACK_HISTORY
from blocks.kit import SECTION_TEXT, context, plain, section
from blocks.message import Block, View
from bot.domain import Case, Draft
from bot.domain.i18n import _

MAX_VERSIONS = 20  # 2 blocks each, well inside the 100-block modal limit
MAX_EVENTS = 30


def history_modal(case: Case) -> View:
    drafts: list[Draft] = [*case.versions, *([case.draft] if case.draft else [])]
    blocks: list[Block] = [section(_("*Versions of the reply*, newest first"))]
    for draft in reversed(drafts[-MAX_VERSIONS:]):
        current = " · " + _("*current*") if draft is case.draft else ""
        blocks.append(context(f"v{draft.version} · {drafter_label(draft)}{current}"))
        blocks.append(section(quoted(draft.text, SECTION_TEXT)))
    events = [f"{slack_date(a.at, TIME)} · {activity_text(a, case)}" for a in case.history[-MAX_EVENTS:]]
    if events:
        blocks.append(section(_("*What happened*") + "\n" + "\n".join(events)))
    return {
        "type": "modal",
        "callback_id": CALLBACK_HISTORY,
        "title": plain(_("Reply history")),
        "close": plain(_("Close")),
        "blocks": blocks,
    }

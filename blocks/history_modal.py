"""The read-only "History" modal: every version of a case's reply, newest first, and what happened."""

from __future__ import annotations

from blocks.fmt import TIME, clip, drafter_label, mention, quoted, slack_date
from blocks.ids import CALLBACK_HISTORY
from blocks.kit import SECTION_TEXT, context, plain, section
from blocks.message import Block, View
from bot.domain import Activity, Case, Draft
from bot.domain.i18n import N_, _

MAX_VERSIONS = 20  # 2 blocks each, well inside the 100-block modal limit
MAX_EVENTS = 30

# "Maria approved": who, then what (English; translated where shown). Other actions show as recorded.
_EVENTS = {
    "forwarded": N_("{who} forwarded"),
    "drafted": N_("{who} drafted"),
    "edited": N_("{who} edited"),
    "approved": N_("{who} approved"),
    "undone": N_("{who} undone"),
    "reminded": N_("{who} reminded"),
    "claimed": N_("{who} claimed"),
    "regenerated": N_("{who} regenerated"),
    "posted": N_("{who} posted"),
    "failed": N_("{who} failed"),
    "rejected": N_("{who} rejected"),
    "sent_privately": N_("{who} sent a private message"),
    "follow_up": N_("{who} received a follow-up"),
    "public_note": N_("{who} drafted a public note"),
}


def history_modal(case: Case) -> View:
    drafts: list[Draft] = [*case.versions, *([case.draft] if case.draft else [])]
    blocks: list[Block] = [section(_("*Versions of the reply*, newest first"))]
    for draft in reversed(drafts[-MAX_VERSIONS:]):
        current = " · " + _("*current*") if draft is case.draft else ""
        blocks.append(context(f"v{draft.version} · {drafter_label(draft)}{current}"))
        blocks.append(section(quoted(draft.text, SECTION_TEXT)))
    events = [f"{slack_date(a.at, TIME)} · {_event(a)}" for a in case.history[-MAX_EVENTS:]]
    if events:
        blocks.append(section(_("*What happened*") + "\n" + "\n".join(events)))
    return {
        "type": "modal",
        "callback_id": CALLBACK_HISTORY,
        "title": plain(_("Reply history")),
        "close": plain(_("Close")),
        "blocks": blocks,
    }


def _event(activity: Activity) -> str:
    who = mention(activity.actor) if activity.actor != "parley" else "Parley"
    what = _EVENTS.get(activity.action)
    line = _(what).format(who=who) if what else f"{who} {activity.action}"
    detail = activity.detail
    if activity.action == "drafted" and detail.startswith("by "):  # the domain records "by <drafter>"
        detail = _("by {drafter}").format(drafter=detail.removeprefix("by "))
    return line + (f": {clip(detail, 200)}" if detail else "")

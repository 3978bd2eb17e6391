"""The draft card in a case's thread: the proposed reply and, while it can be reviewed, the buttons."""

from __future__ import annotations

from collections.abc import Sequence

from blocks import status
from blocks.fmt import TIME, clip, drafter_label, handle, link, mention, quoted, slack_date
from blocks.ids import (
    ACTION_APPROVE,
    ACTION_CLAIM,
    ACTION_EDIT,
    ACTION_HISTORY,
    ACTION_REGENERATE,
    ACTION_REJECT,
    ACTION_RETRY,
    ACTION_UNDO,
    BLOCK_REVIEW,
)
from blocks.kit import SECTION_TEXT, actions, button, context, section
from blocks.message import Block, Message
from bot.domain import Case, Draft, State
from bot.domain.findings import Finding
from bot.domain.text import escape_mrkdwn, limit, weighted_length

LISTEN_ONLY = (
    "👂 *Listen only*: found by a keyword search, not addressed to the brand, so {network} will not "
    "accept a reply from Parley. Use the suggestion in the {network} app if a reply is right."
)

# RECEIVED only counts when a draft exists (the domain moves to DRAFTED as it attaches one).
REVIEWABLE = frozenset({State.RECEIVED, State.DRAFTED, State.FAILED})


def draft_card(case: Case, findings: Sequence[Finding] = ()) -> Message:
    """`findings`: the brand-voice lint of the draft (bot.voice.lint), shown under it."""
    draft = case.draft
    if draft is None:
        return Message(text="Drafting a reply…", blocks=[section("⏳ Drafting…")])
    blocks: list[Block] = [
        section(quoted(draft.text, SECTION_TEXT)),
        context(
            length_counter(case, draft), drafter_label(draft), _note(draft), _cost(draft), _account(case)
        ),
    ]
    if findings and case.state.is_open:
        notes = [f"{'💲' if f.code == 'x_link_cost' else '⚠️'} {escape_mrkdwn(f.message)}" for f in findings]
        blocks.append(context(*notes))
    line = _status(case)
    if line:
        blocks.append(section(line))
    if case.state.is_open:
        workflow = _workflow(case)
        if workflow:
            blocks.append(context(*workflow))
    if case.post.listen_only:
        blocks.append(section(LISTEN_ONLY.format(network=case.post.network.label)))
        if case.state in REVIEWABLE:
            blocks.append(reject_only(case.id))
    elif case.state in REVIEWABLE:
        blocks.append(review_buttons(case.id, retry=case.state is State.FAILED, history=bool(case.versions)))
    elif case.state is State.APPROVED and case.send_at is not None:
        blocks.append(actions(button("Undo", action_id=ACTION_UNDO, value=case.id), block_id=BLOCK_REVIEW))
    return Message(text=clip(f"Draft reply: {draft.text}", 300), blocks=blocks)


def length_counter(case: Case, draft: Draft) -> str:
    """`212/280`, or `⚠️ 312/280 · 32 over the X limit` so nobody approves a reply that will bounce."""
    network = case.post.network
    used, most = weighted_length(network, draft.text), limit(network)
    if used <= most:
        return f"{used:,}/{most:,}"
    return f"⚠️ {used:,}/{most:,} · {used - most:,} over the {network.label} limit"


def review_buttons(case_id: str, *, retry: bool = False, history: bool = False) -> Block:
    # One click approves: speed matters, and Edit is right beside it (Undo covers a slip).
    first = (
        button("Retry", action_id=ACTION_RETRY, value=case_id, style="primary")
        if retry
        else button("Approve", action_id=ACTION_APPROVE, value=case_id, style="primary")
    )
    rest = [
        button("Edit", action_id=ACTION_EDIT, value=case_id),
        button("Reject", action_id=ACTION_REJECT, value=case_id, style="danger"),
        button("I'll take it", action_id=ACTION_CLAIM, value=case_id),
        button("Regenerate", action_id=ACTION_REGENERATE, value=case_id),
    ]
    if history:
        rest.append(button("History", action_id=ACTION_HISTORY, value=case_id))
    return actions(first, *rest, block_id=BLOCK_REVIEW)


def _workflow(case: Case) -> list[str]:
    """Who is on it, who is editing, and how many approvals a risky reply still needs."""
    lines: list[str] = []
    if case.risk:
        got = ", ".join(mention(u) for u in case.approvals)
        progress = f"{len(case.approvals)} of {case.approvals_needed} approvals" + (
            f" ({got})" if got else ""
        )
        lines.append(f"🛡️ {progress} · needs two people: {escape_mrkdwn('; '.join(case.risk))}")
    if case.assignee and case.claim_until:
        lines.append(f"🙋 {mention(case.assignee)} is on it (until {slack_date(case.claim_until, TIME)})")
    if case.editing_by:
        lines.append(f"✏️ {mention(case.editing_by)} is editing…")
    if 100 in case.reminded:
        lines.append("⏰ Past its response-time target")
    for similar in case.similar[:1]:
        when = f"{similar.answered_at:%d %b}".lstrip("0")
        lines.append(
            f"💬 Similar answer from {when}: {link(similar.url, 'see the thread')} · “{clip(similar.text, 140)}”"
        )
    return lines


def reject_only(case_id: str) -> Block:
    """Listen-only cases can be closed ("Reject": nothing to do), but never approved."""
    return actions(button("Reject (close)", action_id=ACTION_REJECT, value=case_id), block_id=BLOCK_REVIEW)


def _cost(draft: Draft) -> str:
    return f"{draft.tokens:,} tokens · ${draft.cost_usd:.4f}" if draft.tokens else ""


def _note(draft: Draft) -> str:
    return clip(draft.note, 300) if draft.note else ""


def _account(case: Case) -> str:
    return f"Answering as {handle(case.post.network, case.post.account)}"


def _status(case: Case) -> str:
    match case.state:
        case State.APPROVED if case.send_at is not None:
            return (
                f"⏳ Approved by {status.approver(case)} · sending at {slack_date(case.send_at, TIME)}"
                " unless someone clicks Undo"
            )
        case State.APPROVED | State.PUBLISHING:
            return f"⏳ Approved by {status.approver(case)}, posting…{status.retry_note(case)}"
        case State.POSTED:
            return status.posted(case, TIME)
        case State.REJECTED:
            return status.rejected(case, TIME)
        case State.FAILED:
            return f"{status.failed(case)}\n{_failed_hint(case)}"
        case _:
            return ""


def _failed_hint(case: Case) -> str:
    if case.failure is not None and case.failure.kind == "duplicate":
        label = escape_mrkdwn(case.post.network.label)
        return f"{label} refuses the same text twice: edit the reply before approving it again."
    return "Edit the reply, approve it to try again, or reject the case."

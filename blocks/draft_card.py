"""The draft card in a case's thread: the proposed reply and, while it can be reviewed, the buttons."""

from __future__ import annotations

from collections.abc import Sequence

from blocks import meta_card, status
from blocks.fmt import TIME, clip, day_and_month, drafter_label, handle, link, mention, quoted, slack_date
from blocks.ids import (
    ACTION_APPROVE,
    ACTION_CLAIM,
    ACTION_EDIT,
    ACTION_HISTORY,
    ACTION_PUBLIC_NOTE,
    ACTION_REGENERATE,
    ACTION_REJECT,
    ACTION_REPLY_PRIVATELY,
    ACTION_RETRY,
    ACTION_UNDO,
    BLOCK_REVIEW,
)
from blocks.kit import SECTION_TEXT, actions, button, context, section
from blocks.message import Block, Message
from bot.domain import Case, Draft, State
from bot.domain.conversation import can_move_to_private
from bot.domain.findings import Finding
from bot.domain.i18n import N_, _
from bot.domain.reviews import revisable
from bot.domain.text import escape_mrkdwn, limit, weighted_length

LISTEN_ONLY = N_(
    "👂 *Listen only*: found by a keyword search, not addressed to the brand, so {network} will not "
    "accept a reply from Parley. Use the suggestion in the {network} app if a reply is right."
)

# RECEIVED only counts when a draft exists (the domain moves to DRAFTED as it attaches one).
REVIEWABLE = frozenset({State.RECEIVED, State.DRAFTED, State.FAILED})


def draft_card(case: Case, findings: Sequence[Finding] = ()) -> Message:
    """`findings`: the brand-voice lint of the draft (bot.voice.lint), shown under it."""
    draft = case.draft
    if draft is None:
        return Message(text=_("Drafting a reply…"), blocks=[section(_("⏳ Drafting…"))])
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
    if window := meta_card.window_line(case):
        blocks.append(window)
    if case.state.is_open:
        workflow = _workflow(case)
        if workflow:
            blocks.append(context(*workflow))
    if case.post.listen_only:
        blocks.append(section(_(LISTEN_ONLY).format(network=case.post.network.label)))
        if case.state in REVIEWABLE:
            blocks.append(reject_only(case.id))
    elif case.state in REVIEWABLE:
        blocks.append(
            review_buttons(
                case.id,
                retry=case.state is State.FAILED,
                history=bool(case.versions),
                privately=can_move_to_private(case),
                extra=meta_card.extra_buttons(case),
            )
        )
    elif case.state is State.APPROVED and case.send_at is not None:
        blocks.append(actions(button(_("Undo"), action_id=ACTION_UNDO, value=case.id), block_id=BLOCK_REVIEW))
    elif case.state is State.POSTED and case.privately and not case.post.private:
        note = button(_("Add a public note"), action_id=ACTION_PUBLIC_NOTE, value=case.id)
        blocks.append(actions(note, block_id=BLOCK_REVIEW))
    if unhide := meta_card.unhide_block(case):
        blocks.append(unhide)
    elif revisable(case):  # a review's reply: publishing an edit replaces it, in this same case
        edit = button(_("Edit reply"), action_id=ACTION_EDIT, value=case.id)
        blocks.append(actions(edit, block_id=BLOCK_REVIEW))
    return Message(text=clip(_("Draft reply: {text}").format(text=draft.text), 300), blocks=blocks)


def length_counter(case: Case, draft: Draft) -> str:
    """`212/280`, or `⚠️ 312/280 · 32 over the X limit` so nobody approves a reply that will bounce."""
    network = case.post.network
    used, most = weighted_length(network, draft.text), limit(network, case.post)
    if used <= most:
        return f"{used:,}/{most:,}"
    over = _("{over} over the {network} limit").format(over=f"{used - most:,}", network=network.label)
    return f"⚠️ {used:,}/{most:,} · {over}"


def review_buttons(
    case_id: str,
    *,
    retry: bool = False,
    history: bool = False,
    privately: bool = False,
    extra: Sequence[Block] = (),
) -> Block:
    # One click approves: speed matters, and Edit is right beside it (Undo covers a slip).
    first = (
        button(_("Retry"), action_id=ACTION_RETRY, value=case_id, style="primary")
        if retry
        else button(_("Approve"), action_id=ACTION_APPROVE, value=case_id, style="primary")
    )
    rest = [
        button(_("Edit"), action_id=ACTION_EDIT, value=case_id),
        button(_("Reject"), action_id=ACTION_REJECT, value=case_id, style="danger"),
        button(_("I'll take it"), action_id=ACTION_CLAIM, value=case_id),
        button(_("Regenerate"), action_id=ACTION_REGENERATE, value=case_id),
    ]
    if privately:
        rest.insert(2, button(_("Reply privately"), action_id=ACTION_REPLY_PRIVATELY, value=case_id))
    if history:
        rest.append(button(_("History"), action_id=ACTION_HISTORY, value=case_id))
    return actions(first, *rest, *extra, block_id=BLOCK_REVIEW)


def _workflow(case: Case) -> list[str]:
    """Who is on it, who is editing, and how many approvals a risky reply still needs."""
    lines: list[str] = []
    if case.risk:
        got = ", ".join(mention(u) for u in case.approvals)
        progress = _("{got} of {needed} approvals").format(
            got=len(case.approvals), needed=case.approvals_needed
        ) + (f" ({got})" if got else "")
        why = escape_mrkdwn("; ".join(case.risk))
        lines.append(_("🛡️ {progress} · needs two people: {why}").format(progress=progress, why=why))
    if case.assignee and case.claim_until:
        until = slack_date(case.claim_until, TIME)
        lines.append(_("🙋 {who} is on it (until {time})").format(who=mention(case.assignee), time=until))
    if case.editing_by:
        lines.append(_("✏️ {who} is editing…").format(who=mention(case.editing_by)))
    if 100 in case.reminded:
        lines.append(_("⏰ Past its response-time target"))
    for similar in case.similar[:1]:
        when = day_and_month(similar.answered_at)
        thread = link(similar.url, _("see the thread"))
        lines.append(
            _("💬 Similar answer from {when}: {link}").format(when=when, link=thread)
            + f" · “{clip(similar.text, 140)}”"
        )
    return lines


def reject_only(case_id: str) -> Block:
    """Listen-only cases can be closed ("Reject": nothing to do), but never approved."""
    return actions(button(_("Reject (close)"), action_id=ACTION_REJECT, value=case_id), block_id=BLOCK_REVIEW)


def _cost(draft: Draft) -> str:
    if not draft.tokens:
        return ""
    return _("{tokens} tokens · ${cost}").format(tokens=f"{draft.tokens:,}", cost=f"{draft.cost_usd:.4f}")


def _note(draft: Draft) -> str:
    return clip(draft.note, 300) if draft.note else ""


def _account(case: Case) -> str:
    answering = _("Answering as {handle}").format(handle=handle(case.post.network, case.post.account))
    if case.post.private or case.privately:
        return "🔒 " + answering + " · " + _("by private message")
    return answering


def _status(case: Case) -> str:
    match case.state:
        case State.APPROVED if case.send_at is not None:
            return _("⏳ Approved by {who} · sending at {time} unless someone clicks Undo").format(
                who=status.approver(case), time=slack_date(case.send_at, TIME)
            )
        case State.APPROVED | State.PUBLISHING:
            return _("⏳ Approved by {who}, posting…").format(who=status.approver(case)) + status.retry_note(
                case
            )
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
        return _("{network} refuses the same text twice: edit the reply before approving it again.").format(
            network=label
        )
    return _("Edit the reply, approve it to try again, or reject the case.")

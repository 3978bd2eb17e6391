"""Every state change of a case, as a pure function ``(case, ...) -> case`` that either returns the
next case or raises :class:`TransitionError` with a sentence a Slack user can read. Storage, Slack
and the networks live elsewhere; this module does no I/O. The lifecycle is drawn in bot/domain/__init__.py.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from bot.domain.conversation import after_posted, next_version, turn_parts
from bot.domain.i18n import N_, _
from bot.domain.model import (
    Activity,
    Case,
    Draft,
    Failure,
    Reply,
    Similar,
    SlackRefs,
    State,
    TransitionError,
    Triage,
)
from bot.domain.reviews import revisable

# How a state reads inside a sentence ("the case is drafted"); English, translated where shown.
_STATE_WORDS = {
    State.RECEIVED: N_("received"),
    State.DRAFTED: N_("drafted"),
    State.APPROVED: N_("approved"),
    State.PUBLISHING: N_("publishing"),
    State.POSTED: N_("posted"),
    State.FAILED: N_("failed"),
    State.REJECTED: N_("rejected"),
}


def _log(case: Case, at: datetime, actor: str, action: str, detail: str = "") -> tuple[Activity, ...]:
    return (*case.history, Activity(at=at, actor=actor, action=action, detail=detail))


def _closed_message(case: Case) -> str:
    closed = case.closed_by
    by = closed.actor if closed and closed.actor != "parley" else None
    if case.state is State.POSTED:
        if by:
            return _("This reply was already posted by {who}.").format(who=f"<@{by}>")
        return _("This reply was already posted.")
    if case.state is State.REJECTED:
        if by:
            return _("This case was already rejected by {who}.").format(who=f"<@{by}>")
        return _("This case was already rejected.")
    return _("This case is closed.")


def _require_reviewable(case: Case) -> None:
    if case.state in (State.POSTED, State.REJECTED):
        raise TransitionError(_closed_message(case))
    if case.state in (State.APPROVED, State.PUBLISHING):
        if case.approved_by:
            message = _("This reply was already approved by {who} and is being posted.")
            raise TransitionError(message.format(who=f"<@{case.approved_by}>"))
        raise TransitionError(_("This reply was already approved and is being posted."))


def with_slack(case: Case, slack: SlackRefs, at: datetime) -> Case:
    forwarded = case.slack is None or case.slack.parent_ts is None
    history = _log(case, at, "parley", "forwarded") if forwarded and slack.parent_ts else case.history
    return replace(case, slack=slack, history=history)


def slack_part_posted(case: Case, part: str, ts: str, *, at: datetime, permalink: str | None = None) -> Case:
    """Record where a part ("parent" or "card") now is, merged into the case as it is now, so a job
    holding an older copy never erases what another job recorded meanwhile."""
    refs = case.slack
    if refs is None:
        raise TransitionError("The case has no Slack channel yet.")
    if part == "parent":
        return with_slack(case, replace(refs, parent_ts=ts, permalink=permalink or refs.permalink), at)
    message, card = turn_parts(case.turn)
    if part == message:
        return replace(case, message_ts=ts)
    if part != card:  # an earlier turn's part, recorded after the conversation moved on
        return case
    return with_slack(case, replace(refs, card_ts=ts), at)


def slack_message_gone(case: Case, part: str, *, at: datetime) -> Case:
    """Someone deleted the case's parent or card in Slack. An open case is forwarded again (its
    Slack references are cleared, the channel kept); a closed one only records it."""
    refs = case.slack
    if refs is None:
        return case
    detail = part  # "parent" or "card"; "+again" when the case is forwarded again
    if case.state.is_open:
        detail += "+again"
        refs = SlackRefs(channel=refs.channel)
    elif part == "card":
        refs = replace(refs, card_ts=None)
    else:
        refs = replace(refs, parent_ts=None, card_ts=None)
    return replace(case, slack=refs, history=_log(case, at, "parley", "slack_deleted", detail))


def with_draft(
    case: Case,
    triage: Triage,
    draft: Draft,
    at: datetime,
    *,
    risk: tuple[str, ...] = (),
    similar: tuple[Similar, ...] = (),
) -> Case:
    """Attach the machine draft. Only the first one counts: a retried job must not overwrite edits.

    `risk` lists why the reply needs a second approver (see bot.risk); empty means one is enough.
    """
    if case.draft is not None or not case.state.is_open:
        return case
    if case.state is not State.RECEIVED:
        raise TransitionError(f"Cannot draft a case that is {case.state.value}.")
    detail = f"by {draft.drafter}" + (f" ({draft.note})" if draft.note else "")
    return replace(
        case,
        state=State.DRAFTED,
        triage=triage,
        draft=replace(draft, version=next_version(case)) if case.earlier else draft,
        risk=risk,
        similar=similar,
        history=_log(case, at, "parley", "drafted", detail),
    )


def regenerate(case: Case, draft: Draft, *, by: str, at: datetime, instruction: str = "") -> Case:
    """A new machine draft on request; the current one is kept in `versions`."""
    _require_reviewable(case)
    if case.draft is None:
        raise TransitionError(_("The draft is still being written; try again in a moment."))
    new = replace(draft, version=case.draft.version + 1)
    return replace(
        case,
        state=State.DRAFTED,
        draft=new,
        versions=(*case.versions, case.draft),
        approvals=(),
        failure=None,
        history=_log(case, at, by, "regenerated", instruction),
    )


def edit(case: Case, text: str, *, by: str, at: datetime) -> Case:
    """A new text by `by`. A posted review's reply may be edited too: approving it again replaces the
    reply on the network (bot.domain.reviews), in the same case."""
    if not revisable(case):
        _require_reviewable(case)
    if case.draft is None:
        raise TransitionError(_("The draft is still being written; try again in a moment."))
    text = text.strip()
    if not text:
        raise TransitionError(_("The reply cannot be empty."))
    if text == case.draft.text:
        return case
    draft = Draft(text=text, drafter="edited", version=case.draft.version + 1, author=by)
    return replace(
        case,
        state=State.DRAFTED,
        draft=draft,
        versions=(*case.versions, case.draft),
        approvals=(),  # approvals are for a text: a new text needs them again
        failure=None,
        # A posted reply being replaced: a fresh count, so the first attempt posts without looking.
        publish_attempts=0 if case.state is State.POSTED else case.publish_attempts,
        history=_log(case, at, by, "edited", _("version {n}").format(n=draft.version)),
    )


def approve(case: Case, *, by: str, at: datetime, undo_seconds: float = 0, privately: bool = False) -> Case:
    """Record `by`'s approval. A risky reply stays drafted until a second, different person approves.

    Once approved, the reply waits `undo_seconds` (the undo window, `send_at`) before it may be posted.
    `privately`: send it to the author as a private message instead ("Reply privately").
    """
    _require_reviewable(case)
    if privately and case.post.private:
        privately = False  # a private conversation is answered privately anyway
    if case.post.listen_only:
        raise TransitionError(
            _(
                "{network} does not accept replies to this post from Parley "
                "(it was found by listening, not addressed to the brand). Answer it from the app if needed."
            ).format(network=case.post.network.label)
        )
    if case.draft is None:
        raise TransitionError(_("The draft is still being written; try again in a moment."))
    if case.state is State.FAILED and case.failure is not None and case.failure.kind == "duplicate":
        # The network refuses the same text twice: approving it unchanged would only fail again.
        message = _("Posting failed: {reason} Edit the reply before approving.")
        raise TransitionError(message.format(reason=case.failure.message))
    if by in case.approvals:
        message = _("You already approved this reply. It needs a second person because {why}.")
        raise TransitionError(message.format(why=_risk_text(case)))
    approvals = (*case.approvals, by)
    if len(approvals) < case.approvals_needed:
        progress = _("{got} of {needed}").format(got=len(approvals), needed=case.approvals_needed)
        return replace(
            case, approvals=approvals, privately=privately, history=_log(case, at, by, "approved", progress)
        )
    # A person who looked on the network after an attempt Parley could not verify decides to send:
    # the next attempt is a first one (no look-up the network cannot answer).
    unverified = (
        case.state is State.FAILED and case.failure is not None and case.failure.kind == "unverifiable"
    )
    return replace(
        case,
        state=State.APPROVED,
        privately=privately,
        publish_attempts=0 if unverified else case.publish_attempts,
        approved_by=by,
        approvals=approvals,
        failure=None,
        send_at=at + timedelta(seconds=undo_seconds) if undo_seconds > 0 else None,
        history=_log(case, at, by, "approved"),
    )


def undo(case: Case, *, by: str, at: datetime) -> Case:
    """Take an approval back while the undo window is open: the case returns to draft."""
    if case.state is State.APPROVED and case.send_at is not None and at < case.send_at:
        return replace(
            case,
            state=State.DRAFTED,
            approved_by=None,
            approvals=(),
            send_at=None,
            history=_log(case, at, by, "undone"),
        )
    if case.state in (State.PUBLISHING, State.POSTED) or case.state is State.APPROVED:
        raise TransitionError(_("Too late to undo: the reply is already being posted."))
    raise TransitionError(
        _("There is nothing to undo: the case is {state}.").format(state=_(_STATE_WORDS[case.state]))
    )


def claim(case: Case, *, by: str, at: datetime, for_seconds: float) -> Case:
    """ "I'll take it": assign the case to `by` for a while, unless someone else holds it."""
    if not case.state.is_open:
        raise TransitionError(_closed_message(case))
    holder = case.claimed_by(at)
    if holder and holder != by:
        raise TransitionError(_("{who} is already on this one.").format(who=f"<@{holder}>"))
    claimed = replace(case, assignee=by, claim_until=at + timedelta(seconds=for_seconds))
    return claimed if holder == by else replace(claimed, history=_log(case, at, by, "claimed"))


def start_editing(case: Case, *, by: str, at: datetime, for_seconds: float) -> Case:
    """Mark that `by` has the edit window open, so others see it; refused while someone else edits."""
    if not revisable(case):
        _require_reviewable(case)
    editor = case.edited_by(at)
    if editor and editor != by:
        raise TransitionError(_("{who} is editing this reply right now.").format(who=f"<@{editor}>"))
    return replace(case, editing_by=by, editing_until=at + timedelta(seconds=for_seconds))


def stop_editing(case: Case, *, by: str) -> Case:
    if case.editing_by != by:
        return case
    return replace(case, editing_by=None, editing_until=None)


def remind(case: Case, *, threshold: int, at: datetime, detail: str) -> Case:
    """Record a response-time reminder (once per threshold); `detail` says which target, and who."""
    if threshold in case.reminded or not case.state.is_open:
        return case
    return replace(
        case,
        reminded=(*case.reminded, threshold),
        history=_log(case, at, "parley", "reminded", detail),
    )


def _risk_text(case: Case) -> str:
    return "; ".join(case.risk) if case.risk else _("it is marked risky")


def reject(case: Case, *, by: str, reason: str, at: datetime) -> Case:
    _require_reviewable(case)
    return replace(
        case,
        state=State.REJECTED,
        rejection_reason=reason or None,
        history=_log(case, at, by, "rejected", reason),
    )


def start_publish(case: Case, *, at: datetime, lease_seconds: float) -> Case:
    """Claim the case for one publishing attempt.

    A case already ``publishing`` may be claimed again only when the earlier attempt's
    lease has expired (its worker died); the caller must then verify on the network
    whether that attempt posted before trying again.
    """
    if case.state is State.PUBLISHING:
        assert case.publishing_since is not None
        if (at - case.publishing_since).total_seconds() < lease_seconds:
            raise TransitionError("Another worker is posting this reply right now.")
    elif case.state is not State.APPROVED:
        raise TransitionError(f"Only approved replies are posted; this case is {case.state.value}.")
    if case.failure and case.failure.retry_at and at < case.failure.retry_at:
        raise TransitionError("Waiting for the network's rate limit to reset.")
    if case.state is State.APPROVED and case.send_at is not None and at < case.send_at:
        raise TransitionError("The undo window is still open.")
    return replace(
        case,
        state=State.PUBLISHING,
        publishing_since=at,
        publish_attempts=case.publish_attempts + 1,
    )


def mark_posted(case: Case, reply: Reply, *, at: datetime, to: str | None = None) -> Case:
    """Record a reply that is on the network. A fact, never refused: a success that arrives late
    (after its attempt was taken over or marked failed) is the success; a second reply to a case
    already posted is recorded as a duplicate for the team to remove. `to` is the id of the post
    it answers: when the conversation has moved on since, the reply goes to that earlier turn."""
    if to is not None and to != case.post.id:
        return _posted_earlier(case, reply, to=to, at=at)
    if case.state is State.POSTED:
        if case.reply is None or case.reply.id == reply.id:
            return case
        detail = f"{reply.url} {case.reply.url}"  # the second reply, then the first
        return replace(case, history=_log(case, at, "parley", "duplicate", detail))
    if case.state is State.REJECTED:  # posted by an earlier attempt, although the case is rejected
        return replace(case, history=_log(case, at, "parley", "duplicate", reply.url))
    by = case.approved_by or "parley"
    if case.reply is not None and case.reply.id == reply.id:  # a replaced reply (a review's):
        reply = replace(reply, posted_at=case.reply.posted_at)  # first response = when first posted
    posted = replace(
        case,
        state=State.POSTED,
        reply=reply,
        failure=None,
        publishing_since=None,
        history=_log(case, at, by, "sent_privately" if case.privately else "posted", reply.url),
    )
    return after_posted(posted, at=at)


def mark_failed(case: Case, failure: Failure, *, at: datetime) -> Case:
    """A publishing attempt failed: retryable failures stay approved (to be retried), others stop."""
    if case.state is not State.PUBLISHING:
        raise TransitionError(f"Cannot fail a {case.state.value} case.")
    return replace(
        case,
        state=State.APPROVED if failure.retryable else State.FAILED,
        failure=failure,
        # A final failure needs a new decision (Retry, or an edit): earlier approvals no longer count.
        approvals=case.approvals if failure.retryable else (),
        publishing_since=None,
        history=_log(case, at, "parley", "failed", failure.message),
    )


def _posted_earlier(case: Case, reply: Reply, *, to: str, at: datetime) -> Case:
    turns = list(case.earlier)
    for index, turn in enumerate(turns):
        if turn.post.id == to and turn.reply is None:
            turns[index] = replace(turn, reply=reply, answered_by=case.approved_by)
            return replace(case, earlier=tuple(turns), history=_log(case, at, "parley", "posted", reply.url))
    return case

"""The domain core: an incoming post, its draft, and the case that carries both through review.

Everything here is a frozen dataclass and every state change is a pure function
``(case, ...) -> case`` that either returns the next case or raises
:class:`TransitionError` with a sentence a Slack user can read. Storage, Slack
and the networks live elsewhere; this module does no I/O.

Lifecycle::

    received --draft--> drafted --approve--> approved --start_publish--> publishing --posted--> posted
       |                 |   ^                   ^                           |
       |                 |   +-------edit--------+---- failed (retryable) ---+
       +-----reject------+---------------------------------------------------+--> rejected
                                                 failed (final) --edit/approve--> ...
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Literal

from bot import codec

Sentiment = Literal["positive", "neutral", "negative"]
Urgency = Literal["low", "normal", "high"]


class Network(StrEnum):
    X = "x"
    REDDIT = "reddit"

    @property
    def label(self) -> str:
        return {"x": "X", "reddit": "Reddit"}[self.value]


class State(StrEnum):
    RECEIVED = "received"
    DRAFTED = "drafted"
    APPROVED = "approved"
    PUBLISHING = "publishing"
    POSTED = "posted"
    FAILED = "failed"
    REJECTED = "rejected"

    @property
    def is_open(self) -> bool:
        return self not in (State.POSTED, State.REJECTED)


class TransitionError(Exception):
    """A state change that is not allowed now; the message is shown to the user as is."""


@dataclass(frozen=True)
class Author:
    id: str
    handle: str
    name: str
    followers: int | None = None


@dataclass(frozen=True)
class Post:
    """One incoming post addressed to the brand, as a connector delivered it."""

    network: Network
    id: str
    account: str  # the brand account that received it (and will answer)
    author: Author
    text: str
    url: str
    created_at: datetime
    lang: str | None = None
    conversation_id: str | None = None
    title: str | None = None  # Reddit thread title; None on X
    place: str | None = None  # Reddit subreddit; None on X
    # Seen by listening (e.g. an X keyword search), not addressed to the brand: the network
    # would refuse our reply, so the case is forwarded for information and cannot be approved.
    listen_only: bool = False


@dataclass(frozen=True)
class Triage:
    is_question: bool
    sentiment: Sentiment
    urgency: Urgency
    language: str
    summary: str = ""
    risk_flag: str = ""  # the drafter's own worry about this post (legal threat, safety...), if any
    kind: str = ""  # question, complaint, praise, spam, other; empty: derive it (bot.routing.kind_of)


@dataclass(frozen=True)
class Draft:
    text: str
    drafter: str  # "openai:<model>", "offline", or "edited"
    version: int = 1
    author: str | None = None  # Slack user id of the last editor; None when machine-written
    note: str = ""  # e.g. why the offline drafter was used
    tokens: int = 0  # LLM tokens spent on this draft (input + output)
    cost_usd: float = 0.0


@dataclass(frozen=True)
class Similar:
    """A past answer of the team to a similar question, shown on the card as a hint."""

    text: str
    url: str  # its Slack thread (or the posted reply)
    answered_at: datetime


@dataclass(frozen=True)
class SlackRefs:
    channel: str
    parent_ts: str | None = None
    card_ts: str | None = None
    permalink: str | None = None  # of the parent message, for links from /parley queue and the digest


@dataclass(frozen=True)
class Reply:
    id: str
    url: str
    posted_at: datetime


@dataclass(frozen=True)
class Failure:
    kind: str  # "rate_limited", "duplicate", "forbidden", "not_found", "network", "unknown"
    message: str
    retryable: bool
    retry_at: datetime | None = None


@dataclass(frozen=True)
class Activity:
    at: datetime
    actor: str  # Slack user id, or "parley" for the bot itself
    action: str  # "forwarded", "drafted", "edited", "approved", "posted", "failed", "rejected", ...
    detail: str = ""


@dataclass(frozen=True)
class Case:
    id: str
    post: Post
    state: State
    received_at: datetime
    source: str = ""  # the configured account that fetched the post, and will answer it
    slack: SlackRefs | None = None  # None until delivery has routed the case to a channel
    triage: Triage | None = None
    draft: Draft | None = None
    approved_by: str | None = None
    reply: Reply | None = None
    failure: Failure | None = None
    rejection_reason: str | None = None
    publish_attempts: int = 0
    publishing_since: datetime | None = None
    history: tuple[Activity, ...] = field(default_factory=tuple)
    # Review workflow
    risk: tuple[str, ...] = ()  # why this reply needs two approvers; empty: one is enough
    approvals: tuple[str, ...] = ()  # who approved the current draft version so far
    send_at: datetime | None = None  # end of the undo window of an approved reply
    assignee: str | None = None
    claim_until: datetime | None = None
    editing_by: str | None = None
    editing_until: datetime | None = None
    versions: tuple[Draft, ...] = ()  # earlier drafts, oldest first
    reminded: tuple[int, ...] = ()  # response-time reminders already given (50, 80, 100 % of the target)
    similar: tuple[Similar, ...] = ()  # the team's past answers to similar questions

    @property
    def approvals_needed(self) -> int:
        return 2 if self.risk else 1

    def claimed_by(self, at: datetime) -> str | None:
        return self.assignee if self.claim_until and at < self.claim_until else None

    def edited_by(self, at: datetime) -> str | None:
        """Who has the edit window open now (the lock expires by itself if the window is abandoned)."""
        return self.editing_by if self.editing_until and at < self.editing_until else None

    @property
    def closed_by(self) -> Activity | None:
        """The activity that closed the case (posted or rejected), if any."""
        for activity in reversed(self.history):
            if activity.action in ("posted", "rejected"):
                return activity
        return None

    def last(self, action: str) -> Activity | None:
        return next((a for a in reversed(self.history) if a.action == action), None)


def case_id_for(network: Network, post_id: str) -> str:
    """Case ids are derived from the post, so the same post can never become two cases."""
    return f"{network.value}-{post_id}"


def open_case(post: Post, *, at: datetime, source: str = "", channel: str | None = None) -> Case:
    """A new case; `channel` is usually left to delivery, which routes with the triage in hand."""
    return Case(
        id=case_id_for(post.network, post.id),
        post=post,
        state=State.RECEIVED,
        received_at=at,
        source=source,
        slack=SlackRefs(channel=channel) if channel else None,
    )


def _log(case: Case, at: datetime, actor: str, action: str, detail: str = "") -> tuple[Activity, ...]:
    return (*case.history, Activity(at=at, actor=actor, action=action, detail=detail))


def _closed_message(case: Case) -> str:
    closed = case.closed_by
    who = f" by <@{closed.actor}>" if closed and closed.actor != "parley" else ""
    if case.state is State.POSTED:
        return f"This reply was already posted{who}."
    if case.state is State.REJECTED:
        return f"This case was already rejected{who}."
    return "This case is closed."


def _require_reviewable(case: Case) -> None:
    if case.state in (State.POSTED, State.REJECTED):
        raise TransitionError(_closed_message(case))
    if case.state in (State.APPROVED, State.PUBLISHING):
        by = f" by <@{case.approved_by}>" if case.approved_by else ""
        raise TransitionError(f"This reply was already approved{by} and is being posted.")


def with_slack(case: Case, slack: SlackRefs, at: datetime) -> Case:
    forwarded = case.slack is None or case.slack.parent_ts is None
    history = _log(case, at, "parley", "forwarded") if forwarded and slack.parent_ts else case.history
    return replace(case, slack=slack, history=history)


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
        draft=draft,
        risk=risk,
        similar=similar,
        history=_log(case, at, "parley", "drafted", detail),
    )


def regenerate(case: Case, draft: Draft, *, by: str, at: datetime, instruction: str = "") -> Case:
    """A new machine draft on request; the current one is kept in `versions`."""
    _require_reviewable(case)
    if case.draft is None:
        raise TransitionError("The draft is still being written; try again in a moment.")
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
    _require_reviewable(case)
    if case.draft is None:
        raise TransitionError("The draft is still being written; try again in a moment.")
    text = text.strip()
    if not text:
        raise TransitionError("The reply cannot be empty.")
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
        history=_log(case, at, by, "edited", f"version {draft.version}"),
    )


def approve(case: Case, *, by: str, at: datetime, undo_seconds: float = 0) -> Case:
    """Record `by`'s approval. A risky reply stays drafted until a second, different person approves.

    Once approved, the reply waits `undo_seconds` (the undo window, `send_at`) before it may be posted.
    """
    _require_reviewable(case)
    if case.post.listen_only:
        raise TransitionError(
            f"{case.post.network.label} does not accept replies to this post from Parley "
            "(it was found by listening, not addressed to the brand). Answer it from the app if needed."
        )
    if case.draft is None:
        raise TransitionError("The draft is still being written; try again in a moment.")
    if case.state is State.FAILED and case.failure is not None and case.failure.kind == "duplicate":
        # The network refuses the same text twice: approving it unchanged would only fail again.
        raise TransitionError(f"Posting failed: {case.failure.message} Edit the reply before approving.")
    if by in case.approvals:
        raise TransitionError(
            f"You already approved this reply. It needs a second person because {_risk_text(case)}."
        )
    approvals = (*case.approvals, by)
    if len(approvals) < case.approvals_needed:
        progress = f"{len(approvals)} of {case.approvals_needed}"
        return replace(case, approvals=approvals, history=_log(case, at, by, "approved", progress))
    return replace(
        case,
        state=State.APPROVED,
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
        raise TransitionError("Too late to undo: the reply is already being posted.")
    raise TransitionError(f"There is nothing to undo: the case is {case.state.value}.")


def claim(case: Case, *, by: str, at: datetime, for_seconds: float) -> Case:
    """ "I'll take it": assign the case to `by` for a while, unless someone else holds it."""
    if not case.state.is_open:
        raise TransitionError(_closed_message(case))
    holder = case.claimed_by(at)
    if holder and holder != by:
        raise TransitionError(f"<@{holder}> is already on this one.")
    claimed = replace(case, assignee=by, claim_until=at + timedelta(seconds=for_seconds))
    return claimed if holder == by else replace(claimed, history=_log(case, at, by, "claimed"))


def start_editing(case: Case, *, by: str, at: datetime, for_seconds: float) -> Case:
    """Mark that `by` has the edit window open, so others see it; refused while someone else edits."""
    _require_reviewable(case)
    editor = case.edited_by(at)
    if editor and editor != by:
        raise TransitionError(f"<@{editor}> is editing this reply right now.")
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
    return "; ".join(case.risk) if case.risk else "it is marked risky"


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


def mark_posted(case: Case, reply: Reply, *, at: datetime) -> Case:
    if case.state is State.POSTED:
        return case
    if case.state is not State.PUBLISHING:
        raise TransitionError(f"Cannot mark a {case.state.value} case as posted.")
    by = case.approved_by or "parley"
    return replace(
        case,
        state=State.POSTED,
        reply=reply,
        failure=None,
        publishing_since=None,
        history=_log(case, at, by, "posted", reply.url),
    )


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


def now() -> datetime:
    return datetime.now(UTC)


# --- JSON: explicit and typed (bot.codec), so stored cases survive refactors and never need pickle ---


def case_to_json(case: Case) -> dict[str, Any]:
    encoded: dict[str, Any] = codec.encode(case)
    return encoded


def case_from_json(data: dict[str, Any]) -> Case:
    return codec.decode(Case, data)

"""What people do in Slack: approve, edit, reject. Fast (one Redis transaction each), so handlers
can call them right after the acknowledgement; the slow part is queued in the same transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from redis.client import Pipeline

from bot import domain
from bot.adapters.permissions import Action, Permissions, Unsure
from bot.adapters.queue import Jobs
from bot.adapters.store import CaseNotFound, CaseStore, Transition
from bot.domain import Case, State, TransitionError, conversation
from bot.domain.i18n import N_, _
from bot.drafting.offline import public_note as note_text

UNSURE = N_(
    "Checking who is in the user groups allowed to do this… try again in a moment. Nothing was changed."
)


@dataclass(frozen=True)
class Outcome:
    """The result of a user's action: `error` is a sentence for an ephemeral message or a modal."""

    case: Case | None
    error: str | None = None
    unsure: bool = False  # a user group's members were not loaded yet: load them after the ack, ask again

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class ReviewRules:
    undo_seconds: float = 30
    claim_seconds: float = 30 * 60
    edit_lock_seconds: float = 10 * 60  # an edit window left open frees the case after this


class Review:
    def __init__(
        self,
        *,
        store: CaseStore,
        jobs: Jobs,
        permissions: Permissions,
        rules: ReviewRules,
        clock: Callable[[], datetime],
    ) -> None:
        self.store = store
        self.jobs = jobs
        self.permissions = permissions
        self.rules = rules
        self.clock = clock

    def get(self, case_id: str) -> Case | None:
        return self.store.get(case_id)

    def load_groups(self) -> None:
        """Load the user groups a permission check was unsure about (calls Slack: after the ack)."""
        self.permissions.load_groups()

    def may_reject(self, case_id: str, *, by: str) -> Outcome:
        """Whether `by` may open the Reject window for this case (checked again on submit)."""
        return self._refused(case_id, by, Action.REJECT) or self._open(case_id)

    def may_regenerate(self, case_id: str, *, by: str) -> Outcome:
        return self._refused(case_id, by, Action.EDIT) or self._open(case_id)

    def _open(self, case_id: str) -> Outcome:
        case = self.store.get(case_id)
        if case is None or not case.state.is_open or case.draft is None:
            return Outcome(case, _("This case can no longer be changed."))
        return Outcome(case)

    def _refused(self, case_id: str, by: str, *actions: Action) -> Outcome | None:
        return refused(self.permissions, self.store, case_id, by, *actions)

    def approve(self, case_id: str, *, by: str, privately: bool = False) -> Outcome:
        """`privately`: "Reply privately", the draft goes to the author as a private message."""
        if refusal := self._refused(case_id, by, Action.APPROVE):
            return refusal
        undo = self.rules.undo_seconds
        return self._apply(
            case_id,
            lambda c: domain.approve(c, by=by, at=self.clock(), undo_seconds=undo, privately=privately),
            self._after_approval,
        )

    def public_note(self, case_id: str, *, by: str) -> Outcome:
        """After a private answer, draft the short public reply; it is approved like any draft."""
        if refusal := self._refused(case_id, by, Action.EDIT):
            return refusal

        def transition(case: Case) -> Case:
            language = case.triage.language if case.triage else "en"
            return conversation.public_note(case, note_text(case.post, language), by=by, at=self.clock())

        return self._apply(case_id, transition, self._deliver)

    def undo(self, case_id: str, *, by: str) -> Outcome:
        if refusal := self._refused(case_id, by, Action.UNDO):
            return refusal
        return self._apply(case_id, lambda c: domain.undo(c, by=by, at=self.clock()), self._refresh)

    def claim(self, case_id: str, *, by: str) -> Outcome:
        if refusal := self._refused(case_id, by, Action.CLAIM):
            return refusal
        seconds = self.rules.claim_seconds
        return self._apply(
            case_id, lambda c: domain.claim(c, by=by, at=self.clock(), for_seconds=seconds), self._refresh
        )

    def start_editing(self, case_id: str, *, by: str) -> Outcome:
        """The edit window opens: others see who is editing, and cannot open it at the same time."""
        if refusal := self._refused(case_id, by, Action.EDIT):
            return refusal
        seconds = self.rules.edit_lock_seconds
        return self._apply(
            case_id,
            lambda c: domain.start_editing(c, by=by, at=self.clock(), for_seconds=seconds),
            self._refresh,
        )

    def stop_editing(self, case_id: str, *, by: str) -> Outcome:
        return self._apply(case_id, lambda c: domain.stop_editing(c, by=by), self._refresh)

    def edit(
        self, case_id: str, text: str, *, by: str, version: int | None = None, approve: bool = False
    ) -> Outcome:
        if refusal := self._refused(case_id, by, Action.EDIT, *([Action.APPROVE] if approve else [])):
            return refusal

        def transition(case: Case) -> Case:
            if version is not None and case.draft is not None and case.draft.version != version:
                message = (
                    _(
                        "{who} changed this draft while you were editing. Close this window and open Edit again."
                    )
                    if case.draft.author
                    else _(
                        "Someone changed this draft while you were editing. Close this window and open Edit again."
                    )
                )
                raise TransitionError(message.format(who=f"<@{case.draft.author}>"))
            at = self.clock()
            edited = domain.stop_editing(domain.edit(case, text, by=by, at=at), by=by)
            return (
                domain.approve(edited, by=by, at=at, undo_seconds=self.rules.undo_seconds)
                if approve
                else edited
            )

        return self._apply(case_id, transition, self._after_approval)

    def request_regenerate(self, case_id: str, *, by: str, instruction: str) -> Outcome:
        """Queue a new draft (the drafter may take seconds); the card changes when it is ready."""
        if refusal := self._refused(case_id, by, Action.EDIT):
            return refusal
        case = self.store.get(case_id)
        if case is None or not case.state.is_open:
            return Outcome(case, _("This case can no longer be changed."))
        self.jobs.regenerate(case_id, by, instruction)
        return Outcome(case)

    def reject(self, case_id: str, *, by: str, reason: str) -> Outcome:
        if refusal := self._refused(case_id, by, Action.REJECT):
            return refusal
        return self._apply(
            case_id, lambda c: domain.reject(c, by=by, reason=reason, at=self.clock()), self._refresh
        )

    def _after_approval(self, case: Case, pipe: Pipeline) -> None:
        """Show the new state; when fully approved, schedule the post for the end of the undo window."""
        self.jobs.refresh(case.id, pipe)
        if case.state is State.APPROVED:
            self.jobs.publish(case.id, pipe, at=case.send_at)

    def _refresh(self, case: Case, pipe: Pipeline) -> None:
        self.jobs.refresh(case.id, pipe)

    def _deliver(self, case: Case, pipe: Pipeline) -> None:
        """A new turn of the conversation: its card goes into the thread."""
        self.jobs.refresh(case.id, pipe)
        self.jobs.deliver(case.id, pipe)

    def _apply(self, case_id: str, transition: Transition, then: Callable[[Case, Pipeline], None]) -> Outcome:
        return applied(self.store, case_id, transition, then)


def refused(
    permissions: Permissions, store: CaseStore, case_id: str, by: str, *actions: Action
) -> Outcome | None:
    """The refusal to give `by` for any of `actions`, or None when all are allowed."""
    try:
        refusal = next((r for a in actions if (r := permissions.refusal(by, a))), None)
    except Unsure:
        return Outcome(store.get(case_id), _(UNSURE), unsure=True)
    return None if refusal is None else Outcome(store.get(case_id), refusal)


def applied(
    store: CaseStore, case_id: str, transition: Transition, then: Callable[[Case, Pipeline], None]
) -> Outcome:
    """`transition` applied with `then`'s jobs in one transaction; a refusal as the Outcome's error."""
    try:
        return Outcome(store.change(case_id, transition, then=then).after)
    except TransitionError as refusal:
        return Outcome(store.get(case_id), str(refusal))
    except CaseNotFound:
        return Outcome(None, _("This case no longer exists in Parley."))

"""What people do in Slack: approve, edit, reject. Fast (one Redis transaction each), so handlers
can call them right after the acknowledgement; the slow part is queued in the same transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from redis.client import Pipeline

from bot import domain
from bot.domain import Case, TransitionError
from bot.queue import Jobs
from bot.store import CaseNotFound, CaseStore, Transition


@dataclass(frozen=True)
class Outcome:
    """The result of a user's action: `error` is a sentence for an ephemeral message or a modal."""

    case: Case | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class Review:
    def __init__(self, *, store: CaseStore, jobs: Jobs, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.jobs = jobs
        self.clock = clock

    def get(self, case_id: str) -> Case | None:
        return self.store.get(case_id)

    def approve(self, case_id: str, *, by: str) -> Outcome:
        return self._apply(case_id, lambda c: domain.approve(c, by=by, at=self.clock()), self._publish)

    def edit(
        self, case_id: str, text: str, *, by: str, version: int | None = None, approve: bool = False
    ) -> Outcome:
        def transition(case: Case) -> Case:
            if version is not None and case.draft is not None and case.draft.version != version:
                editor = f"<@{case.draft.author}>" if case.draft.author else "someone"
                raise TransitionError(
                    f"{editor} changed this draft while you were editing. Close this window and open Edit again."
                )
            edited = domain.edit(case, text, by=by, at=self.clock())
            return domain.approve(edited, by=by, at=self.clock()) if approve else edited

        return self._apply(case_id, transition, self._publish if approve else self._refresh)

    def reject(self, case_id: str, *, by: str, reason: str) -> Outcome:
        return self._apply(
            case_id, lambda c: domain.reject(c, by=by, reason=reason, at=self.clock()), self._refresh
        )

    def _publish(self, case: Case, pipe: Pipeline) -> None:
        self.jobs.refresh(case.id, pipe)  # show "approved, posting…" right away
        self.jobs.publish(case.id, pipe)

    def _refresh(self, case: Case, pipe: Pipeline) -> None:
        self.jobs.refresh(case.id, pipe)

    def _apply(self, case_id: str, transition: Transition, then: Callable[[Case, Pipeline], None]) -> Outcome:
        try:
            return Outcome(self.store.change(case_id, transition, then=then).after)
        except TransitionError as refused:
            return Outcome(self.store.get(case_id), str(refused))
        except CaseNotFound:
            return Outcome(None, "This case no longer exists in Parley.")

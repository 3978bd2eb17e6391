"""Hide and Unhide on a Facebook or Instagram comment: permission-checked like Reject, recorded in
the thread and the audit log in one transaction with the job that makes the Graph call."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from redis.client import Pipeline

from bot.adapters.permissions import Action, Permissions
from bot.adapters.queue import Jobs
from bot.adapters.store import CaseStore
from bot.domain import Case
from bot.domain import moderation as rules
from bot.services.review import Outcome, applied, refused
from connectors.base import Connector, ConnectorError, Moderation

log = logging.getLogger(__name__)

RETRY_WAIT = 60  # seconds before trying a hide again when Meta was unavailable or rate-limited


class Moderator:
    def __init__(
        self,
        *,
        permissions: Permissions,
        store: CaseStore,
        jobs: Jobs,
        connector_for: Callable[[Case], Connector],
        clock: Callable[[], datetime],
    ) -> None:
        self.permissions = permissions
        self.store = store
        self.jobs = jobs
        self.connector_for = connector_for
        self.clock = clock

    def hide(self, case_id: str, *, by: str) -> Outcome:
        return self._decide(case_id, by, lambda c: rules.hide(c, by=by, at=self.clock()), hidden=True)

    def unhide(self, case_id: str, *, by: str) -> Outcome:
        return self._decide(case_id, by, lambda c: rules.unhide(c, by=by, at=self.clock()), hidden=False)

    def _decide(self, case_id: str, by: str, transition: Callable[[Case], Case], *, hidden: bool) -> Outcome:
        if refusal := refused(self.permissions, self.store, case_id, by, Action.REJECT):
            return refusal

        def then(case: Case, pipe: Pipeline) -> None:
            self.jobs.refresh(case.id, pipe)
            self.jobs.moderate(case.id, hidden, pipe)

        return applied(self.store, case_id, transition, then)

    def perform(self, case_id: str, hidden: bool) -> None:
        """The Graph call (the job): hide or show the comment; a failure is logged in the thread."""
        case = self.store.require(case_id)
        if rules.is_hidden(case) != hidden:
            return  # undone meanwhile: the later decision's own job does the right thing
        connector = self.connector_for(case)
        try:
            if not isinstance(connector, Moderation):
                raise ConnectorError(f"{case.post.network.label} comments cannot be hidden by Parley.")
            connector.set_hidden(case.post, hidden)
        except ConnectorError as error:
            log.warning("case %s: %s failed (%s)", case_id, "hiding" if hidden else "unhiding", error.kind)
            action, said = "hide_failed" if hidden else "unhide_failed", error.message
            self.store.change(
                case_id,
                lambda c: rules.log(c, "parley", action, said, at=self.clock()),
                then=lambda c, pipe: self.jobs.refresh(c.id, pipe),
            )
            if error.retryable:
                self.jobs.moderate(
                    case_id, hidden, at=error.retry_at or self.clock() + timedelta(seconds=RETRY_WAIT)
                )

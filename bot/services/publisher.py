"""Publishing an approved reply on its network, exactly once.

1. Claim the case (approved → publishing) in a Redis transaction: concurrent jobs lose the claim.
2. If an earlier attempt was made (a crash, a timeout after the request left), look on the network
   for our reply first; only when it is not there, post.
3. Record the outcome, and queue the Slack refresh in the same transaction.
Retryable failures are rescheduled at the time the network asks for (rate-limit reset) or with
a growing back-off; final ones are shown in the thread and wait for a person.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from redis.client import Pipeline

from bot import domain
from bot.adapters.metrics import Metrics
from bot.adapters.queue import Jobs
from bot.adapters.store import CaseStore
from bot.domain import Case, Failure, Reply, State, TransitionError
from bot.domain.i18n import _
from bot.drafting.answer_book import AnswerBook
from connectors.base import Connector, ConnectorError, PrivateReplies, Refused

log = logging.getLogger(__name__)

BACKOFF = (30, 120, 600, 1800)  # seconds before attempt 2, 3, 4, 5
MAX_ATTEMPTS = len(BACKOFF) + 1
RATE_LIMIT_FALLBACK = 900  # X's 15-minute window, when a 429 carries no usable reset time
# Seconds before looking again at a case whose earlier attempt still runs: a little more than a
# running job's heartbeat lasts (bot.app.processes), so a killed worker's attempt has ended by then.
STILL_RUNNING_WAIT = 8


def idempotency_key(case: Case) -> str:
    """The same for every attempt at one text of one case, so a network that honours it (Mastodon's
    Idempotency-Key) keeps one reply however many attempts reach it; a new text gets a new key."""
    version = case.draft.version if case.draft is not None else 0
    return f"parley-{case.id}-v{version}"


class Publisher:
    def __init__(
        self,
        *,
        metrics: Metrics,
        answers: AnswerBook,
        store: CaseStore,
        jobs: Jobs,
        sources: Mapping[str, Connector],
        lease_seconds: int,
        clock: Callable[[], datetime],
    ) -> None:
        self.metrics = metrics
        self.answers = answers
        self.store = store
        self.jobs = jobs
        self.sources = sources
        self.lease_seconds = lease_seconds
        self.clock = clock

    def connector_for(self, case: Case) -> Connector:
        if case.source in self.sources:
            return self.sources[case.source]
        candidates = [c for c in self.sources.values() if c.network is case.post.network]
        for connector in candidates:
            if connector.account == case.post.account:
                return connector
        if candidates:
            return candidates[0]
        raise LookupError(f"No {case.post.network.label} account is configured to answer {case.id}.")

    def publish(self, case_id: str) -> Case:
        current = self.store.require(case_id)
        if current.state is State.PUBLISHING and self.jobs.running(
            case_id, "publish", besides=self.jobs.current_id()
        ):
            # Whatever the lease says, the earlier attempt may still land: never send a second one.
            log.warning("case %s: an earlier publish attempt is still running; looking again later", case_id)
            self.jobs.publish(case_id, at=self.clock() + timedelta(seconds=STILL_RUNNING_WAIT))
            return current
        try:
            case = self.store.change(
                case_id, lambda c: domain.start_publish(c, at=self.clock(), lease_seconds=self.lease_seconds)
            ).after
        except TransitionError as not_now:
            log.info("case %s not published: %s", case_id, not_now)
            case = self.store.require(case_id)
            wait_until = _waiting_until(case, self.clock())
            if wait_until is not None:  # too early (undo window, rate limit): come back on time
                self.jobs.publish(case_id, at=wait_until)
            return case
        assert case.draft is not None
        connector = self.connector_for(case)
        try:
            reply = self._send(case, connector, case.draft.text)
        except ConnectorError as error:
            self.metrics.api_call(case.post.network.value, "reply", error.kind)
            return self._failed(case, error)
        self.metrics.api_call(case.post.network.value, "reply", "ok")
        self.metrics.time_to_reply((reply.posted_at - case.post.created_at).total_seconds())
        return self._posted(case, reply)

    def _send(self, case: Case, connector: Connector, text: str) -> Reply:
        """Post `text` where the case asks (publicly, or privately to the author), unless an
        earlier attempt already did."""
        if case.privately:
            if not isinstance(connector, PrivateReplies):
                raise Refused(
                    _("{network} cannot send private messages from Parley.").format(
                        network=case.post.network.label
                    )
                )
            find, send = connector.find_private_reply, connector.reply_privately
        else:
            find, send = connector.find_reply, connector.reply
        reply = find(case.post, text) if case.publish_attempts > 1 else None
        if reply is not None:
            log.warning(
                "case %s: reply %s was already on %s; not posting again", case.id, reply.id, case.post.network
            )
            return reply
        return send(case.post, text, idempotency_key=idempotency_key(case))

    def _posted(self, case: Case, reply: Reply) -> Case:
        """Record the reply: a fact, whatever happened to the case meanwhile (bot.domain.mark_posted).
        The messages that waited for it, if any, become the next turn: delivered at once."""

        def then(c: Case, pipe: Pipeline) -> None:
            self.jobs.refresh(c.id, pipe)
            if c.state is State.RECEIVED:
                self.jobs.deliver(c.id, pipe)

        change = self.store.change(
            case.id, lambda c: domain.mark_posted(c, reply, at=self.clock(), to=case.post.id), then=then
        )
        if change.after.history and change.after.history[-1].action == "duplicate" and change.changed:
            log.error("case %s: posted twice on the network: %s", case.id, change.after.history[-1].detail)
        elif (
            change.changed
        ):  # the team's answers feed the next drafts (as posted: the case may have moved on)
            self.answers.record(replace(case, state=State.POSTED, reply=reply))
        return change.after

    def _failed(self, case: Case, error: ConnectorError) -> Case:
        now = self.clock()
        retry_at: datetime | None = None
        if error.retryable and case.publish_attempts < MAX_ATTEMPTS:
            if error.retry_at is not None:
                retry_at = max(error.retry_at, now + timedelta(seconds=1))
            elif error.kind == "rate_limited":
                retry_at = now + timedelta(seconds=RATE_LIMIT_FALLBACK)
            else:
                retry_at = now + timedelta(seconds=BACKOFF[case.publish_attempts - 1])
        failure = Failure(
            kind=error.kind,
            message=_explain(error, retry_at),
            retryable=retry_at is not None,
            retry_at=retry_at,
        )

        def then(c: Case, pipe: Pipeline) -> None:
            self.jobs.refresh(c.id, pipe)
            if retry_at is not None:
                self.jobs.publish(c.id, pipe, at=retry_at)

        log.warning("case %s: posting failed (%s): %s", case.id, error.kind, error.message)
        try:
            return self.store.change(
                case.id, lambda c: domain.mark_failed(c, failure, at=now), then=then
            ).after
        except TransitionError as moot:  # an earlier attempt's success was recorded meanwhile
            log.info("case %s: failure not recorded: %s", case.id, moot)
            return self.store.require(case.id)


def _waiting_until(case: Case, now: datetime) -> datetime | None:
    """When an approved case may be published, if that is still ahead."""
    if case.state is not State.APPROVED:
        return None
    times = [t for t in (case.send_at, case.failure.retry_at if case.failure else None) if t and t > now]
    return max(times) if times else None


def _explain(error: ConnectorError, retry_at: datetime | None) -> str:
    message = error.message.rstrip(".") + "."
    if retry_at is not None:
        return f"{message} " + _("Parley will try again at {time} UTC.").format(time=f"{retry_at:%H:%M}")
    if error.retryable:
        gave_up = _("Parley gave up after {count} attempts; approve again to retry.")
        return f"{message} " + gave_up.format(count=MAX_ATTEMPTS)
    return message

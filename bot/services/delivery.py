"""Delivery: draft a reply, route the case to a channel, post it, and put the draft card in its thread.

Every step is skipped when already done, so the job can be retried or re-run after a crash.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

from blocks.case_message import parent_message
from blocks.conversation import earlier_card, follow_up_message
from bot import domain
from bot.adapters import keys
from bot.adapters.metrics import Metrics
from bot.adapters.queue import JOB_TIMEOUT, Jobs
from bot.adapters.slack import MessageGone, Renderable, SlackBusy, SlackGateway
from bot.adapters.store import CaseStore, Transition
from bot.domain import Case, SlackRefs, TransitionError, slack_part_posted, with_draft, with_slack
from bot.domain.conversation import conversation_so_far, turn_parts
from bot.domain.reviews import with_rating
from bot.domain.risk import RiskRules, risk_reasons
from bot.drafting.base import Brief, Drafter
from bot.drafting.voice import Voice
from bot.services.cards import card

log = logging.getLogger(__name__)

BACK_OFF = 3.0  # seconds before a job that found another one posting the same part looks again


class AnotherJobPosting(SlackBusy):
    """Another job is posting this part right now: run again later (it will be done by then)."""

    def __init__(self, wait: float) -> None:
        Exception.__init__(self, f"another job is posting this part: retry in {wait:.0f} s")
        self.wait = wait


def _recorded(case: Case, part: str) -> bool:
    """Whether `part` of the case is already in Slack (an earlier turn's part counts as done)."""
    refs = case.slack
    assert refs is not None
    message, card_part = turn_parts(case.turn)
    if part == "parent":
        return refs.parent_ts is not None
    if part == message:
        return case.message_ts is not None
    return refs.card_ts is not None if part == card_part else True


def _taken_by(case: Case, at: datetime) -> str | None:
    """Who the follow-up is for: whoever holds the case, else whoever answered last."""
    answered = next((t.answered_by for t in reversed(case.earlier) if t.answered_by), None)
    return case.claimed_by(at) or case.assignee or answered


class Delivery:
    def __init__(
        self,
        *,
        metrics: Metrics,
        jobs: Jobs,
        store: CaseStore,
        slack: SlackGateway,
        drafter: Drafter,
        router: Callable[[Case], str],
        risk: RiskRules,
        voice: Voice,
        clock: Callable[[], datetime],
    ) -> None:
        self.metrics = metrics
        self.jobs = jobs
        self.store = store
        self.slack = slack
        self.drafter = drafter
        self.router = router
        self.risk = risk
        self.voice = voice
        self.clock = clock

    def deliver(self, case_id: str) -> Case:
        """Bring the case's current turn to Slack: for a follow-up, the message in the thread first
        (the team sees it while the draft is written), then the draft, then its card."""
        case = self.store.require(case_id)
        if not case.state.is_open:
            return case
        turn_shown = case.slack is not None and case.slack.card_ts is not None  # a re-run: all done
        if case.turn and case.slack is not None and case.slack.parent_ts is not None and not turn_shown:
            case = self._show_follow_up(case)
        if case.draft is None:
            # Before routing a first message, because routing may depend on the draft's triage.
            case = self._draft(case)
        if case.slack is None:
            routed = SlackRefs(channel=self.router(case))
            case = self._change(case_id, lambda c: c if c.slack else with_slack(c, routed, self.clock()))
        assert case.slack is not None
        if case.slack.parent_ts is None:
            case = self._post_part(case_id, "parent")
        if case.turn and case.message_ts is None:
            case = self._show_follow_up(case)
        if case.slack is not None and case.slack.card_ts is None and case.draft is not None:
            case = self._post_part(case_id, turn_parts(case.turn)[1])
            if case.turn and case.slack is not None and case.slack.parent_ts is not None:
                with contextlib.suppress(MessageGone):  # the parent says the case waits for approval again
                    self.slack.update(case.slack.channel, case.slack.parent_ts, parent_message(case))
        return case

    def _draft(self, case: Case) -> Case:
        brief = Brief(conversation=conversation_so_far(case))
        proposal = self.drafter.propose(case.post, brief)  # slow: LLM or offline drafter
        triage = with_rating(case.post, proposal.triage)  # a 1- or 2-star review is urgent
        risk = risk_reasons(case.post, triage, self.risk)
        answering = case.post.id

        def attach(c: Case) -> Case:
            if c.post.id != answering:  # a follow-up came meanwhile: its own delivery drafts for it
                return c
            return with_draft(c, triage, proposal.draft, self.clock(), risk=risk, similar=proposal.similar)

        return self._change(case.id, attach)

    def _show_follow_up(self, case: Case) -> Case:
        """Post the follow-up in the thread (once), mark the card it replaces, update the parent."""
        if case.message_ts is None:
            case = self._post_part(case.id, turn_parts(case.turn)[0])
        refs = case.slack
        assert refs is not None and refs.parent_ts is not None
        replaced = case.earlier[-1] if case.earlier else None
        with contextlib.suppress(MessageGone):  # deleted in Slack: nothing left to mark
            if replaced is not None and replaced.card_ts is not None:
                self.slack.update(refs.channel, replaced.card_ts, earlier_card(replaced))
            self.slack.update(refs.channel, refs.parent_ts, parent_message(case))
        return case

    def regenerate(self, case_id: str, *, by: str, instruction: str) -> Case:
        """A new draft on the team's request; the card and thread are refreshed with it."""
        case = self.store.require(case_id)
        if not case.state.is_open:
            return case
        proposal = self.drafter.propose(
            case.post, Brief(instruction=instruction, conversation=conversation_so_far(case))
        )  # slow
        try:
            return self.store.change(
                case_id,
                lambda c: domain.regenerate(
                    c, proposal.draft, by=by, at=self.clock(), instruction=instruction
                ),
                then=lambda c, pipe: self.jobs.refresh(c.id, pipe),
            ).after
        except TransitionError:  # approved or closed meanwhile: keep what the team decided
            return self.store.require(case_id)

    def _change(self, case_id: str, transition: Transition) -> Case:
        return self.store.change(case_id, transition).after

    def _post_part(self, case_id: str, part: str) -> Case:
        """Post the case's parent or card, as the one job that owns this part until it is recorded:
        any other job (a retry, the sweeper's) backs off and comes back to find it done."""
        claim, owner = keys.slack_claim(case_id, part), self.jobs.holder()
        if not self.store.claim(claim, owner, ttl=JOB_TIMEOUT, gone=self.jobs.holder_gone):
            raise AnotherJobPosting(BACK_OFF)
        try:
            case = self.store.require(case_id)  # fresh: the part may have been posted meanwhile
            refs = case.slack
            assert refs is not None
            if _recorded(case, part):
                return case
            permalink = None
            if part == "parent":
                ts = self._post_once(case, part, parent_message(case), thread_ts=None)
                permalink = self.slack.permalink(refs.channel, ts)
                self.metrics.time_to_slack((self.clock() - case.post.created_at).total_seconds())
            elif part == turn_parts(case.turn)[0]:
                message = follow_up_message(case, notify=_taken_by(case, self.clock()))
                ts = self._post_once(case, part, message, thread_ts=refs.parent_ts)
                self.metrics.time_to_slack((self.clock() - case.post.created_at).total_seconds())
            else:
                ts = self._post_once(case, part, card(case, self.voice), thread_ts=refs.parent_ts)
            return self._change(
                case_id, lambda c: slack_part_posted(c, part, ts, at=self.clock(), permalink=permalink)
            )
        finally:
            self.store.release(claim, owner)

    def _post_once(self, case: Case, part: str, message: Renderable, *, thread_ts: str | None) -> str:
        assert case.slack is not None
        attempt = keys.slack_attempt(case.id, part)
        if self.store.redis.exists(attempt):
            # An earlier attempt got as far as sending: find its message rather than post again.
            found = self.slack.find_posted(
                case.slack.channel, case_id=case.id, part=part, thread_ts=thread_ts
            )
            if found:
                log.info("case %s: found the %s already posted at %s", case.id, part, found)
                return found
        marked = False

        def mark() -> None:
            nonlocal marked
            marked = self.store.first_time(attempt, ttl=7 * 24 * 3600)

        try:
            return self.slack.post(
                case.slack.channel,
                message,
                case_id=case.id,
                part=part,
                thread_ts=thread_ts,
                # Marked only once the send is allowed: a postponed job has sent nothing to look for.
                before=mark,
            )
        except SlackBusy:
            if marked:  # a 429: Slack posted nothing, so leave no sign that it might have
                self.store.redis.delete(attempt)
            raise

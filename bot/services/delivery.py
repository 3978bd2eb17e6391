"""Delivery: forward a case to Slack, draft a reply, and put the draft card in the thread.

Every step is skipped when already done, so the job can be retried or re-run after a crash.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from bot import keys
from bot.domain import Case, with_draft, with_slack
from bot.drafting.base import Drafter
from bot.slack import Renderable, SlackGateway
from bot.store import CaseStore
from handlers.blocks.case_message import parent_message
from handlers.blocks.draft_card import draft_card

log = logging.getLogger(__name__)


class Delivery:
    def __init__(
        self,
        *,
        store: CaseStore,
        slack: SlackGateway,
        drafter: Drafter,
        clock: Callable[[], datetime],
    ) -> None:
        self.store = store
        self.slack = slack
        self.drafter = drafter
        self.clock = clock

    def deliver(self, case_id: str) -> Case:
        case = self.store.require(case_id)
        if not case.state.is_open or case.slack is None:
            return case
        if case.slack.parent_ts is None:
            ts = self._post_once(case, "parent", parent_message(case), thread_ts=None)
            link = self.slack.permalink(case.slack.channel, ts)
            posted = replace(case.slack, parent_ts=ts, permalink=link)
            case = self.store.change(case_id, lambda c: with_slack(c, posted, self.clock())).after
        if case.draft is None:
            proposal = self.drafter.propose(case.post)  # slow: LLM or offline drafter
            case = self.store.change(
                case_id, lambda c: with_draft(c, proposal.triage, proposal.draft, self.clock())
            ).after
        refs = case.slack
        assert refs is not None and refs.parent_ts is not None
        channel, parent_ts = refs.channel, refs.parent_ts
        if refs.card_ts is None:
            ts = self._post_once(case, "card", draft_card(case), thread_ts=parent_ts)
            carded = replace(refs, card_ts=ts)
            case = self.store.change(case_id, lambda c: with_slack(c, carded, self.clock())).after
        # The parent was posted before triage and drafting: show the status they bring.
        self.slack.update(channel, parent_ts, parent_message(case))
        return case

    def _post_once(self, case: Case, part: str, message: Renderable, *, thread_ts: str | None) -> str:
        assert case.slack is not None
        if not self.store.first_time(keys.slack_attempt(case.id, part), ttl=7 * 24 * 3600):
            # An earlier attempt got as far as posting: find its message rather than post again.
            found = self.slack.find_posted(
                case.slack.channel, case_id=case.id, part=part, thread_ts=thread_ts
            )
            if found:
                log.info("case %s: found the %s already posted at %s", case.id, part, found)
                return found
        return self.slack.post(case.slack.channel, message, case_id=case.id, part=part, thread_ts=thread_ts)

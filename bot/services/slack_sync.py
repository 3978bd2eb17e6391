"""Keep a case's Slack messages in step with its state, and narrate each action in the thread."""

from __future__ import annotations

import logging
from datetime import timedelta

from redis.client import Pipeline

from blocks.activity import activity_line
from blocks.case_message import parent_message
from bot.adapters import keys
from bot.adapters.queue import Jobs
from bot.adapters.slack import MessageGone, SlackBusy, SlackGateway
from bot.adapters.store import CaseStore
from bot.domain import Case, now, slack_message_gone
from bot.drafting.voice import Voice
from bot.services.cards import card

log = logging.getLogger(__name__)

# Activities worth a line in the thread; "forwarded" and "drafted" are visible in the messages themselves.
NARRATED = frozenset(
    {
        "edited",
        "approved",
        "undone",
        "claimed",
        "regenerated",
        "reminded",
        "posted",
        "sent_privately",
        "public_note",
        "failed",
        "rejected",
        "duplicate",
        "hidden",  # Facebook and Instagram moderation (bot.domain.moderation)
        "unhidden",
        "hide_failed",
        "unhide_failed",
    }
)


HOME_REFRESH_EVERY = 5  # seconds


class SlackSync:
    def __init__(self, *, store: CaseStore, slack: SlackGateway, jobs: Jobs, voice: Voice) -> None:
        self.voice = voice
        self.store = store
        self.slack = slack
        self.jobs = jobs

    def refresh(self, case_id: str) -> Case:
        case = self.store.require(case_id)
        refs = case.slack
        if refs is None or refs.parent_ts is None:
            return case  # not delivered yet: delivery renders the current state itself
        part = "parent"
        try:
            self.slack.update(refs.channel, refs.parent_ts, parent_message(case))
            part = "card"
            if refs.card_ts is not None:
                self.slack.update(refs.channel, refs.card_ts, card(case, self.voice))
        except MessageGone:
            return self._gone(case.id, part)
        for index, activity in enumerate(case.history):
            # Marked before posting: a lost line is better than the same line twice.
            key = keys.note(case.id, index)
            if activity.action in NARRATED and self.store.first_time(key, ttl=30 * 24 * 3600):
                try:
                    self.slack.note(refs.channel, refs.parent_ts, activity_line(activity, case))
                except SlackBusy:
                    self.store.redis.delete(key)  # not sent: the rescheduled job sends it
                    raise
        if self.store.first_time(keys.lock("home-refresh"), ttl=HOME_REFRESH_EVERY):
            # At most one Home refresh per few seconds, whatever the number of cases changing.
            self.jobs.refresh_homes(at=now() + timedelta(seconds=HOME_REFRESH_EVERY))
        return case

    def _gone(self, case_id: str, part: str) -> Case:
        """Someone deleted the part in Slack: record it; an open case is forwarded again."""
        log.warning("case %s: its Slack %s was deleted", case_id, part)

        def then(case: Case, pipe: Pipeline) -> None:
            if case.slack is not None and case.slack.parent_ts is None:
                # Forget the old messages' traces, so delivery posts anew instead of looking for them.
                pipe.delete(*(keys.slack_attempt(case.id, p) for p in ("parent", "card")))
                self.jobs.deliver(case.id, pipe)

        return self.store.change(case_id, lambda c: slack_message_gone(c, part, at=now()), then=then).after

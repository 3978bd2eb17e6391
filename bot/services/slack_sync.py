"""Keep a case's Slack messages in step with its state, and narrate each action in the thread."""

from __future__ import annotations

from datetime import timedelta

from blocks.activity import activity_line
from blocks.case_message import parent_message
from bot.adapters import keys
from bot.adapters.queue import Jobs
from bot.adapters.slack import SlackBusy, SlackGateway
from bot.adapters.store import CaseStore
from bot.domain import Case, now
from bot.drafting.voice import Voice
from bot.services.cards import card

# Activities worth a line in the thread; "forwarded" and "drafted" are visible in the messages themselves.
NARRATED = frozenset(
    {"edited", "approved", "undone", "claimed", "regenerated", "reminded", "posted", "failed", "rejected"}
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
        self.slack.update(refs.channel, refs.parent_ts, parent_message(case))
        if refs.card_ts is not None:
            self.slack.update(refs.channel, refs.card_ts, card(case, self.voice))
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

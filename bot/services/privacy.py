"""People's words are kept only as long as needed: retention of closed cases, and erasure on request.

`expire()` deletes closed conversations older than the retention period (PARLEY_RETENTION_DAYS):
the case with every message and draft, the keys that file its follow-ups, its examples in the
answer book. `forget(network, handle)` erases everything held about one person the same way and
replaces the text of their case's Slack messages with "removed on request". The audit log keeps
who did what and when, which holds no message text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from blocks.conversation import removed_message
from bot.adapters.slack import MessageGone, SlackGateway
from bot.adapters.store import CaseStore
from bot.domain import Case, Network
from bot.drafting.answer_book import AnswerBook

log = logging.getLogger(__name__)


@dataclass
class Forgotten:
    """What `forget` removed, to tell the person who asked."""

    cases: list[str] = field(default_factory=list)
    slack_messages: int = 0
    answers: int = 0


class Privacy:
    def __init__(
        self,
        *,
        store: CaseStore,
        answers: AnswerBook,
        slack: SlackGateway,
        retention_days: int,
        clock: Callable[[], datetime],
    ) -> None:
        self.store = store
        self.answers = answers
        self.slack = slack
        self.retention = timedelta(days=retention_days)
        self.clock = clock

    def expire(self) -> int:
        """Erase the closed cases whose last activity is older than the retention period."""
        cutoff = self.clock() - self.retention
        expired = [c for c in self.store.all_cases() if not c.state.is_open and c.last_activity < cutoff]
        for case in expired:
            self.store.erase(case)
        self.answers.erase({c.id for c in expired})
        if expired:
            log.info(
                "retention: erased %d closed cases older than %d days", len(expired), self.retention.days
            )
        return len(expired)

    def forget(self, network: Network, handle: str) -> Forgotten:
        """Erase every case of `handle` on `network`, and their text in Slack."""
        wanted = _bare(handle)
        theirs = [
            c
            for c in self.store.all_cases()
            if c.post.network is network and any(_bare(p.author.handle) == wanted for p in c.posts)
        ]
        done = Forgotten()
        for case in theirs:
            done.slack_messages += self._blank_in_slack(case)
            self.store.erase(case)
            done.cases.append(case.id)
        done.answers = self.answers.erase(set(done.cases))
        return done

    def _blank_in_slack(self, case: Case) -> int:
        refs = case.slack
        if refs is None:
            return 0
        stamps = [
            refs.parent_ts,
            refs.card_ts,
            case.message_ts,
            *(ts for t in case.earlier for ts in (t.card_ts, t.message_ts)),
        ]
        blanked = 0
        for ts in dict.fromkeys(ts for ts in stamps if ts):
            try:
                self.slack.update(refs.channel, ts, removed_message())
                blanked += 1
            except MessageGone:
                continue
        return blanked


def _bare(handle: str) -> str:
    return handle.strip().removeprefix("@").removeprefix("u/").casefold()

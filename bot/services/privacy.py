"""People's words are kept only as long as needed: retention of closed cases, and erasure on request.

`expire()` deletes closed conversations older than the retention period (PARLEY_RETENTION_DAYS):
the case with every message and draft, the keys that file its follow-ups, its examples in the
answer book. `forget(network, handle)` erases everything held about one person the same way and
replaces the text of their case's Slack messages with "removed on request". The audit log keeps
who did what and when, which holds no message text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from blocks.conversation import removed_message
from bot.adapters import keys
from bot.adapters.slack import MessageGone, SlackGateway
from bot.adapters.store import CaseStore
from bot.domain import Case, Network
from bot.domain.conversation import index_keys, turn_parts
from bot.domain.text import as_text
from bot.drafting.answer_book import AnswerBook

log = logging.getLogger(__name__)

SCAN_BATCH = 500


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
        expired = [c for c in self._cases() if not c.state.is_open and _last_activity(c) < cutoff]
        for case in expired:
            self._erase(case)
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
            for c in self._cases()
            if c.post.network is network and any(_bare(p.author.handle) == wanted for p in c.posts)
        ]
        done = Forgotten()
        for case in theirs:
            done.slack_messages += self._blank_in_slack(case)
            self._erase(case)
            done.cases.append(case.id)
        done.answers = self.answers.erase(set(done.cases))
        return done

    def _cases(self) -> Iterator[Case]:
        start = 0
        while True:
            ids = [as_text(i) for i in self.store.redis.zrange(keys.ALL_CASES, start, start + SCAN_BATCH - 1)]
            yield from self.store.many(ids)
            if len(ids) < SCAN_BATCH:
                return
            start += SCAN_BATCH

    def _erase(self, case: Case) -> None:
        parts = ["parent", *(p for turn in range(case.turn + 1) for p in turn_parts(turn))]
        with self.store.redis.pipeline() as pipe:
            pipe.delete(keys.case(case.id))
            pipe.zrem(keys.OPEN_CASES, case.id)
            pipe.zrem(keys.ALL_CASES, case.id)
            for key in index_keys(case):
                pipe.delete(keys.conversation(key))
            for part in parts:
                pipe.delete(keys.slack_attempt(case.id, part), keys.slack_claim(case.id, part))
            pipe.execute()

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


def _last_activity(case: Case) -> datetime:
    return case.history[-1].at if case.history else case.received_at

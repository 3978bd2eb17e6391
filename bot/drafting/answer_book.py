"""The team's posted replies, kept in Redis and searched in memory (bot.history.AnswerIndex).

Every posted reply is appended (as JSON) with the question it answered. Each process keeps an
index and reads only the answers added since it last looked, so a search costs no Redis round
trip beyond one LLEN.
"""

from __future__ import annotations

import hashlib
import json
import threading

import redis

from bot.adapters import keys
from bot.domain import Case, Similar, codec
from bot.drafting.past_answers import AnswerIndex, PastAnswer, Suggestion


class AnswerBook:
    def __init__(self, client: redis.Redis) -> None:
        self.redis = client
        self._index = AnswerIndex()
        self._seen = 0
        self._lock = threading.Lock()

    def record(self, case: Case) -> None:
        """Remember a posted reply with its question; called once per posted case."""
        if case.reply is None or case.draft is None:
            return
        url = case.slack.permalink if case.slack and case.slack.permalink else case.reply.url
        answer = PastAnswer(
            question=f"{case.post.title or ''} {case.post.text}".strip(),
            answer=case.draft.text,
            network=case.post.network.value,
            language=case.triage.language if case.triage else "",
            url=url,
            answered_at=case.reply.posted_at,
        )
        with self.redis.pipeline() as pipe:
            pipe.rpush(keys.ANSWERS, json.dumps(codec.encode(answer), ensure_ascii=False))
            pipe.sadd(keys.POSTED_TEXTS, _fingerprint(case.post.network.value, case.draft.text))
            pipe.execute()

    def posted_before(self, network: str, text: str) -> bool:
        """Whether this exact reply text was already posted on `network` (X refuses it a second time)."""
        return bool(self.redis.sismember(keys.POSTED_TEXTS, _fingerprint(network, text)))

    def suggest(self, question: str, *, language: str | None, k: int = 3) -> list[Suggestion]:
        with self._lock:
            total = int(self.redis.llen(keys.ANSWERS))
            if total > self._seen:
                for raw in self.redis.lrange(keys.ANSWERS, self._seen, total - 1):
                    self._index.add(codec.decode(PastAnswer, json.loads(raw)))
                self._seen = total
            return self._index.suggest(question, language=language, k=k) if self._seen else []


def _fingerprint(network: str, text: str) -> str:
    return network + ":" + hashlib.sha256(" ".join(text.split()).casefold().encode()).hexdigest()


def as_similar(suggestion: Suggestion) -> Similar:
    answer = suggestion.answer
    return Similar(text=answer.answer, url=answer.url, answered_at=answer.answered_at)

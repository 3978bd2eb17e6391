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
from bot.domain.text import as_text
from bot.drafting.past_answers import AnswerIndex, PastAnswer, Suggestion

_ERASED = "null"


class AnswerBook:
    def __init__(self, client: redis.Redis) -> None:
        self.redis = client
        self._index = AnswerIndex()
        self._seen = 0
        self._generation: object = None
        self._lock = threading.Lock()

    def record(self, case: Case) -> None:
        """Remember a posted reply with its question; called once per posted case."""
        if case.reply is None or case.draft is None or case.private or case.privately:
            return  # a private conversation is never an example for someone else's draft
        url = case.slack.permalink if case.slack and case.slack.permalink else case.reply.url
        answer = PastAnswer(
            question=f"{case.post.title or ''} {case.post.text}".strip(),
            answer=case.draft.text,
            network=case.post.network.value,
            language=case.triage.language if case.triage else "",
            url=url,
            answered_at=case.reply.posted_at,
            case_id=case.id,
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
            with self.redis.pipeline(transaction=False) as pipe:
                pipe.llen(keys.ANSWERS)
                pipe.get(keys.ANSWERS_ERASED)
                total, generation = pipe.execute()
            if generation != self._generation:  # answers were erased: index again from the start
                self._index, self._seen, self._generation = AnswerIndex(), 0, generation
            if int(total) > self._seen:
                for raw in self.redis.lrange(keys.ANSWERS, self._seen, int(total) - 1):
                    if as_text(raw) != _ERASED:
                        self._index.add(codec.decode(PastAnswer, json.loads(raw)))
                self._seen = int(total)
            return self._index.suggest(question, language=language, k=k) if self._seen else []

    def erase(self, case_ids: set[str]) -> int:
        """Blank the answers of these cases (their positions stay, so every process's count of what
        it has read stays right) and make every process index the rest again."""
        if not case_ids:
            return 0
        stored = self.redis.lrange(keys.ANSWERS, 0, -1)
        theirs = [
            position
            for position, raw in enumerate(stored)
            if as_text(raw) != _ERASED and json.loads(raw).get("case_id") in case_ids
        ]
        if theirs:
            with self.redis.pipeline() as pipe:  # one round trip, and the re-index signal with it
                for position in theirs:
                    pipe.lset(keys.ANSWERS, position, _ERASED)
                pipe.incr(keys.ANSWERS_ERASED)
                pipe.execute()
        return len(theirs)


def _fingerprint(network: str, text: str) -> str:
    return network + ":" + hashlib.sha256(" ".join(text.split()).casefold().encode()).hexdigest()


def as_similar(suggestion: Suggestion) -> Similar:
    answer = suggestion.answer
    return Similar(text=answer.answer, url=answer.url, answered_at=answer.answered_at)

"""Cases, cursors and small flags in Redis, as JSON.

State changes go through :meth:`CaseStore.change`: an optimistic WATCH/MULTI transaction that
reads the case, applies a pure transition from :mod:`bot.domain`, and writes the result together
with whatever jobs the caller wants enqueued, so a state change and its follow-up job are never
separated by a crash.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TypeVar

import redis
from redis.client import Pipeline
from redis.exceptions import WatchError
from redis.lock import Lock

from bot.adapters import audit, keys
from bot.domain import Activity, Case, case_from_json, case_to_json
from bot.domain.conversation import index_keys, lookup_keys, turn_parts
from bot.domain.text import as_text

T = TypeVar("T")
Transition = Callable[[Case], Case]
AfterWrite = Callable[[Case, Pipeline], object]


class CaseNotFound(LookupError):
    pass


@dataclass(frozen=True)
class Change:
    before: Case
    after: Case

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _dump(case: Case) -> str:
    return json.dumps(case_to_json(case), ensure_ascii=False, separators=(",", ":"))


def _load(raw: bytes | str) -> Case:
    return case_from_json(json.loads(raw))


class CaseStore:
    def __init__(self, client: redis.Redis) -> None:
        self.redis = client

    # --- cases ---

    def add(self, case: Case, *, then: AfterWrite | None = None) -> bool:
        """Store a new case; False when a case with that id exists (the post was seen before)."""
        key = keys.case(case.id)

        def attempt(pipe: Pipeline) -> bool:
            if pipe.exists(key):
                return False
            pipe.multi()
            self._write(pipe, case, case.history)
            pipe.zadd(keys.ALL_CASES, {case.id: case.received_at.timestamp()})
            if then is not None:
                then(case, pipe)
            return True

        return self._transact(key, attempt)

    def file(self, case: Case, *, follow: Callable[..., Case], then: AfterWrite) -> bool:
        """Store a new case, or apply `follow(existing, post=...)` to the case its post's conversation
        is filed under: one atomic decision, so two posts of a new conversation arriving together
        make one case. False when nothing changed (the post was seen before)."""
        lookup = [keys.conversation(k) for k in lookup_keys(case.post)]
        owner: str | None = None
        with self.redis.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(keys.case(case.id), *lookup)  # type: ignore[no-untyped-call]
                    if pipe.exists(keys.case(case.id)):
                        return False
                    owner = next((as_text(o) for o in pipe.mget(lookup) if o is not None), None)
                    if owner is not None:
                        pipe.reset()
                        return self.change(owner, partial(follow, post=case.post), then=then).changed
                    pipe.multi()
                    self._write(pipe, case, case.history)
                    pipe.zadd(keys.ALL_CASES, {case.id: case.received_at.timestamp()})
                    then(case, pipe)
                    pipe.execute()
                    return True
                except redis.WatchError:
                    continue
                except CaseNotFound:  # its case was erased (retention, forget): file the post anew
                    self.redis.delete(*(k for k in lookup if as_text(self.redis.get(k) or b"") == owner))

    def get(self, case_id: str) -> Case | None:
        raw = self.redis.get(keys.case(case_id))
        return _load(raw) if raw is not None else None

    def require(self, case_id: str) -> Case:
        case = self.get(case_id)
        if case is None:
            raise CaseNotFound(case_id)
        return case

    def change(self, case_id: str, transition: Transition, *, then: AfterWrite | None = None) -> Change:
        """Apply `transition` atomically; `then` queues extra writes (jobs) in the same transaction.

        `transition` may raise `TransitionError`; nothing is written then. When the transition
        returns the case unchanged, nothing is written and `then` is not called.
        """
        key = keys.case(case_id)

        def attempt(pipe: Pipeline) -> Change:
            raw = pipe.get(key)
            if raw is None:
                raise CaseNotFound(case_id)
            before = _load(raw)
            after = transition(before)
            pipe.multi()
            if after != before:
                self._write(pipe, after, after.history[len(before.history) :])
                if then is not None:
                    then(after, pipe)
            return Change(before, after)

        return self._transact(key, attempt)

    def _transact(self, key: str, attempt: Callable[[Pipeline], T]) -> T:
        """WATCH `key`, run `attempt` (reads, then `multi()` and writes), EXEC; start over if `key` changed."""
        with self.redis.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)  # type: ignore[no-untyped-call]
                    result = attempt(pipe)
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue

    def open_cases(self, limit: int = 200) -> list[Case]:
        """Open cases, oldest first."""
        return self.many(as_text(i) for i in self.redis.zrange(keys.OPEN_CASES, 0, limit - 1))

    def open_count(self) -> int:
        return int(self.redis.zcard(keys.OPEN_CASES))

    def cases_between(self, start: datetime, end: datetime) -> list[Case]:
        found = self.redis.zrangebyscore(keys.ALL_CASES, start.timestamp(), end.timestamp())
        return self.many(as_text(i) for i in found)

    def all_cases(self, *, batch: int = 500) -> Iterator[Case]:
        """Every stored case, oldest first, read `batch` at a time."""
        start = 0
        while True:
            ids = [as_text(i) for i in self.redis.zrange(keys.ALL_CASES, start, start + batch - 1)]
            yield from self.many(ids)
            if len(ids) < batch:
                return
            start += batch

    def erase(self, case: Case) -> None:
        """Delete a case and every key written for it: what `_write` wrote, and its Slack-posting marks."""
        parts = ["parent", *(p for turn in range(case.turn + 1) for p in turn_parts(turn))]
        with self.redis.pipeline() as pipe:
            pipe.delete(keys.case(case.id))
            pipe.zrem(keys.OPEN_CASES, case.id)
            pipe.zrem(keys.ALL_CASES, case.id)
            pipe.delete(*(keys.conversation(key) for key in index_keys(case)))
            for part in parts:
                pipe.delete(keys.slack_attempt(case.id, part), keys.slack_claim(case.id, part))
            pipe.execute()

    def many(self, ids: Iterable[str]) -> list[Case]:
        ids = list(ids)
        if not ids:
            return []
        raws = self.redis.mget([keys.case(i) for i in ids])
        return [_load(raw) for raw in raws if raw is not None]

    @staticmethod
    def _write(pipe: Pipeline, case: Case, new_activities: Sequence[Activity]) -> None:
        pipe.set(keys.case(case.id), _dump(case))
        # Every key the conversation is filed under, so its follow-ups find it (cheap: a few SETs).
        pipe.mset({keys.conversation(key): case.id for key in index_keys(case)})
        audit.append(pipe, case, new_activities)
        if case.state.is_open:
            pipe.zadd(keys.OPEN_CASES, {case.id: case.received_at.timestamp()})
        else:
            pipe.zrem(keys.OPEN_CASES, case.id)

    # --- cursors and flags ---

    def cursor(self, network: str, account: str) -> str | None:
        raw = self.redis.get(keys.cursor(network, account))
        return as_text(raw) if raw is not None else None

    def set_cursor(self, network: str, account: str, value: str | None) -> None:
        if value is not None:
            self.redis.set(keys.cursor(network, account), value)

    def advance_cursor(self, network: str, account: str, *, read: str | None, value: str | None) -> bool:
        """Store `value` only if the cursor is still the one this poll `read`: a poll that outlived
        its lock, racing a newer one, can never move the cursor backwards. False when it lost."""
        if value is None or value == read:
            return True  # nothing to move
        key = keys.cursor(network, account)
        with self.redis.pipeline() as pipe:
            try:
                pipe.watch(key)  # type: ignore[no-untyped-call]
                current = pipe.get(key)
                if (as_text(current) if current is not None else None) != read:
                    return False
                pipe.multi()
                pipe.set(key, value)
                pipe.execute()
            except WatchError:
                return False
        return True

    def first_time(self, key: str, *, ttl: int | None = None) -> bool:
        """True exactly once per key (SET NX): for dedupe of retries and one-off notes."""
        return bool(self.redis.set(key, b"1", nx=True, ex=ttl))

    def claim(self, key: str, owner: str, *, ttl: int, gone: Callable[[str], bool]) -> bool:
        """Hold `key` for `owner` (SET NX with an owner token). True when it is ours: newly taken,
        already ours (the same job run again), or taken over from a holder that `gone` says ended."""
        with self.redis.pipeline() as pipe:
            try:
                pipe.watch(key)  # type: ignore[no-untyped-call]
                holder = pipe.get(key)
                if holder is not None and as_text(holder) != owner and not gone(as_text(holder)):
                    return False
                pipe.multi()
                pipe.set(key, owner, ex=ttl)
                pipe.execute()
            except WatchError:
                return False  # another job took it at this very moment
        return True

    def release(self, key: str, owner: str) -> None:
        """Free `key` if `owner` still holds it (an expired holder never frees its successor's)."""
        with self.redis.pipeline() as pipe:
            try:
                pipe.watch(key)  # type: ignore[no-untyped-call]
                holder = pipe.get(key)
                if holder is None or as_text(holder) != owner:
                    return
                pipe.multi()
                pipe.delete(key)
                pipe.execute()
            except WatchError:
                return

    def acquire(self, name: str, *, ttl: int) -> bool:
        """A short lease so that only one of several processes does a periodic chore."""
        return self.first_time(keys.lock(name), ttl=ttl)

    def lock(self, name: str, *, ttl: int) -> Lock:
        """A lock with an owner token: only the holder can release it, and an expired holder's
        release leaves the next holder's lock alone."""
        return Lock(self.redis, keys.lock(name), timeout=ttl, blocking=False)

    def is_paused(self, network: str) -> bool:
        return bool(self.redis.exists(keys.paused(network)))

    def set_paused(self, network: str, paused: bool) -> None:
        if paused:
            self.redis.set(keys.paused(network), b"1")
        else:
            self.redis.delete(keys.paused(network))

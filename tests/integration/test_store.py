"""The case store against a real Redis: atomic transitions, dedupe, and jobs written with the state."""

from __future__ import annotations

import contextlib
import threading
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial

import redis

from bot import domain
from bot.adapters.queue import Jobs, make_queue
from bot.adapters.store import CaseStore
from bot.domain import Author, Draft, Network, Post, State, TransitionError, Triage
from bot.domain.conversation import follow_up

T0 = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)


def new_case(post_id: str = "1") -> domain.Case:
    post = Post(
        network=Network.X,
        id=post_id,
        account="42",
        author=Author(id="7", handle="ann", name="Ann"),
        text="help?",
        url=f"https://x.com/ann/status/{post_id}",
        created_at=T0,
    )
    return domain.open_case(post, channel="C1", at=T0)


def drafted(store: CaseStore, post_id: str = "1") -> str:
    case = new_case(post_id)
    assert store.add(case)
    triage = Triage(is_question=True, sentiment="neutral", urgency="normal", language="en")
    store.change(case.id, lambda c: domain.with_draft(c, triage, Draft("Hi!", "offline"), T0))
    return case.id


def test_a_post_is_stored_once_with_its_delivery_job(redis_client: redis.Redis) -> None:
    store, jobs = CaseStore(redis_client), Jobs(make_queue(redis_client))
    enqueue = lambda case, pipe: jobs.deliver(case.id, pipe)  # noqa: E731
    assert store.add(new_case(), then=enqueue)
    assert not store.add(new_case(), then=enqueue)
    assert jobs.queue.count == 1
    assert [c.id for c in store.open_cases()] == ["x-1"]


def test_concurrent_approvals_succeed_exactly_once(redis_client: redis.Redis) -> None:
    store = CaseStore(redis_client)
    case_id = drafted(store)
    wins: list[str] = []
    losses: list[str] = []
    barrier = threading.Barrier(8)

    def click(user: str) -> None:
        barrier.wait()
        try:
            store.change(case_id, lambda c: domain.approve(c, by=user, at=T0))
            wins.append(user)
        except TransitionError as refused:
            losses.append(str(refused))

    threads = [threading.Thread(target=click, args=(f"U{i}",)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(wins) == 1 and len(losses) == 7
    assert all(f"<@{wins[0]}>" in message for message in losses)
    assert store.require(case_id).approved_by == wins[0]


def test_closed_cases_leave_the_open_queue(redis_client: redis.Redis) -> None:
    store = CaseStore(redis_client)
    first, second = drafted(store, "1"), drafted(store, "2")
    store.change(first, lambda c: domain.reject(c, by="U1", reason="spam", at=T0))
    assert [c.id for c in store.open_cases()] == [second]
    assert store.require(first).state is State.REJECTED


def test_a_refused_transition_writes_nothing_and_queues_nothing(redis_client: redis.Redis) -> None:
    store, jobs = CaseStore(redis_client), Jobs(make_queue(redis_client))
    case_id = drafted(store)
    store.change(case_id, lambda c: domain.reject(c, by="U1", reason="", at=T0))
    before = redis_client.get(f"parley:case:{case_id}")
    with contextlib.suppress(TransitionError):
        store.change(
            case_id, lambda c: domain.approve(c, by="U2", at=T0), then=lambda c, p: jobs.publish(c.id, p)
        )
    assert redis_client.get(f"parley:case:{case_id}") == before
    assert jobs.queue.count == 0


def test_cursor_and_first_time_flags(redis_client: redis.Redis) -> None:
    store = CaseStore(redis_client)
    assert store.cursor("x", "main") is None
    store.set_cursor("x", "main", "1900")
    store.set_cursor("x", "main", None)  # an empty poll keeps the cursor
    assert store.cursor("x", "main") == "1900"
    assert store.first_time("k") and not store.first_time("k")


def test_a_lock_outlived_by_its_holder_is_not_freed_by_it(redis_client: redis.Redis) -> None:
    import time

    store = CaseStore(redis_client)
    slow = store.lock("polling:x", ttl=1)
    assert slow.acquire()
    time.sleep(1.1)  # the slow poll outlives its lock; a second poll takes it
    second = store.lock("polling:x", ttl=60)
    assert second.acquire()

    with contextlib.suppress(Exception):
        slow.release()  # the late holder finishing must not free the second poll's lock

    assert not store.lock("polling:x", ttl=60).acquire()  # so a third poll still waits


def test_a_cursor_only_moves_from_the_value_a_poll_read(redis_client: redis.Redis) -> None:
    store = CaseStore(redis_client)
    assert store.advance_cursor("x", "brand", read=None, value="100")
    slow_read = store.cursor("x", "brand")
    assert store.advance_cursor("x", "brand", read="100", value="300")  # a newer poll finished first

    assert not store.advance_cursor("x", "brand", read=slow_read, value="200")  # the slow one is too late
    assert store.cursor("x", "brand") == "300"


def test_messages_of_one_new_conversation_filed_at_once_make_one_case(redis_client: redis.Redis) -> None:
    """Several workers filing the same person's messages of one thread at the same moment."""
    store, jobs = CaseStore(redis_client), Jobs(make_queue(redis_client))
    posts = [replace(new_case(str(i)).post, conversation_id="root", created_at=T0) for i in range(1, 9)]
    start = threading.Barrier(len(posts))

    def file(post: Post) -> None:
        start.wait()
        store.file(
            domain.open_case(post, at=T0),
            follow=partial(follow_up, at=T0),
            then=lambda case, pipe: jobs.deliver(case.id, pipe),
        )

    threads = [threading.Thread(target=file, args=(p,)) for p in posts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    [case] = store.open_cases()
    assert sorted(p.id for p in case.posts) == [str(i) for i in range(1, 9)]  # nothing lost, nothing twice
    assert len(store.cases_between(datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))) == 1

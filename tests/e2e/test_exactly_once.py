"""Exactly once with several workers: one job posts each part, lost work only is requeued."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from bot.adapters import keys
from bot.adapters.slack import SlackBusy
from demo.sandbox import CHANNEL, Sandbox
from tests.e2e.conftest import Clock, forwarded

POST = r"/api/chat.postMessage$"


def slack_429(sb: Sandbox, *, retry_after: int) -> None:
    sb.slack.fail_next(
        POST,
        status=429,
        headers={"Retry-After": str(retry_after)},
        body={"ok": False, "error": "ratelimited"},
    )


def test_a_delivery_postponed_by_a_429_is_not_requeued_by_the_sweeper(sandbox: Sandbox, clock: Clock) -> None:
    sandbox.x.add_mention("@parleybrand hello?", author_handle="ann")
    sandbox.poll()
    slack_429(sandbox, retry_after=600)
    sandbox.drain()  # the job meets the 429 and is postponed by 10 minutes
    [case] = sandbox.parley.store.open_cases()
    assert forwarded(sandbox) == []
    # Nothing was posted, so nothing marks the part as possibly posted.
    assert not sandbox.redis.exists(keys.slack_attempt(case.id, "parent"))

    clock.advance(minutes=4)
    for _ in range(5):  # one sweep every 30 s: the waiting job is not lost, so nothing is added
        assert sandbox.parley.sweeper.sweep() == []
    assert sandbox.parley.queue.count == 0
    assert len(sandbox.parley.queue.scheduled_job_registry.get_job_ids()) == 1


def test_a_delivery_whose_job_vanished_is_requeued_once(sandbox: Sandbox, clock: Clock) -> None:
    sandbox.x.add_mention("@parleybrand hello?", author_handle="ann")
    sandbox.poll()
    sandbox.parley.queue.empty()  # type: ignore[no-untyped-call]  # lost: e.g. Redis restarted
    clock.advance(minutes=4)
    [case] = sandbox.parley.store.open_cases()
    assert sandbox.parley.sweeper.sweep() == [case.id]
    assert sandbox.parley.sweeper.sweep() == []  # its new job is queued: not lost any more
    sandbox.drain()
    [parent] = forwarded(sandbox)
    assert len(sandbox.slack.thread(CHANNEL, parent.ts)) == 1


def _hold_first_post(sb: Sandbox) -> tuple[threading.Event, threading.Event]:
    """Make the first chat.postMessage of the process wait until `go` is set; `sending` tells
    when it is waiting."""
    gateway = sb.parley.delivery.slack
    original: Callable[..., str] = gateway.post
    sending, go = threading.Event(), threading.Event()
    first = threading.Lock()

    def post(*args: Any, **kwargs: Any) -> str:
        if first.acquire(blocking=False):
            sending.set()
            go.wait(timeout=10)
        return original(*args, **kwargs)

    gateway.post = post  # type: ignore[method-assign]
    return sending, go


def test_two_jobs_delivering_the_same_case_together_post_one_parent_and_one_card(sandbox: Sandbox) -> None:
    sandbox.x.add_mention("@parleybrand hello?", author_handle="ann")
    sandbox.poll()
    sandbox.parley.queue.empty()  # type: ignore[no-untyped-call]
    [case] = sandbox.parley.store.open_cases()
    delivery = sandbox.parley.delivery
    # Like the job rescheduled after a 429 and the sweeper's job, both running at once.
    sandbox.redis.set(keys.slack_attempt(case.id, "parent"), b"1")
    sending, go = _hold_first_post(sandbox)
    first = threading.Thread(target=delivery.deliver, args=(case.id,))
    first.start()
    assert sending.wait(timeout=10)
    with pytest.raises(SlackBusy):  # the second job backs off while the first owns the parent
        delivery.deliver(case.id)
    go.set()
    first.join(timeout=10)
    delivery.deliver(case.id)  # the second job, rescheduled: finishes what is left
    [parent] = forwarded(sandbox)
    assert len(sandbox.slack.thread(CHANNEL, parent.ts)) == 1
    done = sandbox.parley.store.require(case.id)
    assert done.slack is not None and done.slack.parent_ts == parent.ts


def test_a_429_leaves_an_earlier_attempt_marker_alone(sandbox: Sandbox) -> None:
    sandbox.x.add_mention("@parleybrand hello?", author_handle="ann")
    sandbox.poll()
    [case] = sandbox.parley.store.open_cases()
    sandbox.redis.set(keys.slack_attempt(case.id, "parent"), b"1")  # an earlier attempt may have posted
    slack_429(sandbox, retry_after=600)
    sandbox.drain()
    assert sandbox.redis.exists(keys.slack_attempt(case.id, "parent"))
    assert forwarded(sandbox) == []  # the 429 happened: nothing was posted

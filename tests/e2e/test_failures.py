"""When something goes wrong: nothing is posted twice, nothing is lost, and the thread says what happened."""

from __future__ import annotations

import time

from blocks.case_message import parent_message
from bot import domain
from bot.adapters import keys
from bot.domain import State
from demo.sandbox import CHANNEL, Sandbox
from emulators.x import DUPLICATE_DETAIL
from tests.e2e.conftest import Clock, card_of, ephemerals_saying, forwarded, mention_and_deliver, thread_texts

TWEETS = r"^/2/tweets$"


def approve(sb: Sandbox, user: str = "U_MARIA") -> None:
    parent = forwarded(sb)[-1]
    assert sb.slack.click(sb.app_url, card_of(sb, parent), "Approve", user=user).status == 200
    sb.drain()


def test_a_duplicate_refusal_is_explained_and_needs_an_edit(sandbox: Sandbox) -> None:
    parent = mention_and_deliver(sandbox)
    sandbox.x.fail_next(
        TWEETS,
        status=403,
        body={"detail": DUPLICATE_DETAIL, "type": "about:blank", "title": "Forbidden", "status": 403},
    )
    approve(sandbox)

    [case] = sandbox.parley.store.open_cases()
    assert case.state is State.FAILED and sandbox.x.posted == []
    assert any("failed" in t.lower() and "same text" in t for t in thread_texts(sandbox, parent))
    card = card_of(sandbox, parent)
    assert "Retry" in [b["text"]["text"] for b in card.buttons()]

    sandbox.slack.click(sandbox.app_url, card, "Retry", user="U_LUCA")
    assert ephemerals_saying(sandbox, "Edit the reply", user="U_LUCA")
    assert sandbox.x.posted == []


def test_a_rate_limit_is_retried_at_the_reset_time_and_posts_once(sandbox: Sandbox) -> None:
    parent = mention_and_deliver(sandbox)
    reset = int(time.time()) + 2
    sandbox.x.fail_next(TWEETS, status=429, headers={"x-rate-limit-reset": str(reset)})
    approve(sandbox)

    [case] = sandbox.parley.store.open_cases()
    assert case.state is State.APPROVED and case.failure is not None and case.failure.retry_at is not None
    assert any("try again" in t for t in thread_texts(sandbox, parent))
    assert all(t.count("try again") <= 1 for t in thread_texts(sandbox, parent))  # said once, by Parley
    assert sandbox.x.posted == []

    time.sleep(max(0.0, reset - time.time()) + 0.2)
    sandbox.drain(patience=3)  # the retry is due at the reset (rounded up to the second), not before
    assert len(sandbox.x.posted) == 1
    assert "Posted by" in sandbox.slack.message(CHANNEL, parent.ts).all_text()


def test_a_429_without_reset_header_is_rescheduled_not_hammered(sandbox: Sandbox) -> None:
    mention_and_deliver(sandbox)
    sandbox.x.fail_next(TWEETS, status=429)
    approve(sandbox)
    assert len(sandbox.x.requests_to(TWEETS, method="POST")) == 1
    [case] = sandbox.parley.store.open_cases()
    assert case.failure is not None and case.failure.retry_at is not None
    assert (case.failure.retry_at - case.history[-1].at).total_seconds() >= 60


def test_a_worker_killed_after_posting_is_verified_on_x_before_any_retry(
    sandbox: Sandbox, clock: Clock
) -> None:
    mention_and_deliver(sandbox)
    parley = sandbox.parley
    [case] = parley.store.open_cases()
    parley.review.approve(case.id, by="U_MARIA")
    # A worker takes the publish job, claims the case, posts on X, and is killed before recording it.
    parley.queue.empty()  # type: ignore[no-untyped-call]
    parley.store.change(case.id, lambda c: domain.start_publish(c, at=clock(), lease_seconds=120))
    assert case.draft is not None
    parley.sources["x"].reply(case.post, case.draft.text)
    assert len(sandbox.x.posted) == 1

    clock.advance(minutes=3)  # the lease expires; the clock's sweeper notices
    assert parley.sweeper.sweep() == [case.id]
    sandbox.drain()

    assert len(sandbox.x.posted) == 1
    done = parley.store.require(case.id)
    assert done.state is State.POSTED and done.reply is not None
    assert done.reply.id == sandbox.x.posted[0].id


def test_an_approved_case_whose_job_was_lost_is_requeued_by_the_sweeper(
    sandbox: Sandbox, clock: Clock
) -> None:
    mention_and_deliver(sandbox)
    [case] = sandbox.parley.store.open_cases()
    sandbox.parley.review.approve(case.id, by="U_MARIA")
    sandbox.parley.queue.empty()  # type: ignore[no-untyped-call]  # e.g. Redis restarted without persistence, or a deploy dropped it
    assert sandbox.parley.sweeper.sweep() == []  # too early: a healthy job may still be running
    clock.advance(minutes=4)
    assert sandbox.parley.sweeper.sweep() == [case.id]
    assert sandbox.parley.sweeper.sweep() == []  # its new job is queued: nothing is added
    sandbox.drain()
    assert len(sandbox.x.posted) == 1


def test_a_crash_after_posting_to_slack_does_not_forward_twice(sandbox: Sandbox) -> None:
    sandbox.x.add_mention("@parleybrand hello?", author_handle="ann")
    sandbox.poll()
    parley = sandbox.parley
    [case] = parley.store.open_cases()
    # A first delivery attempt posted the parent message, then its worker died before saving the ts.
    parley.store.first_time(keys.slack_attempt(case.id, "parent"))
    first_ts = parley.slack.post(CHANNEL, parent_message(case), case_id=case.id, part="parent")
    sandbox.drain()

    assert [m.ts for m in forwarded(sandbox)] == [first_ts]
    delivered = parley.store.require(case.id)
    assert delivered.slack is not None and delivered.slack.parent_ts == first_ts
    assert len(sandbox.slack.thread(CHANNEL, first_ts)) == 1  # the card, once


def test_slack_errors_and_rate_limits_are_waited_out(sandbox: Sandbox) -> None:
    sandbox.slack.fail_next(r"/api/chat.postMessage$", status=500, times=1)
    sandbox.slack.fail_next(
        r"/api/chat.postMessage$",
        status=429,
        times=1,
        headers={"Retry-After": "1"},
        body={"ok": False, "error": "ratelimited"},
    )
    sandbox.x.add_mention("@parleybrand hello?", author_handle="ann")
    sandbox.poll()
    sandbox.drain(patience=3)  # the 429 postpones the job by its Retry-After, for every worker
    [parent] = forwarded(sandbox)
    assert len(sandbox.slack.thread(CHANNEL, parent.ts)) == 1
    assert len([c for c in sandbox.slack.calls("chat.postMessage") if c.status == 429]) == 1


def test_two_clocks_enqueue_each_poll_once(sandbox: Sandbox) -> None:
    from bot.app.processes import Clock as ProcessClock

    first, second = ProcessClock(sandbox.parley), ProcessClock(sandbox.parley)
    at = time.time()
    assert first.tick(at) == ["poll:x", "poll:reddit", "sweep"]
    assert second.tick(at) == []
    sandbox.x.add_mention("@parleybrand one")
    sandbox.drain()
    assert len(forwarded(sandbox)) == 1

"""A publish attempt that outlives its lease: never a second POST while it may land, and its late
success is recorded as the success."""

from __future__ import annotations

from rq.executions import Execution
from rq.job import JobStatus

from bot import domain
from bot.domain import State
from demo.sandbox import Sandbox
from emulators.x import DUPLICATE_DETAIL
from tests.e2e.conftest import Clock, mention_and_deliver

TWEETS = r"^/2/tweets$"


def _first_attempt_under_way(sb: Sandbox, clock: Clock, *, running: bool) -> domain.Case:
    """Approve, then play a first publish job that claimed the case and is still waiting for X."""
    mention_and_deliver(sb)
    parley = sb.parley
    [case] = parley.store.open_cases()
    parley.review.approve(case.id, by="U_MARIA")
    [job] = [j for j in parley.queue.get_jobs() if (j.func_name or "").endswith("publish_reply")]
    parley.queue.remove(job)
    if running:  # as a worker does when it takes the job
        with sb.redis.pipeline() as pipe:
            job.set_status(JobStatus.STARTED, pipeline=pipe)
            Execution.create(job, ttl=600, pipeline=pipe)
            pipe.execute()
    return parley.store.change(
        case.id, lambda c: domain.start_publish(c, at=clock(), lease_seconds=120)
    ).after


def test_no_second_post_while_the_first_attempt_is_still_running(sandbox: Sandbox, clock: Clock) -> None:
    case = _first_attempt_under_way(sandbox, clock, running=True)
    clock.advance(minutes=3)  # the lease has expired, but the first job is still started in rq
    sandbox.parley.publisher.publish(case.id)
    assert sandbox.x.posted == []
    assert sandbox.parley.store.require(case.id).state is State.PUBLISHING


def test_a_late_success_after_a_takeover_is_recorded_as_the_success(sandbox: Sandbox, clock: Clock) -> None:
    case = _first_attempt_under_way(sandbox, clock, running=False)
    assert case.draft is not None
    reply = sandbox.parley.sources["x"].reply(case.post, case.draft.text)  # it leaves, slowly
    clock.advance(minutes=3)
    # The takeover does not find it yet (X is slow to index) and X refuses the same text.
    sandbox.x.fail_next(
        TWEETS,
        status=403,
        body={"detail": DUPLICATE_DETAIL, "type": "about:blank", "title": "Forbidden", "status": 403},
    )
    sandbox.x.fail_next(r"^/2/tweets/search/recent$", status=200, body={"meta": {"result_count": 0}})
    sandbox.x.fail_next(r"^/2/users/.*/tweets$", status=200, body={"meta": {"result_count": 0}})
    sandbox.parley.publisher.publish(case.id)
    assert sandbox.parley.store.require(case.id).state is State.FAILED
    done = sandbox.parley.publisher._posted(case, reply)  # the first attempt's 201 arrives
    assert done.state is State.POSTED and done.reply == reply
    assert len(sandbox.x.posted) == 1

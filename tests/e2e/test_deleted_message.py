"""A Parley message deleted by someone in Slack: recorded, never retried, and an open case comes back."""

from __future__ import annotations

from demo.sandbox import CHANNEL, Sandbox
from tests.e2e.conftest import card_of, forwarded, mention_and_deliver


def _no_retries(sb: Sandbox) -> bool:
    """No refresh waiting for a retry and none failed (a Home refresh may be scheduled)."""
    queue = sb.parley.queue
    scheduled = [queue.fetch_job(i) for i in queue.scheduled_job_registry.get_job_ids()]
    waiting = [j for j in scheduled if j is not None and (j.func_name or "").endswith("refresh_case")]
    return not waiting and queue.failed_job_registry.count == 0


def _refresh(sb: Sandbox, case_id: str) -> None:
    sb.parley.jobs.refresh(case_id)
    sb.drain()


def test_an_open_case_whose_parent_was_deleted_is_forwarded_again(sandbox: Sandbox) -> None:
    parent = mention_and_deliver(sandbox)
    [case] = sandbox.parley.store.open_cases()
    sandbox.parley.slack.client.chat_delete(channel=CHANNEL, ts=parent.ts)  # as a member would
    _refresh(sandbox, case.id)

    [again] = forwarded(sandbox)
    assert again.ts != parent.ts and card_of(sandbox, again)
    current = sandbox.parley.store.require(case.id)
    assert current.slack is not None and current.slack.parent_ts == again.ts
    assert [a.action for a in current.history].count("slack_deleted") == 1
    assert _no_retries(sandbox)


def test_a_deleted_card_of_a_closed_case_is_recorded_and_not_retried(sandbox: Sandbox) -> None:
    parent = mention_and_deliver(sandbox)
    [case] = sandbox.parley.store.open_cases()
    sandbox.parley.review.reject(case.id, by="U_MARIA", reason="spam")
    sandbox.drain()
    sandbox.parley.slack.client.chat_delete(channel=CHANNEL, ts=card_of(sandbox, parent).ts)
    _refresh(sandbox, case.id)

    current = sandbox.parley.store.require(case.id)
    assert current.history[-1].action == "slack_deleted"
    assert (
        current.slack is not None and current.slack.parent_ts == parent.ts and current.slack.card_ts is None
    )
    assert _no_retries(sandbox)
    _refresh(sandbox, case.id)  # later refreshes update what is left, without errors
    assert _no_retries(sandbox)

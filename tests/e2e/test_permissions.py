"""Permission on every change (issue 11, #3 and #9): with approvers configured, nobody else can
reject, undo, claim, edit or change settings; a refusal is private and changes nothing; and a
permission check never calls Slack before the acknowledgement."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from bot.domain import State
from demo.sandbox import Sandbox
from tests.e2e.conftest import Clock, card_of, ephemerals_saying, mention_and_deliver

MARIA, LUCA, ANNA = "U_MARIA", "U_LUCA", "U_ANNA"


@pytest.fixture
def strict(redis_client: redis.Redis, clock: Clock) -> Iterator[Sandbox]:
    """Maria approves; nobody else is named, so nobody else may change anything."""
    env = {"PARLEY_APPROVERS": MARIA, "PARLEY_UNDO_SECONDS": "30"}
    with Sandbox(redis_client, clock=clock, env=env) as sb:
        yield sb


def test_someone_who_is_not_an_approver_cannot_reject(strict: Sandbox) -> None:
    parent = mention_and_deliver(strict)
    strict.slack.click(strict.app_url, card_of(strict, parent), "Reject", user=LUCA)

    assert ephemerals_saying(strict, "Only the approvers can reject cases", user=LUCA)
    assert strict.slack.open_views(LUCA) == []  # no Reject window for him
    strict.drain()
    assert strict.parley.store.open_cases()[0].state is State.DRAFTED


def test_someone_who_is_not_an_approver_cannot_undo_an_approval(strict: Sandbox, clock: Clock) -> None:
    parent = mention_and_deliver(strict)
    strict.slack.click(strict.app_url, card_of(strict, parent), "Approve", user=MARIA)
    strict.drain()
    strict.slack.click(strict.app_url, card_of(strict, parent), "Undo", user=LUCA)

    assert ephemerals_saying(strict, "Only the approvers can undo an approval", user=LUCA)
    assert strict.parley.store.open_cases()[0].state is State.APPROVED
    clock.advance(seconds=31)
    strict.parley.publisher.publish(strict.parley.store.open_cases()[0].id)  # the end of the undo window
    strict.drain()
    assert len(strict.x.posted) == 1


@pytest.mark.parametrize("button", ["I'll take it", "Edit", "Regenerate"])
def test_only_editors_take_edit_or_regenerate(strict: Sandbox, button: str) -> None:
    parent = mention_and_deliver(strict)
    strict.slack.click(strict.app_url, card_of(strict, parent), button, user=LUCA)

    assert ephemerals_saying(strict, "Only the editors", user=LUCA)
    assert strict.slack.open_views(LUCA) == []
    strict.drain()
    case = strict.parley.store.open_cases()[0]
    assert case.assignee is None and case.editing_by is None and case.draft is not None
    assert case.draft.version == 1


@pytest.mark.parametrize(
    "command", ["pause x", "resume x", "saved add hi Hello {name}", "saved remove hi", "digest"]
)
def test_settings_commands_need_an_admin(strict: Sandbox, command: str) -> None:
    strict.slack.slash_command(strict.app_url, "saved add hi Hello!", user=MARIA)
    jobs_before = len(strict.parley.queue)

    answer = strict.slack.slash_command(strict.app_url, command, user=LUCA)

    assert "Only the admins can change Parley's settings" in answer.body
    assert not strict.parley.store.is_paused("x")
    assert strict.parley.team.saved_replies() == {"hi": "Hello!"}
    assert len(strict.parley.queue) == jobs_before  # no digest job


def test_an_admin_may_change_settings(strict: Sandbox) -> None:
    assert "paused" in strict.slack.slash_command(strict.app_url, "pause x", user=MARIA).body
    assert strict.parley.store.is_paused("x")


def test_a_cold_user_group_is_loaded_after_the_ack_never_before(
    redis_client: redis.Redis, clock: Clock
) -> None:
    env = {"PARLEY_APPROVERS": f"{MARIA},S_LEADS"}
    with Sandbox(redis_client, clock=clock, env=env) as sb:
        sb.slack.usergroups["S_LEADS"] = [ANNA]
        sb.slack.delay(r"usergroups\.users\.list", 3.5)  # slower than Slack's deadline
        card = card_of(sb, mention_and_deliver(sb))

        answer = sb.slack.click(sb.app_url, card, "Approve", user=ANNA)

        assert answer.acked_in_time  # acked before asking Slack who is in S_LEADS
        sb.slack.wait_for(lambda: bool(sb.slack.calls("usergroups.users.list")), timeout=10)
        sb.slack.wait_for(lambda: sb.parley.store.open_cases()[0].state is State.APPROVED, timeout=10)
        sb.drain()
        assert len(sb.x.posted) == 1


def test_the_sweep_keeps_user_groups_loaded_so_clicks_decide_before_the_ack(
    redis_client: redis.Redis, clock: Clock
) -> None:
    env = {"PARLEY_APPROVERS": f"{MARIA},S_LEADS"}
    with Sandbox(redis_client, clock=clock, env=env) as sb:
        sb.slack.usergroups["S_LEADS"] = [ANNA]
        sb.parley.jobs.sweep()
        sb.drain()
        assert len(sb.slack.calls("usergroups.users.list")) == 1
        card = card_of(sb, mention_and_deliver(sb))

        sb.slack.click(sb.app_url, card, "Approve", user=ANNA)

        # Decided before the ack: the case is approved the moment the click returns.
        assert sb.parley.store.open_cases()[0].state is State.APPROVED
        assert len(sb.slack.calls("usergroups.users.list")) == 1

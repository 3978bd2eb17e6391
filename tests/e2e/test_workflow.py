"""The approval workflow a team can trust: permissions, two approvers for risky replies, claims, undo."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis

from blocks import ids
from bot.domain import State
from demo.sandbox import CHANNEL, Sandbox
from emulators.slack import checkboxes_value, plain_text_value, static_select_value
from tests.e2e.conftest import Clock, card_of, ephemerals_saying, mention_and_deliver, modal_for, thread_texts


@pytest.fixture
def guarded(redis_client: redis.Redis, clock: Clock) -> Iterator[Sandbox]:
    """Only Maria and the members of the S_LEADS user group (Anna) may approve."""
    with Sandbox(redis_client, clock=clock, env={"PARLEY_APPROVERS": "U_MARIA,S_LEADS"}) as sb:
        sb.slack.usergroups["S_LEADS"] = ["U_ANNA"]
        yield sb


def test_an_unauthorised_click_changes_nothing_and_says_why(guarded: Sandbox) -> None:
    card = card_of(guarded, mention_and_deliver(guarded))
    answer = guarded.slack.click(guarded.app_url, card, "Approve", user="U_LUCA")
    guarded.drain()
    assert answer.status == 200
    assert ephemerals_saying(guarded, "Only the approvers", user="U_LUCA")
    assert guarded.x.posted == []
    assert guarded.parley.store.open_cases()[0].state is State.DRAFTED

    guarded.slack.click(guarded.app_url, card, "Approve", user="U_ANNA")  # in the user group
    guarded.drain()
    assert len(guarded.x.posted) == 1


def test_a_risky_reply_needs_two_different_people(sandbox: Sandbox) -> None:
    parent = mention_and_deliver(sandbox, "@parleybrand I want a refund for my broken order")
    card = card_of(sandbox, parent)
    assert "0 of 2 approvals" in card.all_text() and "refund" in card.all_text()

    sandbox.slack.click(sandbox.app_url, card, "Approve", user="U_MARIA")
    sandbox.drain()
    assert "1 of 2 approvals" in card_of(sandbox, parent).all_text()
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "Approve", user="U_MARIA")
    assert ephemerals_saying(sandbox, "already approved this reply", user="U_MARIA")
    sandbox.drain()
    assert sandbox.x.posted == []

    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "Approve", user="U_LUCA")
    sandbox.drain()
    assert len(sandbox.x.posted) == 1
    assert any("1 of 2" in t and "<@U_MARIA>" in t for t in thread_texts(sandbox, parent))


@pytest.fixture
def undoable(redis_client: redis.Redis, clock: Clock) -> Iterator[Sandbox]:
    with Sandbox(redis_client, clock=clock, env={"PARLEY_UNDO_SECONDS": "30"}) as sb:
        yield sb


def run_scheduled_publish(sb: Sandbox) -> None:
    """What rq's scheduler does when the undo window ends (Parley's clock is the test's)."""
    for case in sb.parley.store.cases_between(
        datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
    ):
        sb.parley.publisher.publish(case.id)
    sb.drain()


def test_undo_inside_the_window_posts_nothing(undoable: Sandbox, clock: Clock) -> None:
    parent = mention_and_deliver(undoable)
    undoable.slack.click(undoable.app_url, card_of(undoable, parent), "Approve", user="U_MARIA")
    undoable.drain()
    card = card_of(undoable, parent)
    assert (
        "Undo" in [b["text"]["text"] for b in card.buttons()]
        and "unless someone clicks Undo" in card.all_text()
    )
    clock.advance(seconds=20)
    undoable.slack.click(undoable.app_url, card, "Undo", user="U_LUCA")
    clock.advance(seconds=20)
    run_scheduled_publish(undoable)

    assert undoable.x.posted == []
    assert undoable.parley.store.open_cases()[0].state is State.DRAFTED
    assert any("undid the approval" in t and "<@U_LUCA>" in t for t in thread_texts(undoable, parent))
    assert "Approve" in [b["text"]["text"] for b in card_of(undoable, parent).buttons()]


def test_after_the_window_undo_is_too_late_and_the_reply_is_posted_once(
    undoable: Sandbox, clock: Clock
) -> None:
    parent = mention_and_deliver(undoable)
    undoable.slack.click(undoable.app_url, card_of(undoable, parent), "Approve", user="U_MARIA")
    undoable.drain()
    run_scheduled_publish(undoable)  # too early: the window is still open
    assert undoable.x.posted == []

    clock.advance(seconds=31)
    undoable.slack.click(undoable.app_url, card_of(undoable, parent), "Undo", user="U_LUCA")
    assert ephemerals_saying(undoable, "Too late", user="U_LUCA")
    run_scheduled_publish(undoable)
    run_scheduled_publish(undoable)
    assert len(undoable.x.posted) == 1


def test_claim_shows_the_assignee_and_an_open_edit_window_blocks_others(sandbox: Sandbox) -> None:
    parent = mention_and_deliver(sandbox)
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "I'll take it", user="U_ANNA")
    sandbox.drain()
    assert "<@U_ANNA> is on it" in card_of(sandbox, parent).all_text()
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "I'll take it", user="U_LUCA")
    assert ephemerals_saying(sandbox, "<@U_ANNA> is already on this one", user="U_LUCA")

    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "Edit", user="U_MARIA")
    modal = modal_for(sandbox, "U_MARIA")
    sandbox.drain()
    assert "<@U_MARIA> is editing" in card_of(sandbox, parent).all_text()
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "Edit", user="U_LUCA")
    assert ephemerals_saying(sandbox, "<@U_MARIA> is editing", user="U_LUCA")

    sandbox.slack.close_view(sandbox.app_url, modal.id)  # Maria cancels: the case is free again
    sandbox.drain()
    assert "is editing" not in card_of(sandbox, parent).all_text()
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "Edit", user="U_LUCA")
    luca = modal_for(sandbox, "U_LUCA")
    sandbox.slack.submit_view(
        sandbox.app_url,
        luca.id,
        {ids.BLOCK_DRAFT: {ids.ACTION_DRAFT_TEXT: plain_text_value("Hi Ann, DM us!")}},
    )
    sandbox.drain()
    card = card_of(sandbox, parent)
    assert "Hi Ann, DM us!" in card.all_text() and "is editing" not in card.all_text()
    sandbox.slack.click(sandbox.app_url, card, "History", user="U_MARIA")
    history = modal_for(sandbox, "U_MARIA")
    assert "v1" in history.all_text() and "v2" in history.all_text()


def test_retry_after_a_failure_posts_once(sandbox: Sandbox) -> None:
    parent = mention_and_deliver(sandbox)
    sandbox.x.fail_next(
        r"^/2/tweets$",
        status=403,
        body={"detail": "Forbidden", "title": "Forbidden", "status": 403, "type": "about:blank"},
    )
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "Approve", user="U_MARIA")
    sandbox.drain()
    assert sandbox.parley.store.open_cases()[0].state is State.FAILED
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "Retry", user="U_MARIA")
    sandbox.drain()
    assert len(sandbox.x.posted) == 1
    assert "Posted by" in sandbox.slack.message(CHANNEL, parent.ts).all_text()


def test_the_audit_export_holds_every_step_of_a_case_in_order(
    sandbox: Sandbox, tmp_path: Path, redis_url: str
) -> None:
    parent = mention_and_deliver(sandbox)
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "I'll take it", user="U_ANNA")
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "Edit", user="U_ANNA")
    modal = modal_for(sandbox, "U_ANNA")
    sandbox.slack.submit_view(
        sandbox.app_url,
        modal.id,
        {ids.BLOCK_DRAFT: {ids.ACTION_DRAFT_TEXT: plain_text_value("Hi Ann, DM us!")}},
    )
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "Approve", user="U_MARIA")
    sandbox.drain()
    other = mention_and_deliver(sandbox, "@parleybrand spam spam")
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, other), "Reject", user="U_LUCA")
    sandbox.slack.submit_view(sandbox.app_url, modal_for(sandbox, "U_LUCA").id, {})
    sandbox.drain()

    out = tmp_path / "audit.jsonl"
    env = {"PATH": os.environ.get("PATH", ""), **sandbox.environment(), "REDIS_URL": redis_url}
    result = subprocess.run(
        [sys.executable, "-m", "bot.app.cli", "audit", "export", "--since", "2020-01-01", "-o", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    entries = [json.loads(line) for line in out.read_text().splitlines()]
    first = [e["action"] for e in entries if e["case"] == entries[0]["case"]]
    assert first == ["drafted", "forwarded", "claimed", "edited", "approved", "posted"]
    assert [e["actor"] for e in entries if e["action"] in ("claimed", "edited", "approved")] == [
        "U_ANNA",
        "U_ANNA",
        "U_MARIA",
    ]
    assert {e["action"] for e in entries if e["case"] != entries[0]["case"]} >= {
        "drafted",
        "forwarded",
        "rejected",
    }

    tomorrow = subprocess.run(
        [sys.executable, "-m", "bot.app.cli", "audit", "export", "--since", "2099-01-01"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert tomorrow.returncode == 0 and tomorrow.stdout == ""


def test_saved_replies_are_managed_by_command_and_filled_in_for_each_case(sandbox: Sandbox) -> None:
    added = sandbox.slack.slash_command(
        sandbox.app_url, "saved add greet Hi {name}, thanks for writing to {brand}! {handle}"
    )
    assert "Saved `greet`" in added.body
    assert "greet" in sandbox.slack.slash_command(sandbox.app_url, "saved list").body
    assert (
        "There is no saved reply `nope`"
        in sandbox.slack.slash_command(sandbox.app_url, "saved remove nope").body
    )

    parent = mention_and_deliver(sandbox)
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "Edit", user="U_MARIA")
    modal = modal_for(sandbox, "U_MARIA")
    answer = sandbox.slack.select_in_view(sandbox.app_url, modal.id, ids.ACTION_SAVED_PICK, "greet")
    assert answer.status == 200
    sandbox.slack.wait_for(lambda: sandbox.slack.view(modal.id).updates == 1)
    updated = sandbox.slack.view(modal.id)
    [block_id] = [b for b in updated.input_block_ids() if b.startswith(ids.BLOCK_DRAFT)]
    assert block_id != ids.BLOCK_DRAFT  # a new block id, so Slack shows the inserted text
    sandbox.slack.submit_view(
        sandbox.app_url,
        modal.id,
        {ids.BLOCK_OPTIONS: {ids.ACTION_APPROVE_AFTER: checkboxes_value(ids.OPTION_APPROVE)}},
    )
    sandbox.drain()
    [reply] = sandbox.x.posted
    assert reply.text == "Hi Ann, thanks for writing to Parley Demo! @ann"

    removed = sandbox.slack.slash_command(sandbox.app_url, "saved remove greet")
    assert "Removed `greet`" in removed.body
    assert "No saved replies yet" in sandbox.slack.slash_command(sandbox.app_url, "saved list").body


def test_regenerate_makes_a_new_version_and_keeps_the_history(sandbox: Sandbox) -> None:
    parent = mention_and_deliver(sandbox)
    before = sandbox.parley.store.open_cases()[0].draft
    assert before is not None
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "Regenerate", user="U_LUCA")
    modal = modal_for(sandbox, "U_LUCA")
    sandbox.slack.submit_view(
        sandbox.app_url,
        modal.id,
        {ids.BLOCK_REGEN_CHOICE: {ids.ACTION_REGEN_CHOICE: static_select_value("shorter")}},
    )
    sandbox.drain()

    [case] = sandbox.parley.store.open_cases()
    assert case.draft is not None and case.draft.version == 2 and case.draft.text != before.text
    assert len(case.draft.text) < len(before.text) and [d.text for d in case.versions] == [before.text]
    assert case.draft.text in card_of(sandbox, parent).all_text()
    assert any(
        "asked for a new draft (shorter)" in t and "<@U_LUCA>" in t for t in thread_texts(sandbox, parent)
    )
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "History", user="U_MARIA")
    history = modal_for(sandbox, "U_MARIA").all_text()
    assert "v1" in history and "v2" in history and before.text[:40] in history


def test_the_scheduled_post_goes_out_when_the_undo_window_ends(undoable: Sandbox) -> None:
    """Real time travel (time-machine): rq's schedule and Parley's clock both move 31 s ahead."""
    import time_machine

    parent = mention_and_deliver(undoable)
    undoable.slack.click(undoable.app_url, card_of(undoable, parent), "Approve", user="U_MARIA")
    undoable.drain()
    assert undoable.x.posted == []  # the window is open: nothing due yet
    with time_machine.travel(datetime.now(UTC) + timedelta(seconds=31), tick=True):
        undoable.drain()  # what the clock process does each second: move due jobs, then work them
    assert len(undoable.x.posted) == 1
    assert "Posted by" in undoable.slack.message(CHANNEL, parent.ts).all_text()

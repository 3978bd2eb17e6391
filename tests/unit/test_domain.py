"""The case lifecycle as pure transitions: what may happen, and what a user is told when it may not."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot import domain
from bot.domain import (
    Author,
    Case,
    Draft,
    Failure,
    Network,
    Post,
    Reply,
    SlackRefs,
    State,
    TransitionError,
    Triage,
    case_from_json,
    case_to_json,
)

T0 = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)
TRIAGE = Triage(is_question=True, sentiment="negative", urgency="high", language="en", summary="Login fails")


def post(**overrides: object) -> Post:
    values: dict[str, object] = {
        "network": Network.X,
        "id": "1500",
        "account": "42",
        "author": Author(id="7", handle="ann", name="Ann", followers=10),
        "text": "@brand I can't log in, help?",
        "url": "https://x.com/ann/status/1500",
        "created_at": T0 - timedelta(minutes=5),
        "lang": "en",
    }
    values.update(overrides)
    return Post(**values)  # type: ignore[arg-type]


def drafted() -> Case:
    case = domain.open_case(post(), channel="C1", at=T0)
    return domain.with_draft(case, TRIAGE, Draft(text="Sorry Ann, DM us?", drafter="offline"), T0)


def posting(case: Case) -> Case:
    return domain.start_publish(domain.approve(case, by="U1", at=T0), at=T0, lease_seconds=60)


def test_case_id_comes_from_the_post_so_a_post_is_one_case() -> None:
    assert (
        domain.open_case(post(), channel="C1", at=T0).id == domain.open_case(post(), channel="C2", at=T0).id
    )
    assert (
        domain.open_case(post(), channel="C1", at=T0).id
        != domain.open_case(post(id="1501"), channel="C1", at=T0).id
    )


def test_draft_is_attached_once_and_a_retry_does_not_overwrite_an_edit() -> None:
    case = drafted()
    assert case.state is State.DRAFTED
    edited = domain.edit(case, "Hi Ann, sorry!", by="U2", at=T0)
    again = domain.with_draft(edited, TRIAGE, Draft(text="machine text", drafter="offline"), T0)
    assert again.draft is not None and again.draft.text == "Hi Ann, sorry!"


def test_approve_once_then_everyone_else_is_told_who_approved() -> None:
    approved = domain.approve(drafted(), by="U1", at=T0)
    assert approved.state is State.APPROVED and approved.approved_by == "U1"
    with pytest.raises(TransitionError, match="already approved by <@U1>"):
        domain.approve(approved, by="U2", at=T0)
    with pytest.raises(TransitionError, match="already approved"):
        domain.edit(approved, "late edit", by="U2", at=T0)


def test_cannot_approve_before_there_is_a_draft() -> None:
    with pytest.raises(TransitionError, match="still being written"):
        domain.approve(domain.open_case(post(), channel="C1", at=T0), by="U1", at=T0)


def test_edit_bumps_the_version_records_the_editor_and_rejects_empty_text() -> None:
    edited = domain.edit(drafted(), "  Hi Ann!  ", by="U2", at=T0)
    assert edited.draft == Draft(text="Hi Ann!", drafter="edited", version=2, author="U2")
    assert edited.history[-1].action == "edited" and edited.history[-1].actor == "U2"
    with pytest.raises(TransitionError, match="cannot be empty"):
        domain.edit(drafted(), "   ", by="U2", at=T0)


def test_publishing_is_claimed_once_until_its_lease_expires() -> None:
    claimed = posting(drafted())
    assert claimed.state is State.PUBLISHING and claimed.publish_attempts == 1
    with pytest.raises(TransitionError, match="right now"):
        domain.start_publish(claimed, at=T0 + timedelta(seconds=30), lease_seconds=60)
    retaken = domain.start_publish(claimed, at=T0 + timedelta(seconds=61), lease_seconds=60)
    assert retaken.publish_attempts == 2


def test_posted_is_final_and_records_the_reply() -> None:
    reply = Reply(id="99", url="https://x.com/brand/status/99", posted_at=T0)
    done = domain.mark_posted(posting(drafted()), reply, at=T0)
    assert done.state is State.POSTED and done.reply == reply and not done.state.is_open
    assert domain.mark_posted(done, reply, at=T0) is done
    with pytest.raises(TransitionError, match="already posted by <@U1>"):
        domain.approve(done, by="U2", at=T0)
    with pytest.raises(TransitionError, match="Only approved"):
        domain.start_publish(done, at=T0, lease_seconds=60)


def test_retryable_failure_waits_for_its_time_and_final_failure_needs_a_person() -> None:
    later = T0 + timedelta(minutes=15)
    limited = domain.mark_failed(
        posting(drafted()), Failure("rate_limited", "Rate limited.", retryable=True, retry_at=later), at=T0
    )
    assert limited.state is State.APPROVED
    with pytest.raises(TransitionError, match="rate limit"):
        domain.start_publish(limited, at=T0 + timedelta(minutes=1), lease_seconds=60)
    assert domain.start_publish(limited, at=later, lease_seconds=60).state is State.PUBLISHING

    duplicate = domain.mark_failed(
        posting(drafted()), Failure("duplicate", "X refuses duplicate text.", retryable=False), at=T0
    )
    assert duplicate.state is State.FAILED
    with pytest.raises(TransitionError, match="Edit the reply"):
        domain.approve(duplicate, by="U1", at=T0)
    fixed = domain.edit(duplicate, "A different reply", by="U1", at=T0)
    assert domain.approve(fixed, by="U1", at=T0).state is State.APPROVED


def test_reject_closes_the_case_with_its_reason() -> None:
    rejected = domain.reject(drafted(), by="U3", reason="spam", at=T0)
    assert rejected.state is State.REJECTED and rejected.rejection_reason == "spam"
    with pytest.raises(TransitionError, match="already rejected by <@U3>"):
        domain.approve(rejected, by="U1", at=T0)


def test_forwarded_is_logged_once_when_the_parent_is_posted() -> None:
    case = domain.open_case(post(), channel="C1", at=T0)
    forwarded = domain.with_slack(case, SlackRefs("C1", parent_ts="1.1"), T0)
    carded = domain.with_slack(forwarded, SlackRefs("C1", parent_ts="1.1", card_ts="1.2"), T0)
    assert [a.action for a in carded.history] == ["forwarded"]


def test_json_round_trip_keeps_every_field() -> None:
    reply = Reply(id="99", url="https://x.com/brand/status/99", posted_at=T0)
    case = domain.mark_posted(posting(drafted()), reply, at=T0)
    case = replace(case, slack=SlackRefs("C1", "1.1", "1.2", "https://slack/p1"))
    assert case_from_json(case_to_json(case)) == case


def test_a_listen_only_post_can_never_be_approved_but_can_be_closed() -> None:
    case = domain.open_case(post(listen_only=True), at=T0)
    case = domain.with_draft(case, TRIAGE, Draft(text="Suggested", drafter="offline"), T0)
    with pytest.raises(TransitionError, match="does not accept replies"):
        domain.approve(case, by="U1", at=T0)
    assert domain.reject(case, by="U1", reason="", at=T0).state is State.REJECTED


def risky() -> Case:
    case = domain.open_case(post(), at=T0)
    return domain.with_draft(
        case, TRIAGE, Draft(text="Sorry!", drafter="offline"), T0, risk=("mentions “refund”",)
    )


def test_a_risky_reply_needs_two_different_approvers() -> None:
    once = domain.approve(risky(), by="U1", at=T0)
    assert once.state is State.DRAFTED and once.approvals == ("U1",)
    assert once.history[-1].detail == "1 of 2"
    with pytest.raises(TransitionError, match=r"already approved this reply.*refund"):
        domain.approve(once, by="U1", at=T0)
    twice = domain.approve(once, by="U2", at=T0)
    assert twice.state is State.APPROVED and twice.approvals == ("U1", "U2")


def test_an_edit_after_one_approval_needs_both_approvals_again() -> None:
    once = domain.approve(risky(), by="U1", at=T0)
    edited = domain.edit(once, "Sorry, DM us", by="U1", at=T0)
    assert edited.approvals == ()
    assert domain.approve(edited, by="U2", at=T0).state is State.DRAFTED


def test_undo_inside_the_window_returns_to_draft_and_after_it_is_too_late() -> None:
    approved = domain.approve(drafted(), by="U1", at=T0, undo_seconds=30)
    assert approved.send_at == T0 + timedelta(seconds=30)
    with pytest.raises(TransitionError, match="undo window"):
        domain.start_publish(approved, at=T0 + timedelta(seconds=10), lease_seconds=60)
    undone = domain.undo(approved, by="U1", at=T0 + timedelta(seconds=10))
    assert undone.state is State.DRAFTED and undone.approvals == () and undone.history[-1].action == "undone"
    with pytest.raises(TransitionError, match="Too late"):
        domain.undo(approved, by="U1", at=T0 + timedelta(seconds=31))
    assert (
        domain.start_publish(approved, at=T0 + timedelta(seconds=31), lease_seconds=60).state
        is State.PUBLISHING
    )


def test_claims_are_exclusive_until_they_expire() -> None:
    mine = domain.claim(drafted(), by="U1", at=T0, for_seconds=600)
    assert mine.claimed_by(T0) == "U1" and mine.history[-1].action == "claimed"
    with pytest.raises(TransitionError, match="<@U1> is already on this one"):
        domain.claim(mine, by="U2", at=T0 + timedelta(minutes=5), for_seconds=600)
    assert domain.claim(mine, by="U2", at=T0 + timedelta(minutes=11), for_seconds=600).assignee == "U2"


def test_one_editor_at_a_time_and_an_abandoned_window_frees_itself() -> None:
    editing = domain.start_editing(drafted(), by="U1", at=T0, for_seconds=300)
    assert editing.edited_by(T0) == "U1"
    with pytest.raises(TransitionError, match="<@U1> is editing"):
        domain.start_editing(editing, by="U2", at=T0, for_seconds=300)
    assert (
        domain.start_editing(editing, by="U2", at=T0 + timedelta(minutes=6), for_seconds=300).editing_by
        == "U2"
    )
    assert domain.stop_editing(editing, by="U1").edited_by(T0) is None


def test_regenerate_keeps_earlier_versions() -> None:
    edited = domain.edit(drafted(), "Hi Ann", by="U1", at=T0)
    again = domain.regenerate(
        edited, Draft(text="Hello Ann!", drafter="offline"), by="U2", at=T0, instruction="shorter"
    )
    assert again.draft is not None and again.draft.version == 3 and again.draft.text == "Hello Ann!"
    assert [d.text for d in again.versions] == ["Sorry Ann, DM us?", "Hi Ann"]
    assert again.history[-1].detail == "shorter"


# --- exactly once under concurrency (issue 11) ---


def test_a_posted_part_is_merged_into_the_case_as_it_is_now() -> None:
    case = replace(drafted(), slack=SlackRefs(channel="C1", parent_ts="1.1", permalink="https://s/1"))
    # Another job recorded the card meanwhile; recording the parent again keeps it.
    current = domain.slack_part_posted(case, "card", "1.2", at=T0)
    again = domain.slack_part_posted(current, "parent", "1.1", at=T0)
    assert again.slack == SlackRefs(channel="C1", parent_ts="1.1", card_ts="1.2", permalink="https://s/1")


REPLY = Reply(id="9", url="https://x.com/brand/status/9", posted_at=T0)


@pytest.mark.parametrize("state", ["publishing", "failed", "approved"])
def test_a_late_success_is_recorded_as_the_success(state: str) -> None:
    case = posting(drafted())
    failure = Failure(kind="duplicate", message="Same text.", retryable=False)
    if state == "failed":
        case = domain.mark_failed(case, failure, at=T0)
    elif state == "approved":
        case = domain.mark_failed(case, replace(failure, kind="network", retryable=True), at=T0)
    done = domain.mark_posted(case, REPLY, at=T0 + timedelta(minutes=3))
    assert done.state is State.POSTED and done.reply == REPLY and done.failure is None


def test_a_second_reply_to_a_posted_case_is_recorded_as_a_duplicate_not_refused() -> None:
    done = domain.mark_posted(posting(drafted()), REPLY, at=T0)
    late = replace(REPLY, id="10", url="https://x.com/brand/status/10")
    twice = domain.mark_posted(done, late, at=T0)
    assert twice.state is State.POSTED and twice.reply == REPLY
    assert twice.history[-1].action == "duplicate" and late.url in twice.history[-1].detail


def test_a_deleted_slack_message_of_an_open_case_is_forwarded_again() -> None:
    case = replace(drafted(), slack=SlackRefs(channel="C1", parent_ts="1.1", card_ts="1.2"))
    gone = domain.slack_message_gone(case, "parent", at=T0)
    assert gone.slack == SlackRefs(channel="C1") and gone.history[-1].action == "slack_deleted"


def test_a_deleted_card_of_a_closed_case_is_only_recorded() -> None:
    case = domain.mark_posted(posting(drafted()), REPLY, at=T0)
    case = replace(case, slack=SlackRefs(channel="C1", parent_ts="1.1", card_ts="1.2"))
    gone = domain.slack_message_gone(case, "card", at=T0)
    assert gone.state is State.POSTED and gone.slack == SlackRefs(channel="C1", parent_ts="1.1")
    assert "card" in gone.history[-1].detail


def test_a_person_retrying_after_an_unverifiable_attempt_sends_without_a_look_up() -> None:
    from bot.domain import Failure, approve
    from tests.factories import make_case

    failed = replace(
        make_case(State.FAILED),
        publish_attempts=2,
        failure=Failure(kind="unverifiable", message="look on Instagram", retryable=False),
    )
    assert approve(failed, by="U_MARIA", at=T0).publish_attempts == 0
    other = replace(failed, failure=Failure(kind="network", message="down", retryable=False))
    assert approve(other, by="U_MARIA", at=T0).publish_attempts == 2  # elsewhere the look-up stays

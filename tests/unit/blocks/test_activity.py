from __future__ import annotations

from dataclasses import replace

from blocks.activity import activity_line
from bot.domain import Activity, Case, State, edit
from tests.factories import EVIL, T0, make_case, make_draft, make_failure, minutes, retrying_case
from tests.unit.blocks.walk import assert_escaped


def _line_for(case: Case, action: str) -> str:
    activity = case.last(action)
    assert activity is not None
    return activity_line(activity, case)


def test_an_edit_says_who_which_version_and_when() -> None:
    case = edit(make_case(State.DRAFTED), "Better words.", by="U_MARIA", at=T0 + minutes(3))
    activity = case.history[-1]

    line = activity_line(activity, case)

    epoch = int((T0 + minutes(3)).timestamp())
    assert line == f"✏️ <@U_MARIA> edited the draft (version 2) · <!date^{epoch}^{{time}}|2026-03-02T09:33Z>"


def test_approval() -> None:
    assert _line_for(make_case(State.APPROVED), "approved").startswith("✅ <@U_MARIA> approved · <!date^")


def test_posting_links_the_reply() -> None:
    line = _line_for(make_case(State.POSTED), "posted")

    assert line.startswith("📤 Posted on X by <@U_MARIA>: ")
    assert "<https://x.com/acme/status/1900000000000000999|view reply>" in line


def test_rejection_gives_the_reason() -> None:
    assert _line_for(make_case(State.REJECTED, reason="Spam"), "rejected").startswith(
        "🚫 <@U_OMAR> rejected: Spam · "
    )


def test_rejection_without_reason() -> None:
    assert _line_for(make_case(State.REJECTED, reason=""), "rejected").startswith("🚫 <@U_OMAR> rejected · ")


def test_drafter_is_named_in_words() -> None:
    assert _line_for(make_case(State.DRAFTED), "drafted").startswith(
        "🤖 Draft written by the offline drafter · "
    )
    draft = make_draft(drafter="openai:gpt-4.1-mini")
    assert "by OpenAI gpt-4.1-mini ·" in _line_for(make_case(State.DRAFTED, draft=draft), "drafted")
    noted = make_draft(note="OpenAI timed out")
    assert "by the offline drafter (OpenAI timed out) ·" in _line_for(
        make_case(State.DRAFTED, draft=noted), "drafted"
    )


def test_a_retryable_failure_says_when_it_retries() -> None:
    case = retrying_case(retry_at=T0 + minutes(20))
    activity = case.last("failed")
    assert activity is not None

    line = activity_line(activity, case)

    epoch = int((T0 + minutes(20)).timestamp())
    assert line.startswith(f"⚠️ Posting failed: Rate limited by X.; retrying at <!date^{epoch}^{{time}}")


def test_a_final_failure_does_not_promise_a_retry() -> None:
    line = _line_for(make_case(State.FAILED), "failed")

    assert line.startswith("⚠️ Posting failed: X refused the reply (403). · ")
    assert "retrying" not in line


def test_an_older_failure_line_does_not_borrow_the_current_retry_time() -> None:
    case = retrying_case()
    older = Activity(at=T0, actor="parley", action="failed", detail="Network down.")
    case = replace(case, history=(older, *case.history))

    assert "retrying" not in activity_line(older, case)


def test_free_text_is_escaped() -> None:
    case = make_case(State.FAILED, failure=make_failure(message=EVIL))
    lines = [activity_line(a, case) for a in case.history]
    rejected = make_case(State.REJECTED, reason=EVIL)
    lines.append(activity_line(rejected.history[-1], rejected))
    odd = Activity(at=T0, actor="<!channel>", action="<!here>", detail=EVIL)
    lines.append(activity_line(odd, case))

    assert_escaped(lines)
    assert "&lt;!here&gt;" in lines[-1]


def test_a_message_deleted_in_slack_says_what_and_whether_it_was_forwarded_again() -> None:
    case = make_case(State.DRAFTED)
    line = activity_line(Activity(at=T0, actor="parley", action="slack_deleted", detail="parent+again"), case)
    assert line.startswith("🗑️ The message was deleted in Slack; forwarded again")
    card = activity_line(Activity(at=T0, actor="parley", action="slack_deleted", detail="card"), case)
    assert card.startswith("🗑️ The card was deleted in Slack ·")


def test_a_second_reply_links_both_so_the_team_can_delete_one() -> None:
    detail = "https://x.com/b/status/2 https://x.com/b/status/1"
    line = activity_line(
        Activity(at=T0, actor="parley", action="duplicate", detail=detail), make_case(State.POSTED)
    )
    assert "A second reply was posted" in line and "<https://x.com/b/status/2|" in line
    assert "<https://x.com/b/status/1|" in line and "delete one of them" in line

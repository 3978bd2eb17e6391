from __future__ import annotations

import pytest

from blocks.draft_card import draft_card
from bot.domain import Network, State, edit
from tests.factories import (
    EVIL,
    T0,
    make_case,
    make_draft,
    make_failure,
    make_post,
    make_reddit_post,
    minutes,
    retrying_case,
)
from tests.unit.blocks.walk import assert_escaped, assert_within_limits, buttons, joined, section_texts


def test_drafted_card_shows_the_reply_and_three_buttons() -> None:
    case = make_case(State.DRAFTED)

    message = draft_card(case)

    assert section_texts(message.blocks)[0] == "> Yes! SSO is included in Pro."
    found = {b["action_id"]: b for b in buttons(message.blocks)}
    assert set(found) == {
        "case_approve",
        "case_edit",
        "case_reject",
        "case_claim",
        "case_regenerate",
        "case_reply_privately",
    }
    assert "Approve" in found["case_approve"]["text"]["text"]
    assert "Edit" in found["case_edit"]["text"]["text"]
    assert "Reject" in found["case_reject"]["text"]["text"]
    assert found["case_approve"]["style"] == "primary"
    assert found["case_reject"]["style"] == "danger"
    assert "style" not in found["case_edit"]
    assert {b["value"] for b in found.values()} == {case.id}
    assert "confirm" not in found["case_approve"]  # one click: speed matters


@pytest.mark.parametrize("state", [State.APPROVED, State.PUBLISHING, State.POSTED, State.REJECTED])
def test_no_buttons_once_the_reply_is_decided(state: State) -> None:
    assert buttons(draft_card(make_case(state)).blocks) == []


def test_while_drafting_there_is_nothing_to_click() -> None:
    message = draft_card(make_case(State.RECEIVED))

    assert "Drafting…" in joined(message)
    assert buttons(message.blocks) == []


def test_length_counter_uses_the_weighted_length() -> None:
    draft = make_draft(text="Here you go: https://acme.com/a/very/long/path/to/the/docs/page")  # URL = 23

    assert "36/280" in joined(draft_card(make_case(State.DRAFTED, draft=draft)))


def test_length_counter_flags_a_reply_over_the_limit() -> None:
    text = joined(draft_card(make_case(State.DRAFTED, draft=make_draft(text="é" * 150 + "🙂" * 70))))

    assert "⚠️ 290/280" in text
    assert "10 over the X limit" in text


def test_reddit_counter_uses_its_own_limit() -> None:
    case = make_case(State.DRAFTED, post=make_reddit_post(), draft=make_draft(text="a" * 1234))

    assert "1,234/10,000" in joined(draft_card(case))


@pytest.mark.parametrize(
    ("drafter", "label"),
    [("offline", "Offline drafter"), ("openai:gpt-4.1-mini", "OpenAI gpt-4.1-mini")],
)
def test_says_which_drafter_wrote_it(drafter: str, label: str) -> None:
    assert label in joined(draft_card(make_case(State.DRAFTED, draft=make_draft(drafter=drafter))))


def test_an_edited_draft_names_the_editor() -> None:
    case = edit(make_case(State.DRAFTED), "Yes, SSO is in Pro.", by="U_LEA", at=T0 + minutes(3))

    text = joined(draft_card(case))

    assert "Edited by <@U_LEA>" in text
    assert "> Yes, SSO is in Pro." in text


def test_shows_the_drafter_note_and_the_answering_account() -> None:
    draft = make_draft(note="OpenAI timed out")

    text = joined(draft_card(make_case(State.DRAFTED, draft=draft)))

    assert "OpenAI timed out" in text
    assert "Answering as @acme" in text
    assert "Answering as u/acme_support" in joined(draft_card(make_case(post=make_reddit_post())))


def test_approved_card_says_who_approved_it() -> None:
    assert "Approved by <@U_MARIA>, posting…" in joined(draft_card(make_case(State.APPROVED)))


def test_posted_card_shows_the_approver_time_and_reply_link() -> None:
    text = joined(draft_card(make_case(State.POSTED)))

    epoch = int((T0 + minutes(7)).timestamp())
    assert f"Posted by <@U_MARIA> at <!date^{epoch}^{{time}}|2026-03-02T09:37Z>" in text
    assert "<https://x.com/acme/status/1900000000000000999|View reply>" in text


def test_rejected_card_shows_who_and_why() -> None:
    text = joined(draft_card(make_case(State.REJECTED, reason="Not for us — competitor question")))

    assert "Rejected by <@U_OMAR>" in text
    assert "Not for us — competitor question" in text


def test_failed_card_explains_and_keeps_the_buttons() -> None:
    message = draft_card(make_case(State.FAILED, failure=make_failure(message="The tweet was deleted.")))

    assert "Posting failed: The tweet was deleted." in joined(message)
    # Retry replaces Approve: it says what will happen.
    assert [b["action_id"] for b in buttons(message.blocks)] == [
        "case_retry",
        "case_edit",
        "case_reject",
        "case_reply_privately",
        "case_claim",
        "case_regenerate",
    ]


def test_a_duplicate_failure_asks_for_an_edit() -> None:
    failure = make_failure(kind="duplicate", message="X refuses duplicate text.")

    assert "edit the reply before approving" in joined(draft_card(make_case(State.FAILED, failure=failure)))


def test_a_retry_is_announced_without_buttons() -> None:
    message = draft_card(retrying_case())

    assert "retrying at <!date^" in joined(message)
    assert buttons(message.blocks) == []


@pytest.mark.parametrize("state", list(State))
def test_untrusted_draft_and_reasons_are_escaped(state: State) -> None:
    draft = make_draft(text=EVIL, note=EVIL, drafter="openai:<!channel>")
    case = make_case(state, draft=draft, reason=EVIL, failure=make_failure(message=EVIL))

    assert_escaped(draft_card(case))


def test_a_huge_reddit_draft_is_cut_to_fit() -> None:
    case = make_case(State.DRAFTED, post=make_reddit_post(), draft=make_draft(text="<b> " * 2500))

    message = draft_card(case)

    assert_within_limits(message)
    assert section_texts(message.blocks)[0].endswith("…")
    assert "10,000/10,000" in joined(message)


def test_every_card_respects_the_limits() -> None:
    for state in State:
        assert_within_limits(draft_card(make_case(state, post=make_reddit_post(network=Network.REDDIT))))


def test_a_listen_only_case_can_be_closed_but_never_approved() -> None:
    case = make_case(post=make_post(listen_only=True))
    card = draft_card(case)
    labels = [b["text"]["text"] for b in buttons(card.blocks)]
    assert labels == ["Reject (close)"]
    assert "Listen only" in joined(card.blocks)

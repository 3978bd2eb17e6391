from __future__ import annotations

import json
from typing import Any

import pytest

from blocks.reject_modal import RejectSubmission, read_reject, reject_modal
from bot.domain import State
from tests.factories import EVIL, make_case, make_post
from tests.unit.blocks.walk import assert_escaped, joined


def test_modal_offers_quick_reasons_and_free_text() -> None:
    view = reject_modal(make_case(State.DRAFTED))

    assert view["callback_id"] == "case_reject_modal"
    assert json.loads(view["private_metadata"]) == {"case_id": "x-1900000000000000001"}
    assert all(len(view[k]["text"]) <= 24 for k in ("title", "submit", "close"))
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert set(inputs) == {"reason", "reason_text"}
    assert all(b["optional"] for b in inputs.values())
    select = inputs["reason"]["element"]
    assert (select["type"], select["action_id"]) == ("static_select", "reason_choice")
    assert [o["text"]["text"] for o in select["options"]] == [
        "Spam",
        "Not for us",
        "Answered elsewhere",
        "Duplicate",
        "Other",
    ]
    text = inputs["reason_text"]["element"]
    assert (text["type"], text["action_id"], text["multiline"]) == (
        "plain_text_input",
        "reason_text_input",
        True,
    )


def test_post_is_quoted_escaped() -> None:
    view = reject_modal(make_case(State.DRAFTED, post=make_post(text=EVIL)))

    assert_escaped(view)
    assert "&lt;!channel&gt;" in joined(view)


def _submitted(choice: str | None, details: str | None) -> dict[str, Any]:
    selected = (
        None if choice is None else {"text": {"type": "plain_text", "text": "ignored"}, "value": choice}
    )
    return {
        "type": "modal",
        "callback_id": "case_reject_modal",
        "private_metadata": '{"case_id": "reddit-t1_kx1"}',
        "state": {
            "values": {
                "reason": {"reason_choice": {"type": "static_select", "selected_option": selected}},
                "reason_text": {"reason_text_input": {"type": "plain_text_input", "value": details}},
            }
        },
    }


@pytest.mark.parametrize(
    ("choice", "details", "reason"),
    [
        ("spam", " account is a bot \n", "Spam — account is a bot"),
        ("answered_elsewhere", None, "Answered elsewhere"),
        (None, "off topic", "off topic"),
        (None, None, ""),
        (None, "   ", ""),
    ],
)
def test_read_reject_combines_choice_and_details(
    choice: str | None, details: str | None, reason: str
) -> None:
    assert read_reject(_submitted(choice, details)) == RejectSubmission(
        case_id="reddit-t1_kx1", reason=reason
    )


def test_read_reject_reads_what_reject_modal_built() -> None:
    view = reject_modal(make_case(State.DRAFTED))
    view["state"] = _submitted("duplicate", None)["state"]

    assert read_reject(view) == RejectSubmission(case_id="x-1900000000000000001", reason="Duplicate")

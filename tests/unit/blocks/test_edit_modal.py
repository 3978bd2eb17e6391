from __future__ import annotations

import json
from typing import Any

import pytest

from blocks.edit_modal import (
    EditSubmission,
    edit_modal,
    loading_modal,
    read_edit,
    validate_edit,
)
from bot.domain import Network, State
from tests.factories import EVIL, make_case, make_draft, make_post, make_reddit_post
from tests.unit.blocks.walk import assert_escaped, joined


def _input(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    (block,) = [b for b in view["blocks"] if b.get("block_id") == block_id]
    assert block["type"] == "input"
    found: dict[str, Any] = block
    return found


def test_modal_is_prefilled_and_carries_case_and_version() -> None:
    view = edit_modal(make_case(State.DRAFTED, draft=make_draft(text="Yes! SSO is in Pro.", version=3)))

    assert view["type"] == "modal"
    assert view["callback_id"] == "case_edit_modal"
    assert json.loads(view["private_metadata"]) == {
        "case_id": "x-1900000000000000001",
        "version": 3,
        "revision": 0,
    }
    assert (view["title"]["text"], view["submit"]["text"], view["close"]["text"]) == (
        "Edit reply",
        "Save",
        "Cancel",
    )
    element = _input(view, "draft")["element"]
    assert element["type"] == "plain_text_input"
    assert element["action_id"] == "text"
    assert element["multiline"] is True
    assert element["initial_value"] == "Yes! SSO is in Pro."


def test_modal_texts_fit_slack_limits() -> None:
    view = edit_modal(make_case(State.DRAFTED))

    for key in ("title", "submit", "close"):
        assert len(view[key]["text"]) <= 24
    assert len(view["private_metadata"]) <= 3000
    assert len(view["blocks"]) <= 100


def test_approve_after_saving_is_an_optional_checkbox() -> None:
    block = _input(edit_modal(make_case(State.DRAFTED)), "options")

    assert block["optional"] is True
    assert block["element"]["type"] == "checkboxes"
    assert block["element"]["action_id"] == "approve_after"
    assert [o["text"]["text"] for o in block["element"]["options"]] == ["Save and approve (post now)"]


def test_modal_quotes_the_post_and_states_the_limit() -> None:
    text = joined(edit_modal(make_case(State.DRAFTED)))

    assert "> @acme does the Pro plan include SSO?" in text
    assert "X counts up to 280; links count 23" in text


def test_reddit_input_is_capped_by_slack_and_a_longer_draft_is_flagged() -> None:
    case = make_case(State.DRAFTED, post=make_reddit_post(), draft=make_draft(text="a" * 4000))

    view = edit_modal(case)

    element = _input(view, "draft")["element"]
    assert element["max_length"] == 3000
    assert len(element["initial_value"]) <= element["max_length"]
    assert "4,000 characters" in joined(view)


def test_x_input_leaves_room_for_long_links() -> None:
    # A link counts 23 on X however long it is; the weighted check is validate_edit's job.
    element = _input(edit_modal(make_case(State.DRAFTED)), "draft")["element"]

    assert 280 <= element["max_length"] <= 3000


def test_untrusted_post_is_escaped_but_the_draft_prefill_stays_raw() -> None:
    case = make_case(State.DRAFTED, post=make_post(text=EVIL), draft=make_draft(text=EVIL))

    view = edit_modal(case)

    assert_escaped(view)
    assert _input(view, "draft")["element"]["initial_value"] == EVIL  # an input, never rendered as mrkdwn


def test_no_draft_no_modal() -> None:
    with pytest.raises(ValueError, match="no draft"):
        edit_modal(make_case(State.RECEIVED))


def test_loading_modal_clips_its_title() -> None:
    view = loading_modal("Edit the reply to this very long thread")

    assert len(view["title"]["text"]) <= 24
    assert view["title"]["text"].endswith("…")
    assert "submit" not in view


def _submitted(text: str | None, checked: bool, *, with_options: bool = True) -> dict[str, Any]:
    """A view as Slack sends it back in a view_submission payload."""
    values: dict[str, Any] = {"draft": {"text": {"type": "plain_text_input", "value": text}}}
    if with_options:
        selected = (
            [
                {
                    "text": {"type": "plain_text", "text": "Save and approve (post now)", "emoji": True},
                    "value": "approve",
                }
            ]
            if checked
            else []
        )
        values["options"] = {"approve_after": {"type": "checkboxes", "selected_options": selected}}
    return {
        "id": "V0ABCDEF",
        "type": "modal",
        "callback_id": "case_edit_modal",
        "private_metadata": '{"case_id": "x-1900000000000000001", "version": 2}',
        "state": {"values": values},
        "hash": "1712345678.abcdef",
    }


def test_read_edit_with_approve_ticked() -> None:
    assert read_edit(_submitted("  New words.\n", checked=True)) == EditSubmission(
        case_id="x-1900000000000000001", version=2, text="New words.", approve=True
    )


def test_read_edit_without_approve() -> None:
    submission = read_edit(_submitted("New words.", checked=False))

    assert submission.approve is False
    assert submission.text == "New words."


def test_read_edit_tolerates_missing_options_and_empty_text() -> None:
    submission = read_edit(_submitted(None, checked=False, with_options=False))

    assert (submission.text, submission.approve) == ("", False)


def test_read_edit_reads_what_edit_modal_built() -> None:
    view = edit_modal(make_case(State.DRAFTED, draft=make_draft(version=5)))
    view["state"] = _submitted("x", checked=True)["state"]

    assert read_edit(view).version == 5


@pytest.mark.parametrize("text", ["", "   \n "])
def test_validate_edit_rejects_empty(text: str) -> None:
    assert validate_edit(Network.X, text) == {"draft": "The reply cannot be empty."}


def test_validate_edit_rejects_281_weighted() -> None:
    errors = validate_edit(Network.X, "a" * 281)

    assert list(errors) == ["draft"]
    assert "281/280" in errors["draft"]


def test_validate_edit_counts_emoji_as_two() -> None:
    assert validate_edit(Network.X, "🙂" * 141) != {}
    assert validate_edit(Network.X, "🙂" * 140) == {}


def test_validate_edit_accepts_280_with_a_link_counted_as_23() -> None:
    text = "a" * 256 + " https://acme.com/docs/" + "sso" * 30  # 347 characters, weighted 280

    assert len(text) > 280
    assert validate_edit(Network.X, text) == {}
    assert validate_edit(Network.X, "b" + text) != {}


def test_validate_edit_on_reddit_counts_characters() -> None:
    assert validate_edit(Network.REDDIT, "a" * 10_000) == {}
    assert validate_edit(Network.REDDIT, "a" * 10_001) != {}

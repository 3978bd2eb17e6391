"""Hostile text cannot disguise itself in Slack (issue 11, #11)."""

from __future__ import annotations

from blocks.case_message import parent_message
from bot.domain.text import escape_mrkdwn
from tests.factories import make_case, make_post
from tests.unit.blocks.walk import joined

RLO, PDF, ZWSP, BOM = "\u202e", "\u202c", "\u200b", "\ufeff"


def test_bidi_overrides_zero_width_spaces_and_nul_are_dropped() -> None:
    text = f"evil{RLO}gnp.exe{PDF} a{ZWSP}dmin{BOM} nul\x00byte\x07"
    assert escape_mrkdwn(text) == "evilgnp.exe admin nulbyte"


def test_newlines_tabs_emoji_sequences_and_other_scripts_survive() -> None:
    family = "👨\u200d👩\u200d👧"
    assert (
        escape_mrkdwn(f"line one\n\tline two {family} שלום مرحبا")
        == f"line one\n\tline two {family} שלום مرحبا"
    )


def test_the_parent_message_shows_no_override_after_the_author() -> None:
    post = make_post(text=f"{RLO}!dnuf er a deen I")
    message = parent_message(make_case(post=post))
    assert RLO not in joined(message) and RLO not in message.text

from __future__ import annotations

from blocks.help import help_message
from blocks.notice import ephemeral_notice
from tests.factories import EVIL
from tests.unit.blocks.walk import assert_escaped, assert_within_limits, joined


def test_help_lists_subcommands_and_buttons() -> None:
    message = help_message()

    text = joined(message)
    for command in ("/parley help", "/parley queue", "/parley digest"):
        assert command in text
    for word in ("Approve", "Edit", "Reject"):
        assert f"*{word}*" in text
    assert_within_limits(message)
    assert_escaped(message)


def test_notice_keeps_our_mentions() -> None:
    message = ephemeral_notice("This reply was already approved by <@U_MARIA> and is being posted.")

    assert message.text == "This reply was already approved by <@U_MARIA> and is being posted."
    assert message.blocks[0]["text"]["text"] == message.text


def test_notice_escapes_quoted_outside_text_except_user_mentions() -> None:
    message = ephemeral_notice(f"Posting failed: {EVIL}")

    # A user mention in an ephemeral notice is harmless (and our own sentences need them);
    # broadcasts, links and stray ampersands are not.
    assert (
        message.text
        == "Posting failed: Hey &lt;!channel&gt; &amp; <@U123> see &lt;https://evil.example|click&gt;"
    )
    assert message.blocks[0]["text"]["text"] == message.text


def test_a_long_notice_fits_a_section() -> None:
    assert_within_limits(ephemeral_notice("& " * 5000))

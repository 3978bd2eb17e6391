"""Short ephemeral answers, e.g. "This reply was already approved by <@U123>"."""

from __future__ import annotations

from blocks.fmt import clip, escape_keeping_mentions
from blocks.kit import SECTION_TEXT, section
from blocks.message import Message


def ephemeral_notice(text: str) -> Message:
    """Our sentences may quote outside text (a failure message): escape all but user mentions."""
    safe = clip(text, SECTION_TEXT, escape_keeping_mentions)
    return Message(text=safe, blocks=[section(safe)])

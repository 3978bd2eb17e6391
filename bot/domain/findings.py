"""What the brand-voice lint found in a reply: computed in bot.drafting.voice, shown on the card."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FindingCode = Literal[
    "promise",
    "banned_phrase",
    "link_not_allowed",
    "selling",
    "over_length",
    "language",
    "emoji",
    "x_link_cost",
]


@dataclass(frozen=True)
class Finding:
    """One problem with a reply, as a short sentence for the review card."""

    code: FindingCode
    message: str

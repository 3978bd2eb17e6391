"""The drafting interface: a `Drafter` turns an incoming post into a triage and a reply draft.

Every drafter returns a draft that fits the network (`bot.text.limit` by
`bot.text.weighted_length`), is never empty, holds plain text (no HTML/mrkdwn entities: the
Slack builders escape on display) and is written in the post's language. `fit()` and
`plain_text()` are the shared re-checks.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Protocol

from bot.domain import Draft, Network, Post, Similar, Triage
from bot.domain.conversation import Said
from bot.domain.text import limit, weighted_length
from bot.drafting.triage import Assessment

__all__ = ["FIRST_DRAFT", "Brief", "Drafter", "Proposal", "fit", "plain_text"]


@dataclass(frozen=True)
class Brief:
    """What a drafter is asked besides the post.

    `instruction` comes from the team ("shorter", "more formal", free text) when they ask for a new
    draft; it is trusted, unlike the post. `examples` are the team's own past answers to similar
    questions, to follow in substance and tone. `assessment` is the post's offline triage when the
    caller already has it (it is computed once per draft), else None. `conversation` is what the
    person and the brand said before this post, oldest first (untrusted, like the post).
    """

    instruction: str = ""
    examples: tuple[str, ...] = ()
    assessment: Assessment | None = None
    conversation: tuple[Said, ...] = ()


FIRST_DRAFT = Brief()


@dataclass(frozen=True)
class Proposal:
    triage: Triage
    draft: Draft
    similar: tuple[Similar, ...] = ()  # the team's past answers the draft may draw on


class Drafter(Protocol):
    def propose(self, post: Post, brief: Brief = FIRST_DRAFT) -> Proposal:
        """Triage `post` and draft a reply as `brief` asks; never raises for a provider failure."""
        ...


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"')\]]*\s+")
_ELLIPSIS = "…"


def plain_text(text: str) -> str:
    """`text` with HTML/mrkdwn entities (`&amp;`, `&lt;`, `&#39;`…) decoded and outer blanks stripped."""
    previous = None
    while previous != text:  # "&amp;lt;" needs two passes
        previous, text = text, html.unescape(text)
    return text.strip()


def fit(network: Network, text: str, *, most: int | None = None) -> tuple[str, bool]:
    """`text` shortened to fit `network` (or `most`), and whether it had to be shortened.

    Whole sentences are kept when at least half the room can be filled that way; otherwise the
    text is cut at a word boundary and ends with an ellipsis.
    """
    most = limit(network) if most is None else most
    text = text.strip()
    if weighted_length(network, text) <= most:
        return text, False
    sentences = [s for s in _SENTENCE_END.split(text) if s]
    kept = ""
    for sentence in sentences:
        candidate = f"{kept} {sentence}".strip() if kept else sentence
        if weighted_length(network, candidate) > most:
            break
        kept = candidate
    if kept and weighted_length(network, kept) >= most // 2:
        return kept, True
    return _cut_words(network, text, most), True


def _cut_words(network: Network, text: str, most: int) -> str:
    words = text.split(" ")
    low, high = 1, len(words)
    best = ""
    while low <= high:  # the longest prefix of whole words that fits with the ellipsis
        mid = (low + high) // 2
        candidate = " ".join(words[:mid]).rstrip(" ,;:-–—") + _ELLIPSIS
        if weighted_length(network, candidate) <= most:
            best, low = candidate, mid + 1
        else:
            high = mid - 1
    if best:
        return best
    # A single word longer than the limit: cut characters.
    cut = text
    while cut and weighted_length(network, cut + _ELLIPSIS) > most:
        cut = cut[: max(0, len(cut) - max(1, len(cut) // 10))]
    return cut + _ELLIPSIS

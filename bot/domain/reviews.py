"""Reviews (Google Business Profile): stars, urgency from stars, and replies that replace each other.

A review has one owner's reply; publishing again replaces it (Google's ``PUT .../reply``). So a
posted review case can be edited and published again: the same case, never a second one (see
`revisable` and `bot.domain.transitions.edit`).
"""

from __future__ import annotations

from dataclasses import replace

from bot.domain.model import Case, Network, Post, State, Triage

# Networks where the brand's reply to a post is one thing that a new publication replaces.
REPLACED_BY_REPUBLISHING = frozenset({Network.GOOGLE})
URGENT_STARS = 2  # a review with this many stars or fewer is urgent


def revisable(case: Case) -> bool:
    """A posted case whose reply the team may edit and publish again, replacing it on the network."""
    return case.state is State.POSTED and case.post.network in REPLACED_BY_REPUBLISHING


def with_rating(post: Post, triage: Triage) -> Triage:
    """The triage, urgent when the post is a review of 1 or 2 stars (whatever its words say)."""
    if post.rating is not None and post.rating <= URGENT_STARS and triage.urgency != "high":
        return replace(triage, urgency="high")
    return triage


def stars(rating: int) -> str:
    """★★☆☆☆ for 2 (clamped to 0-5)."""
    full = max(0, min(5, rating))
    return "★" * full + "☆" * (5 - full)

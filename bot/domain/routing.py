"""Which Slack channel a case goes to: the first matching rule, else the default channel. Pure.

Private messages (DMs, PMs) follow their own rules: only rules with `private = true` take them,
and their default is the private channel, so a rule written for a network's public posts never
sends someone's private message to a wider channel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain import Post, Triage

KINDS = ("question", "complaint", "praise", "spam", "other")  # `Triage.kind`, see `kind_of`


@dataclass(frozen=True)
class Route:
    """A rule; every condition given must hold (an empty one matches anything)."""

    channel: str
    networks: frozenset[str] = frozenset()
    accounts: frozenset[str] = frozenset()  # account names from the configuration file
    keywords: tuple[str, ...] = ()  # any of them, case-insensitive
    languages: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()  # see `kind_of`
    places: frozenset[str] = frozenset()  # `Post.place`, case-insensitive: a subreddit, a reviewed location
    private: bool = False  # a rule for private messages only (and they take no other rule)

    def matches(self, post: Post, triage: Triage | None, source: str) -> bool:
        text = f"{post.title or ''} {post.text}".casefold()
        language = (triage.language if triage else post.lang) or ""
        return (
            self.private == post.private
            and (not self.networks or post.network.value in self.networks)
            and (not self.accounts or source in self.accounts or post.account in self.accounts)
            and (not self.keywords or any(k.casefold() in text for k in self.keywords))
            and (not self.languages or language in self.languages)
            and (not self.kinds or kind_of(triage) in self.kinds)
            and (not self.places or (post.place or "").casefold() in {p.casefold() for p in self.places})
        )


def kind_of(triage: Triage | None) -> str:
    """One word for what a post is, from its triage: question, complaint, praise, spam or other."""
    if triage is None:
        return "other"
    if triage.kind:
        return triage.kind
    if triage.is_question:
        return "question"
    if triage.sentiment == "negative":
        return "complaint"
    if triage.sentiment == "positive":
        return "praise"
    return "other"


def route(
    post: Post,
    triage: Triage | None,
    *,
    source: str,
    routes: Sequence[Route],
    default: str,
    private_default: str = "",
) -> str:
    """The first matching rule's channel; else `private_default` (or `default`) for a private message."""
    fallback = (private_default or default) if post.private else default
    return next((r.channel for r in routes if r.matches(post, triage, source)), fallback)

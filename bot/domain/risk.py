"""When a reply needs two approvers. Pure: the rules come from settings, the facts from the post."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain import Post, Triage
from bot.domain.i18n import _

DEFAULT_WORDS = (
    "refund",
    "lawyer",
    "legal",
    "sue",
    "outage",
    "price",
    "hacked",
    "data breach",
    "rimborso",
    "avvocato",
)


@dataclass(frozen=True)
class RiskRules:
    words: tuple[str, ...] = DEFAULT_WORDS
    followers: int = 10_000  # a negative post from an account this big is risky


def risk_reasons(post: Post, triage: Triage, rules: RiskRules) -> tuple[str, ...]:
    """Why a reply to `post` is risky, as short phrases for the card ("mentions “refund”")."""
    reasons: list[str] = []
    followers = post.author.followers or 0
    if triage.sentiment == "negative" and followers >= rules.followers:
        reasons.append(
            _("negative post from an account with {count} followers").format(count=f"{followers:,}")
        )
    text = f"{post.title or ''} {post.text}".casefold()
    found = [w for w in rules.words if re.search(rf"\b{re.escape(w.casefold())}", text)]
    if found:
        reasons.append(_("mentions {words}").format(words=", ".join(f"“{w}”" for w in _unique(found))))
    if triage.risk_flag:
        reasons.append(_("flagged by the drafter: {flag}").format(flag=triage.risk_flag))
    return tuple(reasons)


def _unique(words: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(words))

"""Spend on the LLM only where it helps, and never beyond the day's budget.

Spam gets the offline drafter (the offline triage recognises it first, for free); once the day's
spend reaches the budget, every draft is offline until midnight UTC, and the card says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

import redis

from bot.adapters import keys
from bot.domain import Post
from bot.drafting.base import FIRST_DRAFT, Brief, Drafter, Proposal
from bot.drafting.triage import assess


class BudgetedDrafter:
    def __init__(
        self,
        llm: Drafter,
        offline: Drafter,
        client: redis.Redis,
        *,
        daily_budget_usd: float,
        clock: Callable[[], datetime],
    ) -> None:
        self.llm = llm
        self.offline = offline
        self.redis = client
        self.budget = daily_budget_usd  # 0: no limit
        self.clock = clock

    def spent_today(self) -> float:
        raw = self.redis.get(keys.llm_spend(self.clock().date().isoformat()))
        return float(raw) if raw else 0.0

    def propose(self, post: Post, brief: Brief = FIRST_DRAFT) -> Proposal:
        assessment = brief.assessment or assess(post)
        brief = replace(brief, assessment=assessment)
        if not brief.instruction and assessment.triage.kind == "spam":
            return _noted(self.offline.propose(post, replace(brief, examples=())), "spam: no LLM call")
        if self.budget and self.spent_today() >= self.budget:
            note = f"today's OpenAI budget of ${self.budget:.2f} is spent"
            return _noted(self.offline.propose(post, brief), note)
        proposal = self.llm.propose(post, brief)
        if proposal.draft.cost_usd:
            key = keys.llm_spend(self.clock().date().isoformat())
            self.redis.incrbyfloat(key, proposal.draft.cost_usd)
            self.redis.expire(key, 3 * 24 * 3600)
        return proposal


def _noted(proposal: Proposal, note: str) -> Proposal:
    draft = proposal.draft
    return replace(proposal, draft=replace(draft, note="; ".join(n for n in (note, draft.note) if n)))

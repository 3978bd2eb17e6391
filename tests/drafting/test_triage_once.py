"""A draft triages its post once: the drafters pass the offline triage along instead of redoing it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

import openai
import pytest
import redis

from bot.domain import Post
from bot.drafting.answer_book import AnswerBook
from bot.drafting.base import Drafter
from bot.drafting.budget import BudgetedDrafter
from bot.drafting.history import HistoryDrafter
from bot.drafting.offline import OfflineDrafter
from bot.drafting.openai_drafter import OpenAIDrafter
from bot.drafting.past_answers import Suggestion
from bot.drafting.triage import analysis, language
from tests.factories import make_post


class _EmptyBook:
    """No past answers yet: the drafters below do the drafting."""

    def suggest(self, question: str, *, language: str | None, k: int = 3) -> list[Suggestion]:
        return []

    def posted_before(self, network: str, text: str) -> bool:
        return False


class _Unreachable:
    """An OpenAI client whose every call fails, so the LLM drafter falls back to the offline one."""

    class responses:
        @staticmethod
        def parse(**_: Any) -> Any:
            raise openai.OpenAIError("unreachable")


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many times the offline analysis and the language detection ran."""
    counts = {"analysis": 0, "language": 0}

    def counted(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counts[name] += 1
            return real(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(analysis, "_analyse", counted("analysis", analysis._analyse))
    monkeypatch.setattr(language, "detect_language", counted("language", language.detect_language))
    return counts


def _offline_chain() -> Drafter:
    """As the container builds it without an OpenAI key."""
    return HistoryDrafter(OfflineDrafter(), cast(AnswerBook, _EmptyBook()), reuse=True)


def _llm_chain() -> Drafter:
    """As the container builds it with an OpenAI key (here unreachable), without a daily budget."""
    offline = OfflineDrafter()
    llm = OpenAIDrafter(cast(openai.OpenAI, _Unreachable()), "gpt-test", offline, "Acme")
    no_redis = cast(redis.Redis, None)  # no daily budget: the spend is never read
    budgeted = BudgetedDrafter(llm, offline, no_redis, daily_budget_usd=0, clock=datetime.now)
    return HistoryDrafter(budgeted, cast(AnswerBook, _EmptyBook()), reuse=False)


POSTS = {
    "question": make_post(text="My order never arrived, can you help?", lang=None),
    "spam": make_post(text="Follow me and I'll follow back! Free bitcoin, link in bio", lang=None),
}


@pytest.mark.parametrize("chain", [_offline_chain, _llm_chain], ids=["offline", "llm"])
@pytest.mark.parametrize("kind", sorted(POSTS))
def test_a_draft_triages_its_post_once(runs: dict[str, int], chain: Callable[[], Drafter], kind: str) -> None:
    post: Post = POSTS[kind]

    proposal = chain().propose(post)

    assert proposal.triage.kind == kind
    assert runs == {"analysis": 1, "language": 1}

"""Routing rules: first match wins, every condition of a rule must hold, the default catches the rest."""

from __future__ import annotations

from bot.domain import Triage
from bot.domain.routing import Route, kind_of, route
from tests.factories import make_post, make_reddit_post

QUESTION = Triage(is_question=True, sentiment="neutral", urgency="normal", language="en")
ANGRY_IT = Triage(is_question=False, sentiment="negative", urgency="high", language="it")
HAPPY = Triage(is_question=False, sentiment="positive", urgency="low", language="en")

ROUTES = (
    Route(channel="C_BILLING", keywords=("refund", "invoice")),
    Route(channel="C_ITALIA", languages=frozenset({"it"})),
    Route(channel="C_REDDIT", networks=frozenset({"reddit"}), kinds=frozenset({"question"})),
    Route(channel="C_ACME2", accounts=frozenset({"acme-two"})),
)


def where(
    post_text: str = "hello", triage: Triage | None = QUESTION, *, reddit: bool = False, source: str = "x"
) -> str:
    post = make_reddit_post(text=post_text) if reddit else make_post(text=post_text)
    return route(post, triage, source=source, routes=ROUTES, default="C_DEFAULT")


def test_a_keyword_rule_matches_any_keyword_case_insensitively() -> None:
    assert where("I want a REFUND now") == "C_BILLING"
    assert where("where is my invoice?") == "C_BILLING"


def test_first_matching_rule_wins() -> None:
    assert where("rimborso refund", ANGRY_IT) == "C_BILLING"
    assert where("rimborso", ANGRY_IT) == "C_ITALIA"


def test_all_conditions_of_a_rule_must_hold() -> None:
    assert where("how do I?", QUESTION, reddit=True) == "C_REDDIT"
    assert where("love it", HAPPY, reddit=True) == "C_DEFAULT"
    assert where("how do I?", QUESTION) == "C_DEFAULT"


def test_accounts_route_by_configured_name() -> None:
    assert where(source="acme-two") == "C_ACME2"
    assert where(source="acme-one") == "C_DEFAULT"


def test_kinds_follow_the_triage() -> None:
    assert kind_of(QUESTION) == "question"
    assert kind_of(ANGRY_IT) == "complaint"
    assert kind_of(HAPPY) == "praise"
    assert (
        kind_of(Triage(is_question=True, sentiment="neutral", urgency="low", language="en", kind="spam"))
        == "spam"
    )
    assert kind_of(None) == "other"

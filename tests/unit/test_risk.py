"""Which replies need a second approver."""

from __future__ import annotations

from dataclasses import replace

from bot.domain import Author, Triage
from bot.domain.risk import RiskRules, risk_reasons
from tests.factories import make_post

CALM = Triage(is_question=True, sentiment="neutral", urgency="normal", language="en")
ANGRY = replace(CALM, sentiment="negative")


def test_an_ordinary_question_needs_one_approver() -> None:
    assert risk_reasons(make_post(text="when do you open?"), CALM, RiskRules()) == ()


def test_listed_words_make_a_reply_risky_whole_words_only() -> None:
    reasons = risk_reasons(make_post(text="I want a REFUND, or my lawyer calls"), CALM, RiskRules())
    assert reasons == ("mentions “refund”, “lawyer”",)
    assert risk_reasons(make_post(text="what a surprise"), CALM, RiskRules(words=("price",))) == ()


def test_anger_from_a_big_account_is_risky_but_from_a_small_one_is_not() -> None:
    big = make_post(
        text="worst service ever", author=Author(id="1", handle="big", name="Big", followers=250_000)
    )
    small = make_post(text="worst service ever", author=Author(id="2", handle="me", name="Me", followers=40))
    assert risk_reasons(big, ANGRY, RiskRules()) == ("negative post from an account with 250,000 followers",)
    assert risk_reasons(small, ANGRY, RiskRules()) == ()


def test_the_drafters_own_flag_counts() -> None:
    flagged = replace(CALM, risk_flag="legal threat")
    assert risk_reasons(make_post(text="hm"), flagged, RiskRules()) == (
        "flagged by the drafter: legal threat",
    )

"""Which replies need a second approver."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.domain import Author, Triage
from bot.domain.risk import DEFAULT_WORDS, RiskRules, parse_words, risk_reasons, risk_words_in
from tests.factories import make_post

CALM = Triage(is_question=True, sentiment="neutral", urgency="normal", language="en")
ANGRY = replace(CALM, sentiment="negative")


def test_an_ordinary_question_needs_one_approver() -> None:
    assert risk_reasons(make_post(text="when do you open?"), CALM, RiskRules()) == ()


def test_listed_words_make_a_reply_risky_whole_words_only() -> None:
    reasons = risk_reasons(make_post(text="I want a REFUND, or my lawyer calls"), CALM, RiskRules())
    assert reasons == ("mentions “refund”, “lawyer”",)
    assert risk_reasons(make_post(text="what a surprise"), CALM, RiskRules(words={"*": ("price",)})) == ()


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


ITALIAN = replace(CALM, language="it")


def test_the_english_verb_sue_is_not_the_italian_possessive() -> None:
    post = make_post(text="Le sue amiche dicono che il servizio è ottimo")
    assert risk_reasons(post, ITALIAN, RiskRules()) == ()
    assert risk_reasons(make_post(text="I will sue you"), CALM, RiskRules()) == ("mentions “sue”",)
    assert risk_reasons(make_post(text="They sued them"), CALM, RiskRules()) == ("mentions “sued”",)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Quando arrivano i rimborsi?", ["rimborso"]),
        ("I prezzi sono aumentati di nuovo", ["prezzo"]),
        ("Ho già parlato con il mio avvocato", ["avvocato"]),
        ("Ne parlerò dell'avvocato e farò denuncia", ["avvocato", "denuncia"]),
        ("È una truffa!", ["truffa"]),
        ("Mi avete truffato", ["truffa"]),
        ("C'è stata una violazione dei dati?", ["violazione dei dati"]),
        ("Il prezzemolo era fresco", []),  # a longer word is another word
    ],
)
def test_italian_risk_words_are_found_whole_with_their_plurals(text: str, found: list[str]) -> None:
    assert risk_words_in(text, "it", DEFAULT_WORDS) == found


@pytest.mark.parametrize(
    ("text", "language", "found"),
    [
        ("Your prices went up and I want my refunds", "en", ["refund", "price"]),
        ("Quiero un reembolso, voy a llamar a mi abogado", "es", ["reembolso", "abogado"]),
        ("Je veux un remboursement, c'est une arnaque", "fr", ["remboursement", "arnaque"]),
        ("Ich will eine Rückerstattung, sonst kommt mein Anwalt", "de", ["rückerstattung", "anwalt"]),
        ("Quero o reembolso, vou falar com meu advogado", "pt", ["reembolso", "advogado"]),
        ("What a surprise", "en", []),
        ("Pursue your dreams", "en", []),  # "sue" inside a word is not "sue"
    ],
)
def test_each_language_has_its_own_defaults(text: str, language: str, found: list[str]) -> None:
    assert risk_words_in(text, language, DEFAULT_WORDS) == found


def test_a_language_without_a_list_is_searched_for_every_lists_words() -> None:
    assert risk_words_in("refund rimborso", "nl", DEFAULT_WORDS) == ["refund", "rimborso"]


def test_the_setting_takes_plain_words_for_every_language_and_prefixed_ones_for_one() -> None:
    words = parse_words("refund, it:rimborso, IT: avvocato ,, data breach")
    assert words == {"*": ("refund", "data breach"), "it": ("rimborso", "avvocato")}
    rules = RiskRules(words=words)
    assert risk_reasons(make_post(text="rimborso e refund"), ITALIAN, rules) == (
        "mentions “refund”, “rimborso”",
    )
    assert risk_reasons(make_post(text="rimborso"), CALM, rules) == ()
    with pytest.raises(ValueError, match="it:rimborso"):
        parse_words("it:x:y")

"""Suggestions from past answers: BM25 ranking, language preference, grouping, JSON, adapt(). Pure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.drafting.past_answers import AnswerIndex, PastAnswer, Suggestion, adapt, first_name, tokenize

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def past(
    question: str,
    answer: str,
    *,
    language: str = "en",
    label: str = "",
    days: int = 0,
    network: str = "x",
) -> PastAnswer:
    return PastAnswer(
        question=question,
        answer=answer,
        network=network,
        language=language,
        url=f"https://slack.example/archives/C1/p{abs(hash(question)) % 10**6}",
        answered_at=T0 + timedelta(days=days),
        label=label,
    )


HISTORY = [
    past("@acme I forgot my password and can't log in", "@ann Reset it here: acme.com/reset", label="reset"),
    past(
        "@acme my parcel never arrived, it's been two weeks",
        "@bob Sorry! DM us your order number.",
        label="late",
    ),
    past(
        "@acme you charged my card twice this month", "@cat We'll refund the double charge.", label="refund"
    ),
    past("@acme do you ship to Canada?", "@dan Yes, we ship to Canada and the US.", label="ship"),
    past("@acme love the new app design!", "@eve Thank you, we'll tell the team!", label="thanks"),
]


def labels(suggestions: list[Suggestion]) -> list[str]:
    return [s.answer.label for s in suggestions]


# --- ranking ---------------------------------------------------------------------------------------


def test_the_obviously_similar_answer_comes_first() -> None:
    index = AnswerIndex(HISTORY)

    assert labels(index.suggest("@acme I was charged twice for my order, please refund"))[0] == "refund"
    assert labels(index.suggest("can't log in, forgot password again"))[0] == "reset"
    assert labels(index.suggest("Where is my parcel? Two weeks and it never arrived"))[0] == "late"
    top = index.suggest("do you ship to canada", k=1)
    assert len(top) == 1 and top[0].answer.answer.endswith("Canada and the US.")
    assert top[0].score > 0


def test_stemming_matches_other_forms_of_a_word() -> None:
    index = AnswerIndex(HISTORY)
    # "charges"/"charged", "shipping"/"ship", "passwords"/"password"
    assert labels(index.suggest("double charges on my card"))[0] == "refund"
    assert labels(index.suggest("shipping to canada?"))[0] == "ship"
    assert labels(index.suggest("passwords"))[0] == "reset"


def test_only_answers_sharing_a_word_are_suggested_and_k_is_respected() -> None:
    index = AnswerIndex(HISTORY)

    assert index.suggest("zebra xylophone") == []
    assert index.suggest("@acme the the the https://t.co/x") == []  # handles, links, stop words only
    assert len(index.suggest("my card, my parcel, my password, Canada, the app", k=3)) == 3
    assert index.suggest("password", k=0) == []
    scores = [s.score for s in index.suggest("my card, my parcel, my password, Canada, the app")]
    assert scores == sorted(scores, reverse=True)


def test_an_empty_index_suggests_nothing() -> None:
    index = AnswerIndex()

    assert len(index) == 0
    assert index.suggest("anything at all") == []
    assert AnswerIndex.from_json(index.to_json()).suggest("anything") == []


def test_answers_in_the_questions_language_are_preferred() -> None:
    index = AnswerIndex(
        [
            past("il mio ordine non è arrivato", "Ci dispiace! Scrivici in DM.", language="it", label="it"),
            past("my ordine non è arrivato", "Sorry! DM us.", language="en", label="en"),
        ]
    )
    question = "il mio ordine non è ancora arrivato"

    assert labels(index.suggest(question, language="it")) == ["it", "en"]
    # Same words, other language first: the English answer only wins when asked in English.
    english = AnswerIndex(
        [
            past("ordine arrivato", "Ci dispiace!", language="it", label="it"),
            past("ordine arrivato", "Sorry!", language="en", label="en"),
        ]
    )
    assert labels(english.suggest("ordine arrivato", language="en"))[0] == "en"
    assert labels(english.suggest("ordine arrivato", language="it"))[0] == "it"


def test_answers_with_the_same_label_or_text_are_one_suggestion() -> None:
    index = AnswerIndex(
        [
            past("reset my password", "@a Reset it at acme.com/reset", label="reset"),
            past("password reset link broken", "@b Try acme.com/reset again", label="reset", days=1),
            past("password email never came", "@c Check your spam folder", label="spam-folder"),
            past("password help", "@d Check your spam folder", days=2),
            past("password help please", "@e check your  SPAM folder", days=3),
        ]
    )

    suggestions = index.suggest("password reset", k=5)

    assert labels(suggestions)[0] == "reset"
    assert suggestions[0].matched == 2
    texts = [s.answer.answer for s in suggestions]
    # The unlabelled "spam folder" answers are the same text once handles, case and spaces go.
    assert sum("spam folder" in t.lower() for t in texts) == 2  # one labelled group, one text group
    assert len(suggestions) == 3


def test_without_label_grouping_every_distinct_answer_is_a_suggestion() -> None:
    index = AnswerIndex(
        [
            past("reset my password", "Reset it at acme.com/reset", label="reset"),
            past("password reset link broken", "Try acme.com/reset again", label="reset"),
        ],
        group_labels=False,
    )
    assert [s.matched for s in index.suggest("password reset")] == [1, 1]


def test_ties_go_to_the_most_recent_answer_then_the_first_added() -> None:
    same = "my parcel never arrived"
    index = AnswerIndex(
        [
            past(same, "old answer", days=0),
            past(same, "new answer", days=5),
            past(same, "also new, added later", days=5),
        ]
    )
    for _ in range(3):  # deterministic
        assert [s.answer.answer for s in index.suggest(same)] == [
            "new answer",
            "also new, added later",
            "old answer",
        ]


def test_answers_added_after_a_query_are_found() -> None:
    index = AnswerIndex(HISTORY[:2])
    assert "refund" not in labels(index.suggest("charged twice"))
    index.add(HISTORY[2])
    assert labels(index.suggest("charged twice"))[0] == "refund"


def test_the_language_is_detected_when_an_answer_has_none() -> None:
    index = AnswerIndex(
        [past("il mio ordine non è arrivato, potete aiutarmi?", "Scrivici in DM", language="")]
    )
    assert (
        index.suggest("ordine arrivato", language="it")[0].score == index.suggest("ordine arrivato")[0].score
    )


# --- JSON --------------------------------------------------------------------------------------------


def test_json_round_trip_keeps_the_answers_and_the_ranking() -> None:
    index = AnswerIndex([*HISTORY, past("pacco non arrivato", "Ciao Marco! Scrivici in DM.", language="it")])
    raw = index.to_json()
    restored = AnswerIndex.from_json(raw.encode())

    assert restored.answers == index.answers
    assert restored.group_labels is True
    for question in ("charged twice", "password", "pacco arrivato", "canada"):
        assert restored.suggest(question) == index.suggest(question)
    assert "pacco" in raw and "\\u" not in raw  # readable UTF-8, never pickle
    assert AnswerIndex.from_json(AnswerIndex(HISTORY, group_labels=False).to_json()).group_labels is False


def test_json_that_is_not_an_index_is_refused() -> None:
    with pytest.raises(ValueError, match="Not a Parley answer index"):
        AnswerIndex.from_json('{"answers": []}')
    with pytest.raises(ValueError, match="Not a Parley answer index"):
        AnswerIndex.from_json("[]")


# --- words -------------------------------------------------------------------------------------------


def test_tokenize_drops_handles_links_stop_words_and_folds_accents() -> None:
    assert tokenize("@AcmeHelp My orders were CHARGED twice! https://t.co/abc x@y.com 2fa 12 404", "en") == [
        "order",
        "charg",
        "twice",
        "2fa",
        "404",
    ]
    assert tokenize("Perché il pagamento è fallito?", "it") == ["pag", "fall"]  # Snowball stems
    assert tokenize("Ma commande n'est pas arrivée", "fr") == ["command", "arriv"]


# --- adapt ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("@amir Hi Amir. Sorry to hear that! DM us.", "Hi Ann. Sorry to hear that! DM us."),
        ("@amir @acme Hi, Amir! DM us.", "Hi, Ann! DM us."),
        ("@amir Hey there – we can help.", "Hey Ann – we can help."),
        ("@amir Hello, if you need more help, reply here.", "Hello Ann, if you need more help, reply here."),
        ("@amir Thanks for reaching out. DM us.", "Thanks for reaching out. DM us."),
        ("@marco Ciao Marco! Ti scriviamo in DM.", "Ciao Ann! Ti scriviamo in DM."),
        ("@marco Buongiorno Marco, ci dispiace.", "Buongiorno Ann, ci dispiace."),
        ("@juan Hola Juan, lo sentimos mucho.", "Hola Ann, lo sentimos mucho."),
        ("@juan ¡Hola Juan! Te escribimos.", "¡Hola Ann! Te escribimos."),
        ("Bonjour Marie, merci.", "Bonjour Ann, merci."),
        ("Hallo Jonas! Wir helfen gern.", "Hallo Ann! Wir helfen gern."),
        ("Olá João, obrigado pelo contato.", "Olá Ann, obrigado pelo contato."),
        ("We are sorry, Amir. DM us.", "We are sorry, Amir. DM us."),  # no greeting: kept
    ],
)
def test_adapt_swaps_the_greetings_name(old: str, new: str) -> None:
    assert adapt(old, name="Ann Lee", handle="ann") == new


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("@amir Hi Amir. Sorry to hear that!", "Hi there. Sorry to hear that!"),
        ("@amir Hi there, sorry!", "Hi there, sorry!"),
        ("@amir Hi! Sorry!", "Hi! Sorry!"),
        ("@amir Dear Amir, sorry!", "Hello, sorry!"),
        ("@marco Ciao Marco! Ti aiutiamo.", "Ciao! Ti aiutiamo."),
        ("@marco Gentile Marco, ci dispiace.", "Salve, ci dispiace."),
        ("@juan Hola Juan, te ayudamos.", "Hola, te ayudamos."),
        ("@juan Hola, Juan. Te ayudamos.", "Hola. Te ayudamos."),
        ("@juan ¡Hola Juan! Te ayudamos.", "¡Hola! Te ayudamos."),
        ("@juan ¡Estimado Juan! Te ayudamos.", "¡Hola! Te ayudamos."),
    ],
)
def test_adapt_without_a_name_drops_it(old: str, new: str) -> None:
    assert adapt(old, name=None, handle=None) == new


def test_adapt_replaces_later_mentions_of_the_old_author() -> None:
    old = "@amir Hi Amir, tweet back @amir if this didn't help."
    assert adapt(old, name="Ann", handle="@ann") == "Hi Ann, tweet back @ann if this didn't help."
    assert adapt(old, name="", handle=None) == "Hi there, tweet back if this didn't help."


def test_adapt_keeps_text_without_handle_or_greeting() -> None:
    assert (
        adapt("Please DM us your order number.", name="Ann", handle="ann")
        == "Please DM us your order number."
    )
    assert adapt("  @x  ", name="Ann", handle="ann") == ""


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("Ann Lee", "Ann"),
        ("✨ Ann ✨", "Ann"),
        ("🌸 Zoë-Marie", "Zoë-Marie"),
        ("user123", None),
        ("", None),
        (None, None),
    ],
)
def test_first_name(name: str | None, first: str | None) -> None:
    assert first_name(name) == first

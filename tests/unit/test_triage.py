"""Offline triage: language detection, question/sentiment/urgency, issue type, summary. Pure."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from bot.domain import Network
from bot.drafting.triage import Issue, classify_issue, clean_text, detect_language, first_sentence, triage
from tests.factories import make_post, make_reddit_post

DEV_JSON = Path("/work/shared/data/twitter-customer-care/dev.json")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@acme my order hasn't arrived yet, can you help? https://t.co/abc123", "en"),
        ("Where is my package?", "en"),
        ("you guys rock", "en"),
        ("@acme il mio ordine non è ancora arrivato, potete aiutarmi?", "it"),
        ("Grazie mille, servizio fantastico! #top", "it"),
        ("non riesco ad accedere al mio account https://acme.it/login", "it"),
        ("Dov'è il mio pacco?", "it"),
        ("@acme hola, mi pedido no ha llegado todavía. ¿Qué hago?", "es"),
        ("No puedo iniciar sesión en mi cuenta", "es"),
        ("Me cobraron dos veces este mes @AcmeHelp", "es"),
        ("@acme bonjour, je n'arrive pas à me connecter à mon compte", "fr"),
        ("Ma commande n'est toujours pas arrivée https://t.co/x", "fr"),
        ("Où est mon colis ?", "fr"),
        ("@acme Hallo, meine Bestellung ist noch nicht angekommen", "de"),
        ("Die App stürzt ständig ab, was soll ich tun? #fail", "de"),
        ("Wo ist mein Paket?", "de"),
        ("Olá, não consigo entrar na minha conta", "pt"),
        ("Meu pedido ainda não chegou, vocês podem me ajudar?", "pt"),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "ok", "@acme", "https://t.co/abc #hashtag", "🙂🙂", "12345", "@acme @AcmeHelp https://acme.com/x"],
)
def test_detect_language_defaults_to_english_when_unsure(text: str) -> None:
    assert detect_language(text) == "en"


def test_handles_urls_and_hashtags_do_not_vote() -> None:
    # Italian-looking handles and URLs around an English sentence.
    assert (
        detect_language("@pastaperfetta_italia https://ciao.it/grazie/per/il/servizio where is my order?")
        == "en"
    )
    assert detect_language("@english_support #thanks #love è possibile cambiare la password?") == "it"
    assert clean_text("@acme hi &amp; see https://t.co/x #tag a.b@example.com") == "hi & see"


def test_real_english_posts_are_detected_as_english() -> None:
    dialogs = json.loads(DEV_JSON.read_text())
    texts = [d["dialogContent"][0]["message"] for d in dialogs]
    english = sum(detect_language(t) == "en" for t in texts)
    assert english / len(texts) > 0.98


def test_x_lang_is_used_when_present_and_not_und() -> None:
    assert triage(make_post(text="ok", lang="it")).language == "it"
    assert triage(make_post(text="Grazie mille, servizio fantastico!", lang="und")).language == "it"
    assert triage(make_post(text="Grazie mille, servizio fantastico!", lang=None)).language == "it"


@pytest.mark.parametrize(
    "text",
    [
        "Does the Pro plan include SSO",  # interrogative start, no question mark
        "Where is my order?",
        "please help, I can't log in",
        "the app doesn't work since the update",
        "non riesco ad accedere",
        "¿Dónde está mi pedido",
        "je n'arrive pas à me connecter",
        "Wie kann ich mein Passwort ändern",
        "não consigo entrar na conta",
    ],
)
def test_questions_and_help_requests(text: str) -> None:
    assert triage(make_post(text=text, lang=None)).is_question


@pytest.mark.parametrize("text", ["Love the new update!", "Just ordered my third one", "Grazie mille!"])
def test_not_questions(text: str) -> None:
    assert not triage(make_post(text=text, lang=None)).is_question


@pytest.mark.parametrize(
    ("text", "sentiment"),
    [
        ("I love this app, you guys are amazing!", "positive"),
        ("Grazie mille, servizio fantastico!", "positive"),
        ("¡Excelente servicio, gracias!", "positive"),
        ("Worst customer service ever, absolutely useless", "negative"),
        ("the app is not good at all", "negative"),  # negation flips praise
        ("Il servizio clienti è pessimo, nessuno risponde", "negative"),
        ("Service client nul, c'est inadmissible", "negative"),
        ("Does the Pro plan include SSO?", "neutral"),
        ("Not bad at all, actually", "neutral"),
    ],
)
def test_sentiment(text: str, sentiment: str) -> None:
    assert triage(make_post(text=text, lang=None)).sentiment == sentiment


@pytest.mark.parametrize(
    ("text", "urgency"),
    [
        ("My account was hacked and someone changed my password", "high"),
        ("I was charged twice for my subscription", "high"),
        ("I want a refund now", "high"),
        ("Is the site down? I can't reach anything", "high"),
        ("My charger caught fire last night", "high"),
        ("Mi avete addebitato due volte, voglio un rimborso", "high"),
        ("Why is your support so terrible? Nobody answers!", "high"),  # negative + question
        ("Love the new update!", "low"),
        ("Just chilling with my acme mug", "low"),
        ("Does the Pro plan include SSO?", "normal"),
    ],
)
def test_urgency(text: str, urgency: str) -> None:
    assert triage(make_post(text=text, lang=None)).urgency == urgency


@pytest.mark.parametrize(
    ("text", "issue"),
    [
        ("My account was hacked", Issue.SECURITY),
        ("I can't log in to my account", Issue.LOGIN),
        ("non riesco ad accedere, password errata", Issue.LOGIN),
        ("I was charged twice this month", Issue.BILLING),
        ("Me cobraron dos veces", Issue.BILLING),
        ("My order never arrived", Issue.DELIVERY),
        ("Meine Bestellung ist nicht angekommen", Issue.DELIVERY),
        ("The app keeps crashing on my phone", Issue.BUG),
        ("L'application ne fonctionne plus", Issue.BUG),
        ("Please add a dark mode, it would be great to have", Issue.FEEDBACK),
        ("Sarebbe bello avere la modalità scura", Issue.FEEDBACK),
        ("Does the Pro plan include SSO?", Issue.QUESTION),
        ("My game froze, any suggestions?", Issue.BUG),
        ("Your support is terrible and rude", Issue.COMPLAINT),
        ("You guys are awesome, thank you!", Issue.PRAISE),
        ("Just chilling with my acme mug", Issue.OTHER),
        ("I need this in order to work", Issue.OTHER),  # "in order to" is not an order
    ],
)
def test_classify_issue(text: str, issue: Issue) -> None:
    assert classify_issue(text) is issue


def test_reddit_title_counts() -> None:
    post = make_reddit_post(title="Charged twice for my subscription?", text="Anyone else seeing this?")
    result = triage(post)
    assert result.urgency == "high"
    assert classify_issue(post) is Issue.BILLING


def test_summary_is_the_first_sentence_without_handles() -> None:
    post = make_post(text="@acme @AcmeHelp My order is late. It was due Monday! Help", lang=None)
    assert triage(post).summary == "My order is late."
    assert first_sentence("a " * 200, max_chars=50).endswith("…")
    assert len(first_sentence("a " * 200, max_chars=50)) <= 50
    assert first_sentence("Tom &amp; Jerry\nare here") == "Tom & Jerry are here"


def test_triage_is_fast() -> None:
    posts = [make_post(text=t, lang=None) for t in ("Where is my order? " * 5, "Grazie mille! " * 10)]
    start = time.perf_counter()
    for _ in range(200):
        for post in posts:
            triage(post)
    per_post = (time.perf_counter() - start) / 400
    assert per_post < 0.001


def test_network_does_not_change_triage() -> None:
    text = "I can't log in, please help"
    x = triage(make_post(text=text, lang=None))
    reddit = triage(make_reddit_post(text=text, title=None))
    assert (x.is_question, x.sentiment, x.language) == (reddit.is_question, reddit.sentiment, reddit.language)
    assert make_reddit_post().network is Network.REDDIT

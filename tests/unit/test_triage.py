"""Offline triage: language detection, question/sentiment/urgency, issue type, summary. Pure."""

from __future__ import annotations

import pytest

from bot.domain import Network
from bot.domain.routing import KINDS as ROUTING_KINDS
from bot.drafting.triage import (
    KINDS,
    Issue,
    classify_issue,
    clean_text,
    detect_language,
    first_sentence,
    summarize,
    triage,
)
from tests.factories import make_post, make_reddit_post
from tests.shared_data import dev_dialogs


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
    dialogs = dev_dialogs()
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
        ("Is my flight refundable?", Issue.REFUND),
        ("I bought the season pass and got everything except the bonus car", Issue.PURCHASE),
        ("The left earbud cuts out since the update. Any fix, or should I ask for a refund?", Issue.BUG),
        ("Ho ordinato le cuffie due settimane fa e non sono ancora arrivate", Issue.DELIVERY),
        ("I recently got a new phone and lost my authenticator", Issue.LOGIN),
        ("Somebody has changed my password and is logging into my account", Issue.SECURITY),
        ("I've tried to do a delivery for the moonshiner and it left me in a loading screen", Issue.BUG),
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


def test_network_does_not_change_triage() -> None:
    text = "I can't log in, please help"
    x = triage(make_post(text=text, lang=None))
    reddit = triage(make_reddit_post(text=text, title=None))
    assert (x.is_question, x.sentiment, x.language) == (reddit.is_question, reddit.sentiment, reddit.language)
    assert make_reddit_post().network is Network.REDDIT


# --- refunds: a question about the policy is not a billing problem ---------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Is my flight refundable?",
        "Can I get a refund if I cancel my subscription?",
        "What's your refund policy for annual plans?",
        "Am I eligible for a refund on a sale item?",
        "I want a refund",
        "Il mio volo è rimborsabile?",
        "Posso avere un rimborso se annullo l'abbonamento?",
        "¿Puedo pedir un reembolso?",
    ],
)
def test_refund_questions_are_refund(text: str) -> None:
    assert classify_issue(text) is Issue.REFUND


@pytest.mark.parametrize(
    "text",
    [
        "I was charged twice for my order",
        "You charged me the wrong amount",
        "You billed me after I cancelled",
        "Where is my refund? I returned it 3 weeks ago",
        "Still waiting for my refund",
        "My payment failed but the money was taken",
        "Mi avete addebitato due volte, voglio un rimborso",
        "Aspetto ancora il rimborso da settimane",
        "Me cobraron dos veces",
    ],
)
def test_billing_problems_are_billing(text: str) -> None:
    assert classify_issue(text) is Issue.BILLING


@pytest.mark.parametrize("text", ["Do you accept PayPal?", "How much is the annual subscription?"])
def test_money_questions_without_a_problem_are_questions(text: str) -> None:
    assert classify_issue(text) is Issue.QUESTION


# --- kind ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "kind"),
    [
        # question: needs an answer
        ("Where is my order?", None, "question"),
        ("Does the Pro plan include SSO?", None, "question"),
        ("I can't log in, please help", None, "question"),
        ("Dov'è il mio ordine?", None, "question"),
        ("Ciao, vorrei sapere se spedite anche in Svizzera", None, "question"),
        ("Non riesco ad accedere al mio account, potete aiutarmi?", None, "question"),
        # complaint: negative, no question
        ("Worst customer service ever, absolutely useless", None, "complaint"),
        ("My order never arrived", None, "complaint"),
        ("I was charged twice this month", None, "complaint"),
        ("Il servizio clienti è pessimo, nessuno risponde", None, "complaint"),
        ("Il mio ordine non è ancora arrivato", None, "complaint"),
        # praise: thanks or love, no question
        ("Love the new update, thank you!", None, "praise"),
        ("Thanks!", None, "praise"),
        ("Thanks for fixing the login issue!", None, "praise"),
        ("Grazie mille, servizio fantastico!", None, "praise"),
        ("Bellissima esperienza, grazie!", None, "praise"),
        # spam: promotion, scams, follow-for-follow, a bare link, repeated characters
        ("Follow for follow! #f4f #followback", None, "spam"),
        ("Earn $500 a day from home, click here", None, "spam"),
        ("Send 0.1 BTC and get 0.2 back! Crypto giveaway", None, "spam"),
        ("Use my promo code SAVE50 for 50% off everything", None, "spam"),
        ("@acme https://t.co/abc123", None, "spam"),
        ("https://t.co/abc123 #deal", None, "spam"),
        ("aaaaaaaaaaaaaaaa", None, "spam"),
        ("😂😂😂😂😂😂😂😂", None, "spam"),
        ("Seguimi e ricambio subito, ti seguo anche io!", None, "spam"),
        ("Guadagna 500 euro al giorno, clicca qui", None, "spam"),
        ("Bitcoin gratis per tutti, link in bio", "it", "spam"),
        # other
        ("Just chilling with my acme mug", None, "other"),
        ("@acme", None, "other"),
        ("Sono al parco con la mia tazza acme", None, "other"),
    ],
)
def test_kind(text: str, lang: str | None, kind: str) -> None:
    assert triage(make_post(text=text, lang=lang)).kind == kind


def test_kinds_are_the_routing_kinds() -> None:
    assert KINDS == ROUTING_KINDS


@pytest.mark.parametrize(
    "text",
    [
        "Do you have a promo code?",  # a customer asking, not a promoter
        "Can you follow me back so I can DM you my order number?",
        "I got scammed by a fake crypto giveaway account using your logo",  # reports spam
        "Did I win the giveaway?",
        "Sooooooooo happy with my new phone, thank you!",
    ],
)
def test_not_spam(text: str) -> None:
    result = triage(make_post(text=text, lang=None))
    assert result.kind != "spam"
    assert classify_issue(text) is not Issue.SPAM


def test_spam_is_low_urgency_and_not_a_question() -> None:
    result = triage(make_post(text="Want free followers? Click here!", lang=None))
    assert (result.kind, result.is_question, result.urgency) == ("spam", False, "low")


@pytest.mark.parametrize(
    "text",
    [
        "Just want to give a shout out to the great folks @yahoomail for another fantastic day of "
        "non-functioning Yahoo Mail! It's such a joy to see that you STILL ignore it.",
        "Dawg, @Yahoo has the best security I've ever seen. They not tryna let me get in my own email tho 🤦",
        "Great, another day of crashes. Love it 🙄",
    ],
)
def test_sarcasm_is_not_praise(text: str) -> None:
    assert triage(make_post(text=text, lang=None)).kind != "praise"
    assert classify_issue(text) is not Issue.PRAISE


def test_a_question_with_thanks_is_a_question() -> None:
    post = make_post(
        text="I am still getting the error after the update. I need your help. Thank you!", lang=None
    )
    assert triage(post).kind == "question"
    assert classify_issue(post) is not Issue.PRAISE


# --- summary ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "summary"),
    [
        (
            "Dear @parleybrand ... WHY ARE YOU THE WORST?… I have been waiting for weeks",
            "WHY ARE YOU THE WORST?",
        ),
        ("@acme @AcmeHelp My order is late. It was due Monday! Help", "My order is late."),
        (
            "@TeamYouTube Hello dear youtube officers, my channel has been suspended",
            "My channel has been suspended",
        ),
        (
            "@AdobeCare Hello there. I am still getting the activation error on my new computer.",
            "I am still getting the activation error on my new computer.",
        ),
        (
            "@SpotifyCares Hey! Why is it that my playlists repeat the same songs on shuffle?",
            "Why is it that my playlists repeat the same songs on shuffle?",
        ),
        ("Hi, I can't log in to my account https://t.co/abc", "I can't log in to my account"),
        (
            "Hey @Dropbox, I'm a Plus subscriber. Can I get Smart Sync or do I have to upgrade?",
            "Can I get Smart Sync or do I have to upgrade?",
        ),
        (
            "@acme what do i do? i bought the starter pack and got everything except the car.",
            "I bought the starter pack and got everything except the car.",
        ),
        (
            "@acme I am very disappointed. I never received my textbook that I ordered weeks ago.",
            "I never received my textbook that I ordered weeks ago.",
        ),
        (
            "Just how many times is @Apple going to ask me to sync with @iTunes? So frustrating",
            "Just how many times is Apple going to ask me to sync with iTunes?",
        ),
        (
            "Why isn't there an easy way to move my music, @AppleSupport",
            "Why isn't there an easy way to move my music",
        ),
        (
            "@yahoo needs to fix their problem so I can check my email.",
            "Yahoo needs to fix their problem so I can check my email.",
        ),
        (".@hulu FIX. THE. ROKU. APP. IMMEDIATELY.", "FIX. THE. ROKU. APP. IMMEDIATELY."),
        (
            "@acme Buongiorno, il mio ordine non è ancora arrivato. Potete aiutarmi?",
            "Il mio ordine non è ancora arrivato.",
        ),
        ("Ciao @acme! Grazie mille, servizio fantastico!", "Grazie mille, servizio fantastico!"),
        ("Where is my order? #help @acme", "Where is my order?"),
    ],
)
def test_summary_is_meaningful(text: str, summary: str) -> None:
    assert triage(make_post(text=text, lang=None)).summary == summary


@pytest.mark.parametrize("text", ["@acme", "https://t.co/abc", "@acme https://t.co/abc #deal", "   "])
def test_summary_of_nothing_to_read_is_empty(text: str) -> None:
    assert summarize(text) == ""


def test_summary_falls_back_to_the_reddit_title() -> None:
    post = make_reddit_post(title="Charged twice for my subscription?", text="https://imgur.com/abc")
    assert triage(post).summary == "Charged twice for my subscription?"


def test_summaries_of_real_posts_skip_handles_links_and_salutations() -> None:
    dialogs = dev_dialogs()
    for dialog in dialogs:
        text = dialog["dialogContent"][0]["message"]
        summary = summarize(text)
        assert summary, text
        assert len(summary) <= 140
        assert "@" not in summary.replace("@30", ""), summary  # "1920*1080@30fps" is not a handle
        assert "http" not in summary and "www." not in summary, summary
        assert not summary.lower().startswith(("dear ", "hello ", "hi ", "hey ")), summary
        assert summary[0].isupper() or not summary[0].isalpha(), summary

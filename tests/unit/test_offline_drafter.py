"""The offline drafter (templates per language and issue) and the shared `fit` / `plain_text`. Pure."""

from __future__ import annotations

import re

import pytest

from bot.domain import Network
from bot.domain.text import length_problem, limit, weighted_length
from bot.drafting.base import Drafter, fit, plain_text
from bot.drafting.offline import OfflineDrafter, first_name, without_repeats
from bot.drafting.triage import LANGUAGES, detect_language
from tests.factories import make_author, make_post, make_reddit_post
from tests.shared_data import dev_dialogs

REFUND_PROMISE = re.compile(r"refund|rimbors|reembols|rembours|erstatt|compensat|credit", re.IGNORECASE)
ENTITY = re.compile(r"&(?:amp|lt|gt|quot|#\d+);")

POSTS_BY_LANGUAGE = {
    "en": "@acme my order hasn't arrived yet, can you help?",
    "it": "@acme il mio ordine non è ancora arrivato, potete aiutarmi?",
    "es": "@acme hola, mi pedido no ha llegado todavía. ¿Qué hago?",
    "fr": "@acme bonjour, je n'arrive pas à me connecter à mon compte",
    "de": "@acme Hallo, meine Bestellung ist noch nicht angekommen",
    "pt": "@acme Olá, não consigo entrar na minha conta",
}
ISSUE_POSTS = [
    "My account was hacked, someone changed my email",
    "I can't log in to my account",
    "You charged me twice this month",
    "Is my flight refundable?",
    "I bought the season pass and got everything except the bonus car",
    "My order never arrived",
    "The app keeps crashing on my phone",
    "Please add a dark mode, it would be great to have",
    "Does the Pro plan include SSO?",
    "Your support is terrible and rude",
    "You guys are awesome, thank you!",
    "Just chilling with my acme mug",
    "Follow for follow! #f4f #followback",
]
SENTENCE = re.compile(r"(?<=[.!?…])\s+")


def drafter() -> OfflineDrafter:
    return OfflineDrafter(brand="Acme")


def test_is_a_drafter() -> None:
    d: Drafter = drafter()
    assert d.propose(make_post()).draft.drafter == "offline"


@pytest.mark.parametrize(("language", "text"), POSTS_BY_LANGUAGE.items())
@pytest.mark.parametrize("network", [Network.X, Network.REDDIT])
def test_replies_in_the_post_language(language: str, text: str, network: Network) -> None:
    post = make_post(text=text, lang=None, network=network)
    proposal = drafter().propose(post)
    assert proposal.triage.language == language
    assert detect_language(proposal.draft.text) == language
    assert length_problem(network, proposal.draft.text) is None


def test_italian_reply_reads_italian() -> None:
    draft = drafter().propose(make_post(text=POSTS_BY_LANGUAGE["it"], lang=None)).draft
    assert draft.text.startswith("Ciao Jane, ")
    assert "ordine" in draft.text
    assert "DM" in draft.text


def test_unsupported_language_falls_back_to_english() -> None:
    draft = drafter().propose(make_post(text="注文が届きません", lang="ja")).draft
    assert draft.text.startswith("Hi Jane, ")


@pytest.mark.parametrize("text", ISSUE_POSTS)
def test_x_replies_fit_never_start_with_a_handle_and_promise_nothing(text: str) -> None:
    draft = drafter().propose(make_post(text=text)).draft
    assert 0 < weighted_length(Network.X, draft.text) <= 280
    assert not draft.text.startswith("@")
    assert "@" not in draft.text
    assert not REFUND_PROMISE.search(draft.text)
    assert not ENTITY.search(draft.text)
    assert "http" not in draft.text


def test_replies_differ_by_issue_type() -> None:
    texts = {drafter().propose(make_post(text=t)).draft.text for t in ISSUE_POSTS}
    assert len(texts) == len(ISSUE_POSTS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My account was hacked", "change your password"),
        ("I can't log in to my account", "username"),
        ("You charged me twice this month", "date and amount"),
        ("My order never arrived", "order number"),
        ("The app keeps crashing on my phone", "device or platform"),
        ("Is my flight refundable?", "check the options in your case"),
        ("I bought the season pass and got everything except the car", "what's missing"),
        ("Where is my refund? I returned it 3 weeks ago", "date and amount"),
        ("Please add a dark mode", "thanks for the suggestion"),
        ("Does the Pro plan include SSO?", "thanks for reaching out to Acme"),
        ("You guys are awesome, thank you!", "thank"),
    ],
)
def test_acknowledges_the_issue(text: str, expected: str) -> None:
    assert expected in drafter().propose(make_post(text=text)).draft.text


def test_private_details_are_asked_for_privately() -> None:
    x = drafter().propose(make_post(text="I can't log in to my account")).draft.text
    reddit = drafter().propose(make_reddit_post(text="I can't log in to my account", title=None)).draft.text
    assert "send us a DM" in x
    assert "private message" in reddit
    assert "DM" not in reddit
    assert "don't share" in x


def test_deterministic() -> None:
    post = make_post(text="My order never arrived")
    assert drafter().propose(post) == drafter().propose(post)
    assert OfflineDrafter().propose(post) == OfflineDrafter().propose(post)


def test_varies_between_posts_of_the_same_author() -> None:
    texts = {
        drafter().propose(make_post(id=str(i), text="My order never arrived")).draft.text for i in range(12)
    }
    assert len(texts) > 1  # X refuses duplicate text


def test_greets_by_first_name_else_anonymously() -> None:
    named = drafter().propose(make_post(author=make_author(name="Maria Rossi 🌻", handle="mr_88"))).draft
    assert named.text.startswith("Hi Maria, ")
    for author in (
        make_author(name="xX_gamer_Xx", handle="gamer42"),  # no real name: never greet the handle
        make_author(name="Hannahjep", handle="Hannahjep"),  # the display name is just the handle
        make_author(name="CinVakas", handle="CinVakas"),
    ):
        for i in range(6):
            text = drafter().propose(make_post(id=str(i), author=author)).draft.text
            assert text.startswith(("Hi there, ", "Hello, ", "Hi, ")), text
            assert author.handle not in text
            assert author.name not in text


def test_italian_anonymous_greeting() -> None:
    post = make_post(
        text=POSTS_BY_LANGUAGE["it"], lang=None, author=make_author(name="gatto_99", handle="gatto_99")
    )
    assert drafter().propose(post).draft.text.startswith(("Ciao, ", "Salve, "))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Maria Rossi", "Maria"),
        ("🌻 Jean-Luc P.", "Jean-Luc"),
        ("Seán O'Brien", "Seán"),
        ("JOHN SMITH", None),
        ("john", None),
        ("xXgamerXx", None),
        ("The Real Bob", None),
        ("", None),
        ("R2D2", None),
    ],
)
def test_first_name(name: str, expected: str | None) -> None:
    assert first_name(name) == expected


def test_brand_in_english_and_localised_default() -> None:
    it_default = OfflineDrafter().propose(make_post(text="Avete un negozio a Milano?", lang=None)).draft.text
    assert "the team" not in it_default
    assert "grazie per il messaggio" in it_default
    it_brand = drafter().propose(make_post(text="Avete un negozio a Milano?", lang=None)).draft.text
    assert "grazie per aver contattato Acme" in it_brand
    en_default = OfflineDrafter().propose(make_post(text="Do you ship to Canada?")).draft.text
    assert "thanks for reaching out to the team" in en_default


def sentences(text: str) -> list[str]:
    return [re.sub(r"[\W_]+", " ", part.casefold()).strip() for part in SENTENCE.split(text) if part.strip()]


def real_posts(step: int = 1) -> list[tuple[str, str]]:
    """(tweet id, text) of the first post of every dialog in the customer-care sample."""
    dialogs = dev_dialogs()
    return [(d["dialogContent"][0]["tweet_ID"], d["dialogContent"][0]["message"]) for d in dialogs[::step]]


def test_fifty_real_posts_fit_and_are_sensible() -> None:
    dialogs = dev_dialogs()
    d = drafter()
    seen: set[str] = set()
    for i, dialog in enumerate(dialogs[::10][:50]):
        turn = dialog["dialogContent"][0]
        post = make_post(
            id=turn["tweet_ID"],
            text=turn["message"],
            lang=None,
            author=make_author(handle=turn["client"], name=turn["client"]),
        )
        draft = d.propose(post).draft
        assert draft.text.strip(), i
        assert weighted_length(Network.X, draft.text) <= limit(Network.X), draft.text
        assert not draft.text.startswith("@")
        assert turn["client"] not in draft.text  # the display name is the handle: no real name to greet
        assert not ENTITY.search(draft.text)
        assert not REFUND_PROMISE.search(draft.text), draft.text
        seen.add(draft.text)
    # Greeting and closing vary with the post, so that X does not refuse a reply as a duplicate.
    assert len(seen) >= 35


# --- no sentence twice -----------------------------------------------------------------------------

MORE_POSTS = [
    *POSTS_BY_LANGUAGE.values(),
    *ISSUE_POSTS,
    "Avete un negozio a Milano?",
    "Il mio volo è rimborsabile?",
    "Mi avete addebitato due volte",
    "Grazie mille, servizio fantastico!",
    "Seguimi e ricambio subito, ti seguo anche io!",
    "Sarebbe bello avere la modalità scura",
    "Il servizio clienti è pessimo, nessuno risponde",
    "https://t.co/abc123",
    "aaaaaaaaaaaa",
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_sentence_appears_twice_in_any_draft(language: str) -> None:
    short = [(str(i), t) for i, t in enumerate(MORE_POSTS)]
    cases = [
        (OfflineDrafter(brand="Acme"), Network.X, [*short, *real_posts(step=6)]),
        (OfflineDrafter(), Network.X, short),
        (OfflineDrafter(brand="Acme"), Network.REDDIT, short),
    ]
    for d, network, posts in cases:
        for post_id, text in posts:
            for variant in range(3):  # different ids pick different greetings and closings
                post = make_post(id=f"{post_id}{variant}", text=text, lang=language, network=network)
                draft = d.propose(post).draft.text
                said = sentences(draft)
                assert len(said) == len(set(said)), draft


def test_italian_question_does_not_repeat_its_closing() -> None:
    # It used to end "…Siamo qui per aiutarti. … Siamo qui per aiutarti." for one closing in three.
    for i in range(30):
        post = make_post(id=str(i), text="Avete un negozio a Milano?", lang="it")
        text = OfflineDrafter().propose(post).draft.text
        assert text.count("Siamo qui per aiutarti") <= 1, text
        assert text.count("aiutarti") <= 2, text


def test_without_repeats() -> None:
    assert without_repeats("Hi. We help. Bye! we help") == "Hi. We help. Bye!"
    assert without_repeats("Ciao, grazie! A presto! A presto!") == "Ciao, grazie! A presto!"
    assert without_repeats("One sentence only") == "One sentence only"


# --- refunds, purchases and spam ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Is my flight refundable?", "en"),
        ("Can I get a refund if I cancel my subscription?", "en"),
        ("What's your refund policy?", "en"),
        ("Il mio volo è rimborsabile?", "it"),
        ("Posso avere un rimborso?", "it"),
    ],
)
def test_refund_questions_do_not_get_the_billing_reply(text: str, lang: str) -> None:
    refund = drafter().propose(make_post(text=text, lang=lang)).draft.text
    charged = drafter().propose(make_post(text="I was charged twice this month", lang=lang)).draft.text
    assert "date and amount" not in refund and "l'importo" not in refund
    assert "date and amount" in charged or "l'importo" in charged
    assert not REFUND_PROMISE.search(refund), refund


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "text",
    [
        "Follow for follow! #f4f #followback",
        "Earn $500 a day from home, click here",
        "https://t.co/abc",
        "hahahahaha",
    ],
)
def test_spam_gets_a_short_neutral_draft(language: str, text: str) -> None:
    proposal = drafter().propose(make_post(text=text, lang=language))
    assert proposal.triage.kind == "spam"
    draft = proposal.draft.text
    assert draft.strip()  # never an empty card
    assert len(draft) <= 50, draft
    assert "DM" not in draft and "?" not in draft and "!" not in draft
    assert len(sentences(draft)) == 1


def test_sarcasm_does_not_get_a_thank_you() -> None:
    text = (
        "Just want to give a shout out to the great folks @yahoomail for another fantastic day of "
        "non-functioning Yahoo Mail! It's such a joy to see that you STILL ignore it."
    )
    draft = drafter().propose(make_post(text=text)).draft.text
    assert "made our day" not in draft and "kind words" not in draft


@pytest.mark.parametrize(
    ("text", "closings"),
    [
        (
            "My order never arrived",
            ("Thanks for your patience.", "We're here to help.", "Thanks for bearing with us."),
        ),
        ("Does the Pro plan include SSO?", ("Have a great day!", "Talk soon!", "We're happy to help.")),
    ],
)
def test_closings_fit_the_tone(text: str, closings: tuple[str, ...]) -> None:
    endings = set()
    for i in range(40):
        draft = drafter().propose(make_post(id=str(i), text=text)).draft.text
        endings.add(next((c for c in closings if draft.endswith(c)), ""))
    assert endings == {
        *closings,
        "",
    }  # a problem never ends "Talk soon!"; a question never "thanks for your patience"


# --- fit / plain_text ------------------------------------------------------------------------


def test_fit_keeps_short_text() -> None:
    assert fit(Network.X, "  Hello there.  ") == ("Hello there.", False)


def test_fit_cuts_at_a_sentence_boundary() -> None:
    text = "First sentence is here. " * 14 + "Last one."
    fitted, shortened = fit(Network.X, text)
    assert shortened
    assert fitted.endswith("here.")
    assert weighted_length(Network.X, fitted) <= 280


def test_fit_cuts_at_a_word_boundary_with_an_ellipsis() -> None:
    text = "word " * 100
    fitted, shortened = fit(Network.X, text)
    assert shortened
    assert fitted.endswith("word…")
    assert 270 < weighted_length(Network.X, fitted) <= 280


def test_fit_counts_x_weights() -> None:
    text = "🙂" * 200  # emoji weigh 2 on X
    fitted, shortened = fit(Network.X, text)
    assert shortened
    assert weighted_length(Network.X, fitted) <= 280
    assert fit(Network.REDDIT, text) == (text, False)


def test_fit_with_an_explicit_limit() -> None:
    fitted, shortened = fit(Network.REDDIT, "Supercalifragilistic", most=10)
    assert shortened
    assert len(fitted) <= 10


def test_plain_text_decodes_entities() -> None:
    assert plain_text(" Tom &amp; Jerry &lt;3 &amp;amp; ") == "Tom & Jerry <3 &"


def test_a_regeneration_request_is_followed_as_far_as_the_offline_drafter_can() -> None:
    from bot.drafting.offline import follow

    draft = "Hi Ann, sorry for the trouble with your order, we know you're waiting. Please send us a DM with your order number. Talk soon!"
    shorter, note = follow("shorter", draft)
    assert (
        shorter
        == "Hi Ann, sorry for the trouble with your order. Please send us a DM with your order number."
    )
    assert note == "shorter"
    formal, _ = follow("more formal", "Hi Ann, thanks! Please DM us.")
    assert formal == "Hello Ann, thanks. Please DM us."
    same, note = follow("mention the Monday fix", draft)
    assert same == draft and "cannot follow free instructions" in note

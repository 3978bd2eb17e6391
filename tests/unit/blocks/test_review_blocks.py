"""Reviews and LinkedIn in Slack: the stars and place on the parent, Edit reply on a posted review,
names without handles, Google's limit in bytes in the Edit window."""

from __future__ import annotations

from dataclasses import replace

from blocks.case_message import parent_message
from blocks.draft_card import draft_card
from blocks.edit_modal import edit_modal
from bot.domain import Case, Network, State
from tests.factories import EVIL, make_author, make_case, make_post, make_reply
from tests.unit.blocks.walk import assert_escaped, assert_within_limits, buttons, joined


def review_case(state: State = State.DRAFTED, rating: int = 2) -> Case:
    post = make_post(
        network=Network.GOOGLE,
        id="111/AbFvOq",
        account="acme-shops",
        author=make_author(handle="", name="Giulia R."),
        rating=rating,
        place="Acme Milano Duomo",
        text="Cold pizza",
    )
    return make_case(state, post=post, reply=make_reply(id="111/AbFvOq"))


def test_the_parent_shows_the_stars_the_place_and_the_reviewer() -> None:
    message = parent_message(review_case())
    text = joined(message.blocks)
    assert "★★☆☆☆ 2 of 5 stars" in text and "📍 Acme Milano Duomo" in text and "*Giulia R.*" in text
    assert "r/" not in text and "@" not in text.split("\n")[0]
    assert message.text.startswith("New 2-star review from Giulia R.")
    assert_within_limits(message)


def test_a_place_name_is_escaped() -> None:
    case = review_case()
    message = parent_message(replace(case, post=replace(case.post, place=EVIL)))
    assert_escaped(joined(message.blocks))


def test_a_posted_review_offers_edit_reply_only() -> None:
    card = draft_card(review_case(State.POSTED))
    assert [(b["action_id"], b["text"]["text"]) for b in buttons(card.blocks)] == [
        ("case_edit", "Edit reply")
    ]
    assert "Answering as acme-shops" in joined(card.blocks)


def test_a_posted_x_reply_offers_nothing() -> None:
    assert buttons(draft_card(make_case(State.POSTED)).blocks) == []


def test_the_edit_window_counts_google_bytes() -> None:
    view = edit_modal(review_case())
    assert "4,096 bytes" in str(view["blocks"])


def test_linkedin_names_the_page_without_an_at() -> None:
    post = make_post(
        network=Network.LINKEDIN, account="Acme Inc.", author=make_author(handle="", name="LinkedIn member")
    )
    text = joined(draft_card(make_case(post=post)).blocks) + joined(
        parent_message(make_case(post=post)).blocks
    )
    assert "Answering as Acme Inc." in text and "*LinkedIn member*" in text and "@Acme" not in text


def test_a_review_with_only_stars_says_so() -> None:
    case = review_case()
    message = parent_message(replace(case, post=replace(case.post, text="")))
    assert "_Only stars, no text._" in joined(message.blocks)

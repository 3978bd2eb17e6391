"""Placeholders in saved replies."""

from __future__ import annotations

from bot.adapters.saved import fill
from bot.domain import Author
from tests.factories import make_post, make_reddit_post


def test_placeholders_are_filled_per_network() -> None:
    x = make_post(author=Author(id="1", handle="annlee", name="Ann Lee"))
    reddit = make_reddit_post(author=Author(id="2", handle="bob_r", name="bob_r"))
    text = "Hi {name}! {handle}, thanks from {brand}."
    assert fill(text, x, brand="Acme") == "Hi Ann! @annlee, thanks from Acme."
    assert fill(text, reddit, brand="Acme") == "Hi bob_r! u/bob_r, thanks from Acme."


def test_an_author_without_a_display_name_is_greeted_by_handle() -> None:
    post = make_post(author=Author(id="1", handle="zed", name=""))
    assert fill("Hi {name}", post, brand="Acme") == "Hi zed"

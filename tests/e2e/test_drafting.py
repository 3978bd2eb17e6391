"""Drafts through the whole loop: OpenAI when configured, the offline drafter otherwise or on failure."""

from __future__ import annotations

from bot.sandbox import Sandbox
from tests.e2e.conftest import card_of, mention_and_deliver


def test_without_a_key_the_offline_drafter_writes_in_the_posts_language(sandbox: Sandbox) -> None:
    parent = mention_and_deliver(
        sandbox, "@parleybrand ciao, il mio ordine non è ancora arrivato, potete aiutarmi?", lang="it"
    )
    card = card_of(sandbox, parent).all_text()
    assert "Offline drafter" in card
    assert any(word in card for word in ("Ciao", "ordine", "Grazie", "grazie"))


def test_with_a_key_the_card_shows_the_openai_draft(openai_sandbox: Sandbox) -> None:
    parent = mention_and_deliver(openai_sandbox)
    assert "OpenAI" in card_of(openai_sandbox, parent).all_text()
    [request] = openai_sandbox.openai.requests_to(r"/v1/responses$")  # type: ignore[union-attr]
    assert "my order never arrived" in str(request.json()["input"])
    assert "my order never arrived" not in request.json()["instructions"]


def test_an_openai_failure_falls_back_to_an_offline_draft_and_says_so(openai_sandbox: Sandbox) -> None:
    assert openai_sandbox.openai is not None
    openai_sandbox.openai.fail_next(r"/v1/responses$", status=500, times=5)
    parent = mention_and_deliver(openai_sandbox)
    card = card_of(openai_sandbox, parent)
    assert "Offline drafter" in card.all_text() and "OpenAI" in card.all_text()
    assert [b["text"]["text"] for b in card.buttons()][:3] == ["Approve", "Edit", "Reject"]

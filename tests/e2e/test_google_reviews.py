"""Google reviews through the whole loop: a review becomes one case (stars, place, urgency), Approve
publishes the owner's reply once, an edit replaces it in the same case, an expired token is explained."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import redis

from blocks import ids
from bot.domain import State
from demo.sandbox import CHANNEL, Sandbox
from emulators.google_business import GoogleBusinessEmulator
from emulators.slack import Message, checkboxes_value, plain_text_value
from tests.e2e.conftest import Clock, card_of, checks, forwarded, modal_for, thread_texts

TARGETS = {"PARLEY_TARGETS": "urgent=15,question=60,complaint=60,*=240"}


@pytest.fixture
def sandbox(redis_client: redis.Redis, clock: Clock) -> Iterator[Sandbox]:
    with Sandbox(redis_client, clock=clock, google=True, env=TARGETS) as sb:
        yield sb


@pytest.fixture
def google(sandbox: Sandbox) -> GoogleBusinessEmulator:
    assert sandbox.google is not None
    return sandbox.google


def review_and_deliver(
    sb: Sandbox, google: GoogleBusinessEmulator, stars: int = 1, text: str = "Cold pizza and a rude waiter."
) -> tuple[str, Message]:
    location = next(iter(google.store.locations), None) or google.add_location("Acme Milano Duomo")
    sb.poll("google")  # the first poll measures the location
    review = google.add_review(location, stars, text, reviewer="Giulia R.")
    assert sb.poll("google").new == 1
    sb.drain()
    return review, forwarded(sb)[-1]


def labels(message: Message) -> list[str]:
    return [str(button["text"]["text"]) for button in message.buttons()]


def edit_and_approve(sb: Sandbox, card: Message, text: str, user: str = "U_MARIA") -> None:
    sb.slack.click(sb.app_url, card, "Edit reply" if "Edit reply" in labels(card) else "Edit", user=user)
    sb.slack.submit_view(
        sb.app_url,
        modal_for(sb, user).id,
        {
            ids.BLOCK_DRAFT: {ids.ACTION_DRAFT_TEXT: plain_text_value(text)},
            ids.BLOCK_OPTIONS: {ids.ACTION_APPROVE_AFTER: checkboxes_value(ids.OPTION_APPROVE)},
        },
    )
    sb.drain()


def test_a_one_star_review_arrives_once_urgent_with_its_stars_and_place(
    sandbox: Sandbox, google: GoogleBusinessEmulator
) -> None:
    review, parent = review_and_deliver(sandbox, google, stars=1)
    text = parent.all_text()
    assert "Google reviews" in text and "Giulia R." in text and "Acme Milano Duomo" in text
    assert "★☆☆☆☆ 1 of 5 stars" in text and "Cold pizza and a rude waiter." in text
    assert "High urgency" in text
    assert "/4,096" in card_of(sandbox, parent).all_text()
    [case] = sandbox.parley.store.open_cases()
    assert case.post.rating == 1 and case.triage is not None and case.triage.urgency == "high"
    assert sandbox.parley.settings.targets.target_for(case) == timedelta(minutes=15)
    # Polled again, and even changed by its author: still one case.
    google.edit_review(review, comment="Cold pizza, rude waiter, and they charged us twice.")
    assert sandbox.poll("google").new == 0
    sandbox.drain()
    assert len(forwarded(sandbox)) == 1


def test_a_four_star_review_is_not_urgent(sandbox: Sandbox, google: GoogleBusinessEmulator) -> None:
    _, parent = review_and_deliver(sandbox, google, stars=4, text="Good coffee, nice staff.")
    [case] = sandbox.parley.store.open_cases()
    assert case.triage is not None and case.triage.urgency != "high"
    assert "★★★★☆" in parent.all_text()


def test_approve_publishes_the_owner_reply_once(sandbox: Sandbox, google: GoogleBusinessEmulator) -> None:
    review, parent = review_and_deliver(sandbox, google)
    [case] = sandbox.parley.store.open_cases()
    card = card_of(sandbox, parent)
    for user in ("U_MARIA", "U_LUCA"):
        sandbox.slack.click(sandbox.app_url, card, "Approve", user=user)
    sandbox.drain()
    assert case.draft is not None and google.replies_put(review) == [case.draft.text]
    posted = sandbox.parley.store.require(case.id)
    assert posted.state is State.POSTED and posted.reply is not None and posted.reply.url == case.post.url
    assert "Posted by" in sandbox.slack.message(CHANNEL, parent.ts).all_text()
    assert labels(card_of(sandbox, parent)) == ["Edit reply"]


def test_an_edit_replaces_the_published_reply_in_the_same_case(
    sandbox: Sandbox, google: GoogleBusinessEmulator
) -> None:
    review, parent = review_and_deliver(sandbox, google)
    [case] = sandbox.parley.store.open_cases()
    edit_and_approve(sandbox, card_of(sandbox, parent), "Sorry Giulia, we will call you today.")
    first = sandbox.parley.store.require(case.id)
    assert first.state is State.POSTED and first.reply is not None

    edit_and_approve(
        sandbox, card_of(sandbox, parent), "Sorry Giulia: the refund is on its way.", user="U_LUCA"
    )
    after = sandbox.parley.store.require(case.id)
    assert after.state is State.POSTED
    assert google.reply_of(review) == "Sorry Giulia: the refund is on its way."
    assert google.replies_put(review) == [
        "Sorry Giulia, we will call you today.",
        "Sorry Giulia: the refund is on its way.",
    ]
    assert after.reply is not None and after.reply.posted_at == first.reply.posted_at  # first response kept
    assert len(forwarded(sandbox)) == 1  # one case, one thread
    assert [a.action for a in after.history].count("posted") == 2
    assert "Posted by <@U_LUCA>" in sandbox.slack.message(CHANNEL, parent.ts).all_text()


def test_a_revoked_token_is_explained_in_the_thread_and_by_the_doctor(
    sandbox: Sandbox, google: GoogleBusinessEmulator, redis_url: str
) -> None:
    review, parent = review_and_deliver(sandbox, google)
    google.revoke_refresh_token()
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "Approve", user="U_MARIA")
    sandbox.drain()
    [case] = sandbox.parley.store.open_cases()
    assert case.state is State.FAILED and google.reply_of(review) is None
    assert any("GOOGLE_BUSINESS_REFRESH_TOKEN" in t for t in thread_texts(sandbox, parent))

    found = checks(sandbox, redis_url)
    assert not found["google"].ok
    assert (
        "refresh token" in found["google"].detail
        and "GOOGLE_BUSINESS_REFRESH_TOKEN" in found["google"].detail
    )


@pytest.fixture
def regions(redis_client: redis.Redis, clock: Clock) -> Iterator[Sandbox]:
    def config(sb: Sandbox) -> str:
        assert sb.google is not None
        g = sb.google
        return f"""
[[accounts]]
name = "acme-shops"
network = "google"
client_id = "env:GOOGLE_BUSINESS_CLIENT_ID"
client_secret = "env:GOOGLE_BUSINESS_CLIENT_SECRET"
refresh_token = "env:GOOGLE_BUSINESS_REFRESH_TOKEN"
account_id = "{g.account}"
api_url = "{g.url}"
information_url = "{g.url}"
oauth_url = "{g.token_url}"

[[routes]]
channel = "C_NORTH"
networks = ["google"]
places = ["Acme Milano Duomo", "Acme Torino"]
"""

    with Sandbox(redis_client, clock=clock, google=True, config=config) as sb:
        yield sb


def test_a_region_s_locations_are_routed_to_their_channel(regions: Sandbox) -> None:
    sb, google = regions, regions.google
    assert google is not None
    milan, rome = google.add_location("Acme Milano Duomo"), google.add_location("Acme Roma")
    sb.poll("acme-shops")
    google.add_review(milan, 2, "Slow service in Milan")
    google.add_review(rome, 5, "Lovely in Rome")
    assert sb.poll("acme-shops").new == 2
    sb.drain()
    assert [("Slow service in Milan" in m.all_text()) for m in sb.slack.messages("C_NORTH")] == [True]
    assert [("Lovely in Rome" in m.all_text()) for m in forwarded(sb)] == [True]

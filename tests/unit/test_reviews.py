"""Reviews in the domain: stars make 1- and 2-star reviews urgent, a posted review's reply can be
edited and published again in the same case, Google counts bytes, routes can name places."""

from __future__ import annotations

import pytest

from bot.domain import (
    Case,
    Network,
    Post,
    State,
    TransitionError,
    approve,
    edit,
    mark_posted,
    open_case,
    start_editing,
    start_publish,
)
from bot.domain.reviews import revisable, stars, with_rating
from bot.domain.routing import Route, route
from bot.domain.text import length_problem, weighted_length
from tests.factories import T0, make_author, make_case, make_post, make_reply, make_triage, minutes


def review(rating: int = 1, place: str = "Acme Milano Duomo") -> Post:
    return make_post(
        network=Network.GOOGLE,
        id="111/AbFvOq",
        author=make_author(handle="", name="Giulia R."),
        rating=rating,
        place=place,
        text="Cold pizza",
    )


@pytest.mark.parametrize(
    ("rating", "urgency"), [(1, "high"), (2, "high"), (3, "low"), (5, "low"), (None, "low")]
)
def test_one_or_two_stars_are_urgent_whatever_the_words(rating: int | None, urgency: str) -> None:
    post = make_post(network=Network.GOOGLE, rating=rating)
    assert with_rating(post, make_triage(urgency="low")).urgency == urgency


def test_stars_are_drawn_out_of_five() -> None:
    assert (stars(1), stars(4), stars(9)) == ("★☆☆☆☆", "★★★★☆", "★★★★★")


def posted_review() -> Case:
    return make_case(
        State.POSTED, post=review(), reply=make_reply(id="111/AbFvOq", posted_at=T0 + minutes(7))
    )


def test_a_posted_review_can_be_edited_approved_and_published_again_in_the_same_case() -> None:
    case = posted_review()
    assert revisable(case)
    editing = start_editing(case, by="U_LUCA", at=T0 + minutes(30), for_seconds=600)
    edited = edit(editing, "Sorry Giulia, the manager will call you.", by="U_LUCA", at=T0 + minutes(31))
    assert edited.state is State.DRAFTED and edited.id == case.id and edited.publish_attempts == 0
    approved = approve(edited, by="U_LUCA", at=T0 + minutes(32))
    publishing = start_publish(approved, at=T0 + minutes(33), lease_seconds=60)
    assert publishing.publish_attempts == 1  # the first attempt of the new text posts without looking
    replaced = mark_posted(
        publishing, make_reply(id="111/AbFvOq", posted_at=T0 + minutes(34)), at=T0 + minutes(34)
    )
    assert replaced.state is State.POSTED and replaced.approved_by == "U_LUCA"
    assert replaced.reply is not None and replaced.reply.posted_at == T0 + minutes(7)  # first response kept
    assert [a.action for a in replaced.history].count("posted") == 2


def test_a_posted_reply_elsewhere_stays_closed() -> None:
    case = make_case(State.POSTED)
    assert not revisable(case)
    with pytest.raises(TransitionError):
        edit(case, "something else", by="U_LUCA", at=T0 + minutes(30))
    with pytest.raises(TransitionError):
        start_editing(case, by="U_LUCA", at=T0 + minutes(30), for_seconds=600)


def test_a_posted_review_is_not_approved_again_without_an_edit() -> None:
    with pytest.raises(TransitionError):
        approve(posted_review(), by="U_LUCA", at=T0 + minutes(30))


def test_a_review_is_one_case_whatever_changes() -> None:
    first = open_case(review(rating=2), at=T0)
    again = open_case(review(rating=1), at=T0 + minutes(60))
    assert first.id == again.id


def test_google_counts_bytes() -> None:
    assert weighted_length(Network.GOOGLE, "caffè ☕") == 10
    assert weighted_length(Network.LINKEDIN, "caffè ☕") == 7
    assert length_problem(Network.GOOGLE, "è" * 2048) is None
    assert length_problem(Network.GOOGLE, "è" * 2049) is not None
    assert length_problem(Network.LINKEDIN, "x" * 1251) is not None


def test_a_route_can_name_places() -> None:
    north = Route(channel="C_NORTH", networks=frozenset({"google"}), places=frozenset({"Acme Milano Duomo"}))
    assert (
        route(review(place="acme milano duomo"), None, source="g", routes=[north], default="C_ALL")
        == "C_NORTH"
    )
    assert route(review(place="Acme Roma"), None, source="g", routes=[north], default="C_ALL") == "C_ALL"
    assert route(make_post(), None, source="x", routes=[north], default="C_ALL") == "C_ALL"

"""GoogleBusinessConnector through google-auth's AuthorizedSession against GoogleBusinessEmulator."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.domain import Author, Network, Post
from connectors.base import Forbidden, Gone, RateLimited, Refused, Unauthorized, Unavailable
from connectors.google_business import REFRESH_REFUSED, GoogleBusinessConnector, Place, post_id
from emulators.google_business import GoogleBusinessEmulator

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.fixture
def google() -> Iterator[GoogleBusinessEmulator]:
    with GoogleBusinessEmulator() as emulator:
        yield emulator


def _connector(emulator: GoogleBusinessEmulator, **overrides: object) -> GoogleBusinessConnector:
    options: dict[str, object] = {
        "client_id": emulator.client_id,
        "client_secret": emulator.client_secret,
        "refresh_token": emulator.refresh_token,
        "account_id": emulator.account,
        "name": "acme-shops",
        "api_url": emulator.url,
        "information_url": emulator.url,
        "token_url": emulator.token_url,
        "timeout": 2.0,
        "clock": lambda: NOW,
        **overrides,
    }
    return GoogleBusinessConnector(**options)  # type: ignore[arg-type]


@pytest.fixture
def connector(google: GoogleBusinessEmulator) -> Iterator[GoogleBusinessConnector]:
    with _connector(google) as conn:
        yield conn


def _review(google: GoogleBusinessEmulator, connector: GoogleBusinessConnector, stars: int = 2) -> Post:
    location = google.add_location("Acme Milano Duomo")
    cursor = connector.fetch(None).cursor
    google.add_review(location, stars, "Waited 40 minutes, nobody came.", reviewer="Giulia R.")
    [post] = connector.fetch(cursor).posts
    return post


def test_a_new_review_becomes_a_post_with_its_stars_and_place(
    google: GoogleBusinessEmulator, connector: GoogleBusinessConnector
) -> None:
    location = google.add_location("Acme Milano Duomo")
    first = connector.fetch(None)
    assert first.posts == []  # the first poll only measures: no backfill
    review = google.add_review(location, 1, "Rude staff.", reviewer="Giulia R.")
    batch = connector.fetch(first.cursor)
    created = datetime.fromtimestamp(google.store.reviews[review].created, UTC)
    assert batch.posts == [
        Post(
            network=Network.GOOGLE,
            id=post_id(location, review),
            account="Acme Milano Duomo",
            author=Author(id="Giulia R.", handle="", name="Giulia R."),
            text="Rude staff.",
            url=f"https://maps.google.com/maps?cid={location}",
            created_at=created,
            conversation_id=post_id(location, review),
            place="Acme Milano Duomo",
            rating=1,
        )
    ]
    assert connector.fetch(batch.cursor).posts == []


def test_each_location_of_the_account_is_read_and_answered_reviews_are_skipped(
    google: GoogleBusinessEmulator, connector: GoogleBusinessConnector
) -> None:
    milan, rome = google.add_location("Milano"), google.add_location("Roma")
    cursor = connector.fetch(None).cursor
    google.add_review(milan, 5, "Great coffee")
    answered = google.add_review(rome, 4, "Nice")
    google.store.reviews[answered].reply, google.store.reviews[answered].reply_updated = "Thanks!", 1.0
    anonymous = google.add_review(rome, 3, "", anonymous=True)
    posts = connector.fetch(cursor).posts
    assert [(p.place, p.rating, p.text) for p in posts] == [("Milano", 5, "Great coffee"), ("Roma", 3, "")]
    assert posts[1].author.name == "A Google user" and posts[1].id.endswith(anonymous)


def test_only_the_listed_locations_are_watched(google: GoogleBusinessEmulator) -> None:
    milan, rome = google.add_location("Milano"), google.add_location("Roma")
    with _connector(google, locations=(f"locations/{rome}",)) as only_rome:
        cursor = only_rome.fetch(None).cursor
        google.add_review(milan, 5, "Great")
        google.add_review(rome, 5, "Great too")
        assert [p.place for p in only_rome.fetch(cursor).posts] == ["Roma"]
        assert list(only_rome.places()) == [rome]


def test_an_edited_review_comes_again_with_the_same_post_id(
    google: GoogleBusinessEmulator, connector: GoogleBusinessConnector
) -> None:
    location = google.add_location("Milano")
    cursor = connector.fetch(None).cursor
    review = google.add_review(location, 2, "Slow")
    batch = connector.fetch(cursor)
    google.edit_review(review, comment="Slow and cold", stars=1)
    [again] = connector.fetch(batch.cursor).posts
    assert again.id == batch.posts[0].id and again.rating == 1 and again.text == "Slow and cold"


def test_pages_are_followed_down_to_the_cursor(
    google: GoogleBusinessEmulator, connector: GoogleBusinessConnector
) -> None:
    location = google.add_location("Milano")
    google.add_review(location, 4, "old")
    cursor = connector.fetch(None).cursor
    for n in range(60):
        google.add_review(location, 5, f"review {n}")
    posts = connector.fetch(cursor).posts
    assert [p.text for p in posts] == [f"review {n}" for n in range(60)]
    assert len(google.requests_to(r"/reviews$")) == 3  # the measuring page, then two pages of 50


def test_reply_puts_the_owner_reply_and_a_second_put_replaces_it(
    google: GoogleBusinessEmulator, connector: GoogleBusinessConnector
) -> None:
    post = _review(google, connector)
    review = post.id.partition("/")[2]
    reply = connector.reply(post, "Sorry Giulia, we are on it.")
    assert reply.id == post.id and reply.url == post.url
    assert google.reply_of(review) == "Sorry Giulia, we are on it."
    connector.reply(post, "Sorry Giulia: the manager will call you today.")
    assert google.reply_of(review) == "Sorry Giulia: the manager will call you today."
    [put] = google.requests_to(r"/reply$", method="PUT")[:1]
    assert put.json() == {"comment": "Sorry Giulia, we are on it."}
    assert (put.header("Authorization") or "").startswith("Bearer ya29.")


def test_find_reply_compares_the_current_reply(
    google: GoogleBusinessEmulator, connector: GoogleBusinessConnector
) -> None:
    post = _review(google, connector)
    assert connector.find_reply(post, "Thanks") is None
    connector.reply(post, "Thanks  for telling us.")
    found = connector.find_reply(post, "Thanks for\ntelling us.")
    assert found is not None and found.id == post.id
    assert connector.find_reply(post, "Something else") is None


def test_an_expired_access_token_is_refreshed_once(
    google: GoogleBusinessEmulator, connector: GoogleBusinessConnector
) -> None:
    post = _review(google, connector)
    google.expire_access_tokens()
    connector.reply(post, "Thanks")
    assert len(google.requests_to(r"^/token$")) == 2


def test_a_revoked_refresh_token_is_explained(
    google: GoogleBusinessEmulator, connector: GoogleBusinessConnector
) -> None:
    post = _review(google, connector)
    google.revoke_refresh_token()
    with pytest.raises(Unauthorized) as refused:
        connector.reply(post, "Thanks")
    assert refused.value.message == REFRESH_REFUSED
    assert "GOOGLE_BUSINESS_REFRESH_TOKEN" in refused.value.message
    assert google.reply_of(post.id.partition("/")[2]) is None


def test_a_wrong_client_secret_is_explained(google: GoogleBusinessEmulator) -> None:
    google.add_location("Milano")
    with _connector(google, client_secret="nope") as wrong, pytest.raises(Unauthorized) as refused:
        wrong.verify()
    assert "GOOGLE_BUSINESS_CLIENT_SECRET" in refused.value.message


def test_verify_names_the_locations(
    google: GoogleBusinessEmulator, connector: GoogleBusinessConnector
) -> None:
    for title in ("Milano", "Roma", "Torino", "Napoli"):
        google.add_location(title)
    assert connector.verify() == "acme-shops: 4 location(s) (Milano, Roma, Torino and 1 more)"


@pytest.mark.parametrize(
    ("status", "error", "words"),
    [
        (429, RateLimited, "quota"),
        (503, Unavailable, "problem on its side"),
        (404, Gone, "deleted"),
        (400, Refused, "error 400"),
    ],
)
def test_reply_errors_are_translated(
    google: GoogleBusinessEmulator,
    connector: GoogleBusinessConnector,
    status: int,
    error: type[Exception],
    words: str,
) -> None:
    post = _review(google, connector)
    google.fail_next(r"/reply$", status=status)
    with pytest.raises(error) as raised:
        connector.reply(post, "Thanks")
    assert words in str(raised.value)
    assert len(google.requests_to(r"/reply$")) == 1 and google.reply_of(post.id.partition("/")[2]) is None


def test_a_rate_limit_says_when_to_come_back(
    google: GoogleBusinessEmulator, connector: GoogleBusinessConnector
) -> None:
    post = _review(google, connector)
    google.fail_next(r"/reply$", status=429)
    with pytest.raises(RateLimited) as limited:
        connector.reply(post, "Thanks")
    assert limited.value.retry_at is not None and limited.value.retry_at > NOW


def test_a_disabled_api_and_an_unverified_location_are_explained(
    google: GoogleBusinessEmulator, connector: GoogleBusinessConnector
) -> None:
    post = _review(google, connector)
    message = "My Business API has not been used in project 123 before or it is disabled."
    google.fail_next(
        r"/reply$",
        status=403,
        body={"error": {"code": 403, "message": message, "status": "PERMISSION_DENIED"}},
    )
    with pytest.raises(Unauthorized, match="not enabled"):
        connector.reply(post, "Thanks")
    google.store.locations[post.id.partition("/")[0]].verified = False
    with pytest.raises(Forbidden, match="not verified"):
        connector.reply(post, "Thanks")


def test_a_review_id_without_a_location_is_refused(connector: GoogleBusinessConnector) -> None:
    post = Post(Network.GOOGLE, "justareview", "acme", Author("a", "", "A"), "x", "https://x", NOW)
    with pytest.raises(Refused):
        connector.reply(post, "Thanks")


def test_a_place_without_maps_link_points_at_the_reviews_page() -> None:
    assert (
        Place.from_api({"name": "locations/9", "title": "Shop"}).url == "https://business.google.com/reviews"
    )

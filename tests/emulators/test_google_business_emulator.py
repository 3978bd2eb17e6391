"""GoogleBusinessEmulator through google-auth (the client Parley uses): tokens, shapes, paging, refusals."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from google.auth.transport.requests import AuthorizedSession
from google.oauth2.credentials import Credentials

from emulators.google_business import GoogleBusinessEmulator


@pytest.fixture
def google() -> Iterator[GoogleBusinessEmulator]:
    with GoogleBusinessEmulator() as emulator:
        yield emulator


def session(google: GoogleBusinessEmulator, refresh_token: str | None = None) -> AuthorizedSession:
    credentials = Credentials(  # type: ignore[no-untyped-call]
        token=None,
        refresh_token=refresh_token or google.refresh_token,
        token_uri=google.token_url,
        client_id=google.client_id,
        client_secret=google.client_secret,
    )
    return AuthorizedSession(credentials)  # type: ignore[no-untyped-call]


def get(s: AuthorizedSession, url: str, **params: str) -> requests.Response:
    response: requests.Response = s.request("GET", url, params=params)  # type: ignore[no-untyped-call]
    return response


def test_the_token_endpoint_answers_as_google_does(google: GoogleBusinessEmulator) -> None:
    form = {
        "grant_type": "refresh_token",
        "refresh_token": google.refresh_token,
        "client_id": google.client_id,
        "client_secret": google.client_secret,
    }
    ok = requests.post(google.token_url, data=form, timeout=5).json()
    assert set(ok) == {"access_token", "expires_in", "scope", "token_type"} and ok["token_type"] == "Bearer"
    bad = requests.post(google.token_url, data={**form, "refresh_token": "nope"}, timeout=5)
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_grant"


def test_reviews_have_google_shape_and_pages(google: GoogleBusinessEmulator) -> None:
    location = google.add_location("Milano")
    for n in range(55):
        google.add_review(location, 1 + n % 5, f"review {n}")
    s = session(google)
    url = f"{google.url}/v4/accounts/{google.account}/locations/{location}/reviews"
    first = get(s, url, pageSize="50").json()
    assert len(first["reviews"]) == 50 and first["totalReviewCount"] == 55 and "averageRating" in first
    review = first["reviews"][0]
    assert review["comment"] == "review 54"  # most recently updated first
    assert review["name"].startswith(f"accounts/{google.account}/locations/{location}/reviews/")
    assert set(review) >= {"reviewId", "reviewer", "starRating", "createTime", "updateTime"}
    second = get(s, url, pageSize="50", pageToken=first["nextPageToken"]).json()
    assert len(second["reviews"]) == 5 and "nextPageToken" not in second


def test_without_a_token_google_answers_401(google: GoogleBusinessEmulator) -> None:
    location = google.add_location("Milano")
    url = f"{google.url}/v4/accounts/{google.account}/locations/{location}/reviews"
    answer = requests.get(url, timeout=5)
    assert answer.status_code == 401 and answer.json()["error"]["status"] == "UNAUTHENTICATED"


def test_a_reply_is_refused_over_4096_bytes_and_replaced_by_each_put(google: GoogleBusinessEmulator) -> None:
    location = google.add_location("Milano")
    review = google.add_review(location, 2, "meh")
    s = session(google)
    url = f"{google.url}/v4/accounts/{google.account}/locations/{location}/reviews/{review}/reply"
    too_long = s.request("PUT", url, json={"comment": "è" * 2049})  # type: ignore[no-untyped-call]
    assert too_long.status_code == 400
    for text in ("first", "second"):
        assert s.request("PUT", url, json={"comment": text}).status_code == 200  # type: ignore[no-untyped-call]
    assert google.reply_of(review) == "second" and google.replies_put(review) == ["first", "second"]


def test_other_accounts_and_unverified_locations_are_refused(google: GoogleBusinessEmulator) -> None:
    location = google.add_location("Milano", verified=False)
    s = session(google)
    other = get(s, f"{google.url}/v4/accounts/999/locations/{location}/reviews")
    assert other.status_code == 403 and other.json()["error"]["status"] == "PERMISSION_DENIED"
    unverified = get(s, f"{google.url}/v4/accounts/{google.account}/locations/{location}/reviews")
    assert unverified.status_code == 400 and unverified.json()["error"]["status"] == "FAILED_PRECONDITION"

"""A small typed client for the three Google endpoints Parley uses, on google-auth's `AuthorizedSession`.

google-auth turns the refresh token into short-lived access tokens (at `token_url`) and refreshes
them when they expire or a call answers 401. Every base URL is configurable, so the same code runs
against `emulators/google_business`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from google.auth.transport.requests import AuthorizedSession

from connectors.google_business.errors import ApiError
from connectors.google_oauth import TOKEN_URL, credentials

API_URL = "https://mybusiness.googleapis.com"  # v4: reviews and replies
INFORMATION_URL = "https://mybusinessbusinessinformation.googleapis.com"  # v1: locations
SCOPE = "https://www.googleapis.com/auth/business.manage"


class BusinessProfileClient:
    """GET and PUT on the Business Profile APIs as the authorized Google user; errors raise `ApiError`."""

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        api_url: str = API_URL,
        information_url: str = INFORMATION_URL,
        token_url: str = TOKEN_URL,
        timeout: float = 10.0,
    ) -> None:
        signed_in = credentials(
            client_id=client_id,
            client_secret=client_secret,
            refresh_token=refresh_token,
            token_url=token_url,
            scope=SCOPE,
        )
        self._session = AuthorizedSession(signed_in, refresh_timeout=timeout)  # type: ignore[no-untyped-call]
        self._api = api_url.rstrip("/")
        self._information = information_url.rstrip("/")
        self._timeout = timeout

    def reviews(
        self, location: str, *, account: str, page_token: str | None, page_size: int
    ) -> dict[str, Any]:
        """One page of a location's reviews, most recently updated first."""
        params = {"pageSize": str(page_size), "orderBy": "updateTime desc"}
        if page_token:
            params["pageToken"] = page_token
        return self._call(
            "GET", f"{self._api}/v4/accounts/{_id(account)}/locations/{_id(location)}/reviews", params
        )

    def review(self, location: str, review: str, *, account: str) -> dict[str, Any]:
        return self._call("GET", f"{self._review_url(account, location, review)}")

    def put_reply(self, location: str, review: str, comment: str, *, account: str) -> dict[str, Any]:
        """Create the owner's reply, or replace it (a PUT: sending it twice leaves one reply)."""
        return self._call(
            "PUT", f"{self._review_url(account, location, review)}/reply", body={"comment": comment}
        )

    def locations(self, *, account: str, page_token: str | None) -> dict[str, Any]:
        params = {"readMask": "name,title,metadata", "pageSize": "100"}
        if page_token:
            params["pageToken"] = page_token
        return self._call("GET", f"{self._information}/v1/accounts/{_id(account)}/locations", params)

    def location(self, location: str) -> dict[str, Any]:
        return self._call(
            "GET", f"{self._information}/v1/locations/{_id(location)}", {"readMask": "name,title,metadata"}
        )

    def close(self) -> None:
        self._session.close()  # type: ignore[no-untyped-call]

    def _review_url(self, account: str, location: str, review: str) -> str:
        return f"{self._api}/v4/accounts/{_id(account)}/locations/{_id(location)}/reviews/{_id(review)}"

    def _call(
        self, method: str, url: str, params: dict[str, str] | None = None, body: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        response = self._session.request(  # type: ignore[no-untyped-call]
            method, url, params=params, json=body, timeout=self._timeout
        )
        try:
            data = response.json() if response.content else {}
        except ValueError:
            data = {}
        if response.status_code >= 400:
            raise ApiError(response.status_code, data, dict(response.headers))
        return data if isinstance(data, dict) else {}


def _id(value: str) -> str:
    """A path segment: ids come from Google or the settings, but never let one reshape the path."""
    return quote(value, safe="")

"""`GoogleBusinessEmulator`: the OAuth token endpoint and the Business Profile endpoints Parley calls."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any

from emulators.google_business.store import MAX_REPLY_BYTES, Location, Review, Store
from emulators.http import Emulator, RecordedRequest, Response, route

_STATUS = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
           429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}  # fmt: skip
_REVIEWS = r"/v4/accounts/(?P<account>[^/]+)/locations/(?P<location>[^/]+)/reviews"


def google_error(status: int, message: str, reason: str | None = None) -> Response:
    """Google's JSON error body (google.rpc.Status as the APIs render it)."""
    return Response(
        status,
        {"error": {"code": status, "message": message, "status": reason or _STATUS.get(status, "UNKNOWN")}},
    )


class GoogleBusinessEmulator(Emulator):
    """One server for the token endpoint (`token_url`), Business Information v1 (`information_url`)
    and the v4 reviews API (`api_url`): point all three settings at `url`."""

    def __init__(
        self, *, clock: Callable[[], float] = time.time, account: str = "1070000000000000001"
    ) -> None:
        super().__init__()
        self.clock = clock
        self.client_id = "parley-sandbox.apps.googleusercontent.com"
        self.client_secret = "GOCSPX-sandbox-secret"
        self.refresh_token = "1//sandbox-refresh-token"
        self.account = account
        self.store = Store(account)
        self.store.refresh_tokens.add(self.refresh_token)

    def reset(self) -> None:
        super().reset()
        with self._lock:
            self.store = Store(self.account)
            self.store.refresh_tokens.add(self.refresh_token)

    @property
    def token_url(self) -> str:
        return self.url + "/token"

    # --- test helpers ---

    def add_location(self, title: str, *, verified: bool = True) -> str:
        with self._lock:
            location = Location(self.store.new_location_id(), title, verified)
            self.store.locations[location.id] = location
            return location.id

    def add_review(
        self,
        location: str,
        stars: int,
        comment: str = "",
        *,
        reviewer: str = "Jane Doe",
        anonymous: bool = False,
    ) -> str:
        if stars not in range(1, 6):
            raise ValueError("stars must be 1-5")
        with self._lock:
            at = self._now()
            review = Review(
                self.account,
                location,
                self.store.new_review_id(),
                stars,
                comment,
                reviewer,
                at,
                at,
                anonymous,
            )
            self.store.reviews[review.id] = review
            return review.id

    def edit_review(self, review_id: str, *, comment: str | None = None, stars: int | None = None) -> None:
        """The customer changes their review: a new `updateTime`, the same review id."""
        with self._lock:
            review = self.store.reviews[review_id]
            review.comment = review.comment if comment is None else comment
            review.stars = review.stars if stars is None else stars
            review.updated = self._now()

    def reply_of(self, review_id: str) -> str | None:
        with self._lock:
            return self.store.reviews[review_id].reply

    def replies_put(self, review_id: str) -> list[str]:
        """Every reply text put on the review, oldest first (a replaced reply is still listed)."""
        with self._lock:
            return list(self.store.reviews[review_id].reply_history)

    def revoke_refresh_token(self) -> None:
        """As when the Google user revokes access or a Testing app's 7-day token expires."""
        with self._lock:
            self.store.refresh_tokens.clear()
            self.store.access_tokens.clear()

    def expire_access_tokens(self) -> None:
        with self._lock:
            self.store.access_tokens.clear()

    def _now(self) -> float:
        """Strictly increasing, so updateTime orders every change."""
        at = self.clock()
        last = max((max(r.updated, r.reply_updated or 0) for r in self.store.reviews.values()), default=0.0)
        return max(at, last + 0.001)

    # --- OAuth 2.0 token endpoint (RFC 6749 refresh_token grant, as oauth2.googleapis.com answers) ---

    @route("POST", r"/token")
    def token(self, request: RecordedRequest) -> Response:
        form = request.form()
        if form.get("grant_type") != "refresh_token":
            return Response(
                400, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type"}
            )
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return Response(
                401, {"error": "invalid_client", "error_description": "The OAuth client was not found."}
            )
        with self._lock:
            if form.get("refresh_token") not in self.store.refresh_tokens:
                return Response(
                    400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
                )
            token = "ya29.sandbox-" + secrets.token_urlsafe(16)
            self.store.access_tokens.add(token)
        scope = "https://www.googleapis.com/auth/business.manage"
        return Response(
            200, {"access_token": token, "expires_in": 3599, "scope": scope, "token_type": "Bearer"}
        )

    def _signed_in(self, request: RecordedRequest) -> Response | None:
        token = request.bearer()
        with self._lock:
            known = token is not None and token in self.store.access_tokens
        if known:
            return None
        return google_error(
            401,
            "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or "
            "other valid authentication credential.",
        )

    def _account_error(self, account: str) -> Response | None:
        if account != self.account:
            return google_error(403, "The caller does not have permission")
        return None

    # --- Business Information API v1 ---

    @route("GET", r"/v1/accounts/(?P<account>[^/]+)/locations")
    def list_locations(self, request: RecordedRequest) -> Response:
        refused = self._signed_in(request) or self._account_error(request.path_params["account"])
        if refused:
            return refused
        if not request.query.get("readMask"):
            return google_error(400, "Request contains an invalid argument.")
        size = min(int(request.query.get("pageSize") or 10), 100)
        start = int(request.query.get("pageToken") or 0)
        with self._lock:
            locations = list(self.store.locations.values())
        page = locations[start : start + size]
        body: dict[str, Any] = {"locations": [loc.render() for loc in page]} if page else {}
        if start + size < len(locations):
            body["nextPageToken"] = str(start + size)
        return Response(200, body)

    @route("GET", r"/v1/locations/(?P<location>[^/]+)")
    def get_location(self, request: RecordedRequest) -> Response:
        refused = self._signed_in(request)
        if refused:
            return refused
        with self._lock:
            location = self.store.locations.get(request.path_params["location"])
        if location is None:
            return google_error(404, "Requested entity was not found.")
        return Response(200, location.render())

    # --- My Business API v4: reviews ---

    def _location(self, request: RecordedRequest) -> Location | Response:
        refused = self._signed_in(request) or self._account_error(request.path_params["account"])
        if refused:
            return refused
        with self._lock:
            location = self.store.locations.get(request.path_params["location"])
        if location is None:
            return google_error(404, "Requested entity was not found.")
        if not location.verified:
            return google_error(400, "Precondition check failed.", "FAILED_PRECONDITION")
        return location

    @route("GET", _REVIEWS)
    def list_reviews(self, request: RecordedRequest) -> Response:
        location = self._location(request)
        if isinstance(location, Response):
            return location
        order = request.query.get("orderBy", "updateTime desc")
        if order not in ("updateTime desc", "rating", "rating desc"):
            return google_error(400, "Request contains an invalid argument.")
        size = min(int(request.query.get("pageSize") or 50), 50)
        start = int(request.query.get("pageToken") or 0)
        with self._lock:
            reviews = self.store.location_reviews(location.id)
            if order != "updateTime desc":
                reviews.sort(key=lambda r: r.stars, reverse=order == "rating desc")
            page = [r.render() for r in reviews[start : start + size]]
            body: dict[str, Any] = {"totalReviewCount": len(reviews)}
            if reviews:
                body["averageRating"] = round(sum(r.stars for r in reviews) / len(reviews), 1)
        if page:
            body["reviews"] = page
        if start + size < len(reviews):
            body["nextPageToken"] = str(start + size)
        return Response(200, body)

    def _review(self, request: RecordedRequest) -> Review | Response:
        location = self._location(request)
        if isinstance(location, Response):
            return location
        with self._lock:
            review = self.store.reviews.get(request.path_params["review"])
        if review is None or review.location != location.id:
            return google_error(404, "Requested entity was not found.")
        return review

    @route("GET", _REVIEWS + r"/(?P<review>[^/]+)")
    def get_review(self, request: RecordedRequest) -> Response:
        review = self._review(request)
        if isinstance(review, Response):
            return review
        with self._lock:
            return Response(200, review.render())

    @route("PUT", _REVIEWS + r"/(?P<review>[^/]+)/reply")
    def update_reply(self, request: RecordedRequest) -> Response:
        review = self._review(request)
        if isinstance(review, Response):
            return review
        try:
            body = request.json()
        except ValueError:
            return google_error(400, "Invalid JSON payload received.")
        comment = body.get("comment") if isinstance(body, dict) else None
        if not isinstance(comment, str) or not comment.strip():
            return google_error(400, "Request contains an invalid argument.")
        if len(comment.encode("utf-8")) > MAX_REPLY_BYTES:
            return google_error(400, "Request contains an invalid argument.")
        with self._lock:
            review.reply = comment
            review.reply_updated = self._now()
            review.reply_history.append(comment)
            return Response(200, review.render_reply())

    @route("DELETE", _REVIEWS + r"/(?P<review>[^/]+)/reply")
    def delete_reply(self, request: RecordedRequest) -> Response:
        review = self._review(request)
        if isinstance(review, Response):
            return review
        with self._lock:
            review.reply = None
            review.reply_updated = None
        return Response(200, {})

    def failure_response(self, request: RecordedRequest, status: int, body: object) -> Response:
        return google_error(status, "Injected failure")

"""Google's OAuth token endpoint, bearer access tokens that expire, and the project's daily quota."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from emulators.http import Emulator, RecordedRequest, Response, route
from emulators.youtube.resources import COSTS, google_error

__all__ = ["GoogleAccess"]

FORCE_SSL = "https://www.googleapis.com/auth/youtube.force-ssl"
TOKEN_LIFETIME = 3599
_PACIFIC = ZoneInfo("America/Los_Angeles")

QUOTA_MESSAGE = (
    'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started'
    '#quota">quota</a>.'
)
UNAUTHENTICATED = (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or "
    "other valid authentication credential. See "
    "https://developers.google.com/identity/sign-in/web/devconsole-project."
)


class GoogleAccess(Emulator):
    """Who may call the API (one OAuth client, one refresh token) and how much (units per Pacific day)."""

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        daily_quota: int,
        clock: Callable[[], float],
        host: str,
        port: int,
    ) -> None:
        super().__init__(host=host, port=port)
        self.client_id = client_id
        self.client_secret = client_secret
        self.refresh_token = refresh_token
        self.daily_quota = daily_quota
        self.scopes = (FORCE_SSL,)  # what the refresh token was granted
        self.clock = clock
        self._access = threading.RLock()
        self._tokens: dict[str, float] = {}  # access token -> expiry (epoch)
        self._spent: dict[str, int] = {}  # Pacific date -> units
        self.revoked = False

    # -- test helpers ------------------------------------------------------------------------------

    def expire_tokens(self) -> None:
        """Every access token handed out so far expires now (the next call gets 401 and refreshes)."""
        with self._access:
            self._tokens = dict.fromkeys(self._tokens, 0.0)

    def revoke(self) -> None:
        """The refresh token stops working (expired or revoked): the token endpoint says invalid_grant."""
        self.revoked = True

    def use_quota(self, units: int) -> None:
        """Spend `units` of today's quota, as other programs of the same Google Cloud project would."""
        with self._access:
            day = self._day()
            self._spent[day] = self._spent.get(day, 0) + units

    @property
    def quota_used(self) -> int:
        with self._access:
            return self._spent.get(self._day(), 0)

    def _day(self) -> str:
        return datetime.fromtimestamp(self.clock(), UTC).astimezone(_PACIFIC).date().isoformat()

    # -- the token endpoint --------------------------------------------------------------------------

    @route("POST", r"/token")
    def token(self, request: RecordedRequest) -> Response:
        form = request.form()
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return Response(401, {"error": "invalid_client", "error_description": "Unauthorized"})
        if form.get("grant_type") != "refresh_token":
            return Response(
                400, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type"}
            )
        if form.get("refresh_token") != self.refresh_token or self.revoked:
            return Response(
                400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
            )
        access = "ya29." + secrets.token_urlsafe(24)
        with self._access:
            self._tokens[access] = self.clock() + TOKEN_LIFETIME
        body = {
            "access_token": access,
            "expires_in": TOKEN_LIFETIME,
            "scope": " ".join(self.scopes),
            "token_type": "Bearer",
        }
        return Response(200, body)

    # -- checks every API call goes through -----------------------------------------------------------

    def refused(self, request: RecordedRequest, resource: str) -> Response | None:
        """401 without a live access token, 403 when the quota cannot pay for the call; else charge it."""
        token = request.bearer() or ""
        with self._access:
            expiry = self._tokens.get(token)
            if expiry is None or expiry <= self.clock():
                body = google_error(
                    401, "authError", "Invalid Credentials", domain="global", status="UNAUTHENTICATED"
                )
                body["error"]["message"] = UNAUTHENTICATED
                headers = {
                    "WWW-Authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"'
                }
                return Response(401, body, headers)
            cost = COSTS.get((request.method, resource), 1)
            day = self._day()
            if self._spent.get(day, 0) + cost > self.daily_quota:
                return Response(
                    403, google_error(403, "quotaExceeded", QUOTA_MESSAGE, domain="youtube.quota")
                )
            self._spent[day] = self._spent.get(day, 0) + cost
        return None

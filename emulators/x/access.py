"""X's authentication (app bearer token or OAuth 1.0a user context) and per-endpoint rate-limit windows."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus

from emulators.http import RecordedRequest, Response
from emulators.x.problems import problem
from emulators.x.store import XStore

__all__ = ["DEFAULT_LIMITS", "READ_ONLY_DETAIL", "XAccess"]

# X's answer to a write (POST, DELETE) by an app whose permission is "Read".
READ_ONLY_DETAIL = "You are not permitted to perform this action."

# endpoint name -> (requests per window, window seconds); X's documented per-user limits
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "me": (75, 900),
    "mentions": (300, 900),
    "timeline": (900, 900),
    "tweet": (900, 900),
    "create": (100, 900),
    "delete": (50, 900),
    "search": (450, 900),  # recent search, per app (bearer token)
    "user": (900, 900),
    "dm_lookup": (300, 900),
    "dm_create": (200, 900),
}


@dataclass
class _Window:
    limit: int
    seconds: int
    remaining: int = 0
    reset: int = 0


class XAccess(XStore):
    """Who may call which endpoint and how often. The settings are set by `XEmulator.__init__`."""

    bearer_token: str | None
    consumer_key: str | None
    access_token: str | None
    rate_limits: bool  # False: never answer 429
    access_level: str  # the app's permission: "read", "read-write" or "read-write-directmessages"
    user_tokens: dict[str, frozenset[str]]  # OAuth 2.0 user tokens of the brand -> their scopes
    _limits: dict[str, tuple[int, int]]  # endpoint -> (requests, window seconds)

    def _clear(self) -> None:
        super()._clear()
        with self._state:
            self._windows: dict[str, _Window] = {}

    def set_limit(self, endpoint: str, limit: int, window_seconds: int = 900) -> None:
        """Change one endpoint's rate limit and start a fresh window."""
        with self._state:
            self._limits[endpoint] = (limit, window_seconds)
            self._windows.pop(endpoint, None)

    def exhaust(self, endpoint: str) -> None:
        """Use up `endpoint`'s current window: the next call gets a 429 until it resets."""
        with self._state:
            self._window(endpoint).remaining = 0

    def failure_response(self, request: RecordedRequest, status: int, body: object) -> Response:
        detail = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
        response = problem(status, detail, title=detail)
        if status == 429:
            limit = self._limits.get(self._endpoint_name(request), (0, 0))[0]
            response.headers = {"x-rate-limit-limit": str(limit), "x-rate-limit-remaining": "0"}
        return response

    def _endpoint_name(self, request: RecordedRequest) -> str:
        path = request.path
        if path == "/2/users/me":
            return "me"
        if path == "/2/tweets/search/recent":
            return "search"
        if path.startswith("/2/dm_"):
            return "dm_create" if request.method == "POST" else "dm_lookup"
        if re.fullmatch(r"/2/users/\d+", path):
            return "user"
        if path.endswith("/mentions"):
            return "mentions"
        if path.startswith("/2/users/"):
            return "timeline"
        if request.method == "POST":
            return "create"
        return "delete" if request.method == "DELETE" else "tweet"

    def _window(self, endpoint: str) -> _Window:
        limit, seconds = self._limits[endpoint]
        window = self._windows.get(endpoint)
        now = int(self.clock())
        if window is None or now >= window.reset:
            window = _Window(limit=limit, seconds=seconds, remaining=limit, reset=now + seconds)
            self._windows[endpoint] = window
        return window

    def _endpoint(
        self, name: str, handler: Callable[[RecordedRequest], Response], *, user_context: bool = False
    ) -> Callable[[RecordedRequest], Response]:
        def serve(request: RecordedRequest) -> Response:
            refusal = self._check_auth(request, user_context=user_context)
            if refusal is not None:
                return refusal
            with self._state:
                window = self._window(name)
                limited = self.rate_limits and window.remaining <= 0
                if not limited and self.rate_limits:
                    window.remaining -= 1
                headers = {
                    "x-rate-limit-limit": str(window.limit),
                    "x-rate-limit-remaining": str(window.remaining),
                    "x-rate-limit-reset": str(window.reset),
                }
                if _is_user_context(request):  # X tells a user-context caller its app's permission
                    headers["x-access-level"] = self.access_level
                if limited:
                    response = problem(429, "Too Many Requests")
                elif request.method != "GET" and self.access_level == "read":
                    response = problem(403, READ_ONLY_DETAIL, title="Forbidden")
                else:
                    response = handler(request)
            response.headers = {**headers, **response.headers}
            return response

        return serve

    def _check_auth(self, request: RecordedRequest, *, user_context: bool) -> Response | None:
        unauthorized = problem(401, "Unauthorized")
        header = (request.header("Authorization") or "").strip()
        scheme, _, credentials = header.partition(" ")
        if scheme.lower() == "bearer" and credentials.strip() in self.user_tokens:
            return None  # an OAuth 2.0 user-context token of the brand; scopes are checked per endpoint
        if scheme.lower() == "bearer" and credentials:
            if self.bearer_token is not None and credentials.strip() != self.bearer_token:
                return unauthorized
            if user_context:
                return problem(
                    403,
                    "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  "
                    "Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].",
                    title="Unsupported Authentication",
                    type_="https://api.twitter.com/2/problems/unsupported-authentication",
                )
            return None
        if scheme == "OAuth":
            params = dict(re.findall(r'(\w+)="([^"]*)"', credentials))
            if not params.get("oauth_consumer_key") or not params.get("oauth_token"):
                return unauthorized
            if self.consumer_key is not None and params["oauth_consumer_key"] != self.consumer_key:
                return unauthorized
            if self.access_token is not None and params["oauth_token"] != self.access_token:
                return unauthorized
            return None
        return unauthorized


def _is_user_context(request: RecordedRequest) -> bool:
    return (request.header("Authorization") or "").startswith("OAuth ")

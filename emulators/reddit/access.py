"""Reddit's OAuth (the token endpoint, bearer tokens) and its per-client rate-limit window."""

from __future__ import annotations

import base64
import math
import secrets
from dataclasses import dataclass
from typing import Any

from emulators.http import Handler, RecordedRequest, Response
from emulators.reddit.store import RedditStore
from emulators.reddit.things import reddit_error

__all__ = ["RedditAccess"]


@dataclass
class _Token:
    client_id: str
    username: str


@dataclass
class _Window:
    started: float
    used: int = 0


class RedditAccess(RedditStore):
    """Who may call the API and how often. The credentials are set by `RedditEmulator.__init__`."""

    password: str
    client_id: str
    client_secret: str
    refresh_token: str
    rate_limit: tuple[int, int]  # requests, window seconds, per client id
    rate_limits: bool  # False: never answer 429

    def _clear(self) -> None:
        super()._clear()
        with self._state:
            self._tokens: dict[str, _Token] = {}
            self._windows: dict[str | None, _Window] = {}

    def exhaust(self, client_id: str | None = None) -> None:
        """Use up the current rate-limit window of `client_id` (the configured app by default): 429s follow."""
        with self._state:
            window = self._window(client_id or self.client_id)
            window.used = max(window.used, self.rate_limit[0])

    def failure_response(self, request: RecordedRequest, status: int, body: object) -> Response:
        with self._state:
            headers = self._rate_headers(self._client_of(request))
        if status == 429:
            headers["x-ratelimit-remaining"] = "0.0"
        return Response(status, reddit_error(status), headers)

    def not_found(self, request: RecordedRequest) -> Response:
        return Response(404, reddit_error(404))

    def handle(self, request: RecordedRequest) -> Response:
        """Dispatch as usual, then add the client's rate-limit headers to answers that lack them."""
        response = super().handle(request)
        if not any(name.lower() == "x-ratelimit-remaining" for name in response.headers):
            with self._state:
                response.headers = {**self._rate_headers(self._client_of(request)), **response.headers}
        if (request.header("Connection") or "").lower() == "close":
            # As real servers do (prawcore's token request asks for it): without this the client
            # would pool the connection the server is about to close.
            response.headers = {**response.headers, "Connection": "close"}
        return response

    # -- auth and rate limits ----------------------------------------------------------------------

    def _access_token(self, request: RecordedRequest) -> Response:
        scheme, _, encoded = (request.header("Authorization") or "").partition(" ")
        try:
            client_id, _, secret = base64.b64decode(encoded).decode().partition(":")
        except ValueError:
            client_id = secret = ""
        if scheme.lower() != "basic" or client_id != self.client_id or secret != self.client_secret:
            return Response(401, reddit_error(401))
        form = request.form()
        grant = form.get("grant_type")
        body: dict[str, Any]
        if grant == "password":
            if (
                form.get("username", "").lower() != self.username.lower()
                or form.get("password") != self.password
            ):
                return Response(200, {"error": "invalid_grant"})
            body = {}
        elif grant == "refresh_token":
            if form.get("refresh_token") != self.refresh_token:
                return Response(200, {"error": "invalid_grant"})
            body = {"refresh_token": self.refresh_token}
        else:
            return Response(200, {"error": "unsupported_grant_type"})
        token = secrets.token_urlsafe(24)
        with self._state:
            self._tokens[token] = _Token(client_id=client_id, username=self.username)
        return Response(
            200, {"access_token": token, "token_type": "bearer", "expires_in": 86400, "scope": "*", **body}
        )

    def _api(self, handler: Handler) -> Handler:
        """Require a bearer token, count the request in its client's window, answer 429 when it is spent."""

        def serve(request: RecordedRequest) -> Response:
            with self._state:
                token = self._token_of(request)
                if token is None:
                    return Response(
                        401,
                        reddit_error(401),
                        {"www-authenticate": 'Bearer realm="reddit", error="invalid_token"'},
                    )
                window = self._window(token.client_id)
                window.used += 1
                if self.rate_limits and window.used > self.rate_limit[0]:
                    response = Response(429, reddit_error(429))
                else:
                    response = handler(request)
                response.headers = {**self._rate_headers(token.client_id), **response.headers}
                return response

        return serve

    def _token_of(self, request: RecordedRequest) -> _Token | None:
        token = request.bearer()
        return self._tokens.get(token) if token else None

    def _client_of(self, request: RecordedRequest) -> str | None:
        token = self._token_of(request)
        if token is not None:
            return token.client_id
        scheme, _, encoded = (request.header("Authorization") or "").partition(" ")
        if scheme.lower() == "basic":
            try:
                return base64.b64decode(encoded).decode().partition(":")[0]
            except ValueError:
                return None
        return None

    def _window(self, client: str | None) -> _Window:
        now = self.clock()
        window = self._windows.get(client)
        if window is None or now >= window.started + self.rate_limit[1]:
            window = self._windows[client] = _Window(started=now)
        return window

    def _rate_headers(self, client: str | None) -> dict[str, str]:
        window = self._window(client)
        limit, seconds = self.rate_limit
        reset = max(0, math.ceil(window.started + seconds - self.clock()))
        return {
            "x-ratelimit-used": str(window.used),
            "x-ratelimit-remaining": f"{float(max(limit - window.used, 0)):.1f}",
            "x-ratelimit-reset": str(reset),
        }

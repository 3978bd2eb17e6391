"""The Web API endpoint: token checks, rate limits, `{"ok": ...}` answers; `auth.test`, `apps.connections.open`."""

from __future__ import annotations

import math
from collections import deque

from emulators.http import RecordedRequest, Response, route
from emulators.slack.arguments import ApiError, decode_params
from emulators.slack.state import SlackState
from emulators.slack.workspace import (
    BOT_ID,
    BOT_USER_ID,
    MEMBER_METHODS,
    METHOD_SCOPES,
    TEAM_DOMAIN,
    TEAM_ID,
    TEAM_NAME,
    JSONDict,
)

__all__ = ["WebApi"]

_APP_TOKEN_METHODS = {"apps.connections.open"}  # the methods that take the app-level xapp- token


class WebApi(SlackState):
    """`POST|GET /api/<method>`: authentication, rate limits and dispatch to the method's handler."""

    @route("POST", r"/api/(?P<method>[A-Za-z0-9_.]+)")
    @route("GET", r"/api/(?P<method>[A-Za-z0-9_.]+)")
    def _api(self, request: RecordedRequest) -> Response:
        name = request.path_params["method"]
        handler = self._methods.get(name)
        if handler is None:
            return Response(404, {"ok": False, "error": "unknown_method", "req_method": name})
        try:
            params = decode_params(request)
            token = params.get("token")
            authorization = request.header("Authorization") or ""
            if authorization.lower().startswith("bearer "):
                token = authorization[7:].strip()
            if not token:
                raise ApiError("not_authed")
            if (name in _APP_TOKEN_METHODS) != token.startswith("xapp-"):  # app-level token: Socket Mode
                raise ApiError(
                    "not_allowed_token_type" if token.startswith(("xoxb-", "xapp-")) else "invalid_auth"
                )
            if name not in _APP_TOKEN_METHODS and token != self.bot_token:
                raise ApiError("invalid_auth")
            headers = {} if name in _APP_TOKEN_METHODS else self._scope_headers(name, params)
            self._check_rate_limit(name, params)
            with self._state:
                result = handler(params)
        except ApiError as error:
            return Response(error.status, {"ok": False, "error": error.error, **error.extra}, error.headers)
        return Response(200, {"ok": True, **result}, headers)

    def _scope_headers(self, name: str, params: JSONDict) -> dict[str, str]:
        """Slack's scope headers on a bot-token call, after its `missing_scope` and `not_in_channel` checks."""
        accepted = METHOD_SCOPES.get(name, ())
        channel = str(params.get("channel") or "")
        if name.startswith("conversations.") and channel.startswith("G"):
            accepted = ("groups:history",)
        headers = {"x-oauth-scopes": ",".join(self.scopes), "x-accepted-oauth-scopes": ",".join(accepted)}
        if accepted and not set(accepted) & set(self.scopes):
            extra = {"needed": ",".join(accepted), "provided": ",".join(self.scopes)}
            raise ApiError("missing_scope", extra=extra, headers=headers)
        if name in MEMBER_METHODS and channel in self.non_member_channels:
            raise ApiError("not_in_channel", headers=headers)
        return headers

    def _check_rate_limit(self, name: str, params: JSONDict) -> None:
        with self._state:
            rule = self._rate_limits.get(name)
            if rule is None:
                return
            limit, per_seconds, per_channel = rule
            key = (name, str(params.get("channel")) if per_channel else None)
            window = self._windows.setdefault(key, deque())
            now = self.clock()
            while window and window[0] <= now - per_seconds:
                window.popleft()
            if len(window) >= limit:
                retry_after = max(1, math.ceil(window[0] + per_seconds - now))
                raise ApiError("ratelimited", status=429, headers={"Retry-After": str(retry_after)})
            window.append(now)

    def failure_response(self, request: RecordedRequest, status: int, body: object) -> Response:
        if status == 429:
            return Response(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})
        error = "internal_error" if status >= 500 else "request_error"
        return Response(status, {"ok": False, "error": error})

    def _apps_connections_open(self, params: JSONDict) -> JSONDict:
        return {"url": self.socket_mode.open_url()}

    def _auth_test(self, params: JSONDict) -> JSONDict:
        return {
            "url": f"https://{TEAM_DOMAIN}.slack.com/",
            "team": TEAM_NAME,
            "user": "parley",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

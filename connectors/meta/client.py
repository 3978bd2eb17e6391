"""A small typed Graph API client over `requests`: the Page token, `appsecret_proof`, usage headers.

Meta publishes no official Python SDK (its Business SDK covers the Marketing API, not Pages,
Instagram comments or Messenger), so the connector speaks HTTP itself. Every call carries the
token (``Authorization: Bearer``) and ``appsecret_proof`` (HMAC-SHA256 of the token keyed with the app secret), so
a leaked token is useless without the secret. Meta's usage headers (``X-App-Usage``,
``X-Business-Use-Case-Usage``) are read after every answer: once one says a budget is spent, no
call is made before the time Meta announced (`Usage`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import requests

from connectors.base import RateLimited, Unavailable
from connectors.meta.errors import regain_at, translated_error

GRAPH_URL = "https://graph.facebook.com/v21.0"


def appsecret_proof(access_token: str, app_secret: str) -> str:
    """Meta's proof that the caller knows the app secret: HMAC-SHA256(key=app secret, msg=token), hex."""
    return hmac.new(app_secret.encode(), access_token.encode(), hashlib.sha256).hexdigest()


class Usage:
    """The most-used budget of the last answer's usage headers, and until when calls are pointless."""

    def __init__(self) -> None:
        self.percent = 0.0
        self.blocked_until: datetime | None = None

    def update(self, headers: Mapping[str, str], at: datetime) -> None:
        percents: list[float] = []
        for name in ("X-App-Usage", "X-Business-Use-Case-Usage"):
            raw = headers.get(name)
            if raw:
                percents += _percentages(raw)
        if percents:
            self.percent = max(percents)
        until = regain_at(headers, at)
        if until is not None:
            self.blocked_until = until
        elif percents and self.percent < 100:
            self.blocked_until = None

    def check(self, at: datetime) -> None:
        if self.blocked_until is not None and at < self.blocked_until:
            raise RateLimited(
                f"Meta's rate limit for this account is used up until {self.blocked_until:%H:%M} UTC.",
                retry_at=self.blocked_until,
            )


def _percentages(raw: str) -> list[float]:
    """Every percentage in an `X-App-Usage` object or a `X-Business-Use-Case-Usage` map of lists."""
    try:
        data = json.loads(raw)
    except ValueError:
        return []
    items: list[Any] = [data] if isinstance(data, dict) and "call_count" in data else []
    if isinstance(data, dict) and not items:
        items = [entry for value in data.values() if isinstance(value, list) for entry in value]
    return [
        float(item[key])
        for item in items
        if isinstance(item, dict)
        for key in ("call_count", "total_cputime", "total_time")
        if isinstance(item.get(key), int | float)
    ]


class GraphClient:
    """`get` and `post` on the Graph API as one Page (or its Instagram account); errors translated."""

    def __init__(
        self,
        *,
        access_token: str,
        app_secret: str,
        base_url: str = GRAPH_URL,
        timeout: float = 10.0,
        clock: Callable[[], datetime],
    ) -> None:
        if not access_token or not app_secret:
            raise ValueError("a Meta connector needs the Page access token and the app secret")
        self.base_url = base_url.rstrip("/")
        # The token goes in the Authorization header, which Graph accepts like the `access_token`
        # parameter, so that urllib3's debug lines (the URL and its query) never show it.
        self._auth = {"appsecret_proof": appsecret_proof(access_token, app_secret)}
        self._timeout = timeout
        self._clock = clock
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {access_token}"
        self.usage = Usage()

    def get(self, path: str, doing: str, **params: Any) -> dict[str, Any]:
        return self._call("GET", path, doing, params=params)

    def post(self, path: str, doing: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        return self._call("POST", path, doing, payload=dict(payload))

    def close(self) -> None:
        self.session.close()

    def _call(
        self,
        method: str,
        path: str,
        doing: str,
        *,
        params: Mapping[str, Any] | None = None,
        payload: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        self.usage.check(self._clock())
        query = {k: v for k, v in (params or {}).items() if v is not None} | self._auth
        try:
            response = self.session.request(
                method,
                f"{self.base_url}/{path.lstrip('/')}",
                params=query,
                json=payload,
                timeout=self._timeout,
            )
        except requests.Timeout as error:
            raise Unavailable(f"Meta did not answer in time while {doing}.") from error
        except requests.RequestException as error:
            raise Unavailable(f"Meta could not be reached while {doing}.") from error
        self.usage.update(response.headers, self._clock())
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code >= 400 or not isinstance(body, dict) or "error" in body:
            raise translated_error(response.status_code, body, response.headers, doing, self._clock())
        return body

"""The HTTP session under tweepy: X's base URL rewritten, a timeout, and each endpoint's rate-limit budget.

tweepy hard-codes ``https://api.twitter.com``; :class:`RebasedSession` rewrites that prefix so the
same code talks to a local emulator. OAuth 1.0a signing happens inside ``Session.request`` after
our rewrite, so the signature covers the URL actually sent.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import requests

X_API = "https://api.twitter.com"

_IDS = re.compile(r"/\d+")


class OutOfBudget(Exception):
    """X's last answer for this endpoint said no calls remain before `reset` (epoch seconds)."""

    def __init__(self, reset: int) -> None:
        super().__init__(reset)
        self.reset = reset


class Budgets:
    """Each endpoint's calls left and window reset, as X's `x-rate-limit-*` headers last said."""

    def __init__(self) -> None:
        self._left: dict[str, tuple[int, int]] = {}  # "POST /2/tweets" -> (remaining, reset epoch)

    def check(self, endpoint: str) -> None:
        """Raise OutOfBudget when the endpoint's window is spent: X would only answer 429."""
        remaining, reset = self._left.get(endpoint, (1, 0))
        if remaining <= 0 and reset > time.time():
            raise OutOfBudget(reset)

    def update(self, endpoint: str, headers: Mapping[str, str]) -> None:
        left, until = headers.get("x-rate-limit-remaining"), headers.get("x-rate-limit-reset")
        if left is not None and left.strip().isdigit() and until is not None and until.strip().isdigit():
            self._left[endpoint] = (int(left), int(until))


def endpoint(method: str | bytes, url: str | bytes) -> str:
    """`POST /2/tweets`, `GET /2/users/:id/mentions`: ids folded, so one budget serves every id."""
    return f"{method!s} {_IDS.sub('/:id', urlsplit(str(url)).path)}"


class RebasedSession(requests.Session):
    """A `requests.Session` that sends tweepy's hard-coded X URLs to `base_url`, with a timeout, and
    does not call an endpoint whose rate-limit window is spent before its reset."""

    def __init__(self, base_url: str, timeout: float) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.budgets = Budgets()
        self.access_level: str | None = None  # the app's permission, as X's last user-context answer said

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        if isinstance(url, str) and url.startswith(X_API):
            url = self.base_url + url[len(X_API) :]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        called = endpoint(method, url)
        self.budgets.check(called)
        response = super().request(method, url, *args, **kwargs)
        self.budgets.update(called, response.headers)
        self.access_level = response.headers.get("x-access-level", self.access_level)
        until = response.headers.get("x-rate-limit-reset")
        if until is not None and not until.strip().isdigit():
            # tweepy does int() on it unguarded; an unusable reset is the same as none.
            del response.headers["x-rate-limit-reset"]
        return response

"""The account's rate-limit window as Bluesky's ``ratelimit-*`` headers last said, under atproto's requests.

Every XRPC answer carries ``ratelimit-remaining`` and ``ratelimit-reset`` (epoch seconds). Once the
window is spent, the connector raises `RateLimited` without calling Bluesky again before the reset
(the caller reschedules), as the X connector does with ``x-rate-limit-*``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx
from atproto_client.request import Request

from connectors.base import RateLimited


class Budget:
    def __init__(self) -> None:
        self.remaining: int | None = None
        self.reset: float | None = None

    def check(self) -> None:
        """Raise RateLimited while the window Bluesky reported is spent."""
        if self.remaining is not None and self.remaining <= 0 and self.reset and self.reset > time.time():
            at = datetime.fromtimestamp(self.reset, UTC)
            raise RateLimited(
                f"Bluesky's rate limit for this account is used up until {at:%H:%M} UTC.",
                retry_at=at,
            )

    def update(self, headers: Mapping[str, str]) -> None:
        left, reset = headers.get("ratelimit-remaining"), headers.get("ratelimit-reset")
        if left is not None and left.strip().isdigit() and reset is not None and reset.strip().isdigit():
            self.remaining, self.reset = int(left), float(reset)


class BudgetedRequest(Request):  # type: ignore[misc]  # atproto_client ships no type information
    """atproto's `Request` that checks the budget before each call and updates it from each answer."""

    def __init__(self, budget: Budget, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.budget = budget

    def _new_instance(self) -> BudgetedRequest:
        return type(self)(self.budget, **self._client_kwargs)

    def _send_request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        self.budget.check()
        try:
            response: httpx.Response = super()._send_request(method, url, **kwargs)
        except Exception as error:
            answer = getattr(error, "response", None)
            if answer is not None:
                self.budget.update({k.lower(): str(v) for k, v in (answer.headers or {}).items()})
            raise
        self.budget.update({k.lower(): v for k, v in response.headers.items()})
        return response

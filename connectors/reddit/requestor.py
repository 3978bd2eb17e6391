"""The HTTP layer under praw: no retries of its own, and the rate-limit window Reddit last reported."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import prawcore
import requests


class NetworkError(Exception):
    """Reddit could not be reached or did not answer in time (raised instead of letting prawcore retry)."""


@dataclass
class Budget:
    """The client's rate-limit window as Reddit last reported it in ``x-ratelimit-*`` headers."""

    clock: Callable[[], datetime]
    remaining: float | None = None
    reset_at: datetime | None = None

    def update(self, headers: Mapping[str, str]) -> None:
        remaining, reset = headers.get("x-ratelimit-remaining"), headers.get("x-ratelimit-reset")
        if remaining is None or reset is None:
            return
        try:
            self.remaining = float(remaining)
            # prawcore waits at least one second once the window is spent; so do we.
            seconds = max(float(reset), 1.0 if self.remaining <= 0 else 0.0)
        except ValueError:
            return
        self.reset_at = self.clock() + timedelta(seconds=seconds)

    def spent_until(self) -> datetime | None:
        """When the window resets, if it is spent now; else None."""
        if self.remaining is None or self.remaining > 0 or self.reset_at is None:
            return None
        return self.reset_at if self.reset_at > self.clock() else None


class Requestor(prawcore.Requestor):
    """prawcore's Requestor without prawcore's retries, remembering the rate-limit headers.

    prawcore's `Session` retries connection errors, timeouts and 5xx answers (sleeping up to 4 s):
    for ``POST /api/comment/`` that could post a reply twice. Here those end the call at once, as
    `NetworkError` or prawcore's own `ServerError`, which prawcore does not retry.
    """

    def __init__(self, *, budget: Budget, session: requests.Session, timeout: float, **kwargs: Any) -> None:
        super().__init__(session=session, timeout=timeout, **kwargs)
        self._session = session
        self._budget = budget
        self._timeout = timeout

    def request(self, *args: Any, timeout: float | None = None, **kwargs: Any) -> requests.Response:
        kwargs["timeout"] = self._timeout  # praw passes its integer setting; ours may be a fraction
        try:
            response = self._session.request(*args, **kwargs)
        except requests.RequestException as error:
            raise NetworkError(str(error)) from error
        self._budget.update(response.headers)
        if response.status_code in prawcore.Session.RETRY_STATUSES:
            raise prawcore.ServerError(response)
        return response

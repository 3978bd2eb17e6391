"""LinkedIn's error answers and transport failures as `connectors.base` errors, said plainly."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import requests

from connectors.base import (
    ConnectorError,
    Duplicate,
    Gone,
    RateLimited,
    Refused,
    Unauthorized,
    Unavailable,
)

SIGN_IN_EXPIRED = (
    "LinkedIn's access token for the company page expired (they last 60 days) or was revoked. An admin "
    "needs to generate a new one for a page administrator and set LINKEDIN_ACCESS_TOKEN."
)


class ApiError(Exception):
    """LinkedIn answered with an error status; `code` and `detail` come from its error body."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
        super().__init__(status)
        self.status = status
        self.code = str(body.get("code", ""))
        self.service_code = body.get("serviceErrorCode")
        self.detail = str(body.get("message", ""))
        self.headers = {k.lower(): v for k, v in headers.items()}


@contextmanager
def translated(doing: str, clock: Callable[[], datetime]) -> Iterator[None]:
    try:
        yield
    except ApiError as e:
        raise _api_error(e, doing, clock()) from e
    except requests.Timeout as e:
        raise Unavailable(f"LinkedIn did not answer in time while {doing}.") from e
    except requests.RequestException as e:
        raise Unavailable(f"Could not reach LinkedIn while {doing}.") from e


def _api_error(error: ApiError, doing: str, now: datetime) -> ConnectorError:
    status, detail = error.status, error.detail
    said = f" LinkedIn said: {detail}" if detail else ""
    if status == 429:
        retry_at = _retry_at(error.headers.get("retry-after"), now)
        when = f"after {retry_at:%H:%M} UTC" if retry_at.date() == now.date() else "after midnight UTC"
        return RateLimited(
            f"LinkedIn's API limit for this app or page was reached while {doing}; its daily limits reset "
            f"at midnight UTC. Parley tries again {when}.",
            retry_at=retry_at,
        )
    if status >= 500:
        return Unavailable(f"LinkedIn had a problem on its side while {doing} (error {status}).")
    if status == 401:
        return Unauthorized(SIGN_IN_EXPIRED)
    if status == 403:
        return Unauthorized(
            f"LinkedIn did not allow {doing}: the token lacks a Community Management permission "
            "(r_organization_social_feed, w_organization_social_feed, rw_organization_admin) or its member is "
            f"not an administrator of the page.{said}"
        )
    if status == 404:
        return Gone("The LinkedIn post or comment could not be found; it was probably deleted.")
    if status == 426:
        return Refused(
            f"LinkedIn no longer serves the API version Parley asks for. Set LINKEDIN_VERSION to a recent "
            f"month (YYYYMM).{said}"
        )
    if status == 422 and "duplicate" in detail.lower():
        return Duplicate(f"LinkedIn refused the comment as a duplicate.{said}")
    return Refused(f"LinkedIn refused this while {doing} (error {status}).{said}")


def _retry_at(value: str | None, now: datetime) -> datetime:
    """Retry-After when LinkedIn sends one, else the next midnight UTC (when its daily limits reset)."""
    try:
        seconds = float(value) if value is not None else None
    except ValueError:
        seconds = None
    if seconds is not None and 0 < seconds <= 86400:
        return now + timedelta(seconds=seconds)
    return (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)

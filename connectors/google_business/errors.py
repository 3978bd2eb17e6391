"""google-auth's, requests' and the Business Profile APIs' errors as `connectors.base` errors, said plainly."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import google.auth.exceptions
import requests

from connectors.base import (
    ConnectorError,
    Forbidden,
    Gone,
    RateLimited,
    Refused,
    Unauthorized,
    Unavailable,
)
from connectors.google_oauth import refresh_error

# The Business Profile APIs' quotas are per minute (300 requests a minute by default) and their 429
# answers carry no Retry-After: a minute later the window has moved on.
QUOTA_WINDOW = timedelta(minutes=1)

REFRESH_REFUSED = (
    "Google no longer accepts Parley's refresh token for the Business Profile (it was revoked, the "
    "password changed, or it expired: an OAuth app still in 'Testing' gets tokens that last 7 days). "
    "An admin needs to authorize Parley again and set GOOGLE_BUSINESS_REFRESH_TOKEN."
)
CLIENT_REFUSED = (
    "Google refused Parley's OAuth client (GOOGLE_BUSINESS_CLIENT_ID and GOOGLE_BUSINESS_CLIENT_SECRET): "
    "an admin needs to check them in the Google Cloud console."
)


class ApiError(Exception):
    """A Business Profile API answered with an error status (the body is Google's error object)."""

    def __init__(self, status: int, body: Any, headers: dict[str, str]) -> None:
        super().__init__(status)
        self.status = status
        error = body.get("error") if isinstance(body, dict) else None
        self.reason = str(error.get("status", "")) if isinstance(error, dict) else ""
        self.detail = str(error.get("message", "")) if isinstance(error, dict) else ""
        self.headers = headers


@contextmanager
def translated(doing: str, clock: Callable[[], datetime]) -> Iterator[None]:
    """Turn what goes wrong while `doing` into the `connectors.base` error tree."""
    try:
        yield
    except google.auth.exceptions.RefreshError as e:
        raise _refresh_error(e, doing) from e
    except google.auth.exceptions.TransportError as e:
        raise Unavailable(f"Could not reach Google's sign-in while {doing}.") from e
    except ApiError as e:
        raise _api_error(e, doing, clock) from e
    except requests.Timeout as e:
        raise Unavailable(f"Google did not answer in time while {doing}.") from e
    except requests.RequestException as e:
        raise Unavailable(f"Could not reach Google while {doing}.") from e


def _refresh_error(error: google.auth.exceptions.RefreshError, doing: str) -> ConnectorError:
    return refresh_error(
        error,
        refresh_refused=REFRESH_REFUSED,
        client_refused=CLIENT_REFUSED,
        unavailable=f"Google's sign-in had a problem while {doing}.",
    )


def _api_error(error: ApiError, doing: str, clock: Callable[[], datetime]) -> ConnectorError:
    status, detail = error.status, error.detail
    said = f" Google said: {detail}" if detail else ""
    if status == 429 or error.reason == "RESOURCE_EXHAUSTED":
        return RateLimited(
            f"Google's Business Profile quota was used up while {doing}.", retry_at=clock() + QUOTA_WINDOW
        )
    if status >= 500:
        return Unavailable(f"Google had a problem on its side while {doing} (error {status}).")
    if status == 401:
        return Unauthorized(
            "Google did not accept Parley's access to the Business Profile. An admin needs to authorize "
            "Parley again (GOOGLE_BUSINESS_REFRESH_TOKEN)."
        )
    if status == 403:
        return _forbidden(detail, doing)
    if status == 404:
        return Gone("The review could not be found on Google; it was probably deleted.")
    if error.reason == "FAILED_PRECONDITION":
        return Forbidden(f"Google did not allow {doing}: the location is not verified.{said}")
    return Refused(f"Google refused this while {doing} (error {status}).{said}")


def _forbidden(detail: str, doing: str) -> ConnectorError:
    lowered = detail.lower()
    if "has not been used" in lowered or "disabled" in lowered or "not enabled" in lowered:
        return Unauthorized(
            "The Business Profile APIs are not enabled for Parley's Google Cloud project (or access was "
            f"not approved yet). An admin needs to request access and enable them. Google said: {detail}"
        )
    if "scope" in lowered:
        return Unauthorized(
            "Parley's Google authorization lacks the business.manage permission. An admin needs to "
            "authorize Parley again with it."
        )
    return Unauthorized(
        f"Google did not allow {doing}: the authorized Google user does not manage this account or "
        f"location.{' Google said: ' + detail if detail else ''}"
    )

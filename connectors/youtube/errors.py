"""google-api-python-client's, google-auth's and the transport's exceptions as `connectors.base` errors."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httplib2
from google.auth import exceptions as auth_errors
from googleapiclient.errors import HttpError

from bot.domain.quota import next_reset
from connectors.base import ConnectorError, Forbidden, Gone, RateLimited, Refused, Unauthorized, Unavailable
from connectors.google_oauth import refresh_error
from connectors.youtube.quota import QuotaMeter

MAX_COMMENT_LENGTH = 10_000

REFRESH_REFUSED = (
    "Google no longer accepts the YouTube refresh token (YOUTUBE_REFRESH_TOKEN): it has expired or was "
    "revoked. An admin needs to authorize Parley on the brand channel again (docs/connectors.md, "
    "YouTube); while the OAuth app is in 'Testing', Google expires its refresh tokens after 7 days."
)


@contextmanager
def translated(doing: str, quota: QuotaMeter, clock: Callable[[], Any]) -> Iterator[None]:
    """Turn what the client raises while `doing` into a `connectors.base` error."""
    try:
        yield
    except HttpError as error:
        raise _http_error(error, doing, quota, clock) from error
    except auth_errors.RefreshError as error:
        raise _refresh_error(error) from error
    except (auth_errors.TransportError, httplib2.HttpLib2Error, OSError) as error:
        raise _unavailable(error, doing) from error


def reasons_of(error: HttpError) -> tuple[int, set[str]]:
    """The HTTP status and the `errors[].reason`s of Google's error body."""
    try:
        body = json.loads(error.content or b"{}")
    except ValueError:
        body = {}
    details = body.get("error") if isinstance(body, dict) else None
    found = details.get("errors", []) if isinstance(details, dict) else []
    return int(error.resp.status), {str(e.get("reason")) for e in found if isinstance(e, dict)}


def _http_error(error: HttpError, doing: str, quota: QuotaMeter, clock: Callable[[], Any]) -> ConnectorError:
    status, reasons = reasons_of(error)
    if "quotaExceeded" in reasons:
        quota.exhaust()
        return RateLimited(
            f"YouTube's daily API quota ({quota.limit:,} units) is used up; it comes back at midnight "
            "Pacific Time.",
            retry_at=next_reset(clock()),
        )
    if status == 429 or reasons & {"rateLimitExceeded", "userRateLimitExceeded"}:
        return RateLimited(f"YouTube asks Parley to slow down (too many requests while {doing}).")
    if status == 401:
        return Unauthorized(
            "Google did not accept Parley's YouTube access token even after renewing it. "
            "An admin needs to check the YouTube settings."
        )
    if "insufficientPermissions" in reasons:
        return Unauthorized(
            f"Parley's YouTube authorization does not allow {doing}: authorize it again with the "
            "youtube.force-ssl scope."
        )
    if "commentTextTooLong" in reasons:
        return Refused(f"The reply is longer than YouTube's {MAX_COMMENT_LENGTH:,} characters; shorten it.")
    if "commentTextRequired" in reasons:
        return Refused("YouTube refused an empty reply.")
    if "operationNotSupported" in reasons or "commentsDisabled" in reasons:
        return Forbidden("YouTube does not take replies in this comment thread (replies are turned off).")
    if status == 404:
        return Gone("The YouTube comment could not be found; it was probably deleted or held for review.")
    if status == 403:
        return Forbidden(f"YouTube did not allow {doing} (the channel may lack the permission).")
    if status >= 500:
        return Unavailable(f"YouTube had a problem on its side while {doing} (error {status}).")
    return Refused(f"YouTube refused this while {doing} (error {status}: {', '.join(sorted(reasons))}).")


def _refresh_error(error: auth_errors.RefreshError) -> ConnectorError:
    return refresh_error(
        error,
        refresh_refused=REFRESH_REFUSED,
        client_refused=(
            "Google refused the YouTube OAuth client (YOUTUBE_CLIENT_ID and YOUTUBE_CLIENT_SECRET). "
            "An admin needs to check them."
        ),
        unavailable="Google's sign-in service did not answer; Parley could not renew its YouTube access.",
    )


def _unavailable(error: Exception, doing: str) -> Unavailable:
    if isinstance(error, socket.timeout | TimeoutError):
        return Unavailable(f"YouTube did not answer in time while {doing}.")
    return Unavailable(f"Could not reach YouTube while {doing}.")

"""atproto's exceptions as `connectors.base` errors, with messages a social media manager can act on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from atproto_client import exceptions as at

from connectors.base import ConnectorError, Forbidden, Gone, RateLimited, Refused, Unauthorized, Unavailable

EXPIRED = ("ExpiredToken", "InvalidToken")


def error_name(error: at.RequestErrorBase) -> str:
    content = error.response.content if error.response is not None else None
    name = getattr(content, "error", None)
    if name is None and isinstance(content, dict):
        name = content.get("error")
    return str(name or "")


def error_message(error: at.RequestErrorBase) -> str:
    content = error.response.content if error.response is not None else None
    said = getattr(content, "message", None)
    if said is None and isinstance(content, dict):
        said = content.get("message")
    return str(said or "")


def is_expired_session(error: Exception) -> bool:
    return isinstance(error, at.RequestErrorBase) and error_name(error) in EXPIRED


@contextmanager
def translated(doing: str) -> Iterator[None]:
    """Turn atproto exceptions raised while `doing` into `connectors.base` errors."""
    try:
        yield
    except at.RateLimitExceededError as e:
        retry_at = e.reset_at or datetime.now(UTC) + timedelta(seconds=e.retry_after or 60)
        raise RateLimited(
            f"Bluesky's rate limit was reached while {doing}, until {retry_at:%H:%M} UTC.",
            retry_at=retry_at,
        ) from e
    except at.NetworkError as e:
        raise Unavailable(f"Could not reach Bluesky while {doing}.") from e
    except at.UnauthorizedError as e:
        raise _unauthorized(e) from e
    except at.RequestErrorBase as e:
        raise _refused(e, doing) from e
    except at.LoginRequiredError as e:
        raise Unauthorized(
            "Parley is not signed in to Bluesky: check BLUESKY_HANDLE and BLUESKY_APP_PASSWORD."
        ) from e


def _unauthorized(error: at.RequestErrorBase) -> ConnectorError:
    if is_expired_session(error):
        return Unauthorized(
            "Bluesky says the session expired and could not be renewed. Parley signs in again on the next "
            "try; if this stays, create a new app password (Settings → App passwords) and set BLUESKY_APP_PASSWORD."
        )
    return Unauthorized(
        "Bluesky did not accept the handle and app password. An admin needs to check BLUESKY_HANDLE and "
        "BLUESKY_APP_PASSWORD (an app password from Settings → App passwords, not the account password)."
    )


def _refused(error: at.RequestErrorBase, doing: str) -> ConnectorError:
    status = error.response.status_code if error.response is not None else 0
    name, said = error_name(error), error_message(error)
    if status >= 500:
        return Unavailable(f"Bluesky had a problem on its side while {doing} (error {status}).")
    if name in EXPIRED or name == "AuthenticationRequired":
        return _unauthorized(error)
    if name in ("NotFound", "RecordNotFound") or status == 404:
        return Gone("The post could not be found on Bluesky; it was probably deleted.")
    if name in ("AccountTakedown", "AccountSuspended", "BlockedActor", "BlockedByActor") or status == 403:
        return Forbidden(f"Bluesky did not allow this while {doing}: {said or name or 'forbidden'}.")
    return Refused(f"Bluesky refused this while {doing}: {said or name or f'error {status}'}.")

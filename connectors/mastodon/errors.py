"""Mastodon.py's exceptions as `connectors.base` errors, with messages a social media manager can act on."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from mastodon import errors as m

from connectors.base import ConnectorError, Forbidden, Gone, RateLimited, Refused, Unauthorized, Unavailable


@contextmanager
def translated(doing: str, reset: Callable[[], float | None]) -> Iterator[None]:
    """Turn Mastodon.py exceptions raised while `doing` into `connectors.base` errors; `reset` is the
    epoch second the rate-limit window ends, as the server's ``X-RateLimit-Reset`` last said."""
    try:
        yield
    except m.MastodonRatelimitError as e:
        raise rate_limited(doing, reset()) from e
    except m.MastodonNotFoundError as e:
        raise Gone("The post could not be found on Mastodon; it was probably deleted.") from e
    except m.MastodonUnauthorizedError as e:
        raise Unauthorized(
            "Mastodon refused the access token (revoked or expired). An admin needs to create a new one "
            "(Preferences → Development, scopes read:notifications read:statuses write:statuses) and set "
            "MASTODON_ACCESS_TOKEN."
        ) from e
    except (m.MastodonServerError, m.MastodonNetworkError) as e:
        raise Unavailable(f"Could not reach Mastodon while {doing}.") from e
    except m.MastodonAPIError as e:
        raise _refused(e, doing) from e


def rate_limited(doing: str, reset: float | None) -> RateLimited:
    now = datetime.now(UTC)
    retry_at = (
        datetime.fromtimestamp(reset, UTC)
        if reset and reset > now.timestamp()
        else now + timedelta(minutes=5)
    )
    return RateLimited(
        f"Mastodon's rate limit was reached while {doing}, until {retry_at:%H:%M} UTC.",
        retry_at=retry_at,
    )


def _refused(error: m.MastodonAPIError, doing: str) -> ConnectorError:
    args = error.args
    status = args[1] if len(args) > 1 and isinstance(args[1], int) else 0
    said = str(args[3]) if len(args) > 3 and args[3] else ""
    if status == 403:
        return Forbidden(f"Mastodon did not allow this while {doing}: {said or 'forbidden'}.")
    if status == 422 and "character limit" in said.lower():
        return Refused(f"Mastodon refused the reply: {said}. Shorten it and approve again.")
    return Refused(f"Mastodon refused this while {doing}: {said or f'error {status}'}.")

"""tweepy's and requests' exceptions as `connectors.base` errors, with messages a social media manager can act on."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
import tweepy

from connectors.base import (
    ConnectorError,
    Duplicate,
    Forbidden,
    Gone,
    RateLimited,
    Refused,
    Unauthorized,
    Unavailable,
)
from connectors.x.session import OutOfBudget

DM_PERMISSION_MESSAGE = (
    "The X app is not allowed to read or send direct messages. An admin needs to set its permissions to "
    '"Read and write and Direct message" (OAuth 2.0: the scopes dm.read and dm.write) and regenerate '
    "the access token and secret, or set X_DIRECT_MESSAGES=false."
)

_STALE_SINCE_ID = re.compile(r"'since_id' must be .*larger than (\d+)")


def detail(error: tweepy.HTTPException) -> str:
    return " ".join(str(m) for m in error.api_messages if m)


def stale_since_id_floor(error: tweepy.BadRequest) -> str | None:
    """The id X suggests instead of a `since_id` older than recent search's 7 days, if that was the error."""
    for message in error.api_messages:
        match = _STALE_SINCE_ID.search(str(message))
        if match:
            return match.group(1)
    return None


@contextmanager
def translated(doing: str, clock: Callable[[], datetime]) -> Iterator[None]:
    """Turn tweepy and requests exceptions raised while `doing` into `connectors.base` errors."""
    try:
        yield
    except OutOfBudget as e:
        spent_until = datetime.fromtimestamp(e.reset, UTC)
        raise RateLimited(
            f"X's rate limit for this account is used up until {spent_until:%H:%M} UTC.",
            retry_at=spent_until,
        ) from e
    except tweepy.TooManyRequests as e:
        retry_at = _retry_at(getattr(e, "reset_time", None), clock())
        until = f", until {retry_at:%H:%M} UTC" if retry_at else ""
        raise RateLimited(
            f"X's rate limit was reached while {doing}{until}.",
            retry_at=retry_at,
        ) from e
    except tweepy.HTTPException as e:
        raise _http_error(e, doing) from e
    except requests.RequestException as e:
        raise Unavailable(f"Could not reach X while {doing}.") from e


def _retry_at(reset_time: Any, current: datetime) -> datetime | None:
    if not isinstance(reset_time, int):
        return None
    at = datetime.fromtimestamp(reset_time, UTC)
    if at <= current or at > current + timedelta(days=1):
        return None
    return at


def _http_error(error: tweepy.HTTPException, doing: str) -> ConnectorError:
    """Any other HTTP answer X refused or failed with (429 is handled before)."""
    status = error.response.status_code
    if isinstance(error, tweepy.TwitterServerError):
        return Unavailable(f"X had a problem on its side while {doing} (error {status}).")
    if isinstance(error, tweepy.Unauthorized):
        return Unauthorized(
            "X did not accept Parley's credentials. An admin needs to check the X API keys and tokens."
        )
    if isinstance(error, tweepy.Forbidden):
        return _forbidden(error, doing)
    if isinstance(error, tweepy.NotFound):
        return Gone("The post could not be found on X; it was probably deleted.")
    if isinstance(error, tweepy.BadRequest):
        return Refused(f"X refused this while {doing}: {detail(error) or 'the request was invalid'}")
    if status >= 500:
        return Unavailable(f"X answered with error {status} while {doing}.")
    return Refused(f"X refused this while {doing} (error {status}). {detail(error)}".strip())


def _forbidden(error: tweepy.Forbidden, doing: str) -> ConnectorError:
    said = detail(error)
    lowered = said.lower()
    if "cannot send messages" in lowered:
        return Forbidden(
            f"X refused {doing}: this person doesn't accept direct messages from the brand account. "
            "Answer publicly instead, or ask them to send the brand a message first."
        )
    if "direct messages" in lowered or ("direct message" in doing and lowered in ("", "forbidden")):
        return Unauthorized(DM_PERMISSION_MESSAGE)
    if "duplicate" in lowered:
        return Duplicate(
            "X refused this reply because the brand account already posted exactly the same text. "
            "Change the wording and approve it again."
        )
    if "deleted or not visible" in lowered:
        return Gone("The post was deleted on X (or is no longer visible), so it can't be answered.")
    if "not been mentioned" in lowered or ("not allowed" in lowered and "reply" in lowered):
        return Forbidden(
            "X only lets the API reply to posts that @mention the brand account (or quote it), "
            "and this post doesn't. Reply from the X app instead."
        )
    if "not permitted to perform this action" in lowered:  # X's answer to a write by a read-only app
        return Unauthorized(
            f"X did not allow {doing}: the X app may only read. An admin needs to set its permissions "
            "to Read and write, then regenerate the access token and secret (parley doctor checks it)."
        )
    if "unsupported authentication" in lowered or "authenticating with" in lowered:
        return Unauthorized(
            f"X needs the brand account's user credentials for {doing}. "
            "An admin needs to check the X access token and secret."
        )
    return Forbidden(f"X did not allow {doing}: {said or 'no reason given'}")

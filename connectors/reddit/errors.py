"""praw's, prawcore's and transport exceptions as `connectors.base` errors, with plain messages."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import prawcore
import requests
from praw.exceptions import PRAWException, RedditAPIException

from connectors.base import ConnectorError, Forbidden, Gone, RateLimited, Refused, Unauthorized, Unavailable
from connectors.reddit.requestor import Budget, NetworkError

MAX_COMMENT_LENGTH = 10_000

_WAIT = re.compile(r"(\d+)\s*(millisecond|second|minute|hour)s?", re.IGNORECASE)
_UNIT_SECONDS = {"millisecond": 0.001, "second": 1, "minute": 60, "hour": 3600}


@contextmanager
def translated(doing: str, budget: Budget, clock: Callable[[], datetime]) -> Iterator[None]:
    """Turn praw, prawcore and transport errors raised while `doing` into `connectors.base` errors.

    While the rate-limit window is spent nothing is called: prawcore would sleep until it resets,
    and the caller is told when to come back instead.
    """
    spent_until = budget.spent_until()
    if spent_until is not None:
        raise RateLimited(
            f"Parley used up its Reddit API allowance (100 requests a minute) before {doing}.",
            retry_at=spent_until,
        )
    try:
        yield
    except RedditAPIException as e:
        raise _api_error(e, doing, clock) from e
    except prawcore.TooManyRequests as e:
        retry_at = budget.spent_until() or _retry_after(e.response.headers.get("retry-after"), clock)
        raise RateLimited(
            f"Reddit's API rate limit (100 requests a minute) was reached while {doing}.",
            retry_at=retry_at,
        ) from e
    except (prawcore.ServerError, NetworkError, prawcore.RequestException) as e:
        raise _unavailable(e, doing) from e
    except (prawcore.PrawcoreException, PRAWException) as e:
        raise _refused(e, doing) from e


def _refused(error: prawcore.PrawcoreException | PRAWException, doing: str) -> ConnectorError:
    """What Reddit's HTTP answer (or praw itself) said no with, other than a rate limit."""
    if isinstance(error, prawcore.OAuthException):
        return Unauthorized(
            "Reddit rejected the brand account's login (username and password, or refresh token). "
            "An admin needs to check the Reddit settings."
        )
    if isinstance(error, prawcore.InsufficientScope):
        return Unauthorized(
            f"Parley's Reddit authorization does not allow {doing}. "
            "An admin needs to authorize the app again with all the permissions it asks for."
        )
    if isinstance(error, prawcore.InvalidToken):
        return Unauthorized(
            "Reddit no longer accepts Parley's access. An admin needs to check the Reddit settings."
        )
    if isinstance(error, prawcore.NotFound):
        return Gone("The post could not be found on Reddit; it was probably deleted or removed.")
    if isinstance(error, prawcore.Forbidden):
        return Forbidden(
            f"Reddit did not allow {doing}. The account may be banned from the subreddit, "
            "or the post is private or was removed."
        )
    if isinstance(error, prawcore.ResponseException):
        status = error.response.status_code
        if status == 401:
            return Unauthorized(
                "Reddit did not accept Parley's app credentials (client id and secret). "
                "An admin needs to check the Reddit settings."
            )
        if status >= 500:
            return Unavailable(f"Reddit answered with error {status} while {doing}.")
        return Refused(f"Reddit refused this while {doing} (error {status}).")
    return Refused(f"Reddit could not complete {doing}: {error}")


def _api_error(error: RedditAPIException, doing: str, clock: Callable[[], datetime]) -> ConnectorError:
    codes = {item.error_type: item for item in error.items}
    if "RATELIMIT" in codes:
        wait = _wait(codes["RATELIMIT"].message or "")
        if wait is None:
            return RateLimited("Reddit asks this account to wait before commenting again.")
        seconds, amount = wait
        return RateLimited(
            f"Reddit asks this account to wait {amount} before commenting again.",
            retry_at=clock() + timedelta(seconds=max(seconds, 1)),
        )
    if "THREAD_LOCKED" in codes:
        return Forbidden("The Reddit thread is locked by its moderators, so the reply cannot be posted.")
    if "TOO_OLD" in codes:
        return Forbidden(
            "The Reddit thread is archived (too old for new comments), so the reply cannot be posted."
        )
    if "DELETED_COMMENT" in codes or "DELETED_LINK" in codes:
        return Gone("The Reddit comment was deleted, so it can no longer be answered.")
    if "USER_BLOCKED" in codes or "SOMETHING_IS_BROKEN" in codes:
        return Forbidden(
            "Reddit did not allow the reply: the author has blocked the brand account (or the reverse)."
        )
    if "NOT_WHITELISTED_BY_USER_MESSAGE" in codes:
        return Forbidden(
            "The author accepts private messages on Reddit only from people they know, so the message "
            "was not sent. Answer publicly instead."
        )
    if "USER_DOESNT_EXIST" in codes:
        return Gone("The author's Reddit account no longer exists, so the message could not be sent.")
    if "TOO_LONG" in codes:
        return Refused(f"The reply is longer than Reddit's {MAX_COMMENT_LENGTH:,} characters; shorten it.")
    if "NO_TEXT" in codes:
        return Refused("Reddit refused an empty reply.")
    detail = "; ".join(item.message or item.error_type for item in error.items)
    return Refused(f"Reddit refused this while {doing}: {detail}")


def _wait(message: str) -> tuple[float, str] | None:
    """The wait a RATELIMIT message asks for: (seconds, "9 minutes"); None if it names none."""
    match = _WAIT.search(message)
    if match is None:
        return None
    amount, unit = int(match.group(1)), match.group(2).lower()
    return amount * _UNIT_SECONDS[unit], f"{amount} {unit}" + ("" if amount == 1 else "s")


def _unavailable(error: Exception, doing: str) -> Unavailable:
    if isinstance(error, prawcore.ServerError):
        return Unavailable(
            f"Reddit had a problem on its side while {doing} (error {error.response.status_code})."
        )
    if isinstance(error.__cause__, requests.Timeout):
        return Unavailable(f"Reddit did not answer in time while {doing}.")
    return Unavailable(f"Could not reach Reddit while {doing}.")


def _retry_after(value: str | None, clock: Callable[[], datetime]) -> datetime | None:
    try:
        seconds = float(value) if value is not None else None
    except ValueError:
        return None
    if seconds is None or not 0 < seconds <= 86400:
        return None
    return clock() + timedelta(seconds=seconds)

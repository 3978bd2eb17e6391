"""Graph API error bodies as `connectors.base` errors, with messages a social media manager can act on.

Meta answers ``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}``. Codes
(developers.facebook.com/docs/graph-api/guides/error-handling and the Messenger Platform's error
codes): 4, 17, 32, 613 and 80001-80014 rate limits (the time to wait is in
``X-Business-Use-Case-Usage``'s ``estimated_time_to_regain_access``, minutes); 190 (and 102)
expired or invalid token; 10 and 200-299 a missing permission (10 with subcode 2018278: outside the
messaging window); 100 with subcode 33 the object does not exist; 368 blocked for policy; 506 a
duplicate post; 1, 2 transient; 551 the person cannot be messaged.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from connectors.base import ConnectorError, Duplicate, Forbidden, Gone, RateLimited, Unauthorized, Unavailable

RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, *range(80001, 80015)})
TOKEN_CODES = frozenset({102, 190})
OUTSIDE_WINDOW = 2018278


def regain_at(headers: Mapping[str, str], at: datetime) -> datetime | None:
    """When Meta says access comes back: the largest `estimated_time_to_regain_access` (minutes), if any."""
    raw = headers.get("X-Business-Use-Case-Usage")
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    minutes = [
        float(entry["estimated_time_to_regain_access"])
        for value in (data.values() if isinstance(data, dict) else ())
        if isinstance(value, list)
        for entry in value
        if isinstance(entry, dict) and isinstance(entry.get("estimated_time_to_regain_access"), int | float)
    ]
    wait = max(minutes, default=0)
    return at + timedelta(minutes=wait) if wait > 0 else None


def translated_error(  # long: one table of Meta's error codes, read top to bottom
    status: int, body: Any, headers: Mapping[str, str], doing: str, at: datetime
) -> ConnectorError:
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        if status >= 500 or status == 0:
            return Unavailable(f"Meta had a problem ({status}) while {doing}.")
        return ConnectorError(f"Meta answered {status} while {doing}.")
    code, sub = _int(error.get("code")), _int(error.get("error_subcode"))
    said = str(error.get("message") or "no reason given")
    if code in RATE_LIMIT_CODES or status == 429:
        retry_at = regain_at(headers, at)
        until = f", until {retry_at:%H:%M} UTC" if retry_at else ""
        return RateLimited(
            f"Meta's rate limit (code {code}) was reached while {doing}{until}.",
            retry_at=retry_at,
        )
    if code in TOKEN_CODES:
        return Unauthorized(
            f"The Meta Page access token has expired or was revoked (Graph API error {code}) while {doing}. "
            "An admin needs to create a new Page access token and set META_PAGE_ACCESS_TOKEN."
        )
    if code == 10 and sub == OUTSIDE_WINDOW:
        return Forbidden(
            "Meta refused the message: it is outside the window in which the Page may answer "
            "(24 hours, or 7 days with the human agent tag). Answer from Meta Business Suite if still needed."
        )
    if code == 10 or 200 <= code <= 299:
        return Forbidden(
            f"The Meta app lacks a permission needed for {doing} (Graph API error {code}: {said}). "
            "An admin needs to grant it (App Review / Advanced Access) and create a new Page token."
        )
    if (code == 100 and sub == 33) or status == 404:
        return Gone(f"The post was deleted, or is no longer visible to the Page ({doing}).")
    if code == 506:
        return Duplicate(f"Meta refused a duplicate of a post just made ({doing}).")
    if code in (368, 551):
        return Forbidden(f"Meta did not allow {doing}: {said}")
    if code in (1, 2) or status >= 500 or error.get("is_transient"):
        return Unavailable(f"Meta had a temporary problem while {doing}.")
    return Forbidden(f"Meta did not allow {doing}: {said} (code {code})")


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0

"""What every connector needs alike: how a reply found on a network is compared with the text we
posted, and how a network's timestamp becomes an aware UTC time."""

from __future__ import annotations

import html
from datetime import UTC, datetime


def folded(text: str) -> str:
    """Text as compared with what we posted: HTML entities decoded, whitespace folded (networks
    escape `&`, rewrap lines and trim)."""
    return " ".join(html.unescape(text).split())


def same_text(a: str, b: str) -> bool:
    return folded(a) == folded(b)


def parse_time(value: object) -> datetime | None:
    """An ISO 8601 timestamp (`Z`, `+00:00` or `+0000`) as aware UTC; None when it is not one.
    A time without an offset is taken as UTC, as the networks mean it."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)

"""Why a check failed, in words an administrator can act on: never an exception's class name.

A failure to connect is named by its cause ("connection refused", "host not found", "no answer in
time") and the address tried; anything else by the message the connector or SDK wrote for people.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from urllib.parse import urlsplit


def _chain(error: BaseException) -> Iterator[BaseException]:
    """`error` and everything it wraps: causes, contexts, and the `reason` urllib and urllib3 keep."""
    seen: set[int] = set()
    pending = [error]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        wrapped = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        wrapped += [arg for arg in current.args if isinstance(arg, BaseException)]
        pending += [w for w in wrapped if isinstance(w, BaseException)]


def why_unreachable(error: BaseException) -> str | None:
    """What stopped the connection ("connection refused", ...), or None when a server did answer."""
    for cause in _chain(error):
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, socket.gaierror):
            return "host not found"
        if isinstance(cause, ssl.SSLError):
            return f"TLS failed: {cause.reason or cause}"
        if isinstance(cause, TimeoutError) or "Timeout" in type(cause).__name__:
            return "no answer in time"
        if isinstance(cause, ConnectionResetError):
            return "connection reset"
    return None


def requested_url(error: BaseException) -> str | None:
    """The URL the failed request went to, when the HTTP library kept it (requests does)."""
    for cause in _chain(error):
        request = getattr(cause, "request", None)
        url = getattr(request, "url", None)
        if isinstance(url, str) and url:
            return url
    return None


def origin(url: str) -> str:
    """scheme://host:port of `url`, without a path or credentials."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}{f':{parts.port}' if parts.port else ''}" if parts.scheme else url


def plainly(error: BaseException, url: str) -> str:
    """One sentence for a failed call to the service at `url` (where the request went when known)."""
    reason = why_unreachable(error)
    if reason is not None:
        return f"cannot connect to {origin(requested_url(error) or url)} ({reason})"
    message = getattr(error, "message", None)  # ConnectorError's, OpenAI's
    text = str(message if isinstance(message, str) and message else error).strip()
    return text or "it failed without saying why"

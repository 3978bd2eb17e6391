"""What goes over the wire: a recorded request, an answer, and how a route is declared."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import parse_qs

__all__ = ["Handler", "RecordedRequest", "Response", "declared_routes", "route"]


@dataclass
class RecordedRequest:
    """One request as the emulator received it.

    `query` and `form()` keep the first value of each key; `query_lists` keeps all of them.
    `headers` keeps the names as sent; use `header()` for a case-insensitive lookup.
    `path_params` holds the named groups of the route pattern that matched (empty otherwise);
    `response` is what the emulator answered (set once the answer is ready).
    """

    method: str
    path: str
    query: dict[str, str]
    query_lists: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    timestamp: float
    path_params: dict[str, str] = field(default_factory=dict)
    response: Response | None = None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def header(self, name: str, default: str | None = None) -> str | None:
        """Case-insensitive header lookup."""
        lowered = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lowered:
                return value
        return default

    def bearer(self) -> str | None:
        """The token of an `Authorization: Bearer …` header (scheme matched case-insensitively)."""
        scheme, _, token = (self.header("Authorization") or "").partition(" ")
        return token.strip() or None if scheme.lower() == "bearer" else None

    @property
    def content_type(self) -> str:
        return (self.header("Content-Type") or "").split(";")[0].strip().lower()

    def json(self) -> Any:
        """The body parsed as JSON (raises `ValueError` if it is not JSON)."""
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, str]:
        """The body parsed as `application/x-www-form-urlencoded` (first value of each key)."""
        return {k: v[0] for k, v in parse_qs(self.text, keep_blank_values=True).items()}

    def params(self) -> dict[str, Any]:
        """Query, form and JSON-object body merged (body wins): handy for RPC-style APIs."""
        merged: dict[str, Any] = dict(self.query)
        if self.content_type == "application/json":
            data = self.json()
            if isinstance(data, dict):
                merged.update(data)
        elif self.body:
            merged.update(self.form())
        return merged


@dataclass
class Response:
    """An answer. `body`: bytes and str are sent as is, anything else as JSON (None: no body)."""

    status: int = 200
    body: object = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = None

    def encode(self) -> tuple[bytes, str]:
        """The body bytes and the Content-Type to send."""
        if self.body is None:
            return b"", self.content_type or "application/json"
        if isinstance(self.body, bytes):
            return self.body, self.content_type or "application/octet-stream"
        if isinstance(self.body, str):
            return self.body.encode(), self.content_type or "text/plain; charset=utf-8"
        return json.dumps(self.body).encode(), self.content_type or "application/json; charset=utf-8"


Handler = Callable[[RecordedRequest], Response]
_F = TypeVar("_F", bound=Callable[..., Response])
_ROUTE_ATTR = "__emulator_route__"


def route(method: str, pattern: str) -> Callable[[_F], _F]:
    """Mark an `Emulator` method as the handler of `method` requests whose path fully matches `pattern`."""

    def mark(func: _F) -> _F:
        routes = declared_routes(func)
        routes.append((method.upper(), pattern))
        setattr(func, _ROUTE_ATTR, routes)
        return func

    return mark


def declared_routes(member: object) -> list[tuple[str, str]]:
    """The (method, pattern) pairs `@route` attached to `member` (none for anything else)."""
    return list(getattr(member, _ROUTE_ATTR, []))

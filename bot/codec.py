"""Dataclasses to JSON and back, driven by their type hints: no pickle, and new fields need no code.

Handles what the domain uses: nested frozen dataclasses, `datetime` (ISO 8601), `StrEnum`, tuples,
and `X | None`. A field missing from stored JSON takes its default, so old records still load.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


def encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted(encode(v) for v in value)
    return value


def decode(cls: type[T], data: Any) -> T:
    decoded: T = _decode(cls, data)
    return decoded


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(hint: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _decode(options[0], data) if len(options) == 1 else data
    if origin is tuple:
        args = typing.get_args(hint)
        item = args[0] if args else Any
        return tuple(_decode(item, v) for v in data)
    if origin is frozenset:
        return frozenset(_decode(typing.get_args(hint)[0], v) for v in data)
    if origin is typing.Literal or hint is Any:
        return data
    if isinstance(hint, type):
        if dataclasses.is_dataclass(hint):
            hints = _hints(hint)
            known = {f.name for f in dataclasses.fields(hint)}
            return hint(**{k: _decode(hints[k], v) for k, v in data.items() if k in known})
        if issubclass(hint, datetime):
            return datetime.fromisoformat(data)
        if issubclass(hint, Enum):
            return hint(data)
    return data

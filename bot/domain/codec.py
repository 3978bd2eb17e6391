"""Dataclasses to JSON and back, driven by their type hints: no pickle, and new fields need no code.

Handles what the domain uses: nested frozen dataclasses, `datetime` (ISO 8601), `StrEnum`, tuples,
and `X | None`. A field missing from stored JSON takes its default, so old records still load.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
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
    decoded: T = _decoder(typing.cast(Any, cls))(data)
    return decoded


Decoder = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


@cache
def _decoder(hint: Any) -> Decoder:
    """A decoding function for `hint`, built once per type: decoding a case is a few calls, not a
    walk over type hints."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(options) != 1:
            return _identity
        inner = _decoder(options[0])
        return lambda v: None if v is None else inner(v)
    if origin is tuple:
        args = typing.get_args(hint)
        item = _decoder(args[0]) if args else _identity
        return lambda v: tuple(item(x) for x in v)
    if origin is frozenset:
        member = _decoder(typing.get_args(hint)[0])
        return lambda v: frozenset(member(x) for x in v)
    if origin is typing.Literal or hint is Any or not isinstance(hint, type):
        return _identity
    if dataclasses.is_dataclass(hint):
        fields = {name: _decoder(h) for name, h in typing.get_type_hints(hint).items()}
        known = {f.name for f in dataclasses.fields(hint)}
        fields = {k: v for k, v in fields.items() if k in known}
        return lambda v: None if v is None else hint(**{k: fields[k](x) for k, x in v.items() if k in fields})
    if issubclass(hint, datetime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if issubclass(hint, Enum):
        return lambda v: None if v is None else hint(v)
    return _identity

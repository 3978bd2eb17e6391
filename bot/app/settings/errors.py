"""Problems as sentences: a pydantic ValidationError never reaches a user raw.

`problem()` raises a check's own sentence from inside a validator; `sentences()` turns every error
of a ValidationError into one line naming the variable (`PARLEY_POLL_INTERVAL='abc' is not a whole
number.`) or the file key (`routes[0].chanel: unknown key (did you mean channel?)`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from typing import Any, NoReturn

from pydantic import ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

PROBLEM = "parley"  # the error type of problem()
_USERINFO = re.compile(r"^(?P<scheme>(?:[a-z][a-z0-9+.-]*://)?)(?P<user>[^/?#]*)@", re.IGNORECASE)
_QUERY_PASSWORD = re.compile(r"([?&]password=)[^&#]*", re.IGNORECASE)


class ConfigError(Exception):
    """Configuration that cannot work; the message names the variable and what to do."""


class FileProblems(ConfigError):
    """Mistakes in the PARLEY_CONFIG file, each naming its key."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def problem(*texts: str) -> NoReturn:
    """Fail a validator with sentences of our own; each follows the key, e.g. "is required (...)"."""
    raise PydanticCustomError(PROBLEM, "{texts}", {"texts": list(texts)})


def masked_url(url: str) -> str:
    """The URL fit to print: a password (or a lone user name, which may be one) becomes ***.

    redis://:s3cret@host:6379/0 -> redis://:***@host:6379/0; unix:///run/redis.sock?password=s3cret -> ...?password=***
    """

    def userinfo(found: re.Match[str]) -> str:
        name, colon, _ = found["user"].partition(":")
        return f"{found['scheme']}{name + ':***' if colon else '***'}@"

    return _QUERY_PASSWORD.sub(r"\1***", _USERINFO.sub(userinfo, url))


def joined(where: str, text: str) -> str:
    """A text that starts with punctuation continues the key (".name is required", "='x' must ...")."""
    return f"{where}{text}" if text.startswith((":", ".", "=")) else f"{where} {text}"


def did_you_mean(key: str, allowed: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, sorted(allowed), n=1)
    return f" (did you mean {close[0]}?)" if close else f" (known: {', '.join(sorted(allowed))})"


def shown(value: Any) -> str:
    """A value as echoed in a message: quoted, with any URL password masked."""
    return repr(masked_url(value)) if isinstance(value, str) else repr(value)


def sentences(
    error: ValidationError, where: Callable[[ErrorDetails], str], usual: Callable[[ErrorDetails], str]
) -> list[str]:
    """One sentence per error: a check's own texts after `where`, else pydantic's error said `usual`-ly."""
    found: list[str] = []
    for details in error.errors():
        if details["type"] == PROBLEM:
            found += [joined(where(details), text) for text in details.get("ctx", {})["texts"]]
        else:
            found.append(usual(details))
    return found

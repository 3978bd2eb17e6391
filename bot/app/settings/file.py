"""The optional configuration file (`PARLEY_CONFIG`, TOML): several accounts per network and routing rules.

Secrets stay in the environment: any string value written `env:NAME` is read from variable NAME.
Every mistake is reported with the key that holds it, e.g. `accounts[1].subreddits`. The entries'
own mistakes come together; names (unique, and those routes refer to) are checked once entries are valid.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from bot.app.settings.accounts import ACCOUNT_MODELS, FileAccount
from bot.app.settings.errors import FileProblems, did_you_mean, problem, sentences
from bot.domain import Network
from bot.domain.routing import KINDS, Route

NETWORKS = tuple(n.value for n in Network)


def _listed(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


Words = Annotated[tuple[str, ...], BeforeValidator(_listed)]  # one word may be written without brackets


class RouteRule(BaseModel):
    """A `[[routes]]` table; see bot.domain.routing.Route for what each condition means."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    channel: str = Field("", validate_default=True)
    networks: Words = ()
    accounts: Words = ()
    keywords: Words = ()
    languages: Words = ()
    kinds: Words = ()
    places: Words = ()  # Post.place: a Google location's name, a subreddit
    private: bool = False  # for private messages (DMs, PMs) only; they take no other rule

    @field_validator("channel")
    @classmethod
    def _channel(cls, value: str) -> str:
        if not value:
            problem("is required (a channel id such as C0123ABC).")
        return value

    @field_validator("networks")
    @classmethod
    def _networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if unknown := sorted(set(value) - set(NETWORKS)):
            problem(*(f": unknown network {network!r}." for network in unknown))
        return value

    @field_validator("kinds")
    @classmethod
    def _kinds(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if unknown := sorted(set(value) - set(KINDS)):
            problem(*(f": {kind!r} is not one of {', '.join(sorted(KINDS))}." for kind in unknown))
        return value

    def route(self) -> Route:
        return Route(
            channel=self.channel,
            networks=frozenset(self.networks),
            accounts=frozenset(self.accounts),
            keywords=self.keywords,
            languages=frozenset(self.languages),
            kinds=frozenset(self.kinds),
            places=frozenset(self.places),
            private=self.private,
        )


class ConfigFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    default_channel: str = ""  # where cases go when no route matches; PARLEY_CHANNEL wins
    accounts: tuple[FileAccount, ...] = ()
    routes: tuple[RouteRule, ...] = ()

    @model_validator(mode="after")
    def _names(self) -> Self:
        names = [a.name for a in self.accounts]
        problems = [
            f"accounts: the name {name!r} is used twice; names must be unique."
            for name in sorted({n for n in names if names.count(n) > 1})
        ]
        for index, rule in enumerate(self.routes):
            problems += [
                f"routes[{index}].accounts: no account is named {account!r}."
                for account in sorted(set(rule.accounts) - set(names))
            ]
        if problems:
            problem(*problems)
        return self


def load(path: Path, environ: Mapping[str, str]) -> ConfigFile:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileProblems([f"PARLEY_CONFIG: {path} does not exist."]) from None
    except OSError as error:
        raise FileProblems([f"PARLEY_CONFIG: {path} cannot be read ({error.strerror})."]) from None
    except tomllib.TOMLDecodeError as error:
        raise FileProblems([f"{path}: not valid TOML ({error})."]) from None
    return parse(raw, environ, origin=str(path))


def parse(raw: Mapping[str, Any], environ: Mapping[str, str], *, origin: str = "parley.toml") -> ConfigFile:
    try:
        return ConfigFile.model_validate(raw, context={"environ": environ})
    except ValidationError as error:
        raise FileProblems(
            sentences(
                error, lambda d: f"{origin}: {_key(_parts(d))}".rstrip(), lambda d: f"{origin}: {_said(d)}"
            )
        ) from None


def _parts(details: ErrorDetails) -> list[str | int]:
    """The key's path without the account's union tag: ("accounts", 0, "x", "name") -> accounts[0].name."""
    parts = list(details["loc"])
    if parts[:1] == ["accounts"] and len(parts) > 2 and parts[2] in ACCOUNT_MODELS:
        del parts[2]
    return parts


def _key(parts: list[str | int]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text


def _allowed(loc: tuple[str | int, ...]) -> set[str]:
    """The keys the table holding this key may have."""
    if len(loc) == 1:
        return set(ConfigFile.model_fields)
    if loc[0] == "routes":
        return set(RouteRule.model_fields)
    return set(ACCOUNT_MODELS[str(loc[2])].model_fields)


def _said(details: ErrorDetails) -> str:
    """A pydantic error in the file's words."""
    kind, parts = details["type"], _parts(details)
    key = _key(parts)
    if kind == "extra_forbidden":
        return f"{key}: unknown key{did_you_mean(str(parts[-1]), _allowed(details['loc']))}."
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        got = details.get("ctx", {}).get("tag")
        return f"{key}.network must be one of {', '.join(NETWORKS)}, got {got!r}."
    if parts in (["accounts"], ["routes"]) or (len(parts) == 2 and kind.startswith("model")):
        return f"{parts[0]} must be a list of tables ([[{parts[0]}]])."
    if kind in ("tuple_type", "list_type") or (kind == "string_type" and isinstance(parts[-1], int)):
        listed = parts[:-1] if isinstance(parts[-1], int) else parts
        return f"{_key(listed)} must be a list of strings."
    if kind == "string_type":
        return f"{key} must be a string."
    return f"{key}: {details['msg'][:1].lower()}{details['msg'][1:]}."

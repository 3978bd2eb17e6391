"""The optional configuration file (`PARLEY_CONFIG`, TOML): several accounts per network and routing rules.

Secrets stay in the environment: any string value written `env:NAME` is read from variable NAME.
Every mistake is reported with the key that holds it, e.g. `accounts[1].subreddits`.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.domain import Network
from bot.domain.routing import KINDS, Route

X_KEYS = {
    "name": "",
    "network": "",
    "bearer_token": "",
    "api_key": "",
    "api_secret": "",
    "access_token": "",
    "access_token_secret": "",
    "api_url": "https://api.twitter.com",
    "search": "",
    "username": "",
}
REDDIT_KEYS = {
    "name": "",
    "network": "",
    "client_id": "",
    "client_secret": "",
    "username": "",
    "password": "",
    "refresh_token": "",
    "user_agent": "parley/0.1 (by u/parley)",
    "subreddits": [],
    "keywords": [],
    "url": "https://www.reddit.com",
    "oauth_url": "https://oauth.reddit.com",
}
ROUTE_KEYS = {"channel", "networks", "accounts", "keywords", "languages", "kinds"}
TOP_KEYS = {"default_channel", "accounts", "routes"}


@dataclass(frozen=True)
class FileConfig:
    default_channel: str
    accounts: tuple[
        dict[str, Any], ...
    ]  # validated raw values; bot.settings turns them into account settings
    routes: tuple[Route, ...]


class FileProblems(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def load(path: Path, env: Mapping[str, str]) -> FileConfig:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileProblems([f"PARLEY_CONFIG: {path} does not exist."]) from None
    except tomllib.TOMLDecodeError as error:
        raise FileProblems([f"{path}: not valid TOML ({error})."]) from None
    return parse(raw, env, origin=str(path))


def parse(raw: Mapping[str, Any], env: Mapping[str, str], *, origin: str = "parley.toml") -> FileConfig:
    problems: list[str] = []
    _unknown(raw, TOP_KEYS, "", origin, problems)
    accounts = tuple(
        _account(i, a, env, origin, problems)
        for i, a in enumerate(_tables(raw, "accounts", origin, problems))
    )
    names = [a["name"] for a in accounts if a.get("name")]
    for name in {n for n in names if names.count(n) > 1}:
        problems.append(f"{origin}: accounts: the name {name!r} is used twice; names must be unique.")
    routes = tuple(
        _route(i, r, set(names), origin, problems)
        for i, r in enumerate(_tables(raw, "routes", origin, problems))
    )
    default_channel = raw.get("default_channel", "")
    if not isinstance(default_channel, str):
        problems.append(f"{origin}: default_channel must be a channel id string.")
        default_channel = ""
    if problems:
        raise FileProblems(problems)
    return FileConfig(default_channel=default_channel, accounts=accounts, routes=routes)


def _tables(raw: Mapping[str, Any], key: str, origin: str, problems: list[str]) -> list[Mapping[str, Any]]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        problems.append(f"{origin}: {key} must be a list of tables ([[{key}]]).")
        return []
    return value


def _unknown(
    table: Mapping[str, Any], allowed: set[str], where: str, origin: str, problems: list[str]
) -> None:
    for key in table:
        if key not in allowed:
            close = difflib.get_close_matches(key, sorted(allowed), n=1)
            hint = f" (did you mean {close[0]}?)" if close else f" (known: {', '.join(sorted(allowed))})"
            problems.append(f"{origin}: {where}{key}: unknown key{hint}.")


def _resolve(value: Any, where: str, env: Mapping[str, str], origin: str, problems: list[str]) -> Any:
    if isinstance(value, str) and value.startswith("env:"):
        name = value.removeprefix("env:")
        if not env.get(name):
            problems.append(f"{origin}: {where} refers to the environment variable {name}, which is not set.")
            return ""
        return env[name]
    return value


def _account(
    index: int, table: Mapping[str, Any], env: Mapping[str, str], origin: str, problems: list[str]
) -> dict[str, Any]:
    where = f"accounts[{index}]."
    network = table.get("network")
    known = {n.value: n for n in Network}
    if network not in known:
        problems.append(f"{origin}: {where}network must be one of {', '.join(known)}, got {network!r}.")
        return {}
    defaults = X_KEYS if network == "x" else REDDIT_KEYS
    _unknown(table, set(defaults), where, origin, problems)
    account: dict[str, Any] = {}
    for key, default in defaults.items():
        value = _resolve(table.get(key, default), where + key, env, origin, problems)
        if isinstance(default, list):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(f"{origin}: {where}{key} must be a list of strings.")
                value = []
            value = tuple(value)
        elif not isinstance(value, str):
            problems.append(f"{origin}: {where}{key} must be a string.")
            value = ""
        account[key] = value
    if not account["name"]:
        problems.append(f"{origin}: {where}name is required (a short name such as 'acme-x').")
    if network == "x" and not account["search"] and not account["access_token"]:
        problems.append(
            f"{origin}: {where}access_token is required to answer mentions (or set search to listen only)."
        )
    if network == "x" and not (account["bearer_token"] or account["access_token"]):
        problems.append(f"{origin}: {where}bearer_token or access_token is required to read X.")
    if network == "reddit" and not account["client_id"]:
        problems.append(f"{origin}: {where}client_id is required.")
    if network == "reddit" and not (
        account["refresh_token"] or (account["username"] and account["password"])
    ):
        problems.append(f"{origin}: {where}needs username and password, or refresh_token.")
    return account


def _strings(
    table: Mapping[str, Any], key: str, where: str, origin: str, problems: list[str]
) -> tuple[str, ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{origin}: {where}{key} must be a list of strings.")
        return ()
    return tuple(value)


def _route(index: int, table: Mapping[str, Any], names: set[str], origin: str, problems: list[str]) -> Route:
    where = f"routes[{index}]."
    _unknown(table, ROUTE_KEYS, where, origin, problems)
    channel = table.get("channel")
    if not isinstance(channel, str) or not channel:
        problems.append(f"{origin}: {where}channel is required (a channel id such as C0123ABC).")
        channel = ""
    networks = _strings(table, "networks", where, origin, problems)
    for network in set(networks) - {n.value for n in Network}:
        problems.append(f"{origin}: {where}networks: unknown network {network!r}.")
    accounts = _strings(table, "accounts", where, origin, problems)
    for account in set(accounts) - names:
        problems.append(f"{origin}: {where}accounts: no account is named {account!r}.")
    kinds = _strings(table, "kinds", where, origin, problems)
    for kind in set(kinds) - set(KINDS):
        problems.append(f"{origin}: {where}kinds: {kind!r} is not one of {', '.join(sorted(KINDS))}.")
    return Route(
        channel=channel,
        networks=frozenset(networks),
        accounts=frozenset(accounts),
        keywords=_strings(table, "keywords", where, origin, problems),
        languages=frozenset(_strings(table, "languages", where, origin, problems)),
        kinds=frozenset(kinds),
    )

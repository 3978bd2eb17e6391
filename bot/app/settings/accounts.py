"""One account per network: its keys and where its API lives. The defaults here are the only ones.

The same models hold the account read from X_* / REDDIT_* and the accounts of the PARLEY_CONFIG
file; validated from the file (`context={"environ": ...}`), `env:NAME` values are read from variable
NAME and each account must be usable on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator, model_validator

from bot.app.settings.errors import problem, shown


def _environ(info: ValidationInfo) -> Mapping[str, str] | None:
    """The environment when validating the configuration file; None for the X_* / REDDIT_* account."""
    return (info.context or {}).get("environ")


def http_url(value: str) -> str:
    """An API base URL, without its trailing slash."""
    if not value.startswith(("http://", "https://")):
        problem(f"={shown(value)} must be an http(s) URL.")
    return value.rstrip("/")


class Account(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str  # how routes and logs refer to the account; the network's name for the environment's

    @model_validator(mode="before")
    @classmethod
    def _read_secrets(cls, table: Any, info: ValidationInfo) -> Any:
        """In the file, `key = "env:NAME"` is the value of environment variable NAME."""
        environ = _environ(info)
        if environ is None or not isinstance(table, dict):
            return table
        secrets = {
            k: v.removeprefix("env:") for k, v in table.items() if isinstance(v, str) and v.startswith("env:")
        }
        if unset := [key for key, name in secrets.items() if not environ.get(name)]:
            problem(
                *(
                    f".{key} refers to the environment variable {secrets[key]}, which is not set."
                    for key in unset
                )
            )
        return table | {key: environ[name] for key, name in secrets.items()}

    def _file_problems(self) -> list[str]:
        """What makes this account unusable when declared in the file (the environment's may be unset)."""
        named = "name" in self.model_fields_set and self.name
        return [] if named else [".name is required (a short name such as 'acme-x')."]

    @model_validator(mode="after")
    def _usable(self, info: ValidationInfo) -> Self:
        if _environ(info) is not None and (problems := self._file_problems()):
            problem(*problems)
        return self


class XSettings(Account):
    """One X account: its keys, and optionally a keyword search to listen to instead of mentions."""

    network: Literal["x"] = "x"
    name: str = "x"
    bearer_token: str = ""
    api_key: str = ""
    api_secret: str = ""
    access_token: str = ""
    access_token_secret: str = ""
    api_url: str = "https://api.twitter.com"
    search: str = ""
    username: str = ""  # the brand's handle; looked up with the user keys when empty

    _api_url = field_validator("api_url")(http_url)

    @property
    def configured(self) -> bool:
        return bool(self.bearer_token or self.access_token)

    def _file_problems(self) -> list[str]:
        problems = super()._file_problems()
        if not self.search and not self.access_token:
            problems.append(".access_token is required to answer mentions (or set search to listen only).")
        if not self.configured:
            problems.append(".bearer_token or access_token is required to read X.")
        return problems


class RedditSettings(Account):
    """One Reddit account: its inbox, plus watched subreddits (optionally filtered by keywords)."""

    network: Literal["reddit"] = "reddit"
    name: str = "reddit"
    client_id: str = ""
    client_secret: str = ""
    username: str = ""
    password: str = ""
    refresh_token: str = ""
    user_agent: str = "parley/0.1 (by u/parley)"
    subreddits: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    url: str = "https://www.reddit.com"
    oauth_url: str = "https://oauth.reddit.com"

    _urls = field_validator("url", "oauth_url")(http_url)

    @property
    def configured(self) -> bool:
        return bool(self.client_id)

    @property
    def signs_in(self) -> bool:
        return bool(self.refresh_token or (self.username and self.password))

    def _file_problems(self) -> list[str]:
        problems = super()._file_problems()
        if not self.client_id:
            problems.append(".client_id is required.")
        if not self.signs_in:
            problems.append(": needs username and password, or refresh_token.")
        return problems

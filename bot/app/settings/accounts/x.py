"""An X account: its keys, and optionally a keyword search to listen to instead of mentions."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import field_validator

from bot.app.settings.accounts.base import Account, http_url


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
    # Read DMs to the brand and answer by DM: None = when the X app has the DM permission.
    direct_messages: bool | None = None

    VARIABLES: ClassVar[dict[str, str]] = {
        "X_BEARER_TOKEN": "bearer_token",
        "X_API_KEY": "api_key",
        "X_API_SECRET": "api_secret",
        "X_ACCESS_TOKEN": "access_token",
        "X_ACCESS_TOKEN_SECRET": "access_token_secret",
        "X_API_URL": "api_url",
        "X_DIRECT_MESSAGES": "direct_messages",
    }

    _api_url = field_validator("api_url")(http_url)

    @property
    def configured(self) -> bool:
        return bool(self.bearer_token or self.access_token)

    @property
    def base_url(self) -> str:
        return self.api_url

    def connector_options(self) -> dict[str, Any]:
        return {
            "bearer_token": self.bearer_token,
            "consumer_key": self.api_key,
            "consumer_secret": self.api_secret,
            "access_token": self.access_token,
            "access_token_secret": self.access_token_secret,
            "base_url": self.api_url,
            "search": self.search or None,
            "username": self.username or None,
            "direct_messages": self.direct_messages,
        }

    def environment_problems(self) -> list[str]:
        problems = []
        if self.access_token and not (self.api_key and self.api_secret and self.access_token_secret):
            problems.append(
                "X_ACCESS_TOKEN is set but X_API_KEY, X_API_SECRET or X_ACCESS_TOKEN_SECRET is missing: "
                "posting replies needs all four OAuth 1.0a values."
            )
        if self.configured and not self.access_token:
            problems.append(
                "X_BEARER_TOKEN alone can read mentions but not reply: set the OAuth 1.0a user keys too."
            )
        return problems

    def _file_problems(self) -> list[str]:
        problems = super()._file_problems()
        if not self.search and not self.access_token:
            problems.append(".access_token is required to answer mentions (or set search to listen only).")
        if not self.configured:
            problems.append(".bearer_token or access_token is required to read X.")
        return problems

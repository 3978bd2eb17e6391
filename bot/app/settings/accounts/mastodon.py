"""A Mastodon account: its server and an access token of the brand account."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import field_validator

from bot.app.settings.accounts.base import Account, http_url


class MastodonSettings(Account):
    """One Mastodon account: mentions (public and direct), answered with an access token."""

    network: Literal["mastodon"] = "mastodon"
    name: str = "mastodon"
    api_base_url: str = ""
    access_token: str = ""
    stream: bool = True  # keep the user stream open in `parley stream`

    VARIABLES: ClassVar[dict[str, str]] = {
        "MASTODON_API_BASE_URL": "api_base_url",
        "MASTODON_ACCESS_TOKEN": "access_token",
        "MASTODON_STREAM": "stream",
    }

    @field_validator("api_base_url")
    @classmethod
    def _api_base_url(cls, value: str) -> str:
        return http_url(value) if value else value

    @property
    def configured(self) -> bool:
        return bool(self.api_base_url or self.access_token)

    @property
    def base_url(self) -> str:
        return self.api_base_url

    @property
    def streams(self) -> bool:
        return self.stream

    def connector_options(self) -> dict[str, Any]:
        return {"api_base_url": self.api_base_url, "access_token": self.access_token}

    def environment_problems(self) -> list[str]:
        problems = []
        if self.configured and not self.api_base_url:
            problems.append(
                "MASTODON_ACCESS_TOKEN is set but MASTODON_API_BASE_URL (the server, e.g. https://mastodon.social) is not."
            )
        if self.configured and not self.access_token:
            problems.append(
                "MASTODON_API_BASE_URL is set but MASTODON_ACCESS_TOKEN is not: create one under Preferences → "
                "Development with the scopes read:notifications read:statuses write:statuses."
            )
        return problems

    def _file_problems(self) -> list[str]:
        problems = super()._file_problems()
        if not self.api_base_url:
            problems.append(".api_base_url is required (the server, e.g. https://mastodon.social).")
        if not self.access_token:
            problems.append('.access_token is required (e.g. "env:MASTODON_ACCESS_TOKEN").')
        return problems

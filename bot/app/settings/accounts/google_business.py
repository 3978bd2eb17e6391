"""A Google Business Profile account: the reviews of its locations (all, or those listed)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import field_validator

from bot.app.settings.accounts.base import Account, http_url


class GoogleBusinessSettings(Account):
    """One Business Profile account read with a Google user's refresh token (scope business.manage)."""

    network: Literal["google"] = "google"
    name: str = "google"
    client_id: str = ""
    client_secret: str = ""
    refresh_token: str = ""
    account_id: str = ""
    locations: tuple[str, ...] = ()  # location ids; empty: every location of the account
    api_url: str = "https://mybusiness.googleapis.com"
    information_url: str = "https://mybusinessbusinessinformation.googleapis.com"
    # The OAuth token endpoint (GOOGLE_BUSINESS_TOKEN_URL); not named *token*: the logs hide such fields.
    oauth_url: str = "https://oauth2.googleapis.com/token"

    VARIABLES: ClassVar[dict[str, str]] = {
        "GOOGLE_BUSINESS_CLIENT_ID": "client_id",
        "GOOGLE_BUSINESS_CLIENT_SECRET": "client_secret",
        "GOOGLE_BUSINESS_REFRESH_TOKEN": "refresh_token",
        "GOOGLE_BUSINESS_ACCOUNT_ID": "account_id",
        "GOOGLE_BUSINESS_LOCATIONS": "locations",
        "GOOGLE_BUSINESS_API_URL": "api_url",
        "GOOGLE_BUSINESS_INFORMATION_URL": "information_url",
        "GOOGLE_BUSINESS_TOKEN_URL": "oauth_url",
    }
    COMMA_SEPARATED: ClassVar[frozenset[str]] = frozenset({"GOOGLE_BUSINESS_LOCATIONS"})

    _urls = field_validator("api_url", "information_url", "oauth_url")(http_url)

    @property
    def configured(self) -> bool:
        return bool(self.refresh_token or self.account_id)

    @property
    def base_url(self) -> str:
        return self.api_url

    def connector_options(self) -> dict[str, Any]:
        return {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "refresh_token": self.refresh_token,
            "account_id": self.account_id,
            "locations": self.locations,
            "name": self.name,
            "api_url": self.api_url,
            "information_url": self.information_url,
            "token_url": self.oauth_url,
        }

    def environment_problems(self) -> list[str]:
        if not self.configured:
            return []
        return [
            f"{variable} is not set: Google Business Profile needs it."
            for variable, key in self.VARIABLES.items()
            if key in ("client_id", "client_secret", "refresh_token", "account_id") and not getattr(self, key)
        ]

    def _file_problems(self) -> list[str]:
        problems = super()._file_problems()
        problems += [
            f".{key} is required."
            for key in ("client_id", "client_secret", "refresh_token", "account_id")
            if not getattr(self, key)
        ]
        return problems

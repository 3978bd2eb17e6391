"""A LinkedIn company page: the comments on its posts and the posts that mention it."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import field_validator

from bot.app.settings.accounts.base import Account, http_url
from bot.app.settings.errors import problem, shown


class LinkedInSettings(Account):
    """One company page, read and answered with a page administrator's access token."""

    network: Literal["linkedin"] = "linkedin"
    name: str = "linkedin"
    access_token: str = ""
    organization_id: str = ""
    api_url: str = "https://api.linkedin.com"
    version: str = "202611"  # LinkedIn-Version, YYYYMM

    VARIABLES: ClassVar[dict[str, str]] = {
        "LINKEDIN_ACCESS_TOKEN": "access_token",
        "LINKEDIN_ORGANIZATION_ID": "organization_id",
        "LINKEDIN_API_URL": "api_url",
        "LINKEDIN_VERSION": "version",
    }

    _api_url = field_validator("api_url")(http_url)

    @field_validator("organization_id")
    @classmethod
    def _organization(cls, value: str) -> str:
        bare = value.removeprefix("urn:li:organization:")
        if value and not bare.isdigit():
            problem(f"={shown(value)} must be the page's numeric id (urn:li:organization:ID).")
        return bare

    @field_validator("version")
    @classmethod
    def _version(cls, value: str) -> str:
        if not (len(value) == 6 and value.isdigit()):
            problem(f"={shown(value)} must be a month written YYYYMM, e.g. 202611.")
        return value

    @property
    def configured(self) -> bool:
        return bool(self.access_token or self.organization_id)

    @property
    def base_url(self) -> str:
        return self.api_url

    def connector_options(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "organization_id": self.organization_id,
            "api_url": self.api_url,
            "version": self.version,
        }

    def environment_problems(self) -> list[str]:
        problems = []
        if self.configured and not self.access_token:
            problems.append("LINKEDIN_ACCESS_TOKEN is not set: a page administrator's token is needed.")
        if self.configured and not self.organization_id:
            problems.append("LINKEDIN_ORGANIZATION_ID is not set: the company page's numeric id is needed.")
        return problems

    def _file_problems(self) -> list[str]:
        problems = super()._file_problems()
        problems += [
            f".{key} is required." for key in ("access_token", "organization_id") if not getattr(self, key)
        ]
        return problems

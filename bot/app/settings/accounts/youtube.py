"""A YouTube channel: its OAuth client and refresh token, and the daily quota of its Google Cloud project."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import PositiveInt, field_validator

from bot.app.settings.accounts.base import Account, http_url


class YouTubeSettings(Account):
    """One YouTube channel: comments on its videos, answered in their thread."""

    network: Literal["youtube"] = "youtube"
    name: str = "youtube"
    client_id: str = ""
    client_secret: str = ""
    refresh_token: str = ""
    channel_id: str = ""
    api_url: str = "https://youtube.googleapis.com"
    # Google's OAuth token endpoint (not named *token*: the logs hide fields so named as secrets)
    oauth_url: str = "https://oauth2.googleapis.com/token"
    daily_quota: PositiveInt = 10_000  # the project's units a day (Google's default; raised on request)

    VARIABLES: ClassVar[dict[str, str]] = {
        "YOUTUBE_CLIENT_ID": "client_id",
        "YOUTUBE_CLIENT_SECRET": "client_secret",
        "YOUTUBE_REFRESH_TOKEN": "refresh_token",
        "YOUTUBE_CHANNEL_ID": "channel_id",
        "YOUTUBE_API_URL": "api_url",
        "YOUTUBE_TOKEN_URL": "oauth_url",
        "YOUTUBE_DAILY_QUOTA": "daily_quota",
    }

    _urls = field_validator("api_url", "oauth_url")(http_url)

    @property
    def configured(self) -> bool:
        return bool(self.refresh_token or self.channel_id)

    @property
    def base_url(self) -> str:
        return self.api_url

    @property
    def quota(self) -> tuple[str, int]:
        """The quota this channel spends: its OAuth client's project, and its units a day."""
        return f"youtube:{self.client_id}", self.daily_quota

    def connector_options(self) -> dict[str, Any]:
        return {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "refresh_token": self.refresh_token,
            "channel_id": self.channel_id,
            "api_url": self.api_url,
            "token_url": self.oauth_url,
            "daily_quota": self.daily_quota,
        }

    def _missing(self) -> list[str]:
        fields = ("client_id", "client_secret", "refresh_token", "channel_id")
        return [name for name in fields if not getattr(self, name)]

    def environment_problems(self) -> list[str]:
        if not self.configured or not (missing := self._missing()):
            return []
        names = ", ".join(f"YOUTUBE_{name.upper()}" for name in missing)
        return [f"YouTube is half configured: {names} missing (all four are needed to read and reply)."]

    def _file_problems(self) -> list[str]:
        return [*super()._file_problems(), *(f".{name} is required." for name in self._missing())]

"""A Bluesky account: its handle and an app password, on its PDS, with Jetstream for real time."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import field_validator

from bot.app.settings.accounts.base import Account, http_url
from bot.app.settings.errors import problem, shown


def ws_url(value: str) -> str:
    """A WebSocket URL (ws:// or wss://) without its trailing slash."""
    if value and not value.startswith(("ws://", "wss://")):
        problem(f"={shown(value)} must be a ws:// or wss:// URL.")
    return value.rstrip("/")


class BlueskySettings(Account):
    """One Bluesky account: mentions and replies, answered with an app password."""

    network: Literal["bluesky"] = "bluesky"
    name: str = "bluesky"
    handle: str = ""
    app_password: str = ""
    pds_url: str = "https://bsky.social"
    jetstream_url: str = "wss://jetstream2.us-east.bsky.network"
    stream: bool = True  # keep a Jetstream stream open in `parley stream`; False: polling only

    VARIABLES: ClassVar[dict[str, str]] = {
        "BLUESKY_HANDLE": "handle",
        "BLUESKY_APP_PASSWORD": "app_password",
        "BLUESKY_PDS_URL": "pds_url",
        "BLUESKY_JETSTREAM_URL": "jetstream_url",
        "BLUESKY_STREAM": "stream",
    }

    KEEPS_SESSION: ClassVar[bool] = True  # createSession is limited: every process reuses one sign-in

    _pds_url = field_validator("pds_url")(http_url)
    _jetstream_url = field_validator("jetstream_url")(ws_url)

    @property
    def configured(self) -> bool:
        return bool(self.handle)

    @property
    def base_url(self) -> str:
        return self.pds_url

    @property
    def streams(self) -> bool:
        """Whether `parley stream` keeps a stream open for this account."""
        return self.stream and bool(self.jetstream_url)

    def connector_options(self) -> dict[str, Any]:
        return {
            "handle": self.handle,
            "app_password": self.app_password,
            "pds_url": self.pds_url,
            "jetstream_url": self.jetstream_url,
        }

    def environment_problems(self) -> list[str]:
        if self.configured and not self.app_password:
            return [
                "BLUESKY_HANDLE is set but BLUESKY_APP_PASSWORD is not: create an app password "
                "(Bluesky → Settings → Privacy and security → App passwords)."
            ]
        return []

    def _file_problems(self) -> list[str]:
        problems = super()._file_problems()
        if not self.handle:
            problems.append(".handle is required.")
        if not self.app_password:
            problems.append('.app_password is required (an app password, e.g. "env:BLUESKY_APP_PASSWORD").')
        return problems

"""A Facebook Page and its Instagram account: two account models sharing the META_* variables.

A connector has one `network`, and routing rules, stats and the card name the network, so the Page
(Network.FACEBOOK) and the Instagram professional account linked to it (Network.INSTAGRAM) are two
accounts. They share the app secret, the Page access token (Instagram is reached through the Page)
and the Graph URL; META_IG_USER_ID alone decides whether the Instagram one is configured. More
Pages or Instagram accounts go in the PARLEY_CONFIG file, one `[[accounts]]` table each.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import field_validator

from bot.app.settings.accounts.base import Account, http_url

GRAPH_URL = "https://graph.facebook.com/v21.0"

_SHARED = {
    "META_APP_SECRET": "app_secret",
    "META_VERIFY_TOKEN": "verify_token",
    "META_PAGE_ID": "page_id",
    "META_PAGE_ACCESS_TOKEN": "page_access_token",
    "META_IG_USER_ID": "ig_user_id",
    "META_GRAPH_URL": "graph_url",
}


class _MetaAccount(Account):
    app_secret: str = ""
    verify_token: str = ""  # what Meta's webhook verification must echo (GET /webhooks/meta)
    page_id: str = ""
    page_access_token: str = ""
    ig_user_id: str = ""
    graph_url: str = GRAPH_URL
    display_name: str = ""  # how the card names the brand account; the id when empty
    human_agent: bool = True  # the app has Meta's Human Agent feature: messages answerable for 7 days

    VARIABLES: ClassVar[dict[str, str]] = _SHARED

    _graph_url = field_validator("graph_url")(http_url)

    @property
    def base_url(self) -> str:
        return self.graph_url

    @property
    def account_id(self) -> str:
        """The id Meta's webhook entries carry for this account."""
        return self.page_id

    def connector_options(self) -> dict[str, Any]:
        return {
            "access_token": self.page_access_token,
            "app_secret": self.app_secret,
            "page_id": self.page_id,
            "ig_user_id": self.ig_user_id,
            "name": self.display_name,
            "base_url": self.graph_url,
            "human_agent": self.human_agent,
        }

    def _missing(self, prefix: str) -> list[str]:
        names = {
            "app_secret": "META_APP_SECRET",
            "page_access_token": "META_PAGE_ACCESS_TOKEN",
            "page_id": "META_PAGE_ID",
        }
        return [
            f"{names[key] if not prefix else prefix + key} is required to read {self.network.title()}."
            for key in ("app_secret", "page_access_token", "page_id")
            if not getattr(self, key)
        ]


class FacebookSettings(_MetaAccount):
    """One Facebook Page: comments on its posts, mentions, Messenger."""

    network: Literal["facebook"] = "facebook"
    name: str = "facebook"

    VARIABLES: ClassVar[dict[str, str]] = _SHARED | {"META_PAGE_NAME": "display_name"}

    @property
    def configured(self) -> bool:
        return bool(self.page_id)

    def environment_problems(self) -> list[str]:
        return self._missing("") if self.configured else []

    def _file_problems(self) -> list[str]:
        return super()._file_problems() + self._missing(".")


class InstagramSettings(_MetaAccount):
    """One Instagram professional account, linked to a Page: comments, @mentions, Instagram Direct."""

    network: Literal["instagram"] = "instagram"
    name: str = "instagram"

    VARIABLES: ClassVar[dict[str, str]] = _SHARED | {"META_IG_USERNAME": "display_name"}

    @property
    def configured(self) -> bool:
        return bool(self.ig_user_id)

    @property
    def account_id(self) -> str:
        return self.ig_user_id

    def environment_problems(self) -> list[str]:
        return self._missing("") if self.configured else []

    def _file_problems(self) -> list[str]:
        return (
            super()._file_problems()
            + self._missing(".")
            + ([] if self.ig_user_id else [".ig_user_id is required."])
        )

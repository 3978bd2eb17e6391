"""A Reddit account: its inbox, plus watched subreddits (optionally filtered by keywords)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import field_validator

from bot.app.settings.accounts.base import Account, http_url


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
    private_messages: bool = True  # private messages to the brand come in, and can be sent

    VARIABLES: ClassVar[dict[str, str]] = {
        "REDDIT_CLIENT_ID": "client_id",
        "REDDIT_CLIENT_SECRET": "client_secret",
        "REDDIT_USERNAME": "username",
        "REDDIT_PASSWORD": "password",
        "REDDIT_REFRESH_TOKEN": "refresh_token",
        "REDDIT_USER_AGENT": "user_agent",
        "REDDIT_SUBREDDITS": "subreddits",
        "REDDIT_URL": "url",
        "REDDIT_OAUTH_URL": "oauth_url",
        "REDDIT_PRIVATE_MESSAGES": "private_messages",
    }
    COMMA_SEPARATED: ClassVar[frozenset[str]] = frozenset({"REDDIT_SUBREDDITS"})

    _urls = field_validator("url", "oauth_url")(http_url)

    @property
    def configured(self) -> bool:
        return bool(self.client_id)

    @property
    def base_url(self) -> str:
        return self.url

    def connector_options(self) -> dict[str, Any]:
        return {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "username": self.username,
            "password": self.password,
            "refresh_token": self.refresh_token,
            "user_agent": self.user_agent,
            "subreddits": self.subreddits,
            "keywords": self.keywords,
            "reddit_url": self.url,
            "oauth_url": self.oauth_url,
            "private_messages": self.private_messages,
        }

    def environment_problems(self) -> list[str]:
        problems = []
        if self.configured and not self.signs_in:
            problems.append(
                "REDDIT_CLIENT_ID is set but Reddit needs REDDIT_USERNAME and REDDIT_PASSWORD (script app) "
                "or REDDIT_REFRESH_TOKEN."
            )
        if self.configured and not self.client_secret and not self.refresh_token:
            problems.append("REDDIT_CLIENT_SECRET is not set: a script app needs its secret.")
        return problems

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

"""Every network's account model: the one list to extend when Parley learns a network.

A network's model (one module here) names its environment variables, checks itself, and turns
into its connector's options. `ACCOUNT_MODELS` is keyed by the model's `network`, which is also the
name of the Settings field holding the account configured without a file; `AnyAccount` is the
union the PARLEY_CONFIG file's `[[accounts]]` choose from.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from bot.app.settings.accounts.base import Account, http_url
from bot.app.settings.accounts.bluesky import BlueskySettings
from bot.app.settings.accounts.google_business import GoogleBusinessSettings
from bot.app.settings.accounts.linkedin import LinkedInSettings
from bot.app.settings.accounts.mastodon import MastodonSettings
from bot.app.settings.accounts.meta import FacebookSettings, InstagramSettings
from bot.app.settings.accounts.reddit import RedditSettings
from bot.app.settings.accounts.x import XSettings
from bot.app.settings.accounts.youtube import YouTubeSettings

AnyAccount = (
    XSettings
    | RedditSettings
    | YouTubeSettings
    | FacebookSettings
    | InstagramSettings
    | LinkedInSettings
    | GoogleBusinessSettings
    | BlueskySettings
    | MastodonSettings
)
FileAccount = Annotated[AnyAccount, Field(discriminator="network")]

ACCOUNT_MODELS: dict[str, type[Account]] = {
    "x": XSettings,
    "reddit": RedditSettings,
    "youtube": YouTubeSettings,
    "facebook": FacebookSettings,
    "instagram": InstagramSettings,
    "linkedin": LinkedInSettings,
    "google": GoogleBusinessSettings,
    "bluesky": BlueskySettings,
    "mastodon": MastodonSettings,
}

__all__ = [
    "ACCOUNT_MODELS",
    "Account",
    "AnyAccount",
    "BlueskySettings",
    "FacebookSettings",
    "FileAccount",
    "GoogleBusinessSettings",
    "InstagramSettings",
    "LinkedInSettings",
    "MastodonSettings",
    "RedditSettings",
    "XSettings",
    "YouTubeSettings",
    "http_url",
]

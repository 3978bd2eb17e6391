"""The networks Parley listens to: one connector per `Network`, behind `connectors.base`.

`CONNECTORS` is the whole registry: a network's factory takes the connector's keyword arguments
(its class's docstring lists them) and imports the network's SDK only when it is called, so an
installation without Reddit accounts never loads praw.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from bot.domain import Network
from connectors.base import Connector


def _x(**options: Any) -> Connector:
    from connectors.x import XConnector

    return XConnector(**options)


def _reddit(**options: Any) -> Connector:
    from connectors.reddit import RedditConnector

    return RedditConnector(**options)


def _bluesky(**options: Any) -> Connector:
    from connectors.bluesky import BlueskyConnector

    return BlueskyConnector(**options)


def _mastodon(**options: Any) -> Connector:
    from connectors.mastodon import MastodonConnector

    return MastodonConnector(**options)


def _youtube(**options: Any) -> Connector:
    from connectors.youtube import YouTubeConnector

    return YouTubeConnector(**options)


def _facebook(**options: Any) -> Connector:
    from connectors.meta.connector import FacebookConnector

    return FacebookConnector(**options)


def _instagram(**options: Any) -> Connector:
    from connectors.meta.connector import InstagramConnector

    return InstagramConnector(**options)


def _linkedin(**options: Any) -> Connector:
    from connectors.linkedin import LinkedInConnector

    return LinkedInConnector(**options)


def _google(**options: Any) -> Connector:
    from connectors.google_business import GoogleBusinessConnector

    return GoogleBusinessConnector(**options)


CONNECTORS: Mapping[Network, Callable[..., Connector]] = MappingProxyType(
    {
        Network.X: _x,
        Network.REDDIT: _reddit,
        Network.YOUTUBE: _youtube,
        Network.FACEBOOK: _facebook,
        Network.INSTAGRAM: _instagram,
        Network.LINKEDIN: _linkedin,
        Network.GOOGLE: _google,
        Network.BLUESKY: _bluesky,
        Network.MASTODON: _mastodon,
    }
)

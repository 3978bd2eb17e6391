"""The YouTube Data API client: google-api-python-client on google-auth, charged to the day's quota.

`build` reads the discovery document the library ships (`static_discovery=True`: no request for
it), and `client_options.api_endpoint` points every call at the configured base URL. Credentials
are a refresh token renewed at `token_url`; `AuthorizedHttp` renews an access token that expired and
sends the request again (a 401 means it was not carried out, so that cannot post twice).
`execute(num_retries=0)`: the client never re-sends by itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import google_auth_httplib2
import httplib2
from googleapiclient.discovery import build

from bot.domain.quota import affordable, next_reset
from connectors.base import RateLimited
from connectors.google_oauth import credentials
from connectors.youtube.errors import translated
from connectors.youtube.quota import QuotaMeter

YOUTUBE_API = "https://youtube.googleapis.com"
SCOPE = "https://www.googleapis.com/auth/youtube.force-ssl"
LIST_COST = 1
INSERT_COST = 50


class YouTubeApi:
    """The `youtube` v3 resource, each call paid for in quota units before it is made."""

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        api_url: str,
        token_url: str,
        timeout: float,
        quota: QuotaMeter,
        clock: Callable[[], datetime],
    ) -> None:
        signed_in = credentials(
            client_id=client_id,
            client_secret=client_secret,
            refresh_token=refresh_token,
            token_url=token_url,
            scope=SCOPE,
        )
        self._http = google_auth_httplib2.AuthorizedHttp(signed_in, http=httplib2.Http(timeout=timeout))
        self.youtube: Any = build(
            "youtube",
            "v3",
            http=self._http,
            static_discovery=True,
            cache_discovery=False,
            client_options={"api_endpoint": api_url.rstrip("/") + "/"},
        )
        self.quota = quota
        self.clock = clock
        self.spent = 0  # units charged by this client since `spent` was last reset

    def call(self, request: Any, *, cost: int, doing: str) -> dict[str, Any]:
        """Run one prepared request (`youtube.comments().list(...)`), charging `cost` units first."""
        if not affordable(self.quota.used(), self.quota.limit, cost):
            raise RateLimited(
                f"Parley has used up today's YouTube API quota ({self.quota.limit:,} units) and "
                f"cannot afford {doing}; the quota comes back at midnight Pacific Time.",
                retry_at=next_reset(self.clock()),
            )
        # Charged before the call: a request that fails or times out has cost Google's quota too.
        self.quota.spend(cost)
        self.spent += cost
        with translated(doing, self.quota, self.clock):
            result: dict[str, Any] = request.execute(num_retries=0)
        return result

    def close(self) -> None:
        self._http.close()

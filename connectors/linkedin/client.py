"""A small typed client for LinkedIn's versioned REST API (Rest.li protocol 2.0) on `requests`.

Every call sends ``LinkedIn-Version: YYYYMM`` and ``X-Restli-Protocol-Version: 2.0.0``. In Rest.li
2.0 URNs inside a path or a query value are percent-encoded (``urn%3Ali%3Aorganization%3A1``) while
the structural characters of ``List(...)`` and ``(start:..,end:..)`` stay as they are, so query
strings are built here rather than by `requests`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import requests

from connectors.linkedin.errors import ApiError

API_URL = "https://api.linkedin.com"
VERSION = "202611"  # LinkedIn serves each monthly version for about a year: LINKEDIN_VERSION moves it on


def encoded(urn: str) -> str:
    """A URN as a Rest.li 2.0 path segment or query value: every reserved character escaped."""
    return quote(urn, safe="")


class LinkedInClient:
    """GET and POST on ``{api_url}/rest/...`` with the member's access token; errors raise `ApiError`."""

    def __init__(
        self, *, access_token: str, api_url: str = API_URL, version: str = VERSION, timeout: float = 10.0
    ):
        self._base = api_url.rstrip("/") + "/rest"
        self._timeout = timeout
        self._session = requests.Session()
        self._session.headers.update(
            {
                "Authorization": f"Bearer {access_token}",
                "LinkedIn-Version": version,
                "X-Restli-Protocol-Version": "2.0.0",
                "Accept": "application/json",
            }
        )

    def get(self, path: str, query: str = "") -> dict[str, Any]:
        url = f"{self._base}/{path}" + (f"?{query}" if query else "")
        return self._send(self._session.get(url, timeout=self._timeout))

    def post(self, path: str, body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """The created entity (when LinkedIn returns it) and the answer's headers (`x-restli-id`)."""
        response = self._session.post(f"{self._base}/{path}", json=body, timeout=self._timeout)
        return self._send(response), dict(response.headers)

    def close(self) -> None:
        self._session.close()

    @staticmethod
    def _send(response: requests.Response) -> dict[str, Any]:
        try:
            data = response.json() if response.content else {}
        except ValueError:
            data = {}
        if response.status_code >= 400:
            raise ApiError(
                response.status_code, data if isinstance(data, dict) else {}, dict(response.headers)
            )
        return data if isinstance(data, dict) else {}

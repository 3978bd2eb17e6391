"""Google Business Profile connector: reviews of the brand's locations in, the owner's replies out.

Reads the Business Profile APIs over HTTP with google-auth (OAuth 2.0 with a refresh token; the
access token is refreshed by `AuthorizedSession`); Google publishes no maintained Python client for
these APIs (the discovery-based `google-api-python-client` only knows them from a private discovery
document), and three calls do not need one:

- ``GET  {information_url}/v1/accounts/{a}/locations`` (or ``/v1/locations/{l}``): the locations, their
  names (`Post.place`) and Maps pages;
- ``GET  {api_url}/v4/accounts/{a}/locations/{l}/reviews?orderBy=updateTime desc``: new and changed reviews;
- ``PUT  {api_url}/v4/accounts/{a}/locations/{l}/reviews/{r}/reply`` ``{"comment": ...}``: the owner's reply,
  created or replaced (so posting it again is harmless, and an edited reply replaces the old one).

A review is one case however often it changes: its post id is ``{location}/{review}``. Its stars are
`Post.rating` (1 or 2 stars make the case urgent: `bot.domain.reviews`). A reply holds at most 4,096
bytes (`bot.domain.text`).

- `client`: the typed HTTP client on google-auth's `AuthorizedSession`;
- `mapping`: reviews as `Post`s, locations, the cursor;
- `errors`: google-auth, requests and API errors as the `connectors.base` error tree;
- `connector`: :class:`GoogleBusinessConnector`.
"""

from connectors.google_business.client import API_URL, INFORMATION_URL, SCOPE
from connectors.google_business.connector import MAX_PAGES, PAGE_SIZE, GoogleBusinessConnector
from connectors.google_business.errors import REFRESH_REFUSED
from connectors.google_business.mapping import STARS, Cursor, Place, post_id
from connectors.google_oauth import TOKEN_URL

__all__ = [
    "API_URL",
    "INFORMATION_URL",
    "MAX_PAGES",
    "PAGE_SIZE",
    "REFRESH_REFUSED",
    "SCOPE",
    "STARS",
    "TOKEN_URL",
    "Cursor",
    "GoogleBusinessConnector",
    "Place",
    "post_id",
]

"""The Google Business Profile connector: new reviews of the brand's locations in, the owner's reply out."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.domain import Network, Post, Reply, now
from connectors.base import Batch, Refused
from connectors.common import parse_time, same_text
from connectors.google_business.client import API_URL, INFORMATION_URL, BusinessProfileClient
from connectors.google_business.errors import translated
from connectors.google_business.mapping import Cursor, Place, split_post_id, to_post, to_reply
from connectors.google_oauth import TOKEN_URL

log = logging.getLogger(__name__)

PAGE_SIZE = 50  # the most reviews.list returns per page
MAX_PAGES = 4  # per location and poll: 200 reviews changed since the last poll
MAX_LOCATION_PAGES = 10  # 1,000 locations per account
EMPTY = "1970-01-01T00:00:00Z"  # the cursor of a location measured while it had no review


class GoogleBusinessConnector:
    """Reads the reviews of a Business Profile account's locations and publishes the owner's replies.

    Args:
        client_id, client_secret: the OAuth client of Parley's Google Cloud project.
        refresh_token: a refresh token of a Google user who manages the locations (scope
            ``business.manage``).
        account_id: the Business Profile account (``accounts/{id}``, the id alone or the full name).
        locations: the location ids to watch; empty: every location of the account.
        name: the account's name in logs and `parley doctor` (cards name the reviewed location).
        api_url, information_url, token_url: where Google lives; an emulator's URL in tests.
        timeout: seconds for each HTTP request.
        clock: returns the current aware UTC time.
    """

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        account_id: str,
        locations: tuple[str, ...] = (),
        name: str = "",
        api_url: str = API_URL,
        information_url: str = INFORMATION_URL,
        token_url: str = TOKEN_URL,
        timeout: float = 10.0,
        clock: Callable[[], datetime] = now,
    ) -> None:
        if not refresh_token:
            raise ValueError("Google Business Profile needs a refresh token")
        self._account_id = account_id.removeprefix("accounts/")
        if not self._account_id:
            raise ValueError("Google Business Profile needs the account id")
        self._wanted = tuple(
            dict.fromkeys(loc.removeprefix("locations/") for loc in locations if loc.strip())
        )
        self._name = name or f"Business Profile {self._account_id}"
        self._client = BusinessProfileClient(
            client_id=client_id,
            client_secret=client_secret,
            refresh_token=refresh_token,
            api_url=api_url,
            information_url=information_url,
            token_url=token_url,
            timeout=timeout,
        )
        self._clock = clock
        self._places: dict[str, Place] | None = None

    # --- Connector protocol ---

    @property
    def network(self) -> Network:
        return Network.GOOGLE

    @property
    def account(self) -> str:
        return self._name

    def fetch(self, cursor: str | None) -> Batch:
        """Reviews created or changed since the last poll that have no owner's reply yet, oldest first.

        Per location the cursor keeps the newest `updateTime` seen; a location seen for the first time
        is only measured (no backfill). A review changed after it became a case comes again with the
        same post id, so it never opens a second case.
        """
        state = Cursor.parse(cursor)
        found: list[tuple[datetime, Post]] = []
        for place in self.places().values():
            reviews, newest = self._changed(place, state.seen.get(place.id))
            if newest:
                state.seen[place.id] = newest
            for review in reviews:
                if review.get("reviewReply"):
                    continue  # answered already (from Google's own pages, or by us)
                changed = parse_time(review.get("updateTime")) or self._clock()
                # The owner answers as the location: the card says "Answering as <its name>".
                found.append((changed, to_post(review, place, account=place.title, clock=self._clock)))
        found.sort(key=lambda pair: (pair[0], pair[1].id))
        return Batch(posts=[post for _, post in found], cursor=state.dump())

    def acknowledge(self, batch: Batch) -> None:
        """Nothing to mark: the cursor is all Google needs."""

    def reply(self, post: Post, text: str, *, idempotency_key: str | None = None) -> Reply:
        """Publish the owner's reply; a reply already there is replaced (one reply per review)."""
        location, review = self._ids(post)
        with translated("publishing the reply", self._clock):
            answer = self._client.put_reply(location, review, text, account=self._account_id)
        return to_reply(post, answer, self._clock)

    def find_reply(self, post: Post, text: str) -> Reply | None:
        """The owner's reply now on the review, if it has this text (a PUT that landed before a crash)."""
        location, review = self._ids(post)
        with translated("checking the review's reply", self._clock):
            data = self._client.review(location, review, account=self._account_id)
        current = data.get("reviewReply") or {}
        if same_text(str(current.get("comment", "")), text):
            return to_reply(post, current, self._clock)
        return None

    def verify(self) -> str:
        """Sign in with the refresh token and list the locations, as `parley doctor` does."""
        places = self.places(fresh=True)
        names = ", ".join(p.title for p in list(places.values())[:3])
        more = f" and {len(places) - 3} more" if len(places) > 3 else ""
        return (
            f"{self._name}: {len(places)} location(s) ({names}{more})"
            if places
            else f"{self._name}: no locations"
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> GoogleBusinessConnector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading ---

    def places(self, *, fresh: bool = False) -> dict[str, Place]:
        """The watched locations by id, read once from the Business Information API."""
        if self._places is None or fresh:
            with translated("reading the locations", self._clock):
                if self._wanted:
                    self._places = {
                        p.id: p for p in (Place.from_api(self._client.location(i)) for i in self._wanted)
                    }
                else:
                    self._places = self._all_places()
        return self._places

    def _all_places(self) -> dict[str, Place]:
        places: dict[str, Place] = {}
        token: str | None = None
        for _ in range(MAX_LOCATION_PAGES):
            page = self._client.locations(account=self._account_id, page_token=token)
            for data in page.get("locations") or []:
                place = Place.from_api(data)
                places[place.id] = place
            token = page.get("nextPageToken")
            if not token:
                break
        return places

    def _changed(self, place: Place, floor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        """Reviews of `place` updated after `floor`, and the newest updateTime now (only measured without a floor)."""
        floor_at = parse_time(floor)
        reviews: list[dict[str, Any]] = []
        newest: str | None = None
        token: str | None = None
        for _ in range(MAX_PAGES if floor_at else 1):
            with translated(f"reading the reviews of {place.title}", self._clock):
                page = self._client.reviews(
                    place.id, account=self._account_id, page_token=token, page_size=PAGE_SIZE
                )
            for review in page.get("reviews") or []:
                updated = str(review.get("updateTime", ""))
                newest = newest or updated
                at = parse_time(updated)
                if floor_at is None:
                    return [], newest  # the first poll of this location only measures
                if at is not None and at <= floor_at:
                    return reviews, newest
                reviews.append(review)
            token = page.get("nextPageToken")
            if not token:
                break
        else:
            if token:
                log.warning(
                    "Google reviews of %s: more than %d changed since the last poll", place.id, len(reviews)
                )
        # A location without reviews yet: from now on, every review is new.
        return reviews, newest or floor or EMPTY

    def _ids(self, post: Post) -> tuple[str, str]:
        location, review = split_post_id(post.id)
        if not location or not review:
            raise Refused(f"{post.id} is not a Google review, so Parley cannot reply to it.")
        return location, review

"""`XEmulator`: the X API v2 routes, on top of the store, its access rules and its rendering."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from twitter_text import parse_tweet

from emulators.http import RecordedRequest, Response
from emulators.x.access import DEFAULT_LIMITS, XAccess
from emulators.x.messages import XMessages
from emulators.x.model import (
    MAX_QUERY_LENGTH,
    MAX_WEIGHTED_LENGTH,
    REACHABLE_MENTIONS,
    REACHABLE_TIMELINE,
    SEARCH_WINDOW,
    XTweet,
    mentions_handle,
    snowflake,
    snowflake_time,
)
from emulators.x.problems import (
    DELETED_DETAIL,
    DUPLICATE_DETAIL,
    INVALID_REQUEST,
    NOT_MENTIONED_DETAIL,
    invalid,
    not_found,
    problem,
)
from emulators.x.query import QueryError, matches, parse_query

__all__ = ["XEmulator"]


class XEmulator(XMessages, XAccess):
    """A local X API v2 for one brand account.

    Args:
        user_id, username, name: the brand account.
        bearer_token, consumer_key, access_token: when given, requests must carry these values
            (401 otherwise); when None any value is accepted.
        rate_limits: False to never answer 429 (headers are still sent).
        access_level: the app's permission, sent as `x-access-level` to user-context requests:
            "read" (writes get 403), "read-write" or "read-write-directmessages" (needed for DMs).
        user_tokens: OAuth 2.0 user-context tokens of the brand account (sent as ``Bearer``) and
            their scopes, e.g. ``{"tok": frozenset({"dm.read", "dm.write", "tweet.read", "users.read"})}``.
        limits: per-endpoint (limit, window seconds) overriding `DEFAULT_LIMITS`; endpoint names
            are "me", "mentions", "timeline", "tweet", "create", "delete", "search", "user",
            "dm_lookup", "dm_create".
        clock: epoch seconds; drives created_at, ids and rate-limit windows.
    """

    def __init__(
        self,
        *,
        user_id: str = "1500000000000000001",
        username: str = "parleybrand",
        name: str = "Parley Brand",
        bearer_token: str | None = None,
        consumer_key: str | None = None,
        access_token: str | None = None,
        rate_limits: bool = True,
        access_level: str = "read-write",
        user_tokens: dict[str, frozenset[str]] | None = None,
        limits: dict[str, tuple[int, int]] | None = None,
        clock: Callable[[], float] = time.time,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(user_id=user_id, username=username, name=name, clock=clock, host=host, port=port)
        self.bearer_token = bearer_token
        self.consumer_key = consumer_key
        self.access_token = access_token
        self.rate_limits = rate_limits
        self.access_level = access_level
        self.user_tokens = dict(user_tokens or {})
        self._limits = {**DEFAULT_LIMITS, **(limits or {})}
        me = self._endpoint("me", self._get_me, user_context=True)
        self.add_route("GET", r"/2/users/me", me)
        self.add_route(
            "GET", r"/2/users/(?P<user_id>\d+)/mentions", self._endpoint("mentions", self._mentions)
        )
        self.add_route("GET", r"/2/users/(?P<user_id>\d+)/tweets", self._endpoint("timeline", self._timeline))
        self.add_route("GET", r"/2/users/(?P<user_id>\d+)", self._endpoint("user", self._get_user))
        self._add_dm_routes()
        self.add_route("GET", r"/2/tweets/search/recent", self._endpoint("search", self._search))
        self.add_route("GET", r"/2/tweets/(?P<tweet_id>[^/]+)", self._endpoint("tweet", self._get_tweet))
        self.add_route("POST", r"/2/tweets", self._endpoint("create", self._create, user_context=True))
        self.add_route(
            "DELETE",
            r"/2/tweets/(?P<tweet_id>[^/]+)",
            self._endpoint("delete", self._delete, user_context=True),
        )

    def _add_dm_routes(self) -> None:
        lookup = self._endpoint("dm_lookup", self._dm_events_route, user_context=True)
        create = self._endpoint("dm_create", self._send_dm_route, user_context=True)
        self.add_route("GET", r"/2/dm_events", lookup)
        self.add_route("GET", r"/2/dm_conversations/with/(?P<participant_id>\d+)/dm_events", lookup)
        self.add_route("GET", r"/2/dm_conversations/(?P<conversation_id>[\d-]+)/dm_events", lookup)
        self.add_route("POST", r"/2/dm_conversations/with/(?P<participant_id>\d+)/messages", create)
        self.add_route("POST", r"/2/dm_conversations/(?P<conversation_id>[\d-]+)/messages", create)

    # -- what the brand posted through the routes below (defined here: tests patch it on this class)

    @property
    def posted(self) -> list[XTweet]:
        """Tweets the brand account created through the API (not deleted), oldest first."""
        with self._state:
            return [t for t in self._tweets.values() if t.author_id == self.brand.id and not t.deleted]

    # -- routes (called with self._state held) ---------------------------------------------------------

    def _get_me(self, request: RecordedRequest) -> Response:
        fields = self._fields(request)
        if isinstance(fields, Response):
            return fields
        return Response(200, {"data": self._render_user(self.brand, fields[1])})

    def _mentions(self, request: RecordedRequest) -> Response:
        user = self._users.get(request.path_params["user_id"])
        if user is None:
            return not_found("user", request.path_params["user_id"])
        mentions = [
            t
            for t in reversed(self._tweets.values())
            if not t.deleted and t.author_id != user.id and mentions_handle(t.text, user.username)
        ]
        return self._page(request, mentions[:REACHABLE_MENTIONS])

    def _timeline(self, request: RecordedRequest) -> Response:
        user = self._users.get(request.path_params["user_id"])
        if user is None:
            return not_found("user", request.path_params["user_id"])
        own = [t for t in reversed(self._tweets.values()) if not t.deleted and t.author_id == user.id]
        return self._page(request, own[:REACHABLE_TIMELINE])

    def _search(self, request: RecordedRequest) -> Response:
        query = request.query.get("query")
        if query is None or not query.strip():
            return invalid(
                "query", [query] if query is not None else [], "The `query` query parameter can not be empty"
            )
        if len(query) > MAX_QUERY_LENGTH:
            return invalid(
                "query",
                [query],
                f"There were errors processing your request: Query length exceeds {MAX_QUERY_LENGTH} characters "
                f"(at position {MAX_QUERY_LENGTH + 1})",
            )
        try:
            rule = parse_query(query)
        except QueryError as error:
            return invalid("query", [query], f"There were errors processing your request: {error}")
        sort_order = request.query.get("sort_order")
        if sort_order is not None and sort_order not in ("recency", "relevancy"):
            return invalid(
                "sort_order",
                [sort_order],
                f"The `sort_order` query parameter value [{sort_order}] is not one of [recency,relevancy]",
            )
        oldest = self._now() - SEARCH_WINDOW
        since_id = request.query.get("since_id")
        if since_id and since_id.isdigit() and snowflake_time(int(since_id)) < oldest:
            # X names the next whole minute and an id a minute past it, so the suggestion stays valid.
            after = oldest.replace(second=0, microsecond=0) + timedelta(minutes=1)
            return invalid(
                "since_id",
                [since_id],
                f"'since_id' must be a tweet id created after {after:%Y-%m-%dT%H:%MZ}. "
                f"Please use a 'since_id' that is larger than {snowflake(after + timedelta(minutes=1))}",
            )
        hits = [
            t
            for t in reversed(self._tweets.values())
            if not t.deleted and t.created_at >= oldest and matches(rule, t, self._users)
        ]
        return self._page(request, hits, min_results=10, token_parameters=("next_token", "pagination_token"))

    def _get_tweet(self, request: RecordedRequest) -> Response:
        tweet_id = request.path_params["tweet_id"]
        if not tweet_id.isdigit():
            return invalid("id", [tweet_id], f"The `id` query parameter value [{tweet_id}] is not valid")
        fields = self._fields(request)
        if isinstance(fields, Response):
            return fields
        tweet = self._tweets.get(tweet_id)
        if tweet is None or tweet.deleted:
            return not_found("tweet", tweet_id)
        body: dict[str, Any] = {"data": self._render_tweet(tweet, fields[0])}
        includes = self._includes([tweet], fields[0], fields[1], fields[2])
        if includes:
            body["includes"] = includes
        return Response(200, body)

    def _create(self, request: RecordedRequest) -> Response:
        try:
            payload = request.json()
        except ValueError:
            return problem(
                400, "The request body is not valid JSON.", title="Invalid Request", type_=INVALID_REQUEST
            )
        if not isinstance(payload, dict):
            return problem(
                400, "The request body must be a JSON object.", title="Invalid Request", type_=INVALID_REQUEST
            )
        text = payload.get("text")
        if not isinstance(text, str) or not text.strip():
            return invalid("text", [str(text)], "The `text` field is required and cannot be empty.")
        if int(parse_tweet(text).weightedLength) > MAX_WEIGHTED_LENGTH:
            return invalid("text", [text], "Your Tweet text is too long.")
        reply = payload.get("reply") or {}
        target_id = reply.get("in_reply_to_tweet_id") if isinstance(reply, dict) else None
        quote_id = payload.get("quote_tweet_id")
        for parameter, value in (("reply.in_reply_to_tweet_id", target_id), ("quote_tweet_id", quote_id)):
            if value is not None and not str(value).isdigit():
                return invalid(parameter, [str(value)], f"The `{parameter}` value [{value}] is not valid")
        if target_id is not None:
            target = self._tweets.get(str(target_id))
            if target is None or target.deleted:
                return problem(403, DELETED_DETAIL)
            if not self._may_reply_to(target):
                return problem(403, NOT_MENTIONED_DETAIL)
        if any(
            t.author_id == self.brand.id and not t.deleted and t.text == text for t in self._tweets.values()
        ):
            return problem(403, DUPLICATE_DETAIL)
        tweet = self._store(
            self.brand,
            text,
            created_at=None,
            lang="en",
            in_reply_to=str(target_id) if target_id is not None else None,
            quote_of=str(quote_id) if quote_id is not None else None,
        )
        return Response(
            201, {"data": {"id": tweet.id, "text": tweet.text, "edit_history_tweet_ids": [tweet.id]}}
        )

    def _may_reply_to(self, target: XTweet) -> bool:
        if target.author_id == self.brand.id or mentions_handle(target.text, self.brand.username):
            return True
        quoted = self._tweets.get(target.quote_of) if target.quote_of else None
        return quoted is not None and quoted.author_id == self.brand.id

    def _delete(self, request: RecordedRequest) -> Response:
        tweet = self._tweets.get(request.path_params["tweet_id"])
        if tweet is None or tweet.deleted:
            return Response(200, {"data": {"deleted": False}})
        if tweet.author_id != self.brand.id:
            return problem(403, "You are not allowed to delete this Tweet.")
        tweet.deleted = True
        return Response(200, {"data": {"deleted": True}})

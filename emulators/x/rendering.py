"""How X renders tweets and users: `*.fields` and `expansions`, `includes`, and paged timelines."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from emulators.http import RecordedRequest, Response
from emulators.x.model import XTweet, XUser, iso
from emulators.x.problems import invalid
from emulators.x.store import XStore

__all__ = ["EXPANSIONS", "TWEET_FIELDS", "USER_FIELDS", "XRendering"]

TWEET_FIELDS = frozenset(
    [
        "article",
        "attachments",
        "author_id",
        "card_uri",
        "community_id",
        "context_annotations",
        "conversation_id",
        "created_at",
        "display_text_range",
        "edit_controls",
        "edit_history_tweet_ids",
        "entities",
        "geo",
        "id",
        "in_reply_to_user_id",
        "lang",
        "media_metadata",
        "non_public_metrics",
        "note_tweet",
        "organic_metrics",
        "possibly_sensitive",
        "promoted_metrics",
        "public_metrics",
        "referenced_tweets",
        "reply_settings",
        "scopes",
        "source",
        "text",
        "withheld",
    ]
)
USER_FIELDS = frozenset(
    [
        "affiliation",
        "connection_status",
        "created_at",
        "description",
        "entities",
        "id",
        "location",
        "most_recent_tweet_id",
        "name",
        "pinned_tweet_id",
        "profile_banner_url",
        "profile_image_url",
        "protected",
        "public_metrics",
        "receives_your_dm",
        "subscription_type",
        "url",
        "username",
        "verified",
        "verified_type",
        "withheld",
    ]
)
EXPANSIONS = frozenset(
    [
        "article.cover_media",
        "article.media_entities",
        "attachments.media_keys",
        "attachments.media_source_tweet",
        "attachments.poll_ids",
        "author_id",
        "edit_history_tweet_ids",
        "entities.mentions.username",
        "geo.place_id",
        "in_reply_to_user_id",
        "entities.note.mentions.username",
        "referenced_tweets.id",
        "referenced_tweets.id.author_id",
    ]
)


class XRendering(XStore):
    """X's JSON for what the store holds, under the fields and expansions a request asks for."""

    def _fields(self, request: RecordedRequest) -> tuple[set[str], set[str], set[str]] | Response:
        chosen: list[set[str]] = []
        for parameter, allowed in (
            ("tweet.fields", TWEET_FIELDS),
            ("user.fields", USER_FIELDS),
            ("expansions", EXPANSIONS),
        ):
            values = {v for v in request.query.get(parameter, "").split(",") if v}
            bad = sorted(values - allowed)
            if bad:
                return invalid(
                    parameter,
                    bad,
                    f"The `{parameter}` query parameter value [{bad[0]}] is not one of "
                    f"[{','.join(sorted(allowed))}]",
                )
            chosen.append(values)
        return chosen[0], chosen[1], chosen[2]

    def _render_tweet(self, tweet: XTweet, fields: set[str]) -> dict[str, Any]:
        data: dict[str, Any] = {"id": tweet.id, "text": tweet.text, "edit_history_tweet_ids": [tweet.id]}
        if "created_at" in fields:
            data["created_at"] = iso(tweet.created_at)
        if "author_id" in fields:
            data["author_id"] = tweet.author_id
        if "conversation_id" in fields:
            data["conversation_id"] = tweet.conversation_id
        if "lang" in fields:
            data["lang"] = tweet.lang
        if "in_reply_to_user_id" in fields and tweet.in_reply_to_user_id:
            data["in_reply_to_user_id"] = tweet.in_reply_to_user_id
        if "referenced_tweets" in fields and tweet.references:
            data["referenced_tweets"] = [{"type": kind, "id": ref} for kind, ref in tweet.references]
        if "public_metrics" in fields:
            data["public_metrics"] = {
                "retweet_count": 0,
                "reply_count": 0,
                "like_count": 0,
                "quote_count": 0,
                "bookmark_count": 0,
                "impression_count": 0,
            }
        return data

    def _render_user(self, user: XUser, fields: set[str]) -> dict[str, Any]:
        data: dict[str, Any] = {"id": user.id, "name": user.name, "username": user.username}
        if "created_at" in fields:
            data["created_at"] = iso(user.created_at)
        if "protected" in fields:
            data["protected"] = False
        if "public_metrics" in fields:
            data["public_metrics"] = {
                "followers_count": user.followers,
                "following_count": 0,
                "tweet_count": sum(1 for t in self._tweets.values() if t.author_id == user.id),
                "listed_count": 0,
                "like_count": 0,
                "media_count": 0,
            }
        return data

    def _includes(
        self, tweets: Iterable[XTweet], tweet_fields: set[str], user_fields: set[str], expansions: set[str]
    ) -> dict[str, Any]:
        tweets = list(tweets)
        referenced: list[XTweet] = []
        if expansions & {"referenced_tweets.id", "referenced_tweets.id.author_id"}:
            for tweet in tweets:
                for _, ref_id in tweet.references:
                    ref = self._tweets.get(ref_id)
                    if ref is not None and not ref.deleted and ref not in referenced:
                        referenced.append(ref)
        user_ids: list[str] = []
        for tweet in tweets:
            wanted = []
            if "author_id" in expansions:
                wanted.append(tweet.author_id)
            if "in_reply_to_user_id" in expansions and tweet.in_reply_to_user_id:
                wanted.append(tweet.in_reply_to_user_id)
            user_ids.extend(uid for uid in wanted if uid not in user_ids and uid in self._users)
        if "referenced_tweets.id.author_id" in expansions:
            user_ids.extend(
                ref.author_id
                for ref in referenced
                if ref.author_id not in user_ids and ref.author_id in self._users
            )
        includes: dict[str, Any] = {}
        if user_ids:
            includes["users"] = [self._render_user(self._users[uid], user_fields) for uid in user_ids]
        if "referenced_tweets.id" in expansions and referenced:
            includes["tweets"] = [self._render_tweet(ref, tweet_fields) for ref in referenced]
        return includes

    def _page(
        self,
        request: RecordedRequest,
        candidates: list[XTweet],
        *,
        min_results: int = 5,
        token_parameters: tuple[str, ...] = ("pagination_token",),
    ) -> Response:
        """One page of `candidates` (newest first) under the usual timeline parameters.

        Search differs only in its `max_results` floor (10) and in naming its token `next_token`
        (X also still accepts `pagination_token` there).
        """
        fields = self._fields(request)
        if isinstance(fields, Response):
            return fields
        tweet_fields, user_fields, expansions = fields
        query = request.query
        raw_max = query.get("max_results", "10")
        if not raw_max.isdigit() or not min_results <= int(raw_max) <= 100:
            return invalid(
                "max_results",
                [raw_max],
                f"The `max_results` query parameter value [{raw_max}] is not between {min_results} and 100",
            )
        for parameter in ("since_id", "until_id"):
            value = query.get(parameter)
            if value is not None and not value.isdigit():
                return invalid(
                    parameter, [value], f"The `{parameter}` query parameter value [{value}] is not valid"
                )
        since = int(query.get("since_id") or 0)
        until = int(query["until_id"]) if query.get("until_id") else None
        selected = [t for t in candidates if int(t.id) > since and (until is None or int(t.id) < until)]
        for token_parameter in token_parameters:
            token = query.get(token_parameter)
            if token is None:
                continue
            start = self._decode_token(token)
            if start is None:
                return invalid(
                    token_parameter,
                    [token],
                    f"The `{token_parameter}` query parameter value [{token}] is not valid",
                )
            selected = [t for t in selected if int(t.id) <= start]
        page, rest = selected[: int(raw_max)], selected[int(raw_max) :]
        if not page:
            return Response(200, {"meta": {"result_count": 0}})
        meta: dict[str, Any] = {"result_count": len(page), "newest_id": page[0].id, "oldest_id": page[-1].id}
        if rest:
            meta["next_token"] = self._encode_token(int(rest[0].id))
        body: dict[str, Any] = {"data": [self._render_tweet(t, tweet_fields) for t in page]}
        includes = self._includes(page, tweet_fields, user_fields, expansions)
        if includes:
            body["includes"] = includes
        body["meta"] = meta
        return Response(200, body)

    @staticmethod
    def _encode_token(tweet_id: int) -> str:
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"
        out = ""
        while tweet_id:
            tweet_id, r = divmod(tweet_id, 36)
            out = digits[r] + out
        return "7140dibdnow9c7btw4" + out.rjust(14, "0")

    @staticmethod
    def _decode_token(token: str) -> int | None:
        if not token.startswith("7140dibdnow9c7btw4"):
            return None
        try:
            return int(token[18:], 36)
        except ValueError:
            return None

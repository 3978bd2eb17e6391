"""How Reddit renders things: Listing pages and the JSON of comments, submissions and inbox items."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from emulators.http import RecordedRequest, Response
from emulators.reddit.store import RedditStore
from emulators.reddit.things import (
    DEFAULT_LISTING_LIMIT,
    MAX_LISTING_LIMIT,
    SUBJECTS,
    InboxItem,
    RedditComment,
    RedditSubmission,
    base36,
)

__all__ = ["RedditRendering"]

_T = TypeVar("_T")


class RedditRendering(RedditStore):
    """Reddit's JSON for what the store holds; `escape` is False when the request asks `raw_json=1`."""

    def _things(
        self, request: RecordedRequest, things: Sequence[RedditComment | RedditSubmission]
    ) -> Response:
        escape = request.query.get("raw_json") != "1"
        return self._listing(request, things, lambda t: t.name, self._renderer(escape))

    def _renderer(self, escape: bool) -> Callable[[RedditComment | RedditSubmission], dict[str, Any]]:
        def render(thing: RedditComment | RedditSubmission) -> dict[str, Any]:
            if isinstance(thing, RedditComment):
                return {"kind": "t1", "data": self._render_comment(thing, escape)}
            return {"kind": "t3", "data": self._render_submission(thing, escape)}

        return render

    def _listing(
        self,
        request: RecordedRequest,
        items: Sequence[_T],
        name_of: Callable[[_T], str],
        render: Callable[[_T], dict[str, Any]],
    ) -> Response:
        """One page of `items` (newest first) under Reddit's `limit`, `after` and `before` parameters."""
        raw_limit = request.query.get("limit", "")
        limit = int(raw_limit) if raw_limit.isdigit() and int(raw_limit) > 0 else DEFAULT_LISTING_LIMIT
        limit = min(limit, MAX_LISTING_LIMIT)
        names = [name_of(i) for i in items]
        after, before = request.query.get("after"), request.query.get("before")
        if after:
            start = names.index(after) + 1 if after in names else len(names)
            page = list(items[start : start + limit])
        elif before:
            end = names.index(before) if before in names else 0
            start = max(0, end - limit)
            page = list(items[start:end])
        else:
            start = 0
            page = list(items[:limit])
        older = start + len(page) < len(items)
        next_after = name_of(page[-1]) if page and older else None
        previous = name_of(page[0]) if page and start > 0 else None
        return Response(200, self._listing_body(page, before=previous, after=next_after, render=render))

    @staticmethod
    def _listing_body(
        page: Iterable[_T], *, before: str | None, after: str | None, render: Callable[[_T], dict[str, Any]]
    ) -> dict[str, Any]:
        children = [render(i) for i in page]
        return {
            "kind": "Listing",
            "data": {
                "after": after,
                "dist": len(children),
                "modhash": None,
                "geo_filter": "",
                "children": children,
                "before": before,
            },
        }

    def _author_fields(self, author: str, deleted: bool) -> dict[str, Any]:
        if deleted or author == "[deleted]":
            return {"author": "[deleted]"}
        return {"author": author, "author_fullname": f"t2_{self._user_id(author)}"}

    def _subreddit_fields(self, subreddit: str) -> dict[str, Any]:
        return {
            "subreddit": subreddit,
            "subreddit_id": f"t5_{base36(int.from_bytes(subreddit.lower().encode()[:6], 'big'))}",
            "subreddit_name_prefixed": f"r/{subreddit}",
            "subreddit_type": "public",
        }

    @staticmethod
    def _text(value: str, escape: bool) -> str:
        return html.escape(value, quote=False) if escape else value

    @staticmethod
    def _html(value: str) -> str:
        return f'<div class="md"><p>{html.escape(value, quote=False)}</p>\n</div>'

    def _render_comment(self, comment: RedditComment, escape: bool) -> dict[str, Any]:
        submission = comment.submission
        body = "[deleted]" if comment.deleted else comment.body
        return {
            "id": comment.id,
            "name": comment.name,
            "body": self._text(body, escape),
            "body_html": self._html(body),
            **self._author_fields(comment.author, comment.deleted),
            "created_utc": comment.created_utc,
            "created": comment.created_utc,
            "permalink": comment.permalink,
            "link_id": comment.link_id,
            "parent_id": comment.parent_id,
            **self._subreddit_fields(comment.subreddit),
            "link_title": self._text(submission.title, escape),
            "link_author": "[deleted]" if submission.deleted else submission.author,
            "link_permalink": f"https://www.reddit.com{submission.permalink}",
            "link_url": f"https://www.reddit.com{submission.permalink}",
            "num_comments": self._count_comments(submission),
            "locked": comment.locked or submission.locked,
            "archived": submission.archived,
            "score": comment.score,
            "ups": comment.score,
            "downs": 0,
            "edited": False,
            "distinguished": None,
            "stickied": False,
            "is_submitter": comment.author == submission.author,
            "score_hidden": False,
            "send_replies": True,
            "replies": "",
        }

    def _render_submission(self, submission: RedditSubmission, escape: bool) -> dict[str, Any]:
        text = "[deleted]" if submission.deleted else submission.selftext
        return {
            "id": submission.id,
            "name": submission.name,
            "title": self._text(submission.title, escape),
            "selftext": self._text(text, escape),
            "selftext_html": self._html(text) if text else None,
            **self._author_fields(submission.author, submission.deleted),
            "created_utc": submission.created_utc,
            "created": submission.created_utc,
            "permalink": submission.permalink,
            "url": f"https://www.reddit.com{submission.permalink}",
            "domain": f"self.{submission.subreddit}",
            "is_self": True,
            **self._subreddit_fields(submission.subreddit),
            "num_comments": self._count_comments(submission),
            "locked": submission.locked,
            "archived": submission.archived,
            "score": submission.score,
            "ups": submission.score,
            "downs": 0,
            "upvote_ratio": 1.0,
            "over_18": False,
            "spoiler": False,
            "stickied": False,
            "edited": False,
            "distinguished": None,
            "link_flair_text": None,
            "send_replies": True,
        }

    def _render_inbox(self, item: InboxItem, escape: bool) -> dict[str, Any]:
        common = {"new": item.new, "dest": self.username, "first_message": None, "first_message_name": None}
        thing = self._thing(item.name)
        if isinstance(thing, RedditComment):
            body = "[deleted]" if thing.deleted else thing.body
            data = {
                "id": thing.id,
                "name": thing.name,
                "body": self._text(body, escape),
                "body_html": self._html(body),
                **self._author_fields(thing.author, thing.deleted),
                "created_utc": thing.created_utc,
                "created": thing.created_utc,
                "context": f"{thing.permalink}?context=3",
                "link_title": self._text(thing.submission.title, escape),
                "parent_id": thing.parent_id,
                **self._subreddit_fields(thing.subreddit),
                "subject": SUBJECTS[item.type],
                "type": item.type,
                "was_comment": True,
                "likes": None,
                "score": thing.score,
                "num_comments": self._count_comments(thing.submission),
                "distinguished": None,
                "replies": "",
                **common,
            }
            return {"kind": "t1", "data": data}
        raise KeyError(f"{item.name} is not a comment")  # messages: RedditMessages._render_inbox

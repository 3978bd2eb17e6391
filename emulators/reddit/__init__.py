"""A local Reddit API: the endpoints praw 8 / prawcore 4 call for an inbox, subreddit listings and replies.

Served (serve `reddit_url` and `oauth_url` from the same emulator: ``praw.Reddit(reddit_url=emulator.url,
oauth_url=emulator.url, ...)``)::

    POST /api/v1/access_token     basic auth client_id:client_secret; grant_type=password | refresh_token
    GET  /api/v1/me               the brand account
    GET  /message/unread/         unread inbox items, newest first (`mark=true` marks them read)
    GET  /message/inbox/          every inbox item; /message/mentions, /message/comments, /message/selfreply
    POST /api/read_message/       id=t1_a,t4_b: mark read;  POST /api/unread_message/: mark unread
    GET  /r/{sub}/comments/       newest comments of a subreddit or an `a+b` multi
    GET  /r/{sub}/new/            newest submissions
    GET  /user/{name}/comments/   a user's comments, newest first
    GET  /api/info/               id=t1_a,t3_b: those things, in the order asked
    POST /api/comment/            api_type=json, thing_id=t1_…|t3_…|t4_…, text=…: reply as the brand
                                  (to a t4: an answer in that private-message thread)
    POST /api/compose/            api_type=json, to, subject, text: a private message from the brand
    GET  /message/sent/           the brand's sent messages; /message/messages/: received ones

Faithful: bearer token required on the API (401 with ``www-authenticate: … error="invalid_token"``, which
prawcore needs to pick its exception); a wrong client id/secret is a 401 and a wrong password or refresh
token a 200 ``{"error": "invalid_grant"}``, as Reddit answers; Listing objects (`after`, `before`,
`dist`, `children`; `limit` 25 by default, at most 100; `after`/`before` paging by fullname); base36
ids and t1/t2/t3/t4/t5 fullnames; inbox items with `was_comment`, `type`, `subject`, `context`
(``…/?context=3``), `link_title`, `parent_id`, `new`; a username mention (``u/brand`` or ``/u/brand``,
at most 3 users mentioned) or a reply to one of the brand's comments or posts lands in the inbox as
unread; comment errors inside a 200 ``{"json": {"errors": [[CODE, message, field]]}}``: RATELIMIT,
THREAD_LOCKED, TOO_OLD (archived), DELETED_COMMENT, NO_TEXT, TOO_LONG (over 10,000 characters);
a deleted submission can still be replied to (as on Reddit), a deleted comment cannot; an unknown
`thing_id` is a 403; text is HTML-escaped (``&amp;``) unless the request has ``raw_json=1`` (prawcore
always sends it); ``x-ratelimit-used`` / ``x-ratelimit-remaining`` (a float, as Reddit sends it) /
``x-ratelimit-reset`` (seconds until the window ends, not an epoch) on every answer, 100 requests a
minute per OAuth client id, and a 429 ``{"message": "Too Many Requests", "error": 429}`` when exhausted.

Simplified: one brand account (every token acts as it); every subreddit exists and is public;
tokens never expire; `scope` is always ``*``; only comments (not submissions) create inbox items;
`sort`, `t`, `count`, `show` and `sr_detail` are ignored (listings are always newest first);
`body_html` is the escaped body in a paragraph, not rendered Markdown; the rate-limit window starts
with a client's first API request (not on a wall-clock boundary); the token endpoint and injected
failures are not counted.

Private messages (module `messages`, which names what it follows): a message to the brand
(`add_private_message`, also as an answer in a thread with `reply_to`) lands in the inbox as unread
and is marked read like a comment; the brand composes (`/api/compose`) or answers one (`/api/comment`
with a t4 `thing_id`); someone who restricts messages (`refuse_messages`) and never wrote to the
brand gets none (NOT_WHITELISTED_BY_USER_MESSAGE); `sent_messages` lists what the brand sent.

Modules: `things` (the data and its ids), `messages` (private messages), `store` (content and test helpers), `access` (OAuth and
rate limits), `rendering` (Listings and JSON), `emulator` (the routes).

Injected failures (`fail_next`) with no body get Reddit's ``{"message": …, "error": status}`` body and
the client's rate-limit headers (``x-ratelimit-remaining: 0`` on a 429); pass `headers` to override.
"""

from emulators.reddit.emulator import RedditEmulator
from emulators.reddit.things import (
    DEFAULT_LISTING_LIMIT,
    DEFAULT_RATE_LIMIT,
    DELETED_COMMENT,
    MAX_COMMENT_LENGTH,
    MAX_LISTING_LIMIT,
    MAX_MENTIONS_NOTIFIED,
    NO_TEXT,
    RATELIMIT_MESSAGE,
    SUBJECTS,
    THREAD_LOCKED,
    TOO_LONG,
    TOO_OLD,
    InboxItem,
    RedditComment,
    RedditMessage,
    RedditSubmission,
    base36,
    reddit_error,
)

__all__ = [
    "DEFAULT_LISTING_LIMIT",
    "DEFAULT_RATE_LIMIT",
    "DELETED_COMMENT",
    "MAX_COMMENT_LENGTH",
    "MAX_LISTING_LIMIT",
    "MAX_MENTIONS_NOTIFIED",
    "NO_TEXT",
    "RATELIMIT_MESSAGE",
    "SUBJECTS",
    "THREAD_LOCKED",
    "TOO_LONG",
    "TOO_OLD",
    "InboxItem",
    "RedditComment",
    "RedditEmulator",
    "RedditMessage",
    "RedditSubmission",
    "base36",
    "reddit_error",
]

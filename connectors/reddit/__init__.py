"""Reddit connector: inbox mentions and replies plus watched subreddits in, comments out, through praw.

What `fetch` reads, each newest first and with bounded `limit`s (at most ``ceil(limit / 100)``
requests per listing, so a poll stays far below Reddit's 100 requests a minute per client id):

- the unread inbox (``GET /message/unread/``): username mentions, comment replies and post replies.
  They stay unread until `acknowledge` marks them read, so a crash before the batch is stored
  delivers them again. Private messages from people (not modmail) come in too, as private posts
  (`Post.private`, `conversation_id` the thread's first message, `in_reply_to` the message they
  answer); with ``private_messages=False`` they are skipped and left unread.
- the newest comments and submissions of the configured subreddits (one ``a+b`` multi listing
  each), kept when they contain one of the keywords (all of them when there are no keywords).

Every post says where it belongs: `conversation_id` is the submission (``t3_…``) of a comment or
post, `in_reply_to` the parent fullname of a comment. A private message is answered in its thread
(``/api/comment`` with its t4 id); a public post can be answered by private message
(`PrivateReplies`: ``/api/compose`` to its author, subject "About your comment in r/<sub>").

Reddit ids are base36 counters that only grow, so the cursor is the newest comment and submission
id seen in the subreddits; the first fetch only records them (no backfill of history). praw's
streams are not used: their dedupe lives in memory and they sleep between polls.

praw is built so that it never waits or re-sends on its own, because a re-sent comment is a reply
posted twice: ``ratelimit_seconds=0`` makes a RATELIMIT answer raise at once (it becomes
:class:`RateLimited`), and the `requestor` keeps prawcore from retrying timeouts and 5xx
answers (they become :class:`Unavailable`; Parley's own back-off retries, after `find_reply`).
prawcore would also sleep until the rate-limit window resets once ``x-ratelimit-remaining`` hits 0;
the connector raises :class:`RateLimited` instead of calling Reddit while the window is spent.

- `requestor`: prawcore's HTTP layer without retries, and the rate-limit window;
- `mapping`: praw objects as domain `Post`s and `Reply`s, ids and the cursor;
- `messages`: private messages (answers in a thread, new ones to a public post's author, the sent box);
- `errors`: praw, prawcore and transport exceptions as the `connectors.base` error tree;
- `connector`: :class:`RedditConnector`, the `Connector` protocol over the three.
"""

from connectors.reddit.connector import INBOX_TYPES, OAUTH_URL, PAGE_SIZE, SHORT_URL, RedditConnector
from connectors.reddit.errors import MAX_COMMENT_LENGTH
from connectors.reddit.mapping import CURSOR_VERSION, REDDIT_URL, RedditBatch

__all__ = [
    "CURSOR_VERSION",
    "INBOX_TYPES",
    "MAX_COMMENT_LENGTH",
    "OAUTH_URL",
    "PAGE_SIZE",
    "REDDIT_URL",
    "SHORT_URL",
    "RedditBatch",
    "RedditConnector",
]

"""YouTube connector: comments on the brand channel's videos in, replies in their thread out.

Through google-api-python-client (the discovery document it ships, pointed at `api_url`) on
google-auth credentials renewed from a refresh token at `token_url`:

- `fetch`: ``commentThreads.list(part="snippet,replies", allThreadsRelatedToChannelId=…,
  order="time")`` page by page (100 threads each, at most `max_pages`) until a thread is older than
  the cursor; a thread carries only some of its replies, so one whose reply count changed is read
  with ``comments.list(parentId=…)``; the titles of the videos come from ``videos.list`` (50 a
  call, remembered). The channel's own comments are never delivered. The cursor is the newest
  `publishedAt` delivered with the ids of that second (JSON).
- `reply`: ``comments.insert(part="snippet", body={"snippet": {"parentId": TOP, "textOriginal": …}})``
  where TOP is the thread's top-level comment, also for a reply to a reply (YouTube threads have
  one level); `find_reply` lists that thread's replies for ours.
- the quota: each call is charged to a `QuotaMeter` before it is made (lists 1 unit, an insert 50);
  a call the day's quota cannot pay for, or Google's 403 ``quotaExceeded``, is `RateLimited` until
  the next midnight Pacific Time; above 80 % of the quota `fetch` polls only as often as lets the
  rest last until then (`bot.domain.quota`).

Modules: `client` (the API and its quota charge), `mapping` (resources as domain values, the
cursor), `errors` (HttpError, RefreshError and transport errors as `connectors.base` errors),
`quota` (the meter protocol and an in-memory meter), `connector` (:class:`YouTubeConnector`).
"""

from connectors.google_oauth import TOKEN_URL
from connectors.youtube.client import INSERT_COST, LIST_COST, SCOPE, YOUTUBE_API
from connectors.youtube.connector import PAGE_SIZE, YouTubeConnector
from connectors.youtube.errors import MAX_COMMENT_LENGTH
from connectors.youtube.mapping import watch_url
from connectors.youtube.quota import MemoryQuota, QuotaMeter

__all__ = [
    "INSERT_COST",
    "LIST_COST",
    "MAX_COMMENT_LENGTH",
    "PAGE_SIZE",
    "SCOPE",
    "TOKEN_URL",
    "YOUTUBE_API",
    "MemoryQuota",
    "QuotaMeter",
    "YouTubeConnector",
    "watch_url",
]

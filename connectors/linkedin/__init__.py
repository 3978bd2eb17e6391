"""LinkedIn connector: a company page's comments and mentions in, comments as the page out.

LinkedIn's Community Management API is versioned REST (``/rest/...``, header ``LinkedIn-Version:
YYYYMM``) in the Rest.li 2.0 protocol (``X-Restli-Protocol-Version: 2.0.0``). The calls:

- ``GET  /rest/organizations/{id}``: the page's name (the card's "Answering as");
- ``GET  /rest/posts?q=author&author={org}&sortBy=LAST_MODIFIED``: the page's newest posts;
- ``GET  /rest/socialActions/{post}/comments``: their comments (the page's own are skipped), and
  ``GET /rest/socialActions/{comment}/comments`` for the replies under the newest commented-on comments;
- ``GET  /rest/organizationalEntityNotifications?q=criteria&actions=List(SHARE_MENTION)&timeRange=(...)``
  then ``GET /rest/posts/{urn}``: posts that mention the page;
- ``POST /rest/socialActions/{target}/comments`` with ``actor`` = the organization: on a comment the
  target is the comment's URN and ``parentComment`` nests ours under it (under its parent for a reply:
  LinkedIn nests one level); on a mention, the post.

LinkedIn's official Python client (``linkedin-api-client``) is a beta last released in 2023, pins old
versions and hides Rest.li encoding behind untyped dicts; this small typed client over `requests`
(already used by tweepy and praw) is smaller than adapting it. The unofficial ``linkedin-api``
package scrapes the website and breaks LinkedIn's terms: never used.

A comment holds at most 1,250 characters (`bot.domain.text.LIMITS`). LinkedIn takes no idempotency
key: `find_reply` looks for our comment under the same parent before any retry.

- `client`: the HTTP client and Rest.li encoding;
- `mapping`: comments and posts as `Post`s, URNs, links, the cursor;
- `errors`: LinkedIn's answers as the `connectors.base` error tree;
- `connector`: :class:`LinkedInConnector`.
"""

from connectors.linkedin.client import API_URL, VERSION
from connectors.linkedin.connector import RECENT_POSTS, LinkedInConnector
from connectors.linkedin.errors import SIGN_IN_EXPIRED
from connectors.linkedin.mapping import Cursor, comment_object, feed_url

__all__ = [
    "API_URL",
    "RECENT_POSTS",
    "SIGN_IN_EXPIRED",
    "VERSION",
    "Cursor",
    "LinkedInConnector",
    "comment_object",
    "feed_url",
]

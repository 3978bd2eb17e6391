"""X (Twitter) connector: mentions (or a keyword search) in, replies out, through tweepy's API v2 `Client`.

With ``search``, the connector listens to X's recent search instead of the brand's mentions.
Since Feb 2026 X lets the API reply only to posts whose author @mentioned the brand (or quoted
it), so a search hit that does neither comes back ``listen_only``: forwarded for information,
and :meth:`XConnector.reply` refuses it without calling X. A search account configured with
only the app's bearer token cannot post at all and cannot look itself up (``/2/users/me`` needs
user context): every hit is then listen-only and the brand is known only from ``user_id`` /
``username`` if given.

``wait_on_rate_limit`` stays False: with it, a 429 without a usable ``x-rate-limit-reset``
makes tweepy retry immediately and recursively. A 429 becomes :class:`RateLimited` and the
caller reschedules; an endpoint whose window X said is spent is not called before its reset.

Direct messages (``direct_messages``, X_DIRECT_MESSAGES): DMs sent to the brand come in as private
posts (`Post.private`, `conversation_id` the DM conversation), a private post is answered by DM,
and `PrivateReplies` answers a public post by DM when the author accepts DMs from the brand.
They need the user keys and the X app's DM permission (OAuth 2.0: scopes ``dm.read dm.write``).

- `session`: tweepy's hard-coded base URL rewritten, the timeout, each endpoint's rate-limit budget;
- `mapping`: X API objects as domain `Post`s, and the text comparisons;
- `messages`: direct messages (read, sent, found again) and the cursor over mentions and DMs;
- `errors`: tweepy and requests exceptions as the `connectors.base` error tree;
- `connector`: :class:`XConnector`, the `Connector` protocol over the three.
"""

from connectors.x.connector import LISTEN_ONLY_MESSAGE, REACHABLE_MENTIONS, XConnector
from connectors.x.errors import DM_PERMISSION_MESSAGE
from connectors.x.mapping import MAX_PAGE_SIZE, SEARCH_EXPANSIONS, TWEET_FIELDS, USER_FIELDS
from connectors.x.messages import MAX_DM_LENGTH, XCursor
from connectors.x.session import X_API

__all__ = [
    "DM_PERMISSION_MESSAGE",
    "LISTEN_ONLY_MESSAGE",
    "MAX_DM_LENGTH",
    "MAX_PAGE_SIZE",
    "REACHABLE_MENTIONS",
    "SEARCH_EXPANSIONS",
    "TWEET_FIELDS",
    "USER_FIELDS",
    "X_API",
    "XConnector",
    "XCursor",
]

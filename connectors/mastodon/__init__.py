"""Mastodon connector: mention notifications in (polled, or from the user stream), replies out.

Through `Mastodon.py` on the brand's server (``MASTODON_API_BASE_URL``) with an access token of
the brand account (scopes ``read:notifications read:statuses write:statuses``).

Posts: `Post.id` is the status id; `in_reply_to` the status it answers; `conversation_id` the
first status of its thread (from the status's context, read only for replies), or for a direct
message ``direct:`` and its participants' handles, sorted. A direct mention is `private`.
`reply_limit` is the server's own limit (``instance_v2().configuration.statuses.max_characters``,
500 when it says nothing) less the ``@handles`` the reply starts with, which the connector adds
when the text does not already name them (as Mastodon's own app does).

- `mapping`: statuses as domain `Post`s, HTML as text, the mentions a reply starts with;
- `errors`: Mastodon.py's exceptions as the `connectors.base` error tree;
- `stream`: the user streaming API (server-sent events), mention notifications only;
- `connector`: :class:`MastodonConnector`.
"""

from connectors.mastodon.connector import MastodonConnector

__all__ = ["MastodonConnector"]

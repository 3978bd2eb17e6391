"""Bluesky connector: mentions and replies in (notifications, or Jetstream in real time), replies out.

Through the `atproto` SDK's `Client` on the brand's PDS (``BLUESKY_PDS_URL``), signed in with an
app password; the session is reused for the connector's life and refreshed by the SDK before its
access token expires (a refused refresh signs in again, once).

Posts: `Post.id` is the post's ``at://`` URI; `conversation_id` the URI of its thread's root;
`in_reply_to` the URI of the post it answers. A reply needs *strong references* (URI and CID) to
the post and to the root of its thread: the CIDs are not stored on the `Post` (no new fields);
:meth:`BlueskyConnector.reply` reads them from the network (``app.bsky.feed.getPosts``) just
before posting, so they are always the versions Bluesky holds, and a deleted post is `Gone`.

- `mapping`: records and notifications as domain `Post`s, facets of the reply;
- `errors`: atproto exceptions as the `connectors.base` error tree;
- `jetstream`: the real-time stream (Jetstream JSON over WebSocket), filtered to the brand;
- `connector`: :class:`BlueskyConnector`.
"""

from connectors.bluesky.connector import BSKY_SOCIAL, JETSTREAM, BlueskyConnector

__all__ = ["BSKY_SOCIAL", "JETSTREAM", "BlueskyConnector"]

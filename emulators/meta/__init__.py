"""A local Meta Graph API (Facebook Pages, Instagram, Messenger) and Meta's webhook delivery.

Served (paths as on ``https://graph.facebook.com/v21.0``; `MetaEmulator.graph_url` is the base)::

    GET  /{page-id}?fields=id,name             the Page
    GET  /{page-id}/feed                       the Page's posts, newest first
    GET  /{page-id}/tagged                     posts that mention the Page
    GET  /{post-id|comment-id}/comments        comments on a post, replies to a comment
    GET  /{ig-user-id}?fields=id,username      the Instagram account, and its
         mentioned_comment.comment_id(X){…} / mentioned_media.media_id(X){…}
    GET  /{ig-user-id}/media, /{ig-media-id}/comments, /{ig-comment-id}/replies
    GET  /{page-id}/conversations?platform=messenger|instagram[&user_id=]
    GET  /{conversation-id}/messages
    POST /{object-id}/comments                 reply to a Page post or comment ({"message"})
    POST /{ig-comment-id}/replies              reply to an IG comment
    POST /{ig-user-id}/mentions                reply to an @mention (media_id, comment_id, message)
    POST /{page-id}/messages                   Send API: recipient, messaging_type, tag, message
    POST /{comment-id}                         hide: `is_hidden` (Facebook), `hide` (Instagram)

Docs followed: Graph API reference (Page feed, Comment, IG User, IG Comment, mentioned_comment,
mentioned_media, Mentions), the Messenger Platform Send API and its error codes, Graph error
handling, rate limiting (`X-App-Usage`, `X-Business-Use-Case-Usage`), Webhooks getting started
("Verification Requests", "Validate Payloads") and the Page / Instagram webhook references.

Faithful: the token (`access_token` or `Authorization: Bearer`) and `appsecret_proof` required on every call (190 for an expired token,
100 for a wrong proof); Graph's error bodies and codes (200 for a missing permission, 32 with
`estimated_time_to_regain_access` for a rate limit, 10/2018278 outside the messaging window, 100/33
for a missing object); `fields` selection; usage headers on every answer; the 24-hour window and the
HUMAN_AGENT tag (7 days); text limits (8,000 Page comment, 2,200 IG comment, 2,000 Messenger,
1,000 Instagram Direct); Graph time format `2026-12-06T18:00:00+0000`.

Simplified: one Page and one Instagram account; no paging beyond `limit`; no `since`/`until`
filtering on edges; permissions are switched off by name (`revoke`) rather than by token.
"""

from emulators.meta.emulator import VERSION, MetaEmulator
from emulators.meta.store import Comment, Item, Message, Person
from emulators.meta.webhooks import Delivery, Webhooks, signed_headers

__all__ = [
    "VERSION",
    "Comment",
    "Delivery",
    "Item",
    "Message",
    "MetaEmulator",
    "Person",
    "Webhooks",
    "signed_headers",
]

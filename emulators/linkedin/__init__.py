"""A local LinkedIn Community Management API: a company page's posts, comments and mentions.

Served (paths as on ``https://api.linkedin.com``)::

    GET  /rest/organizations/{id}                           the page (localizedName)
    GET  /rest/posts?q=author&author={urn}&count&start      posts by an author, newest first
    GET  /rest/posts/{urn}                                  one post
    GET  /rest/socialActions/{post or comment}/comments     first-level comments, or replies to a comment
    POST /rest/socialActions/{post or comment}/comments     a comment; `parentComment` nests it
    GET  /rest/organizationalEntityNotifications?q=criteria&organizationalEntity=...&actions=List(...)
         &timeRange=(start:..,end:..)                       the page's notifications (SHARE_MENTION)

Followed: learn.microsoft.com/linkedin/marketing/community-management: the Comments API
(``actor``, ``object``, ``message.text``, ``parentComment``, ``commentUrn`` of the form
``urn:li:comment:(urn:li:activity:X,Y)``, ``created.time`` in epoch ms, 201 with ``x-restli-id``,
one level of nesting), the Posts API (``commentary``, ``createdAt``), Organization Social Action
Notifications (criteria finder, ``action``, ``sourcePost``, ``lastModifiedAt``), the versioning
rules (``LinkedIn-Version: YYYYMM`` required, a sunset version answers 426 NONEXISTENT_VERSION),
Rest.li 2.0 (``X-Restli-Protocol-Version: 2.0.0``, URL-encoded URNs, ``List(...)`` and ``(start:..,end:..)``)
and LinkedIn's error body ``{"status", "serviceErrorCode", "code", "message"}`` (401
EXPIRED_ACCESS_TOKEN, 403 ACCESS_DENIED, 429 TOO_MANY_REQUESTS).

Simplified: one page and one access token; no names of members (as without extra permissions); no
reactions, edits or deletes of comments; rate limits only when injected (`fail_next(..., status=429)`);
comments longer than 1,250 characters are refused with 422 (LinkedIn's UI limit).
"""

from emulators.linkedin.emulator import OLDEST_VERSION, LinkedInEmulator, li_error
from emulators.linkedin.store import MAX_COMMENT_CHARS, LiComment

__all__ = ["MAX_COMMENT_CHARS", "OLDEST_VERSION", "LiComment", "LinkedInEmulator", "li_error"]

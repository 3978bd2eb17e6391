"""A local YouTube Data API v3 (comments) and Google's OAuth token endpoint, for google-api-python-client.

The real client talks to it unchanged: ``build("youtube", "v3", static_discovery=True,
client_options={"api_endpoint": emulator.url})`` with google-auth credentials whose `token_uri` is
``emulator.url + "/token"``.

Followed: the Data API reference for ``commentThreads.list``, ``comments.list``, ``comments.insert``,
``videos.list`` and ``channels.list`` (resources, ``part``, ``maxResults``/``pageToken`` paging,
``textFormat``); the quota cost table (lists 1 unit, comments.insert 50; reset at midnight Pacific
Time); the errors page (``{"error": {"code", "message", "errors": [{message, domain, reason}]}}``:
403 ``quotaExceeded`` in domain ``youtube.quota``, 400 ``commentTextTooLong``/``parentIdMissing``/
``operationNotSupported``, 404 ``parentCommentNotFound``, 401 ``authError`` with
``WWW-Authenticate``); Google's OAuth 2.0 token endpoint (``grant_type=refresh_token``, 400
``invalid_grant`` "Token has been expired or revoked.").

Faithful: access tokens expire (`expire_tokens`) and a revoked refresh token is refused
(`revoke`); every call is charged to one project's quota per Pacific day and refused, uncharged,
once it would go past it (`daily_quota`, `use_quota`, `quota_used`); reply ids are
``PARENT.SUFFIX``; a reply to a reply or to a closed thread is refused.

Simplified: one channel and one OAuth client; threads are ordered by their top-level comment's
time (``order=time``), and a thread carries its first five replies (the rest through
``comments.list``); no moderation, ratings, ``searchTerms`` or top-level inserts; scopes are not
checked per method.
"""

from emulators.youtube.emulator import SHOWN_REPLIES, YouTubeEmulator
from emulators.youtube.resources import COSTS, MAX_COMMENT_LENGTH, Comment

__all__ = ["COSTS", "MAX_COMMENT_LENGTH", "SHOWN_REPLIES", "Comment", "YouTubeEmulator"]

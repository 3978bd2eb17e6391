"""A local Google Business Profile: OAuth token endpoint, Business Information v1 locations, v4 reviews.

Served (paths as on Google's hosts; one server stands in for all three)::

    POST /token                                                  refresh_token grant (oauth2.googleapis.com)
    GET  /v1/accounts/{a}/locations?readMask=...                 locations (mybusinessbusinessinformation)
    GET  /v1/locations/{l}?readMask=...                          one location
    GET  /v4/accounts/{a}/locations/{l}/reviews                  pageSize (max 50), pageToken, orderBy
    GET  /v4/accounts/{a}/locations/{l}/reviews/{r}              one review
    PUT  /v4/accounts/{a}/locations/{l}/reviews/{r}/reply        {"comment": ...}: create or replace
    DELETE /v4/accounts/{a}/locations/{l}/reviews/{r}/reply

Followed: developers.google.com/my-business/reference/rest/v4/accounts.locations.reviews (the
`Review` and `ReviewReply` objects, `list` with `updateTime desc` as the default order, `updateReply`
"a reply is created if one does not exist", comment max 4096 bytes, only verified locations), the
Business Information API's `Location` (`name` = ``locations/{id}``, `title`, `metadata.mapsUri`),
Google's JSON error body (``{"error": {"code", "message", "status"}}``) and the OAuth 2.0 token
endpoint's answers (``access_token``, ``expires_in``, ``scope``, ``token_type``; 400 ``invalid_grant``
"Token has been expired or revoked.", 401 ``invalid_client``).

Faithful: access tokens required (401 UNAUTHENTICATED otherwise, which google-auth answers by
refreshing), a revoked refresh token (`revoke_refresh_token`), 403 for another account, 404 for an
unknown location or review, 400 FAILED_PRECONDITION for an unverified location, one reply per
review replaced by each PUT, `updateTime` moving on every change, anonymous reviewers.
Simplified: one account; no quotas unless injected (`fail_next(..., status=429)`); page tokens are
offsets; no review media, no reply moderation state.
"""

from emulators.google_business.emulator import GoogleBusinessEmulator, google_error
from emulators.google_business.store import MAX_REPLY_BYTES, STAR_NAMES

__all__ = ["MAX_REPLY_BYTES", "STAR_NAMES", "GoogleBusinessEmulator", "google_error"]

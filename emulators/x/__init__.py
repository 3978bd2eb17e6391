"""A local X API v2: the endpoints tweepy's `Client` calls for mentions, searches and replies, on the real wire format.

Served (paths as on ``https://api.twitter.com``)::

    GET    /2/users/me                  the brand account (user context only)
    GET    /2/users/:id/mentions        newest first; since_id, until_id, max_results, pagination_token
    GET    /2/users/:id/tweets          a user's own timeline, same parameters
    GET    /2/tweets/search/recent      the last 7 days matching `query`; since_id, until_id,
                                        max_results (10-100), next_token, sort_order
    GET    /2/tweets/:id                one tweet (200 with `errors` when it does not exist)
    POST   /2/tweets                    create a tweet or a reply (user context only)
    DELETE /2/tweets/:id                delete one of the brand's tweets (user context only)
    GET    /2/users/:id                 one user (`receives_your_dm` says whether we may DM them)
    GET    /2/dm_events                 the brand's DM events, newest first (also
                                        /2/dm_conversations/with/:participant_id/dm_events and
                                        /2/dm_conversations/:dm_conversation_id/dm_events)
    POST   /2/dm_conversations/with/:participant_id/messages   send a DM (also by conversation id)

Direct messages (module `messages`, which names the X documents it follows) need user context and
the DM permission: `access_level` "read-write-directmessages" for OAuth 1.0a, or an OAuth 2.0
user token (`user_tokens`) with the scopes dm.read (and dm.write to send), tweet.read, users.read;
otherwise 403 as X answers. Someone who does not accept DMs (`set_accepts_dms`) and never wrote to
the brand cannot be messaged (403 "You cannot send messages to this user.").

Faithful: `Authorization` required (Bearer app token for reads, OAuth 1.0a for user-context
endpoints, 403 "Unsupported Authentication" for an app token there); X's problem-details error
bodies; `tweet.fields` / `user.fields` / `expansions` validated and honoured; `edit_history_tweet_ids`
always present; only the newest 800 mentions reachable; snowflake-like numeric-string ids;
duplicate text refused (403); replies only to posts that @mention or quote the brand, or that
the brand wrote (the Feb 2026 rule, 403); replies to deleted posts refused (403, as X does);
weighted length over 280 refused (400); `x-rate-limit-*` headers on every routed answer and a 429
when a per-endpoint window is exhausted; `x-access-level` (the app's permission, `access_level`)
on every user-context answer, and a 403 to a POST or DELETE when it is "read".

Recent search: only tweets whose `created_at` is within the last 7 days; a `since_id` older than
that is refused with X's 400 ("'since_id' must be a tweet id created after ... Please use a
'since_id' that is larger than N"); an empty query, a syntax error, an unknown operator, a query
with no positive standalone clause or one over 512 characters is a 400 with X's invalid-request
body. Query language subset (case-insensitive): bare words (AND), "quoted phrases", `OR` (AND
binds tighter), `( )` grouping, `-` negation of any clause or group, `@handle`, `#hashtag`,
`from:`, `to:`, `lang:` and `is:retweet|reply|quote` (the last two need a standalone clause, as
on X). Words match X-style on tokens: a keyword or phrase matches a run of whole words of the
text (so `parley` matches "Parley's" and "#parley" but not "parleys").

Simplified: OAuth 1.0a signatures are not verified (only the presence of the consumer key and
token, and their values when configured); rate-limit windows are per endpoint, not per user or app;
tweet text is stored and returned exactly as sent (no `@handle` prefix, `&amp;` escaping or t.co
wrapping); pagination tokens are opaque but not signed; no `previous_token`. Search: no
`start_time`/`end_time`, no relevancy ranking (`sort_order=relevancy` is accepted, answered by
recency), no stop words, no 30-second indexing delay; other operators (`has:`, `url:`, ...) are
refused as unknown.

Modules: `model` (users, tweets, DM events, ids), `messages` (direct messages), `problems` (error bodies), `query` (the search language),
`store` (state and test helpers), `access` (auth, rate limits), `rendering` (fields, expansions,
pages), `emulator` (the routes).

Injected failures (`fail_next`) with no body get X's problem-details body; a 429 injected this way
carries `x-rate-limit-limit` and `x-rate-limit-remaining: 0` but no `x-rate-limit-reset` unless
you pass it in `headers`, to reproduce a reset-less 429.
"""

from emulators.x.access import DEFAULT_LIMITS, READ_ONLY_DETAIL
from emulators.x.emulator import XEmulator
from emulators.x.messages import DM_PERMISSION_DETAIL, DM_REFUSED_DETAIL, DM_RETENTION, MAX_DM_LENGTH
from emulators.x.model import (
    MAX_QUERY_LENGTH,
    MAX_WEIGHTED_LENGTH,
    REACHABLE_MENTIONS,
    REACHABLE_TIMELINE,
    SEARCH_WINDOW,
    TWITTER_EPOCH_MS,
    XDmEvent,
    XTweet,
    XUser,
)
from emulators.x.problems import DELETED_DETAIL, DUPLICATE_DETAIL, INVALID_REQUEST, NOT_MENTIONED_DETAIL
from emulators.x.query import OPERATOR_LIST_URL, QueryError, parse_query
from emulators.x.rendering import EXPANSIONS, TWEET_FIELDS, USER_FIELDS

__all__ = [
    "DEFAULT_LIMITS",
    "DELETED_DETAIL",
    "DM_PERMISSION_DETAIL",
    "DM_REFUSED_DETAIL",
    "DM_RETENTION",
    "DUPLICATE_DETAIL",
    "EXPANSIONS",
    "INVALID_REQUEST",
    "MAX_DM_LENGTH",
    "MAX_QUERY_LENGTH",
    "MAX_WEIGHTED_LENGTH",
    "NOT_MENTIONED_DETAIL",
    "OPERATOR_LIST_URL",
    "REACHABLE_MENTIONS",
    "REACHABLE_TIMELINE",
    "READ_ONLY_DETAIL",
    "SEARCH_WINDOW",
    "TWEET_FIELDS",
    "TWITTER_EPOCH_MS",
    "USER_FIELDS",
    "QueryError",
    "XDmEvent",
    "XEmulator",
    "XTweet",
    "XUser",
    "parse_query",
]

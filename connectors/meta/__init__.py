"""Facebook Pages and Instagram through Meta's Graph API: comments, mentions and messages.

Meta has no official Python SDK for Pages, Instagram or Messenger, so `client` is a small typed
client over `requests` (already installed with tweepy and praw) with `appsecret_proof` on every
call and Meta's usage headers read after every answer.

- `client`: :class:`GraphClient`, `appsecret_proof`, the usage budget;
- `errors`: Graph error codes as the `connectors.base` error tree;
- `mapping`: Graph objects and webhook values as domain `Post`s (one id whichever way they came);
- `polling`: what a poll reads (the fallback and catch-up after downtime);
- `webhook`: the `X-Hub-Signature-256` check and the webhook payload as posts or lookups;
- `connector`: :class:`FacebookConnector` and :class:`InstagramConnector` (import them from here).
"""

# Only what the web process needs (the webhook check and parsing): the client and the connectors
# import `requests`, which web never loads; import them from their modules.
from connectors.meta.webhook import Found, Lookup, parse, sign, signature_ok

__all__ = ["Found", "Lookup", "parse", "sign", "signature_ok"]

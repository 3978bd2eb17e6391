"""Network sessions kept in Redis, so that every process (and every restart) reuses one sign-in.

Bluesky limits `createSession` to 30 per 5 minutes and 300 a day per account: a worker, a stream
process and their restarts each signing in would use that up. The session (access and refresh
tokens, as atproto exports it) is a credential: it lives in Redis as long as its refresh token may
(90 days), beside the cases, and is never logged.
"""

from __future__ import annotations

import redis

from bot.adapters import keys
from bot.domain.text import as_text

KEEP_FOR = 90 * 24 * 3600  # seconds: a Bluesky refresh token's life


class RedisSession:
    """One account's session: `get` the stored one, `set` a new one (after a sign-in or a refresh)."""

    def __init__(self, client: redis.Redis, network: str, account: str) -> None:
        self._client = client
        self._key = keys.session(network, account)

    def get(self) -> str | None:
        value = self._client.get(self._key)
        return None if value is None else as_text(value)

    def set(self, value: str) -> None:
        self._client.set(self._key, value, ex=KEEP_FOR)

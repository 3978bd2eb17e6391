"""Meta's webhooks: the subscription check, and deliveries turned into cases before the answer.

`receive` checks ``X-Hub-Signature-256`` against the app secret(s) on the raw body first (401, the
body unparsed, when it is missing or wrong), then turns each entry into posts and stores each one
with its delivery job in one Redis transaction (`Inbox.accept`): no network call, so Meta gets its
200 in milliseconds. The case id comes from (network, post id) and the webhook and the poll build
the same post id, so a redelivery, or a comment both delivered and polled, makes one case. Page and
Instagram @mentions arrive without their text: they are queued as a job that reads them through
Graph (`look_up`) and then accepts them the same way.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.adapters.queue import Jobs
from bot.domain import Network, Post
from bot.services.inbox import Inbox
from connectors.meta.webhook import Found, Lookup, loads, parse, signature_ok

log = logging.getLogger(__name__)

RECEIVED = "EVENT_RECEIVED"


@dataclass(frozen=True)
class MetaPlace:
    """A configured Page or Instagram account, as webhook entries name it."""

    network: Network
    account_id: str  # the Page id or the IG account id (the entry's `id`)
    source: str  # the account's name in the settings (the poll's source)
    display: str  # what Post.account says for it (the connector's `account`)
    app_secret: str
    verify_token: str


@dataclass(frozen=True)
class Answer:
    status: int
    body: str


@runtime_checkable
class LooksUpMentions(Protocol):
    def lookup(self, mention: Lookup) -> Post | None: ...


class MetaWebhooks:
    def __init__(
        self, *, inbox: Inbox, jobs: Jobs, places: Sequence[MetaPlace], clock: Callable[[], datetime]
    ) -> None:
        self.inbox = inbox
        self.jobs = jobs
        self.places = {(p.network, p.account_id): p for p in places}
        self.secrets = tuple(dict.fromkeys(p.app_secret for p in places if p.app_secret))
        self.tokens = tuple(dict.fromkeys(p.verify_token for p in places if p.verify_token))
        self.clock = clock

    def verify(self, mode: str, token: str, challenge: str) -> Answer:
        """Meta's subscription check: echo `hub.challenge` when the verify token is ours, else 403."""
        if mode == "subscribe" and token and any(_same(token, ours) for ours in self.tokens):
            return Answer(200, challenge)
        log.info("refused a Meta webhook verification: wrong mode or verify token")
        return Answer(403, "verify token mismatch")

    def receive(self, body: bytes, signature: str | None) -> Answer:
        if not any(signature_ok(body, signature, secret) for secret in self.secrets):
            log.info("refused a Meta webhook delivery: %s", "bad signature" if signature else "unsigned")
            return Answer(401, "bad signature")
        payload = loads(body)
        if not isinstance(payload, dict):
            return Answer(400, "not JSON")
        events = parse(payload, named=self._display, clock=self.clock)
        new = 0
        for event in events:
            network = event.network if isinstance(event, Lookup) else event.post.network
            place = self.places[(network, event.account_id)]
            if isinstance(event, Found):
                new += self.inbox.take(place.source, event.post)
            elif self.inbox.store.is_paused(network.value):
                continue  # paused: the poll after /parley resume catches up, as it does for polled posts
            else:
                self.jobs.look_up_mention(place.source, event.media_id, event.comment_id or "")
        log.info("Meta webhook: %d event(s), %d new case(s)", len(events), new)
        return Answer(200, RECEIVED)

    def look_up(self, source: str, media_id: str, comment_id: str) -> bool:
        """Read an announced mention through Graph and accept it; False when it was known or is gone."""
        connector = self.inbox.sources[source]
        if not isinstance(connector, LooksUpMentions):
            return False
        place = next(p for p in self.places.values() if p.source == source)
        post = connector.lookup(Lookup(place.network, place.account_id, media_id, comment_id or None))
        if post is None:
            return False
        return self.inbox.take(source, post)

    def _display(self, network: Network, account_id: str) -> str | None:
        place = self.places.get((network, account_id))
        return place.display if place else None


def _same(given: str, ours: str) -> bool:
    return hmac.compare_digest(given.encode(), ours.encode())

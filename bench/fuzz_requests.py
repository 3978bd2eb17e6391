"""The fuzzer's requests: a seeded generator of what a hostile or broken client could POST to
`/slack/events`. Pure: the same seed and templates give the same requests, in the same order.

A request is a `Fuzz`: a kind (for the report), a body, a content type, and how it is signed.
Signing happens when it is sent (`headers`), so that "valid" and "stale" mean the same thing
however long the run takes. Templates are real requests (clicks on real cards, slash commands,
events, modal submissions) that the generator sends as they are or mutates.
"""

from __future__ import annotations

import copy
import json
import random
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from emulators.slack import sign

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
MAX_BODY = 1024 * 1024  # what `bot.app.request_guard` accepts; the fuzzer's "oversized" is above it

# How a request is signed: only "valid" carries a signature Parley must accept.
BAD_SIGNATURES = ("tampered", "absent", "stale", "future", "not_a_number", "other_secret", "wrong_scheme")
CONTENT_TYPES = (FORM, JSON, "text/plain", "multipart/form-data; boundary=x", "", "application/json; x")
HOSTILE_TEXT = ("\x00", "\u202e", "\u200b", "\ufeff", "\ud800", "\U0001f600", "ß", "日本", "\\", '"', "%")


@dataclass(frozen=True)
class Fuzz:
    kind: str
    body: bytes
    content_type: str
    signing: str = "valid"
    method: str = "POST"
    path: str = "/slack/events"

    @property
    def bad_signature(self) -> bool:
        return self.signing != "valid"

    @property
    def oversized(self) -> bool:
        return len(self.body) > MAX_BODY

    def headers(self, secret: str, now: int) -> dict[str, str]:
        stamp = {"stale": str(now - 3600), "future": str(now + 3600), "not_a_number": "soon"}.get(
            self.signing, str(now)
        )
        key = "another-secret" if self.signing == "other_secret" else secret
        signature = sign(key, stamp, self.body)
        if self.signing == "tampered":
            signature = signature[:-1] + ("0" if signature[-1] != "0" else "1")
        elif self.signing == "wrong_scheme":
            signature = "v1=" + signature[3:]
        headers = {"X-Slack-Request-Timestamp": stamp, "Content-Type": self.content_type}
        if self.signing != "absent":
            headers["X-Slack-Signature"] = signature
        return headers


@dataclass(frozen=True)
class Templates:
    """Real requests to start from: `interactions` are `payload=` JSON objects (clicks, modal
    submissions), `commands` slash command forms, `events` Events API envelopes."""

    interactions: list[dict[str, Any]]
    commands: list[dict[str, str]]
    events: list[dict[str, Any]]


# -- random values ---------------------------------------------------------------------------------


def _text(rng: random.Random, size: int) -> str:
    alphabet = string.ascii_letters + string.digits + "".join(HOSTILE_TEXT)
    return "".join(rng.choice(alphabet) for _ in range(size))


def _huge(rng: random.Random) -> str:
    return rng.choice((*HOSTILE_TEXT, "a", "x")) * rng.randint(10_000, 100_000)


def _nested(rng: random.Random) -> Any:
    depth = rng.choice((3, 50, 300))  # deeper ones come as raw text (`signed_garbage`)
    node: Any = rng.choice((None, 1, "x"))
    for _ in range(depth):
        node = [node] if rng.random() < 0.5 else {"a": node}
    return node


def _value(rng: random.Random) -> Any:
    """A value of a random type: what a key holds when Slack's contract is broken."""
    choices: tuple[Callable[[], Any], ...] = (
        lambda: None,
        lambda: rng.randint(-(2**70), 2**70),
        lambda: rng.random() * 1e308,
        lambda: rng.choice((True, False)),
        lambda: [],
        lambda: {},
        lambda: _text(rng, rng.randint(0, 40)),
        lambda: [_text(rng, 5), None, {"x": 1}],
        lambda: {"value": _text(rng, 8), "id": rng.randint(0, 9)},
        lambda: _huge(rng),
        lambda: _nested(rng),
    )
    return rng.choice(choices)()


# -- mutations of a JSON tree ----------------------------------------------------------------------


def _paths(tree: Any) -> list[tuple[Any, ...]]:
    """Every key and index path in `tree` (iterative: mutated trees can be deep)."""
    found: list[tuple[Any, ...]] = []
    stack: list[tuple[tuple[Any, ...], Any]] = [((), tree)]
    while stack:
        prefix, node = stack.pop()
        if prefix:
            found.append(prefix)
        if isinstance(node, dict):
            stack.extend(((*prefix, key), child) for key, child in node.items())
        elif isinstance(node, list):
            stack.extend(((*prefix, index), child) for index, child in enumerate(node))
    found.reverse()
    return found


def _mutate_once(rng: random.Random, tree: Any) -> None:
    paths = _paths(tree)
    if not paths:
        return
    path = rng.choice(paths)
    parent = tree
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    operation = rng.choice(("drop", "retype", "retype", "huge", "hostile", "unknown_id", "nest"))
    if operation == "drop":
        del parent[last]
    elif operation == "huge":
        parent[last] = _huge(rng)
    elif operation == "hostile":
        parent[last] = _text(rng, rng.randint(1, 30))
    elif operation == "unknown_id":
        parent[last] = rng.choice(("no_such_action", "case_approve_x", "", "../../etc"))
    elif operation == "nest":
        parent[last] = _nested(rng)
    else:
        parent[last] = _value(rng)


def _mutated(rng: random.Random, template: Any) -> Any:
    tree = copy.deepcopy(template)
    for _ in range(rng.randint(1, 4)):
        _mutate_once(rng, tree)
    return tree


def _dumps(rng: random.Random, value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=rng.random() < 0.5)
    except (RecursionError, ValueError):
        return json.dumps(None)


def _encode(rng: random.Random, text: str) -> bytes:
    return text.encode("utf-8", errors="surrogatepass" if rng.random() < 0.5 else "replace")


# -- request builders ------------------------------------------------------------------------------


def _interaction(rng: random.Random, payload: Any) -> bytes:
    return urlencode({"payload": _dumps(rng, payload)}, errors="surrogatepass").encode()


class Generator:
    """`next()` returns the next request. Kinds, roughly in order of frequency: mutated payloads,
    valid requests with bad signatures, signed garbage, valid requests, and oversized bodies."""

    def __init__(self, seed: int, templates: Templates) -> None:
        self.rng = random.Random(seed)
        self.templates = templates
        self.makers: list[tuple[float, Callable[[], Fuzz]]] = [
            (14, self.mutated_interaction),
            (6, self.mutated_command),
            (6, self.mutated_event),
            (16, self.bad_signature),
            (12, self.signed_garbage),
            (6, self.wrong_content_type),
            (6, self.unknown_action),
            (5, self.hostile_text),
            (10, self.valid),
            (2, self.oversized),
            (2, self.odd_method),
        ]

    def next(self) -> Fuzz:
        weights = [w for w, _ in self.makers]
        make = self.rng.choices([m for _, m in self.makers], weights)[0]
        return make()

    def _any_valid(self) -> tuple[bytes, str]:
        rng, t = self.rng, self.templates
        pick = rng.random()
        if pick < 0.5:
            return _interaction(rng, rng.choice(t.interactions)), FORM
        if pick < 0.75:
            return urlencode(rng.choice(t.commands)).encode(), FORM
        return json.dumps(rng.choice(t.events)).encode(), JSON

    def valid(self) -> Fuzz:
        body, content_type = self._any_valid()
        return Fuzz("valid", body, content_type)

    def bad_signature(self) -> Fuzz:
        body, content_type = self._any_valid()
        if self.rng.random() < 0.3:
            body = self.signed_garbage().body
        return Fuzz("bad_signature", body, content_type, signing=self.rng.choice(BAD_SIGNATURES))

    def mutated_interaction(self) -> Fuzz:
        payload = _mutated(self.rng, self.rng.choice(self.templates.interactions))
        return Fuzz("mutated_interaction", _interaction(self.rng, payload), FORM)

    def mutated_command(self) -> Fuzz:
        form = dict(self.rng.choice(self.templates.commands))
        for key in self.rng.sample(sorted(form), self.rng.randint(1, 3)):
            action = self.rng.random()
            if action < 0.3:
                del form[key]
            else:
                form[key] = _huge(self.rng) if action < 0.4 else _text(self.rng, self.rng.randint(0, 60))
        text = urlencode(form, quote_via=quote, errors="surrogatepass")
        return Fuzz("mutated_command", _encode(self.rng, text), FORM)

    def mutated_event(self) -> Fuzz:
        envelope = _mutated(self.rng, self.rng.choice(self.templates.events))
        return Fuzz("mutated_event", _encode(self.rng, _dumps(self.rng, envelope)), JSON)

    def unknown_action(self) -> Fuzz:
        payload = copy.deepcopy(self.rng.choice(self.templates.interactions))
        unknown = self.rng.choice(("no_such_action", _text(self.rng, 12), "case_approve ", "CASE_APPROVE"))
        for action in payload.get("actions") or []:
            action["action_id"] = unknown
        if "view" in payload:
            payload["view"]["callback_id"] = unknown
        payload["type"] = self.rng.choice((payload.get("type"), "block_actions", "shortcut", "nonsense"))
        return Fuzz("unknown_action", _interaction(self.rng, payload), FORM)

    def hostile_text(self) -> Fuzz:
        form = dict(self.rng.choice(self.templates.commands))
        form["text"] = self.rng.choice(("queue ", "search ", "saved add x ", "")) + _text(self.rng, 80)
        return Fuzz("hostile_text", _encode(self.rng, urlencode(form, errors="surrogatepass")), FORM)

    def signed_garbage(self) -> Fuzz:
        rng = self.rng
        choices: tuple[Callable[[], tuple[bytes, str]], ...] = (
            lambda: (rng.randbytes(rng.randint(0, 2000)), rng.choice(CONTENT_TYPES)),
            lambda: (b"", rng.choice((FORM, JSON))),
            lambda: (_encode(rng, _dumps(rng, _value(rng))), JSON),
            lambda: (("payload=" + quote(_dumps(rng, _value(rng)), errors="surrogatepass")).encode(), FORM),
            lambda: (b"payload=%7B%22type%22%3A%22block_actions%22", FORM),
            lambda: (b"payload=%zz%%", FORM),
            lambda: (self._any_valid()[0][: rng.randint(0, 200)], rng.choice((FORM, JSON))),
            lambda: (_encode(rng, "&".join(_text(rng, 6) + "=" + _text(rng, 6) for _ in range(50))), FORM),
            lambda: (b'{"type": "event_callback", "event": ' + b"[" * 100_000 + b"}", JSON),
            lambda: (b"payload=" + b"%5B" * 100_000, FORM),
        )
        body, content_type = rng.choice(choices)()
        return Fuzz("signed_garbage", body, content_type)

    def wrong_content_type(self) -> Fuzz:
        body, content_type = self._any_valid()
        wrong = self.rng.choice([c for c in CONTENT_TYPES if c != content_type])
        return Fuzz("wrong_content_type", body, wrong)

    def oversized(self) -> Fuzz:
        size = self.rng.randint(MAX_BODY + 1, 5 * MAX_BODY)
        body = b"payload=" + quote(_dumps(self.rng, {"type": "block_actions"})).encode()
        body += b"x" * (size - len(body))
        signing = self.rng.choice(("valid", "valid", *BAD_SIGNATURES))
        return Fuzz("oversized", body, self.rng.choice((FORM, JSON)), signing=signing)

    def odd_method(self) -> Fuzz:
        body, content_type = self._any_valid()
        method = self.rng.choice(("GET", "PUT", "DELETE", "PATCH", "OPTIONS"))
        return Fuzz("odd_method", body if method != "GET" else b"", content_type, method=method)

    def envelope(self) -> tuple[str, Any]:
        """A Socket Mode envelope's type and payload: mutated templates, or garbage of any type."""
        rng, t = self.rng, self.templates
        envelope_type = rng.choice(("interactive", "slash_commands", "events_api"))
        template: Any = {
            "interactive": rng.choice(t.interactions),
            "slash_commands": rng.choice(t.commands),
            "events_api": rng.choice(t.events),
        }[envelope_type]
        # Slack's envelopes always carry an object; slack_sdk itself refuses anything else (and
        # payloads nested hundreds deep) before Parley sees them, with a traceback of its own.
        while True:
            pick = rng.random()
            if pick < 0.15:
                payload = template
            elif pick < 0.8:
                payload = _mutated(rng, template)
            else:
                payload = {"type": envelope_type, "payload": _value(rng)}
            if isinstance(payload, dict) and max((len(p) for p in _paths(payload)), default=0) < 100:
                return envelope_type, payload

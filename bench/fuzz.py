"""Bad requests never crash `parley web`: a seeded fuzz run against the real process.

Starts the Slack, X and Reddit emulators and a real `parley web` process (`python -m bot.app.cli
web`, HTTP mode) pointed at them, forwards a few mentions so that there are real cards to click,
then POSTs `--requests` requests from `bench.fuzz_requests` (malformed, mutated, badly signed,
oversized, valid) to it from 127.0.0.1 only, with `--clients` connections. With `--socket-mode N`,
also starts `parley web` in Socket Mode and sends it N envelopes with mutated and garbage payloads.

It prints requests by kind, answers by status class and the failures: 5xx answers, crashes (the
process exited or stopped answering), hangs (no answer within 3 s), bad signatures accepted (a
2xx for a request with a wrong, absent or stale signature), oversized bodies not refused with 413,
valid requests not acknowledged, and tracebacks in the process's log. Exits 1 if any is non-zero.

    python -m bench.fuzz [--requests 10000] [--seed 1] [--clients 4] [--socket-mode 300] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.fuzz_process import ParleyWeb, build_templates, socket_mode_fuzz, url_of
from bench.fuzz_requests import Fuzz, Generator
from bench.scratch import DEFAULT_REDIS, scratch_redis
from demo.sandbox import Sandbox

HANG_SECONDS = 3.0  # Slack's deadline for an acknowledgement
FAILURES = (
    "5xx",
    "crashes",
    "hangs",
    "bad_signatures_accepted",
    "oversized_not_refused",
    "valid_not_acked",
    "tracebacks",
)


@dataclass
class Tally:
    kinds: Counter[str] = field(default_factory=Counter)
    classes: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)  # failure -> one request that showed it
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, fuzz: Fuzz, status: int, seconds: float) -> None:
        found = []
        if status >= 500:
            found.append("5xx")
        if status == 0 or seconds > HANG_SECONDS:
            found.append("hangs")
        if fuzz.bad_signature and 200 <= status < 300:
            found.append("bad_signatures_accepted")
        if fuzz.oversized and status != 413:
            found.append("oversized_not_refused")
        if fuzz.kind == "valid" and not 200 <= status < 300:
            found.append("valid_not_acked")
        with self.lock:
            self.kinds[fuzz.kind] += 1
            self.classes[f"{status // 100}xx" if status else "no answer"] += 1
            for failure in found:
                self.failures[failure] += 1
                self.examples.setdefault(failure, _describe(fuzz, status))


def _describe(fuzz: Fuzz, status: int) -> str:
    return (
        f"{fuzz.kind} {fuzz.method} signing={fuzz.signing} type={fuzz.content_type!r} -> {status}: "
        f"{fuzz.body[:300]!r}"
    )


def send(port: int, fuzz: Fuzz, secret: str) -> tuple[int, float]:
    """One request on a fresh connection; (status, seconds). Status 0: no answer within the deadline,
    or none at all. A server may answer before it has read the whole body, so a failed send still
    waits for the answer."""
    headers = fuzz.headers(secret, int(time.time()))
    head = f"{fuzz.method} {fuzz.path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    head += f"Content-Length: {len(fuzz.body)}\r\n\r\n"
    started = time.perf_counter()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=HANG_SECONDS) as sock:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                sock.sendall(head.encode("latin-1") + fuzz.body)
            response = http.client.HTTPResponse(sock)
            response.begin()
            response.read()
            status = response.status
    except (OSError, http.client.HTTPException):
        status = 0
    return status, time.perf_counter() - started


def run_requests(
    web: ParleyWeb, generator: Generator, *, requests: int, clients: int, deadline: float
) -> tuple[Tally, int]:
    """Send `requests` requests with `clients` threads; (tally, how many were sent)."""
    tally, lock = Tally(), threading.Lock()
    sent = 0
    errors: list[BaseException] = []

    def client() -> None:
        nonlocal sent
        while time.monotonic() < deadline and web.alive():
            with lock:  # the generator is seeded: one draw at a time keeps the sequence reproducible
                if sent >= requests:
                    return
                sent += 1
                try:
                    fuzz = generator.next()
                except BaseException as error:  # a bug in the generator: stop, and say so below
                    errors.append(error)
                    raise
            status, seconds = send(web.port, fuzz, web.secret)
            tally.record(fuzz, status, seconds)

    threads = [threading.Thread(target=client, name=f"fuzz-{i}") for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return tally, sent


@dataclass
class Report:
    seed: int
    requests: int
    sent: int
    seconds: float
    tally: Tally
    socket_mode: dict[str, int] = field(default_factory=dict)

    def failures(self) -> dict[str, int]:
        counts = {name: self.tally.failures[name] for name in FAILURES}
        counts["not_sent"] = self.requests - self.sent
        for name in ("crashes", "tracebacks", "disconnects"):
            if self.socket_mode.get(name):
                counts[f"socket_mode_{name}"] = self.socket_mode[name]
        return counts

    def passed(self) -> bool:
        return not any(self.failures().values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "requests": self.requests,
            "sent": self.sent,
            "seconds": round(self.seconds, 1),
            "kinds": dict(self.tally.kinds.most_common()),
            "status_classes": dict(sorted(self.tally.classes.items())),
            "failures": self.failures(),
            "examples": self.tally.examples,
            "socket_mode": self.socket_mode,
            "passed": self.passed(),
        }


def table(report: Report) -> str:
    data = report.as_dict()
    lines = [f"fuzz run: seed {report.seed}, {report.sent} requests in {report.seconds:.1f} s", ""]
    for title, counts in (("requests by kind", data["kinds"]), ("answers", data["status_classes"])):
        lines += [f"{title}:", *(f"  {name:<24} {count:>7}" for name, count in counts.items()), ""]
    lines += ["failures (all must be 0):", *(f"  {k:<24} {v:>7}" for k, v in data["failures"].items())]
    if report.socket_mode:
        lines += ["", "socket mode:", *(f"  {k:<24} {v:>7}" for k, v in report.socket_mode.items())]
    for name, example in report.tally.examples.items():
        lines += ["", f"first {name}: {example}"]
    lines += ["", "PASS" if report.passed() else "FAIL"]
    return "\n".join(lines)


def fuzz(
    sandbox: Sandbox,
    redis_url: str,
    *,
    seed: int,
    requests: int,
    clients: int = 4,
    socket_envelopes: int = 0,
    max_seconds: float = 900.0,
    log_path: str | None = None,
    progress: Callable[[str], None] = lambda text: None,
) -> Report:
    """The whole run against a running sandbox (emulators) and a fresh `parley web` process."""
    templates = build_templates(sandbox)
    progress(f"templates: {len(templates.interactions)} interactions, {len(templates.commands)} commands")
    started = time.monotonic()
    with ParleyWeb(sandbox, redis_url) as web:
        tally, sent = run_requests(
            web,
            Generator(seed, templates),
            requests=requests,
            clients=clients,
            deadline=started + max_seconds,
        )
        web.settle()
        tally.failures["crashes"] += 0 if web.alive() else 1
        tally.failures["tracebacks"] += web.tracebacks()
        if tally.failures["tracebacks"]:
            tally.examples["tracebacks"] = web.first_traceback()
        web.save_log(log_path)
    seconds = time.monotonic() - started
    socket_mode = socket_mode_fuzz(
        sandbox,
        redis_url,
        seed=seed,
        envelopes=socket_envelopes,
        templates=templates,
        log_path=log_path and log_path + ".socket-mode",
    )
    return Report(seed, requests, sent, seconds, tally, socket_mode)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fuzz", description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=10_000, help="HTTP requests to send (default 10000)")
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed (default 1)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent connections (default 4)")
    parser.add_argument("--socket-mode", type=int, default=0, help="Socket Mode envelopes (default 0)")
    parser.add_argument(
        "--max-seconds", type=float, default=900, help="stop sending after this (default 900)"
    )
    parser.add_argument("--log", help="also write the `parley web` log to this file")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument("--flush", action="store_true", help="flush the Redis database even if not empty")
    args = parser.parse_args(argv)

    def progress(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS
    with scratch_redis(url, flush=args.flush) as (client, label):
        progress(f"redis: {label}")
        redis_url = url_of(client)
        with Sandbox(client) as sandbox:
            report = fuzz(
                sandbox,
                redis_url,
                seed=args.seed,
                requests=args.requests,
                clients=args.clients,
                socket_envelopes=args.socket_mode,
                max_seconds=args.max_seconds,
                log_path=args.log,
                progress=progress,
            )
    print(json.dumps(report.as_dict(), indent=2) if args.json else table(report))
    return 0 if report.passed() else 1


if __name__ == "__main__":
    sys.exit(main())

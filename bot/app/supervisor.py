"""`parley run` once its configuration is checked: web, and the worker with the clock, as child processes.

`parley run` (bot.app.cli) checks the settings, then replaces itself (exec, same process id) with
`python -m bot.app.supervisor`, a fresh interpreter that imports only the standard library: the
supervisor stays at the size of a bare Python (~12 MiB) whatever the settings and the SDKs cost.
Each child is `python -m bot.app.cli <name>` and loads only what its command uses.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from bot.adapters.embedded_redis import EmbeddedRedis
from bot.app.logs import configure_logging

log = logging.getLogger("parley")

# Two children: web, and the worker with the clock as a thread (a third interpreter costs ~50 MiB,
# the clock itself almost nothing). Procfile platforms run `parley clock` as a process of its own.
PROCESSES = {"web": ("web",), "worker": ("worker", "--with-clock")}
STREAM = {"stream": ("stream",)}  # a third child when an account streams (Bluesky, Mastodon)
MAX_RESTARTS = 5  # per child within RESTART_WINDOW seconds
RESTART_WINDOW = 60
STOP_WITHIN = 8  # seconds the children get to finish, within the 10 s platforms allow before SIGKILL


def command(*, data_dir: Path | None, log_json: bool, stream: bool = False) -> list[str]:
    """The command line that runs `supervise` (what `parley run` execs into)."""
    args = [sys.executable, "-m", "bot.app.supervisor"]
    if data_dir is not None:
        args += ["--embedded-redis", str(data_dir)]
    return args + (["--log-json"] if log_json else []) + (["--stream"] if stream else [])


def supervise(env: dict[str, str], data_dir: Path | None, *, stream: bool = False) -> int:
    """web and worker (with the clock), and `parley stream` when `stream`, sharing one Redis (the
    embedded one in `data_dir`, when given)."""
    processes = PROCESSES | (STREAM if stream else {})
    server = None
    if data_dir is not None:
        server = EmbeddedRedis(data_dir)
        server.start()  # stopped by this process once the children are gone
        env = env | {"REDIS_URL": server.url}
        log.info("embedded Redis: data in %s", server.data_dir)

    def start(name: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-m", "bot.app.cli", *processes[name]], env=env)  # noqa: S603

    children = {name: start(name) for name in processes}
    restarts: dict[str, list[float]] = {name: [] for name in processes}
    stopping = False

    def forward(signum: int, frame: object) -> None:
        """Stop once, however many times the signal comes: systemd and Heroku signal the whole
        process group, so each child may already have its own SIGTERM (a second one would turn a
        graceful stop into a forced one)."""
        nonlocal stopping
        if stopping:
            return
        stopping = True
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    exit_code = 0
    try:
        while not stopping:
            time.sleep(0.5)
            for name, child in children.items():
                if child.poll() is None or stopping:
                    continue
                # A child that dies (Redis gone for a while, a crash) is restarted, as a platform
                # would; one that keeps dying stops everything, with its exit code.
                recent = [t for t in restarts[name] if time.monotonic() - t < RESTART_WINDOW]
                if len(recent) >= MAX_RESTARTS:
                    log.error("%s keeps exiting (%s); stopping the others", name, child.returncode)
                    exit_code = child.returncode or 1
                    stopping = True
                    break
                log.warning("%s exited with %s; restarting it", name, child.returncode)
                restarts[name] = [*recent, time.monotonic()]
                time.sleep(1)
                children[name] = start(name)
    finally:
        forward(signal.SIGTERM, None)
        _wait_or_kill(children.values(), deadline=time.monotonic() + STOP_WITHIN)
        if server is not None:
            server.stop()  # the children are gone: persist and stop
    return exit_code


def _wait_or_kill(children: Iterable[subprocess.Popen[bytes]], *, deadline: float) -> None:
    """Wait for the children until `deadline`, then SIGKILL the rest: work they had in flight is
    requeued by the clock's sweep, as after any crash."""
    for child in children:
        try:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log.warning("pid %d did not stop in time; killing it", child.pid)
            child.kill()
            child.wait()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.app.supervisor", description=__doc__)
    parser.add_argument("--embedded-redis", type=Path, metavar="DATA_DIR", help="start Redis here")
    parser.add_argument("--log-json", action="store_true", help="log JSON lines")
    parser.add_argument("--stream", action="store_true", help="run `parley stream` too")
    args = parser.parse_args(argv)
    configure_logging(json_lines=args.log_json)
    return supervise(dict(os.environ), args.embedded_redis, stream=args.stream)


if __name__ == "__main__":
    sys.exit(main())

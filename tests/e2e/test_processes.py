"""The real processes: `parley web` over HTTP, `parley run` with its embedded Redis, `parley doctor`."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from demo.sandbox import CHANNEL, Sandbox
from tests.e2e.conftest import card_of, forwarded, mention_and_deliver


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=1) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


@contextmanager
def parley(command: str, env: dict[str, str], *, port: int) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """A real `parley <command>` process, healthy on `port`; its log goes to a file, not a pipe
    (a pipe nobody reads would fill up and block it)."""
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR", "PARLEY_DATA_DIR")}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.app.cli", command],
            env={**base, **env, "PORT": str(port)},
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 20
            while not healthy(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise AssertionError(f"parley {command} did not start: {log.read().decode()[-2000:]}")
                time.sleep(0.1)
            yield process, url
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def children_of(pid: int) -> dict[str, int]:
    """The `parley run` children by command (web, and worker with the clock), read from /proc."""
    found: dict[str, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid and b"bot.app.cli" in argv:
            found[argv[argv.index(b"bot.app.cli") + 1].decode()] = int(entry.name)
    return found


def test_parley_web_answers_health_checks_refuses_forgeries_and_takes_clicks(
    sandbox: Sandbox, redis_url: str
) -> None:
    card = card_of(sandbox, mention_and_deliver(sandbox))
    env = {**sandbox.environment(), "REDIS_URL": redis_url}
    with parley("web", env, port=free_port()) as (_, url):
        click = sandbox.slack.click_request(card, "Approve", user="U_MARIA")
        assert click.tampered().send(url).status == 401
        answer = click.send(url)
        assert answer.status == 200 and answer.elapsed < 3
    sandbox.drain()
    assert len(sandbox.x.posted) == 1


def test_parley_run_keeps_its_embedded_redis_across_a_restart(sandbox: Sandbox, tmp_path: Path) -> None:
    env = {k: v for k, v in sandbox.environment().items() if k != "REDIS_URL"} | {
        "PARLEY_DATA_DIR": str(tmp_path),
        "PARLEY_POLL_INTERVAL": "1",
    }
    sandbox.x.add_mention("@parleybrand first question?", author_handle="ann")
    with parley("run", env, port=free_port()):
        sandbox.slack.wait_for(lambda: len(sandbox.slack.messages(CHANNEL)) == 1, timeout=20)
        parent = forwarded(sandbox)[0]
        sandbox.slack.wait_for(lambda: len(sandbox.slack.thread(CHANNEL, parent.ts)) == 1, timeout=20)
    assert (tmp_path / "parley.rdb").exists() or any(tmp_path.iterdir())

    sandbox.x.add_mention("@parleybrand second question?", author_handle="bo")
    with parley("run", env, port=free_port()) as (_, url):
        sandbox.slack.wait_for(lambda: len(sandbox.slack.messages(CHANNEL)) == 2, timeout=20)
        time.sleep(2.5)  # two more polls: the first mention must not come back
        assert len(sandbox.slack.messages(CHANNEL)) == 2
        # The card posted before the restart still works against the restarted process.
        answer = sandbox.slack.click(url, card_of(sandbox, parent), "Approve", user="U_MARIA")
        assert answer.status == 200
        sandbox.x.wait_for(lambda: len(sandbox.x.posted) == 1, timeout=20)


def test_doctor_explains_what_is_missing(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.app.cli", "doctor"],
        env={"PATH": os.environ.get("PATH", ""), "PARLEY_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "SLACK_BOT_TOKEN" in result.stdout and "PARLEY_CHANNEL" in result.stdout


def test_doctor_reaches_every_configured_service(sandbox: Sandbox, redis_url: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.app.cli", "doctor"],
        env={"PATH": os.environ.get("PATH", ""), **sandbox.environment(), "REDIS_URL": redis_url},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    assert "x: X account" in result.stdout and "slack: connected" in result.stdout


def doctor(env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "bot.app.cli", "doctor"],
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result.stdout + result.stderr


def test_doctor_says_where_the_embedded_redis_keeps_the_data(tmp_path: Path) -> None:
    assert f"data: {tmp_path.resolve()} (embedded Redis)" in doctor({"PARLEY_DATA_DIR": str(tmp_path)})


def test_doctor_names_an_external_redis_without_its_password(redis_url: str) -> None:
    host = redis_url.split("://", 1)[1].rpartition("@")[2]
    output = doctor({"REDIS_URL": f"redis://:hunter2@{host}"})
    assert f"data: external Redis at redis://:***@{host}" in output
    assert "hunter2" not in output


@pytest.mark.parametrize("command", ["web", "worker", "clock", "run"])
def test_processes_refuse_to_start_misconfigured(command: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.app.cli", command],
        env={"PATH": os.environ.get("PATH", ""), "SLACK_BOT_TOKEN": "xoxp-wrong"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "xoxb-" in result.stderr and "parley doctor" in result.stderr


def test_parley_run_restarts_a_child_that_dies(sandbox: Sandbox, tmp_path: Path) -> None:
    env = {k: v for k, v in sandbox.environment().items() if k != "REDIS_URL"}
    env |= {"PARLEY_DATA_DIR": str(tmp_path), "PARLEY_POLL_INTERVAL": "1"}
    with parley("run", env, port=free_port()) as (run, _):
        worker = children_of(run.pid)["worker"]
        os.kill(worker, signal.SIGKILL)
        sandbox.x.add_mention("@parleybrand anyone there?", author_handle="ann")
        # If the worker died inside a poll, its poll lease (20 s here) must pass first.
        sandbox.slack.wait_for(lambda: len(sandbox.slack.messages(CHANNEL)) == 1, timeout=60)
        assert children_of(run.pid)["worker"] != worker


def test_two_workers_on_one_host_each_serve_their_metrics(redis_url: str, tmp_path: Path) -> None:
    """Scaling out on one host: a second worker with the same PARLEY_WORKER_METRICS_PORT takes the
    next free port instead of dying with "Address already in use" (issue 11, #12)."""
    first = free_port()
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    env = {
        **base,
        "REDIS_URL": redis_url,
        "PARLEY_WORKER_METRICS_PORT": str(first),
        "PARLEY_DATA_DIR": str(tmp_path),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "secret",
        "PARLEY_CHANNEL": "C_SOCIAL",
        "SLACK_API_URL": "http://127.0.0.1:9/api/",  # nothing is sent: no job is queued
    }
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "bot.app.cli", "worker"], env=env, stdout=subprocess.DEVNULL, stderr=log
        )
        for log in (open(tmp_path / "w1.log", "wb"), open(tmp_path / "w2.log", "wb"))  # noqa: SIM115
    ]
    try:
        serving: set[int] = set()
        deadline = time.monotonic() + 20
        while len(serving) < 2 and time.monotonic() < deadline:
            assert all(w.poll() is None for w in workers), (tmp_path / "w2.log").read_text()[-2000:]
            for port in range(first, first + 4):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=1) as answer:
                        if b"parley_" in answer.read():
                            serving.add(port)
                except OSError:
                    pass
            time.sleep(0.2)
        assert len(serving) == 2 and all(w.poll() is None for w in workers)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("embedded", [False, True], ids=["external-redis", "embedded-redis"])
def test_parley_run_stops_within_10_s_when_the_whole_group_gets_sigterm(
    sandbox: Sandbox, redis_url: str, tmp_path: Path, embedded: bool
) -> None:
    """systemd and Heroku signal the whole process group at once (issue 11, #7)."""
    env = sandbox.environment() | {"PARLEY_DATA_DIR": str(tmp_path), "PORT": str(free_port())}
    if embedded:
        env.pop("REDIS_URL", None)
    else:
        env["REDIS_URL"] = redis_url
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    with open(tmp_path / "run.log", "wb") as log:
        run = subprocess.Popen(
            [sys.executable, "-m", "bot.app.cli", "run"],
            env=base | env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,  # its own process group, as under systemd
        )
    try:
        deadline = time.monotonic() + 30
        while not (healthy(f"http://127.0.0.1:{env['PORT']}") and len(children_of(run.pid)) == 2):
            assert run.poll() is None and time.monotonic() < deadline, (tmp_path / "run.log").read_text()[
                -2000:
            ]
            time.sleep(0.2)
        names = {run.pid: "run", **{pid: name for name, pid in children_of(run.pid).items()}}
        pids = list(names)

        os.killpg(run.pid, signal.SIGTERM)
        run.wait(timeout=15)  # systemd's TimeoutStopSec for `parley run` (deploy/parley.service)

        still = [names[p] for p in pids if _alive(p)]
        assert still == [], (
            f"still running once `parley run` ended: {still}\n" + (tmp_path / "run.log").read_text()[-3000:]
        )
        assert run.returncode == 0
        assert (
            "restarting" not in (tmp_path / "run.log").read_text()
        )  # nothing stopping on purpose is restarted
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(run.pid, signal.SIGKILL)


def test_an_idle_worker_stops_within_seconds_of_sigterm(
    sandbox: Sandbox, redis_url: str, tmp_path: Path
) -> None:
    """rq's pub/sub listener thread could hold a worker's SIGTERM for 60 s; Parley's worker has none."""
    from rq import Worker

    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    env = base | sandbox.environment() | {"REDIS_URL": redis_url, "PARLEY_DATA_DIR": str(tmp_path)}
    with open(tmp_path / "worker.log", "wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "bot.app.cli", "worker"], env=env, stdout=subprocess.DEVNULL, stderr=log
        )
    try:
        sandbox.slack.wait_for(lambda: bool(Worker.all(connection=sandbox.redis)), timeout=20)
        time.sleep(0.5)  # idle, waiting for a job
        worker.send_signal(signal.SIGTERM)
        # rq's pub/sub thread held SIGTERM for 60 s; a clean stop well before is what counts here
        assert worker.wait(timeout=20) == 0
    finally:
        if worker.poll() is None:
            worker.kill()

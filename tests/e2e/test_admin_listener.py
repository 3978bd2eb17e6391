"""The admin listener: `/metrics` and `/healthz` on PARLEY_ADMIN_PORT, bound to 127.0.0.1, in HTTP mode
and in Socket Mode; the public $PORT keeps `/healthz` for platforms' health checks but not `/metrics`."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

from demo.sandbox import Sandbox
from tests.e2e.conftest import mention_and_deliver
from tests.e2e.test_processes import free_port, parley
from tests.e2e.test_socket_mode import parley_socket_mode


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return int(answer.status), answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def listening_addresses(pid: int, port: int) -> set[str]:
    """The local IPv4 addresses listened on at `port` in the network namespace of `pid` (Linux /proc)."""
    found = set()
    for line in (Path("/proc") / str(pid) / "net" / "tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, _, hex_port = local.partition(":")
        if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
            found.add(".".join(str(int(address[i : i + 2], 16)) for i in (6, 4, 2, 0)))
    return found


def test_http_mode_serves_metrics_only_on_the_local_admin_port(sandbox: Sandbox, redis_url: str) -> None:
    mention_and_deliver(sandbox)
    admin_port = free_port()
    env = {**sandbox.environment(), "REDIS_URL": redis_url, "PARLEY_ADMIN_PORT": str(admin_port)}
    with parley("web", env, port=free_port()) as (web, url):
        assert get(url + "/healthz")[0] == 200  # platforms' health checks
        assert get(url + "/metrics")[0] == 404  # never on the public listener

        status, metrics = get(f"http://127.0.0.1:{admin_port}/metrics")
        assert status == 200 and 'parley_open_cases{state="drafted"} 1.0' in metrics
        assert "# TYPE parley_api_calls_total counter" in metrics
        assert get(f"http://127.0.0.1:{admin_port}/healthz") == (200, '{"ok": true}')
        assert get(f"http://127.0.0.1:{admin_port}/slack/events")[0] == 404
        assert listening_addresses(web.pid, admin_port) == {"127.0.0.1"}


def test_socket_mode_serves_healthz_and_metrics_on_the_admin_port(sandbox: Sandbox, redis_url: str) -> None:
    mention_and_deliver(sandbox)
    admin_port = free_port()
    sandbox.extra_env["PARLEY_ADMIN_PORT"] = str(admin_port)
    with parley_socket_mode(sandbox, redis_url) as web:
        assert get(f"http://127.0.0.1:{admin_port}/healthz") == (200, '{"ok": true}')
        status, metrics = get(f"http://127.0.0.1:{admin_port}/metrics")
        assert status == 200 and 'parley_open_cases{state="drafted"} 1.0' in metrics
        assert listening_addresses(web.pid, admin_port) == {"127.0.0.1"}


def test_the_admin_host_can_be_opened_on_purpose(sandbox: Sandbox, redis_url: str) -> None:
    admin_port = free_port()
    env = {
        **sandbox.environment(),
        "REDIS_URL": redis_url,
        "PARLEY_ADMIN_PORT": str(admin_port),
        "PARLEY_ADMIN_HOST": "0.0.0.0",
    }
    with parley("web", env, port=free_port()) as (web, _):
        assert listening_addresses(web.pid, admin_port) == {"0.0.0.0"}

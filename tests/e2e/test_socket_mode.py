"""Socket Mode end to end: the real `parley web` process with SLACK_APP_TOKEN set connects to the
Slack emulator's Socket Mode endpoint; clicks and slash commands arrive as envelopes over the
WebSocket and the process acknowledges them there."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from demo.sandbox import CHANNEL, Sandbox
from emulators.slack import SlackEmulator
from emulators.socket_mode import websocket_accept
from tests.e2e.conftest import card_of, mention_and_deliver

APP_TOKEN = "xapp-1-A0PARLEY-1-test"


@contextmanager
def parley_socket_mode(sandbox: Sandbox, redis_url: str) -> Iterator[subprocess.Popen[bytes]]:
    """`parley web` in Socket Mode, connected to the emulator; its log goes to a file."""
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR", "PARLEY_DATA_DIR")}
    env = {**base, **sandbox.environment(), "REDIS_URL": redis_url, "SLACK_APP_TOKEN": APP_TOKEN}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.app.cli", "web"], env=env, stdout=subprocess.DEVNULL, stderr=log
        )
        try:
            deadline = time.monotonic() + 20
            while sandbox.slack.socket_mode.connections == 0:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise AssertionError(f"parley web did not connect: {log.read().decode()[-2000:]}")
                time.sleep(0.05)
            yield process
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_parley_web_in_socket_mode_acks_clicks_and_slash_commands(sandbox: Sandbox, redis_url: str) -> None:
    parent = mention_and_deliver(sandbox, "@parleybrand where is my parcel?")
    card = card_of(sandbox, parent)
    server = sandbox.slack.socket_mode
    with parley_socket_mode(sandbox, redis_url) as web:
        opened = sandbox.slack.requests_to(r"/api/apps\.connections\.open$")
        assert opened and opened[0].header("Authorization") == f"Bearer {APP_TOKEN}"
        assert server.connections == 1

        command = sandbox.slack.slash_command_request("queue", user="U_LUCA").payload
        queue_ack = server.wait_for_ack(server.socket_send("slash_commands", command), timeout=3)
        assert queue_ack.in_time and queue_ack.payload is not None
        shown = json.dumps(queue_ack.payload)
        assert "1 open case" in shown and "where is my parcel?" in shown

        click = sandbox.slack.click_request(card, "Approve", user="U_MARIA").payload
        envelope_id = server.socket_send("interactive", click)
        ack = server.wait_for_ack(envelope_id, timeout=3)
        assert ack.in_time and ack.envelope_id == envelope_id

        # The listener enqueues the post just after the ack; run the worker until it has.
        deadline = time.monotonic() + 5
        while not sandbox.x.posted and time.monotonic() < deadline:
            sandbox.drain()
            time.sleep(0.05)
    assert web.returncode == 0  # SIGTERM: closed the connection and exited cleanly
    sandbox.drain()

    assert len(sandbox.x.posted) == 1
    assert "Posted by <@U_MARIA>" in sandbox.slack.message(CHANNEL, parent.ts).all_text()
    assert [a.envelope_id for a in server.acks] == [e.envelope_id for e in server.envelopes]


def test_apps_connections_open_takes_only_app_level_tokens() -> None:
    with SlackEmulator() as slack:
        api = slack.url + "/api/"
        url = WebClient(base_url=api).apps_connections_open(app_token="xapp-anything")["url"]
        assert url.startswith(f"{slack.socket_mode.url}/link/?ticket=")
        for token, error in (("xoxb-test", "not_allowed_token_type"), ("nonsense", "invalid_auth")):
            with pytest.raises(SlackApiError) as refused:
                WebClient(base_url=api).apps_connections_open(app_token=token)
            assert refused.value.response["error"] == error
        with pytest.raises(SlackApiError) as wrong_method:
            WebClient(token="xapp-anything", base_url=api).auth_test()
        assert wrong_method.value.response["error"] == "not_allowed_token_type"


def _handshake(url: str) -> tuple[socket.socket, str]:
    address, _, target = url.removeprefix("ws://").partition("/")
    host, _, port = address.partition(":")
    sock = socket.create_connection((host, int(port)), timeout=3)
    key = "dGhlIHNhbXBsZSBub25jZQ=="
    sock.sendall(
        f"GET /{target} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(1)
    return sock, head.decode()


def test_the_socket_mode_endpoint_speaks_rfc_6455() -> None:
    assert websocket_accept("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="  # RFC 6455 §1.3
    with SlackEmulator() as slack:
        url = slack.socket_mode.open_url()
        sock, head = _handshake(url)
        with sock:
            assert head.startswith("HTTP/1.1 101") and "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" in head
            first = _recv_exact(sock, 2)
            assert first[0] == 0x81 and first[1] == 126  # FIN + text, unmasked, 16-bit length
            hello = json.loads(_recv_exact(sock, int.from_bytes(_recv_exact(sock, 2), "big")))
            assert hello["type"] == "hello" and hello["num_connections"] == 1
            sock.sendall(bytes([0x81, 2]) + b"{}")  # an unmasked client frame: protocol error
            close = _recv_exact(sock, 4)
            assert close[0] == 0x88 and int.from_bytes(close[2:4], "big") == 1002
        again, refused = _handshake(url)  # tickets work once
        with again:
            assert refused.startswith("HTTP/1.1 401")


def _recv_exact(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        assert chunk, "connection closed"
        data += chunk
    return data

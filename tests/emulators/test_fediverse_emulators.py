"""The Bluesky and Mastodon emulators on the wire: what a client that is not our SDK would see."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
import requests

from emulators.bluesky import BlueskyEmulator
from emulators.mastodon import MastodonEmulator


@pytest.fixture
def bluesky() -> Iterator[BlueskyEmulator]:
    with BlueskyEmulator() as emulator:
        yield emulator


@pytest.fixture
def mastodon() -> Iterator[MastodonEmulator]:
    with MastodonEmulator() as emulator:
        yield emulator


def _session(bluesky: BlueskyEmulator) -> dict[str, str]:
    answer = requests.post(
        f"{bluesky.url}/xrpc/com.atproto.server.createSession",
        json={"identifier": bluesky.brand.handle, "password": bluesky.app_password},
        timeout=5,
    )
    assert answer.status_code == 200 and answer.headers["ratelimit-policy"] == "3000;w=300"
    return {"Authorization": f"Bearer {answer.json()['accessJwt']}"}


def test_bluesky_checks_graphemes_facets_and_tokens(bluesky: BlueskyEmulator) -> None:
    auth = _session(bluesky)
    url = f"{bluesky.url}/xrpc/com.atproto.repo.createRecord"

    def create(record: dict[str, object]) -> requests.Response:
        body = {"repo": bluesky.brand.did, "collection": "app.bsky.feed.post", "record": record}
        return requests.post(url, json=body, headers=auth, timeout=5)

    at = "2026-01-01T00:00:00Z"
    assert create({"text": "👍🏽" * 300, "createdAt": at}).status_code == 200
    too_long = create({"text": "👍🏽" * 301, "createdAt": at})
    assert too_long.status_code == 400 and "300 graphemes" in too_long.json()["message"]
    facet = {"index": {"byteStart": 0, "byteEnd": 99}, "features": []}
    assert create({"text": "short", "createdAt": at, "facets": [facet]}).status_code == 400
    stale = requests.get(
        f"{bluesky.url}/xrpc/com.atproto.server.getSession", headers={"Authorization": "Bearer x"}, timeout=5
    )
    assert stale.status_code == 400 and stale.json()["error"] == "ExpiredToken"


def test_jetstream_upgrades_and_filters_by_collection(bluesky: BlueskyEmulator) -> None:
    host, port = bluesky.jetstream_url.removeprefix("ws://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(
            b"GET /subscribe?wantedCollections=app.bsky.feed.post HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
            b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        head = sock.recv(4096)
        assert head.startswith(b"HTTP/1.1 101") and b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" in head
        bluesky.jetstream.wait_for_clients(1)
        bluesky.add_post("hello stream")
        frame = sock.recv(65536)
        assert (
            frame[0] == 0x81 and b'"collection": "app.bsky.feed.post"' in frame and b"hello stream" in frame
        )


def test_mastodon_limits_idempotency_and_direct_visibility(mastodon: MastodonEmulator) -> None:
    auth = {"Authorization": f"Bearer {mastodon.access_token}"}
    url = f"{mastodon.url}/api/v1/statuses"
    link = "https://example.com/" + "a" * 600
    assert (
        requests.post(url, data={"status": "x" * 476 + " " + link}, headers=auth, timeout=5).status_code
        == 200
    )
    over = requests.post(url, data={"status": "x" * 501}, headers=auth, timeout=5)
    assert over.status_code == 422 and "character limit of 500" in over.json()["error"]
    keyed = {**auth, "Idempotency-Key": "k"}
    first = requests.post(url, data={"status": "once"}, headers=keyed, timeout=5).json()
    assert requests.post(url, data={"status": "once"}, headers=keyed, timeout=5).json()["id"] == first["id"]
    secret = mastodon.add_status("@bob@social.example psst", visibility="direct")
    assert requests.get(f"{url}/{secret.id}", headers=auth, timeout=5).status_code == 404
    assert (
        int(requests.get(f"{url}/{first['id']}", headers=auth, timeout=5).headers["X-RateLimit-Remaining"])
        < 300
    )


def test_mastodon_streams_server_sent_events(mastodon: MastodonEmulator) -> None:
    stream = requests.get(
        mastodon.streaming.url + "/api/v1/streaming/user",
        headers={"Authorization": f"Bearer {mastodon.access_token}"},
        stream=True,
        timeout=5,
    )
    assert stream.status_code == 200 and stream.headers["Content-Type"] == "text/event-stream"
    lines = stream.iter_lines(decode_unicode=True)
    assert next(lines) == ":)"
    mastodon.add_status("@parleybrand hello")
    seen = [line for line, _ in zip(lines, range(20), strict=False) if line.startswith(("event:", "data:"))][
        :2
    ]
    assert seen[0] == "event: notification" and '"type": "mention"' in seen[1]
    stream.close()
    refused = requests.get(mastodon.streaming.url + "/api/v1/streaming/user", timeout=5)
    assert refused.status_code == 401


def test_jetstream_drops_a_client_that_sends_a_broken_frame(bluesky: BlueskyEmulator) -> None:
    host, port = bluesky.jetstream_url.removeprefix("ws://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(
            b"GET /subscribe?wantedCollections=app.bsky.feed.post HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
            b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        assert sock.recv(4096).startswith(b"HTTP/1.1 101")
        bluesky.jetstream.wait_for_clients(1)
        sock.sendall(b"\x81\x05hello")  # a client frame must be masked: a protocol error
        assert sock.recv(65536) == b""  # the emulator hangs up on it (its thread does not crash)

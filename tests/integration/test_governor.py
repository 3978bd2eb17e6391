"""The Slack send governor against a real Redis (REDIS_URL, or 127.0.0.1:6379 db 8, flushed)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import redis
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.adapters import keys
from bot.adapters.governor import SendGovernor, retry_after_of


class FakeClock:
    """A clock the test moves by hand; safe to read from several threads."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds


@pytest.fixture
def r(redis_client: redis.Redis) -> redis.Redis:
    """The shared real-Redis fixture (tests/conftest.py): REDIS_URL, else db 15, flushed per test."""
    return redis_client


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_burst_then_one_per_second(r: redis.Redis, clock: FakeClock) -> None:
    gov = SendGovernor(r, rate_per_second=1.0, burst=3, clock=clock)

    assert [gov.reserve("C1") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert gov.reserve("C1") == pytest.approx(1.0)
    assert gov.reserve("C1") == pytest.approx(1.0)  # a refusal takes nothing
    clock.advance(0.4)
    assert gov.reserve("C1") == pytest.approx(0.6)
    clock.advance(0.6)
    assert gov.reserve("C1") == 0.0
    assert gov.reserve("C1") == pytest.approx(1.0)
    clock.advance(1.0)
    assert gov.reserve("C1") == 0.0

    clock.advance(60)  # a quiet spell refills the burst, never more
    assert [gov.reserve("C1") for _ in range(4)] == [0.0, 0.0, 0.0, pytest.approx(1.0)]


def test_channels_are_independent(r: redis.Redis, clock: FakeClock) -> None:
    gov = SendGovernor(r, clock=clock)
    for _ in range(3):
        gov.reserve("C1")
    assert gov.reserve("C1") > 0
    assert [gov.reserve("C2") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert gov.reserve("C2") == pytest.approx(1.0)


def test_workspace_cap_across_channels(r: redis.Redis, clock: FakeClock) -> None:
    gov = SendGovernor(r, workspace_per_minute=300, workspace_burst=20, clock=clock)

    assert all(gov.reserve(f"C{i}") == 0.0 for i in range(20))
    assert gov.reserve("C-fresh") == pytest.approx(0.2)  # 300/min = one every 0.2 s
    clock.advance(0.2)
    assert gov.reserve("C-fresh") == 0.0
    assert gov.reserve("C-other") == pytest.approx(0.2)


def test_wait_is_the_longer_of_channel_and_workspace(r: redis.Redis, clock: FakeClock) -> None:
    gov = SendGovernor(r, burst=1, workspace_per_minute=30, workspace_burst=1, clock=clock)
    assert gov.reserve("C1") == 0.0
    assert gov.reserve("C1") == pytest.approx(2.0)  # the channel would allow one after 1 s
    assert gov.reserve("C2") == pytest.approx(2.0)


def test_penalise_one_channel(r: redis.Redis, clock: FakeClock) -> None:
    gov = SendGovernor(r, clock=clock)
    gov.penalise("C1", 30)

    assert gov.reserve("C1") == pytest.approx(30.0)
    assert gov.reserve("C2") == 0.0
    clock.advance(29.5)
    assert gov.reserve("C1") == pytest.approx(0.5)
    clock.advance(0.5)
    assert gov.reserve("C1") == 0.0
    assert gov.reserve("C1") == pytest.approx(1.0)  # back at the steady rate, no burst


def test_penalise_everyone(r: redis.Redis, clock: FakeClock) -> None:
    gov = SendGovernor(r, clock=clock)
    gov.penalise(None, 10)

    assert gov.reserve("C1") == pytest.approx(10.0)
    assert gov.reserve("C2") == pytest.approx(10.0)
    clock.advance(10)
    assert gov.reserve("C1") == 0.0
    assert gov.reserve("C2") == pytest.approx(0.2)  # the workspace resumes at its steady rate


def test_penalise_never_shortens_a_block(r: redis.Redis, clock: FakeClock) -> None:
    gov = SendGovernor(r, clock=clock)
    gov.penalise("C1", 30)
    gov.penalise("C1", 5)
    gov.penalise("C1", 0)
    gov.penalise("C1", float("nan"))
    assert gov.reserve("C1") == pytest.approx(30.0)
    gov.penalise("C1", 60)
    assert gov.reserve("C1") == pytest.approx(60.0)


def test_penalty_is_seen_by_another_process(
    r: redis.Redis, other_client: redis.Redis, clock: FakeClock
) -> None:
    SendGovernor(r, clock=clock).penalise("C1", 7)
    assert SendGovernor(other_client, clock=clock).reserve("C1") == pytest.approx(7.0)


@pytest.fixture
def other_client(redis_url: str) -> Iterator[redis.Redis]:
    """A second client with its own connection pool and decoded replies: another process."""
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    yield client
    client.close()


def test_keys_expire_once_the_bucket_would_be_full(r: redis.Redis) -> None:
    gov = SendGovernor(r, rate_per_second=10.0, burst=1, workspace_per_minute=600, workspace_burst=1)
    assert gov.reserve("C1") == 0.0
    channel_key = keys.slack_send_channel("C1")
    assert 0 < r.pttl(channel_key) <= 1100
    assert 0 < r.pttl(keys.SLACK_SEND_WORKSPACE) <= 1100
    time.sleep(1.3)
    assert r.exists(channel_key, keys.SLACK_SEND_WORKSPACE) == 0
    assert gov.reserve("C1") == 0.0  # a missing key is a full bucket


def _hammer(
    governors: list[SendGovernor], channels: list[str], clock: FakeClock, *, window: float, step: float
) -> int:
    """Threads call reserve as fast as they can while the clock moves through `window` seconds."""
    granted = 0
    count_lock = threading.Lock()
    stop = threading.Event()
    errors: list[BaseException] = []

    def worker(gov: SendGovernor, offset: int) -> None:
        nonlocal granted
        i = offset
        try:
            while not stop.is_set():
                if gov.reserve(channels[i % len(channels)]) == 0.0:
                    with count_lock:
                        granted += 1
                i += 1
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(gov, n)) for gov in governors for n in range(4)]
    for thread in threads:
        thread.start()
    end = clock() + window
    try:
        while clock() < end - 1e-9:
            time.sleep(0.001)
            clock.advance(step)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert not errors
    return granted


def test_two_processes_never_exceed_the_channel_rate(
    r: redis.Redis, other_client: redis.Redis, clock: FakeClock
) -> None:
    first = SendGovernor(r, rate_per_second=1.0, burst=3, clock=clock)
    second = SendGovernor(other_client, rate_per_second=1.0, burst=3, clock=clock)

    window = 20.0
    granted = _hammer([first, second], ["C1"], clock, window=window, step=0.02)

    assert granted <= 3 + 1.0 * window
    assert granted >= 0.8 * window  # and it is not simply refusing everything


def test_two_processes_never_exceed_the_workspace_rate(
    r: redis.Redis, other_client: redis.Redis, clock: FakeClock
) -> None:
    first = SendGovernor(r, workspace_per_minute=120.0, workspace_burst=5, clock=clock)
    second = SendGovernor(other_client, workspace_per_minute=120.0, workspace_burst=5, clock=clock)

    window = 10.0
    granted = _hammer([first, second], [f"C{i}" for i in range(50)], clock, window=window, step=0.01)

    assert granted <= 5 + 2.0 * window
    assert granted >= 0.8 * 2.0 * window


def _slack_error(status: int, headers: dict[str, object]) -> SlackApiError:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.com/api/chat.postMessage",
        req_args={},
        data={"ok": False, "error": "ratelimited"},
        headers=headers,
        status_code=status,
    )
    return SlackApiError("ratelimited", response)  # type: ignore[no-untyped-call]


def test_retry_after_of_a_slack_429() -> None:
    assert retry_after_of(_slack_error(429, {"Retry-After": "12"})) == 12.0
    assert retry_after_of(_slack_error(429, {"retry-after": ["3"]})) == 3.0
    assert retry_after_of(_slack_error(429, {})) == 1.0
    assert retry_after_of(_slack_error(429, {"Retry-After": "soon"}), default=5.0) == 5.0
    assert retry_after_of(ValueError("no response")) == 1.0

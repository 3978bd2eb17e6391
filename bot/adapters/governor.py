"""A Slack send governor shared by every process: token buckets in Redis, updated by Lua scripts.

Slack allows about one ``chat.postMessage`` per second per channel (short bursts tolerated) and a
few hundred per minute per workspace, counted across *all* of Parley's processes. So the buckets
live in Redis and each check-and-take is one Lua script (atomic on the server): any number of
workers on any number of hosts share them.

* One bucket per channel (``rate_per_second``, capacity ``burst``) and one for the workspace
  (``workspace_per_minute``, capacity ``workspace_burst``). A message needs a token from both.
* :meth:`SendGovernor.reserve` takes a token from both buckets and returns ``0.0``, or takes
  nothing and returns how many seconds until one would be there. It never sleeps.
* :meth:`SendGovernor.penalise` applies a Slack 429's ``Retry-After`` to one channel, or to the
  whole workspace when the channel is ``None``: every process then waits it out, and afterwards
  sends at the steady rate (one token, no burst) rather than all at once.
* Each bucket is a hash ``{tokens, ts}`` whose TTL is the time it needs to refill; a missing key is
  a full bucket, so an idle channel costs no memory.

How to use it (design note)
    A worker that gets a wait > 0 must not sleep: it reschedules its job, e.g.
    ``queue.enqueue_in(timedelta(seconds=wait + jitter), ...)`` (rq), and returns, so workers stay
    free for other channels. The Slack acknowledgement path (Bolt listeners) never calls the
    governor and never sleeps: it only enqueues. When a call still gets a 429, call
    ``penalise(channel, retry_after_of(error))`` (``None`` for a workspace-wide limit) and
    reschedule the same way. A token is spent when reserved, so reserve immediately before the
    call it pays for, once per ``chat.postMessage``.

Simplifications: one workspace per Redis database (the workspace bucket has a fixed key); times
come from ``clock`` (``time.time`` by default) on each host, so hosts should keep NTP time: a
host whose clock runs behind only ever waits longer, never sends early.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from typing import Any

import redis

from bot.adapters import keys
from bot.domain.text import as_text

Clock = Callable[[], float]

# Shared by both scripts: read a bucket as of max(now, ts), and write it back with a TTL equal to
# the time it needs to be full again (a missing key reads as a full bucket).
_LUA_BUCKET = """
local function level(key, now, rate, burst)
  local v = redis.call('HMGET', key, 'tokens', 'ts')
  local tokens, ts = tonumber(v[1]), tonumber(v[2])
  if tokens == nil or ts == nil then
    return burst, now
  end
  if now > ts then
    tokens = math.min(burst, tokens + (now - ts) * rate)
    ts = now
  end
  return tokens, ts
end

local function save(key, tokens, ts, now, rate, burst)
  local full_in = (ts - now) + (burst - tokens) / rate
  redis.call('HSET', key, 'tokens', string.format('%.17g', tokens), 'ts', string.format('%.17g', ts))
  redis.call('PEXPIRE', key, math.ceil(full_in * 1000) + 1000)
end
"""

# KEYS: channel bucket, workspace bucket. ARGV: now, channel rate, burst, workspace rate, burst.
# Returns the wait in seconds as a string ("0" when a token was taken from both buckets).
_RESERVE = (
    _LUA_BUCKET
    + """
local EPS = 1e-6  -- float error from adding up small refills is not a missing token
local function wait_for(tokens, ts, now, rate)
  local wait = math.max(0, ts - now)
  if tokens < 1 - EPS then
    wait = wait + (1 - tokens) / rate
  end
  return wait
end

local now = tonumber(ARGV[1])
local crate, cburst = tonumber(ARGV[2]), tonumber(ARGV[3])
local wrate, wburst = tonumber(ARGV[4]), tonumber(ARGV[5])
local ct, cts = level(KEYS[1], now, crate, cburst)
local wt, wts = level(KEYS[2], now, wrate, wburst)
local wait = math.max(wait_for(ct, cts, now, crate), wait_for(wt, wts, now, wrate))
if wait > 0 then
  return string.format('%.17g', wait)
end
save(KEYS[1], math.max(0, ct - 1), cts, now, crate, cburst)
save(KEYS[2], math.max(0, wt - 1), wts, now, wrate, wburst)
return '0'
"""
)

# KEYS: the bucket to block. ARGV: now, until, rate, burst. The bucket holds at most one token,
# available at `until`; a longer block already in place is kept.
_PENALISE = (
    _LUA_BUCKET
    + """
local now, untl = tonumber(ARGV[1]), tonumber(ARGV[2])
local rate, burst = tonumber(ARGV[3]), tonumber(ARGV[4])
local tokens, ts = level(KEYS[1], now, rate, burst)
if ts >= untl then
  return 0
end
local at_until = math.min(burst, tokens + (untl - ts) * rate)
save(KEYS[1], math.min(1, at_until), untl, now, rate, burst)
return 1
"""
)


class SendGovernor:
    """Per-channel and workspace-wide token buckets for Slack sends, shared through Redis.

    Args:
        redis: The Redis client (any ``decode_responses`` setting).
        rate_per_second: Steady sends per second per channel.
        burst: Sends a quiet channel may make at once.
        workspace_per_minute: Steady sends per minute across the workspace.
        workspace_burst: Sends the workspace may make at once after a quiet spell.
        clock: Seconds since the epoch; injectable for tests.
    """

    def __init__(
        self,
        redis: redis.Redis,
        *,
        rate_per_second: float = 1.0,
        burst: int = 3,
        workspace_per_minute: float = 300.0,
        workspace_burst: int = 20,
        clock: Clock = time.time,
    ) -> None:
        if rate_per_second <= 0 or workspace_per_minute <= 0:
            raise ValueError("rates must be positive")
        if burst < 1 or workspace_burst < 1:
            raise ValueError("bursts must be at least 1")
        self.rate = float(rate_per_second)
        self.burst = int(burst)
        self.workspace_rate = float(workspace_per_minute) / 60.0
        self.workspace_burst = int(workspace_burst)
        self.clock = clock
        self._reserve = redis.register_script(_RESERVE)
        self._penalise = redis.register_script(_PENALISE)

    def reserve(self, channel: str) -> float:
        """Take a send token for ``channel`` now (returns 0.0), or return the seconds to wait.

        A positive answer takes nothing: call again after waiting (by rescheduling the job).
        """
        answer = self._reserve(
            keys=[keys.slack_send_channel(channel), keys.SLACK_SEND_WORKSPACE],
            args=[
                _num(self.clock()),
                _num(self.rate),
                self.burst,
                _num(self.workspace_rate),
                self.workspace_burst,
            ],
        )
        return float(as_text(answer))

    def penalise(self, channel: str | None, retry_after: float) -> None:
        """After a Slack 429: no sends to ``channel`` (or anywhere, when None) for ``retry_after`` s.

        Never shortens a block already in place; non-positive or non-finite values are ignored.
        """
        if not math.isfinite(retry_after) or retry_after <= 0:
            return
        now = self.clock()
        if channel is None:
            key, rate, burst = keys.SLACK_SEND_WORKSPACE, self.workspace_rate, self.workspace_burst
        else:
            key, rate, burst = keys.slack_send_channel(channel), self.rate, self.burst
        self._penalise(keys=[key], args=[_num(now), _num(now + retry_after), _num(rate), burst])


def retry_after_of(error: Exception, *, default: float = 1.0) -> float:
    """The ``Retry-After`` seconds of a Slack 429 (a ``SlackApiError``), or ``default``."""
    response: Any = getattr(error, "response", None)
    headers: Mapping[str, Any] = getattr(response, "headers", None) or {}
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) and value else value
            try:
                seconds = float(raw)
            except (TypeError, ValueError):
                return default
            return seconds if math.isfinite(seconds) and seconds > 0 else default
    return default


def _num(value: float) -> str:
    """A float for a Lua argument, exactly (repr round-trips)."""
    return repr(float(value))

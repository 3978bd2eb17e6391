"""Faults against real processes: `parley worker` / `parley clock` subprocesses, a real Redis, the emulators.

Each test ends with the two promises of docs/architecture.md ("Exactly once") checked on the
emulators themselves: no reply posted twice on X, no incoming post lost or forwarded twice in Slack.
The web app is the sandbox's (the same waitress + Bolt app as `parley web`), so approvals are
signed clicks; the jobs under test run in separate `parley worker` processes (a few set-up steps
drain the queue in this process, as `Sandbox.drain` does for the e2e tests).
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis

from bot.adapters import keys
from bot.domain import Case, State
from demo.sandbox import CHANNEL, Sandbox
from demo.subprocesses import Processes, RedisServer, wait_until
from emulators.slack import Message
from tests.faults.conftest import cards, case_id_of, delivered, parents, parley_env

pytestmark = pytest.mark.faults

TWEETS = r"^/2/tweets$"
POST_MESSAGE = r"/api/chat\.postMessage$"
LEASE = 2  # PARLEY_PUBLISH_LEASE: a dead worker's claim may be taken over after 2 s
FAST = {"PARLEY_PUBLISH_LEASE": str(LEASE), "PARLEY_UNDO_SECONDS": "0", "PARLEY_POLL_INTERVAL": "1"}


def tweet_posts(sb: Sandbox) -> int:
    """POST /2/tweets requests X received (refused ones included)."""
    return len(sb.x.requests_to(TWEETS, method="POST"))


def case_ids(sb: Sandbox) -> list[str]:
    """Every case Redis knows, open or closed."""
    return [i.decode() if isinstance(i, bytes) else str(i) for i in sb.redis.zrange(keys.ALL_CASES, 0, -1)]


def only_case(sb: Sandbox) -> Case:
    [case_id] = case_ids(sb)
    return sb.parley.store.require(case_id)


def _runs(sb: Sandbox, job_id: str, func: str) -> bool:
    job = sb.parley.queue.fetch_job(job_id)
    return job is not None and job.func_name == func


def mention_and_wait_for_card(
    sb: Sandbox, processes: Processes, text: str, *, author: str, clock: bool = False
) -> Message:
    """A new mention on X, polled (stored + delivery queued); a worker process forwards it.

    With `clock`, a running `parley clock` polls it; otherwise it is polled here, as the first
    tick of a clock would."""
    sb.x.add_mention(text, author_handle=author)
    if not clock:
        assert sb.poll().new == 1
    count = len(parents(sb)) + 1
    wait_until(lambda: delivered(sb, count), what="the mention forwarded with its card", processes=processes)
    return parents(sb)[-1]


def approve(sb: Sandbox, parent: Message, user: str = "U_MARIA") -> None:
    [card] = cards(sb, parent)
    answer = sb.slack.click(sb.app_url, card, "Approve", user=user)
    assert answer.status == 200 and answer.elapsed < 3


def assert_each_forwarded_once(sb: Sandbox, count: int) -> None:
    found = parents(sb)
    assert len(found) == count, [p.all_text()[:80] for p in found]
    for parent in found:
        assert len(cards(sb, parent)) == 1, f"thread of {parent.ts} has {len(cards(sb, parent))} cards"
    assert len({case_id_of(p) for p in found}) == count


def assert_each_reply_once(sb: Sandbox) -> None:
    texts = [(t.in_reply_to_tweet_id, t.text) for t in sb.x.posted]
    assert len(set(texts)) == len(texts), texts
    targets = [t.in_reply_to_tweet_id for t in sb.x.posted]
    assert len(set(targets)) == len(targets), f"a post was answered twice: {targets}"


# --- 1. kill -9 in the middle of posting ---------------------------------------------------------


def test_a_worker_killed_mid_post_is_verified_on_x_and_the_reply_recorded_once(
    redis_client: redis.Redis, redis_url: str, processes: Processes
) -> None:
    with Sandbox(redis_client, env=FAST) as sb:
        env = parley_env(sb, redis_url)
        doomed = processes.start("worker", env)
        parent = mention_and_wait_for_card(sb, processes, "@parleybrand where is my order?", author="ann")

        # The emulator sleeps *before* it handles the request: the worker is inside POST /2/tweets,
        # and X creates the tweet when the sleep ends, whether or not anyone is left to read the answer.
        sb.x.delay(TWEETS, 1.5, method="POST")
        approve(sb, parent)
        wait_until(
            lambda: tweet_posts(sb) == 1, what="the worker to send POST /2/tweets", processes=processes
        )
        doomed.kill()  # SIGKILL to the worker's process group: no handler, no finally
        assert sb.x.posted == []  # it really died before X answered
        wait_until(lambda: len(sb.x.posted) == 1, what="X to create the tweet after the client died")

        stuck = only_case(sb)
        assert stuck.state is State.PUBLISHING and stuck.reply is None and stuck.publish_attempts == 1
        assert stuck.publishing_since is not None

        replacement = processes.start("worker", env)
        # The clock's first tick queues a sweep; it must find the lease expired, so start it after.
        expiry = stuck.publishing_since + timedelta(seconds=LEASE, milliseconds=300)
        time.sleep(max(0.0, (expiry - datetime.now(UTC)).total_seconds()))
        processes.start("clock", env)

        wait_until(
            lambda: only_case(sb).state is State.POSTED,
            what="the sweeper's retry to record",
            processes=processes,
        )
        done = only_case(sb)
        assert done.reply is not None and done.reply.id == sb.x.posted[0].id
        assert done.publish_attempts == 2
        assert len(sb.x.posted) == 1 and tweet_posts(sb) == 1  # the second attempt looked, and did not post
        assert "already on x; not posting again" in replacement.output()
        wait_until(
            lambda: "Posted by" in sb.slack.message(CHANNEL, parent.ts).all_text(),
            what="the parent message to show the reply",
            processes=processes,
        )
        assert_each_forwarded_once(sb, 1)
        processes.stop_all()


# --- 2. Redis restarted mid-flow -----------------------------------------------------------------


def _snapshot(sb: Sandbox) -> tuple[dict[str, State], list[str]]:
    """Every case with its state, and the ids of the jobs waiting in the queue."""
    states = {case_id: sb.parley.store.require(case_id).state for case_id in case_ids(sb)}
    return states, list(sb.parley.queue.get_job_ids())


def test_a_redis_restart_loses_no_case_and_no_queued_job_and_posts_nothing_twice(
    private_redis: RedisServer, processes: Processes
) -> None:
    client = redis.Redis.from_url(private_redis.url)
    try:
        with Sandbox(client, env=FAST) as sb:
            env = parley_env(sb, private_redis.url)
            # Three cases delivered (in this process), two of them approved: their publish jobs wait.
            for author in ("ann", "bo", "cy"):
                sb.x.add_mention(f"@parleybrand a question from {author}?", author_handle=author)
            sb.poll()
            sb.drain()
            first = parents(sb)
            assert len(first) == 3
            # A person words each reply (the offline drafter may give two posts the same text, and
            # X's refusal of a duplicate would hide a double post instead of showing it).
            for n, parent in enumerate(first):
                edited = sb.parley.review.edit(
                    case_id_of(parent), f"Thanks! We are on it ({n}).", by="U_LUCA"
                )
                assert edited.error is None
            sb.drain()
            approve(sb, first[0])
            approve(sb, first[1])
            # Two more mentions stored, their delivery jobs waiting: no worker is running yet.
            for author in ("di", "ed"):
                sb.x.add_mention(f"@parleybrand a question from {author}?", author_handle=author)
            assert sb.poll().new == 2
            before_states, before_jobs = _snapshot(sb)
            assert len(before_states) == 5 and list(before_states.values()).count(State.APPROVED) == 2
            assert len(before_jobs) >= 4  # 2 deliveries + 2 publishes (+ Slack refreshes)

            # A clean restart: SHUTDOWN, start again on the same directory.
            private_redis.shutdown()
            private_redis.start()
            assert _snapshot(sb) == (before_states, before_jobs)  # every case, every queued job
            assert client.config_get("appendfsync") == {"appendfsync": "always"}

            running = {"worker": processes.start("worker", env), "clock": processes.start("clock", env)}
            wait_until(lambda: delivered(sb, 5), what="the queued deliveries", processes=processes)
            wait_until(lambda: len(sb.x.posted) == 2, what="the queued publishes", processes=processes)

            # Now a hard crash while the worker is inside POST /2/tweets for a third approval:
            # SIGKILL, and Redis stays down until X has created the tweet.
            sb.x.delay(TWEETS, 1.5, method="POST")
            approve(sb, first[2])
            wait_until(lambda: tweet_posts(sb) == 3, what="the third POST /2/tweets", processes=processes)
            private_redis.kill()
            wait_until(lambda: len(sb.x.posted) == 3, what="X to create the third reply")

            time.sleep(1)  # a restart takes a moment
            private_redis.start()

            def supervised() -> None:
                # A Redis error met mid-job makes rq's worker quit, and any outage longer than
                # redis-py's retries makes the clock quit (both with status 1): the process manager
                # (Procfile platform, systemd Restart=, the supervisor of `parley run`) starts them again.
                for command, process in running.items():
                    if not process.alive:
                        running[command] = processes.start(command, env)

            supervised()

            third = sb.parley.store.require(case_id_of(first[2]))
            assert third.state in (State.PUBLISHING, State.POSTED)
            if third.state is State.PUBLISHING:
                # Unless the worker's connection retries outlasted the restart, the job died with the
                # connection: its lease expires and the sweeper requeues it.
                assert third.publishing_since is not None
                expiry = third.publishing_since + timedelta(seconds=LEASE, milliseconds=300)
                time.sleep(max(0.0, (expiry - datetime.now(UTC)).total_seconds()))
                swept = sb.parley.sweeper.sweep()
                assert swept == [third.id] or sb.parley.store.require(third.id).state is State.POSTED

            def third_posted() -> bool:
                supervised()
                return sb.parley.store.require(third.id).state is State.POSTED

            wait_until(third_posted, what="the third reply recorded", processes=processes)

            states, _ = _snapshot(sb)
            assert len(states) == 5
            assert sorted(s.value for s in states.values()) == [
                "drafted",
                "drafted",
                "posted",
                "posted",
                "posted",
            ]
            assert len(sb.x.posted) == 3 and tweet_posts(sb) == 3  # nothing posted, or even sent, twice
            assert_each_reply_once(sb)
            assert_each_forwarded_once(sb, 5)
            processes.stop_all()
    finally:
        client.close()


# --- 3. Slack answering 500 and 429 for a while --------------------------------------------------


def test_slack_500s_and_429s_are_waited_out_and_each_post_forwarded_once(
    redis_client: redis.Redis, redis_url: str, processes: Processes
) -> None:
    with Sandbox(redis_client, env=FAST) as sb:
        # Three 500s: the SDK retries twice, the third fails the job and rq schedules a retry 2 s
        # later (the clock moves it back onto the queue when it is due).
        sb.slack.fail_next(POST_MESSAGE, status=500, times=3)
        sb.slack.fail_next(
            POST_MESSAGE,
            status=429,
            times=2,
            headers={"Retry-After": "1"},
            body={"ok": False, "error": "ratelimited"},
        )
        env = parley_env(sb, redis_url)
        processes.start("worker", env)
        processes.start("clock", env)  # polls X every second, moves due retries onto the queue
        for author in ("ann", "bo"):
            sb.x.add_mention(f"@parleybrand is the app down for {author}?", author_handle=author)

        wait_until(lambda: delivered(sb, 2), what="both posts forwarded", timeout=30, processes=processes)
        time.sleep(1.5)  # a late duplicate (a retry that did not know the first attempt worked) shows now
        calls = sb.slack.calls("chat.postMessage")
        statuses = [c.status for c in calls]
        assert statuses.count(500) == 3 and statuses.count(429) == 2, statuses
        ours = [c for c in calls if c.status == 200 and (c.params.get("metadata") or {}).get("event_payload")]
        assert len(ours) == 4  # two parents, two cards: nothing twice
        assert_each_forwarded_once(sb, 2)
        processes.stop_all()


# --- 4. X answering 429 without a reset header ---------------------------------------------------


def test_an_x_429_without_reset_is_rescheduled_not_hammered_then_posted_once(
    redis_client: redis.Redis, redis_url: str, processes: Processes
) -> None:
    with Sandbox(redis_client, env=FAST) as sb:
        env = parley_env(sb, redis_url)
        processes.start("worker", env)
        processes.start("clock", env)
        parent = mention_and_wait_for_card(
            sb, processes, "@parleybrand my card was charged twice", author="ann", clock=True
        )
        sb.x.fail_next(TWEETS, status=429, method="POST")  # x-rate-limit-remaining: 0, no reset
        approve(sb, parent)

        def rescheduled() -> bool:
            case = only_case(sb)
            return case.failure is not None and case.failure.retry_at is not None

        wait_until(rescheduled, what="the 429 to be recorded with a retry time", processes=processes)
        case = only_case(sb)
        assert case.state is State.APPROVED and case.failure is not None and case.failure.retry_at is not None
        assert case.failure.kind == "rate_limited"
        assert (case.failure.retry_at - case.history[-1].at).total_seconds() >= 60
        registry = sb.parley.queue.scheduled_job_registry
        [job_id] = [j for j in registry.get_job_ids() if _runs(sb, j, "bot.app.jobs.publish_reply")]
        assert abs((registry.get_scheduled_time(job_id) - case.failure.retry_at).total_seconds()) < 2

        time.sleep(2.5)  # a hammering worker (or a clock moving the job early) would have tried again
        assert tweet_posts(sb) == 1 and sb.x.posted == []
        assert job_id in registry.get_job_ids()

        # Fifteen minutes pass, for the processes: the rate-limit window ends now, and the job that
        # waits for it becomes due. The clock moves it onto the queue.
        now = datetime.now(UTC)

        def window_over(c: Case) -> Case:
            assert c.failure is not None
            return replace(c, failure=replace(c.failure, retry_at=now))

        sb.parley.store.change(case.id, window_over)
        job = sb.parley.queue.fetch_job(job_id)
        assert job is not None
        registry.schedule(job, now)

        wait_until(lambda: only_case(sb).state is State.POSTED, what="the retry to post", processes=processes)
        done = only_case(sb)
        assert len(sb.x.posted) == 1 and tweet_posts(sb) == 2  # one refused, one posted
        assert done.reply is not None and done.reply.id == sb.x.posted[0].id
        assert_each_forwarded_once(sb, 1)
        processes.stop_all()


# --- 5. OpenAI timing out ------------------------------------------------------------------------


def test_an_openai_timeout_still_forwards_the_case_with_an_offline_draft_that_says_so(
    redis_client: redis.Redis, redis_url: str, processes: Processes
) -> None:
    with Sandbox(redis_client, openai=True, env={**FAST, "PARLEY_OPENAI_TIMEOUT": "1"}) as sb:
        assert sb.openai is not None
        sb.openai.delay(r"/v1/responses$", 4)
        processes.start("worker", parley_env(sb, redis_url))
        parent = mention_and_wait_for_card(sb, processes, "@parleybrand my order never arrived", author="ann")

        [card] = cards(sb, parent)
        text = card.all_text()
        assert "Offline drafter" in text and "OpenAI timed out; offline draft" in text
        assert [b["text"]["text"] for b in card.buttons()][:3] == ["Approve", "Edit", "Reject"]
        draft = only_case(sb).draft
        assert draft is not None and draft.note.startswith("OpenAI timed out")
        assert 1 <= len(sb.openai.requests_to(r"/v1/responses$")) <= 2  # the SDK's one retry, no more
        assert_each_forwarded_once(sb, 1)
        processes.stop_all()


# --- found while writing these: scheduled jobs ------------------------------------------------------


def test_after_a_worker_is_killed_its_replacement_still_runs_scheduled_retries(
    redis_client: redis.Redis, redis_url: str, processes: Processes
) -> None:
    """A retry scheduled after a worker was SIGKILLed runs on time.

    With rq's scheduler (a child of one worker, holding a Redis lock for 61 s, retried by rq every
    10 minutes) it waited up to 10 minutes; the clock now moves due jobs every second.
    """
    with Sandbox(redis_client, env=FAST) as sb:
        env = parley_env(sb, redis_url)
        doomed = processes.start("worker", env)
        processes.start("clock", env)
        mention_and_wait_for_card(sb, processes, "@parleybrand first!", author="ann", clock=True)
        doomed.kill()
        processes.start("worker", env)
        sb.slack.fail_next(
            POST_MESSAGE, status=429, headers={"Retry-After": "1"}, body={"ok": False, "error": "ratelimited"}
        )
        # Waited for at most 20 s (wait_until): with rq's scheduler it took up to ten minutes.
        mention_and_wait_for_card(sb, processes, "@parleybrand second!", author="bo", clock=True)
        assert [c.status for c in sb.slack.calls("chat.postMessage")].count(429) == 1
        assert_each_forwarded_once(sb, 2)
        processes.stop_all()


# Regression: rq rounds scheduled times down to the second; Jobs._put rounds up, and a publish
# that is still too early reschedules itself for the right time.
def test_a_publish_moved_in_the_last_second_of_the_undo_window_still_posts(
    redis_client: redis.Redis, redis_url: str, processes: Processes
) -> None:
    with Sandbox(redis_client, env={**FAST, "PARLEY_UNDO_SECONDS": "1"}) as sb:
        processes.start("worker", parley_env(sb, redis_url))
        parent = mention_and_wait_for_card(
            sb, processes, "@parleybrand can I change my address?", author="bo"
        )
        while not 0.4 <= time.time() % 1 <= 0.5:  # approve mid-second: send_at is then mid-second too
            time.sleep(0.005)
        approve(sb, parent)
        send_at = only_case(sb).send_at
        if send_at is None or send_at.timestamp() % 1 < 0.2:
            raise RuntimeError(f"timing precondition not met (send_at {send_at}): rerun")
        # Tick as `parley clock` does, once a second, here just after each second begins (its real
        # phase is arbitrary: this is the unlucky one): move the due jobs onto the queue.
        second = int(send_at.timestamp())
        while second < send_at.timestamp() + 3 and not sb.x.posted:
            time.sleep(max(0.0, second + 0.02 - time.time()))
            sb.parley.jobs.enqueue_due()
            time.sleep(0.5)
            second += 1

        assert len(sb.x.posted) == 1, f"not posted 3 s after the undo window closed\n{processes.report()}"


def test_without_persistence_a_restart_forgets_queued_work_and_the_sweeper_cannot_bring_it_back(
    tmp_path: Path,
) -> None:
    """What the Faults section of docs/architecture.md says about `--save ""` without AOF, shown."""
    volatile = RedisServer(tmp_path / "volatile", appendonly=False)
    volatile.start()
    client = redis.Redis.from_url(volatile.url)
    try:
        with Sandbox(client, env=FAST) as sb:
            sb.x.add_mention("@parleybrand first question", author_handle="ann")
            sb.poll()
            sb.drain()
            approve(sb, parents(sb)[0])
            sb.drain()
            assert len(sb.x.posted) == 1
            sb.x.add_mention("@parleybrand second question", author_handle="bo")
            assert sb.poll().new == 1  # stored, delivery queued

            volatile.kill()
            volatile.start()
            assert client.dbsize() == 0  # cases, queue, poll cursor, Slack marks: all gone
            assert sb.parley.sweeper.sweep() == []  # it can only requeue what Redis remembers

            # With no cursor the next poll reads X's newest page again: the queued mention comes back
            # (it was recent enough), and so does the one already answered, as a new case.
            assert sb.poll().new == 2
            sb.drain()
            assert len(parents(sb)) == 3  # the answered mention is forwarded a second time
            assert len(sb.x.posted) == 1
    finally:
        client.close()
        volatile.stop()

"""Which jobs a case still has: the sweeper requeues a case only when none is waiting or running."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import redis

from bot.adapters.queue import Jobs, make_queue


def test_a_job_taken_by_a_worker_killed_before_it_started_counts_as_lost(redis_client: redis.Redis) -> None:
    queue = make_queue(redis_client)
    jobs = Jobs(queue)
    job = jobs.deliver("x-1")
    assert [j.id for j in jobs.alive("x-1", "deliver")] == [job.id]
    # rq's dequeue moves the id to the worker's intermediate list; the worker dies right there.
    redis_client.lmove(queue.key, queue.key + ":intermediate")
    assert jobs.alive("x-1", "deliver") == []


def test_a_scheduled_job_is_alive_until_it_ends(redis_client: redis.Redis) -> None:
    jobs = Jobs(make_queue(redis_client))
    job = jobs.publish("x-2", at=datetime.now(UTC) + timedelta(minutes=10))
    assert [j.id for j in jobs.alive("x-2", "publish")] == [job.id]
    job.delete()
    assert jobs.alive("x-2", "publish") == []
    assert not redis_client.smembers("parley:case-jobs:x-2:publish")  # ended ids are forgotten

"""The long-running processes of the Procfile: worker and clock. (`web` lives in bot.web.)"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from types import FrameType

import redis
from rq import Queue, SimpleWorker
from rq.executions import Execution
from rq.job import Job
from rq.serializers import JSONSerializer
from rq.worker import WorkerStatus

from bot.app import jobs
from bot.app.container import Container

log = logging.getLogger(__name__)

SWEEP_EVERY = 30  # seconds


HEARTBEAT_EVERY = 2  # seconds between the beats of a running job
HEARTBEAT_TTL = 6  # a job whose worker stopped beating this long ago counts as ended (worker killed)


class QuietWorker(SimpleWorker):
    """rq's SimpleWorker, with two changes.

    - No pub/sub listener thread: it only serves rq's remote commands, which Parley never sends, and
      stopping it can take 60 s (rq 3 with redis-py 8.2 may wait out its `sleep_time`).
    - A running job beats every 2 s from a thread, and counts as running only while it does. rq's
      SimpleWorker registers a job as running for its whole timeout (+60 s) and never beats, so the
      job of a SIGKILLed worker looked alive for three minutes, and nothing took over its case. A
      job that is merely slow (a network call that takes long) keeps beating: nobody takes over
      while its attempt may still land.
    """

    def subscribe(self) -> None:
        pass

    def unsubscribe(self) -> None:
        pass

    def get_heartbeat_ttl(self, job: Job, working_time: float = 0.0) -> int:
        return HEARTBEAT_TTL

    def execute_job(self, job: Job, queue: Queue) -> None:
        execution = self.prepare_execution(job)
        done = threading.Event()
        beats = threading.Thread(
            target=self._beat, args=(job, execution, done), name="heartbeat", daemon=True
        )
        beats.start()
        try:
            self.perform_job(job, queue, execution)
        finally:
            done.set()
            beats.join()
        self.set_state(WorkerStatus.IDLE)

    def _beat(self, job: Job, execution: Execution, done: threading.Event) -> None:
        while not done.wait(HEARTBEAT_EVERY):
            try:
                with self.connection.pipeline() as pipe:
                    execution.heartbeat(job.started_job_registry, HEARTBEAT_TTL, pipe)
                    pipe.execute()
            except redis.RedisError as error:  # Redis restarting: the job's own calls will say so
                log.warning("job %s: heartbeat failed (%s)", job.id, type(error).__name__)


def run_worker(container: Container, *, burst: bool = False) -> bool:
    """Work the queue. SimpleWorker runs jobs in this process: no fork per job, and the
    container (HTTP sessions, Redis pool) is reused. The clock moves due retries back onto the
    queue; an abandoned job (worker killed) is caught by the clock's sweeper."""
    jobs.bind(container)
    worker = QuietWorker([container.queue], connection=container.redis, serializer=JSONSerializer)
    # Scheduled jobs are moved by the clock (Jobs.enqueue_due), not by rq's scheduler: see there.
    return bool(worker.work(burst=burst, with_scheduler=False, logging_level="WARNING"))


class Clock:
    """Enqueues polls every `poll_interval`, a sweep every 30 s, the daily digest, and every second
    the scheduled jobs that are due. Several clocks may run: each tick is claimed in Redis by one
    of them, so nothing is done twice."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self.stopping = threading.Event()

    def tick(self, at: float) -> list[str]:
        """Enqueue what is due at epoch `at`; returns what this clock enqueued."""
        store, queued = self.container.store, []
        if store.acquire(f"schedule:{int(at)}", ttl=5) and self.container.jobs.enqueue_due():
            queued.append("due")
        interval = self.container.settings.poll_interval
        for source in self.container.sources:
            slot = int(at // interval)
            if store.acquire(f"poll:{source}:{slot}", ttl=interval * 2):
                self.container.jobs.poll(source)
                queued.append(f"poll:{source}")
        if store.acquire(f"sweep:{int(at // SWEEP_EVERY)}", ttl=SWEEP_EVERY * 2):
            self.container.jobs.sweep()
            queued.append("sweep")
        day = self.container.insights.digest_due()  # claimed in Redis: one clock gets it
        if day is not None:
            self.container.jobs.digest(day.isoformat())
            queued.append(f"digest:{day.isoformat()}")
        return queued

    def run(self) -> None:
        """The clock as a process of its own (`parley clock`): stops on SIGTERM or Ctrl-C."""

        def stop(signum: int, frame: FrameType | None) -> None:
            self.stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.loop()

    def loop(self) -> None:
        sources = ", ".join(self.container.sources) or "none configured"
        log.info("clock: polling every %ds (sources: %s)", self.container.settings.poll_interval, sources)
        while not self.stopping.is_set():
            self.tick(time.time())
            self.stopping.wait(1.0)

    def start_beside(self) -> threading.Thread:
        """The clock as a thread of this process (the worker of `parley run`, which saves a whole
        interpreter: docs/performance.md). A clock that fails stops the process, so that its
        supervisor restarts it with a clock again: a worker without its clock runs nothing scheduled."""

        def guarded() -> None:
            try:
                self.loop()
            except BaseException:
                log.exception("the clock stopped; stopping this process so it is restarted")
                os.kill(os.getpid(), signal.SIGTERM)

        thread = threading.Thread(target=guarded, name="clock", daemon=True)
        thread.start()
        return thread

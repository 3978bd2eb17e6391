"""The fault campaign's `parley worker` and `parley clock` processes, kept across runs.

Dead members are replaced (as a process manager would) without waiting for the newcomer to import.
`pause` freezes the whole fleet only at a moment when no worker holds a job, so that the campaign
can move time forward in-process without a frozen worker's job looking abandoned.
"""

from __future__ import annotations

import contextlib
import random
import signal
import threading
import time

import redis
from rq import Queue, Worker

from demo.subprocesses import Process, Processes

SETTLE_LOOKS = 3  # identical looks in a row before a job left in rq's intermediate list is taken as stranded


class Fleet:
    def __init__(
        self, processes: Processes, env: dict[str, str], queue: Queue, *, workers: int, clocks: int
    ) -> None:
        self.processes, self.env, self.queue = processes, env, queue
        # Faults strike from timer threads, two at once at times (a kill during a Redis restart):
        # without the lock both would replace the same dead member and one replacement would run
        # on untracked, never frozen, taking the jobs the recovery queues.
        self._lock = threading.RLock()
        self.members: list[Process] = [processes.start("worker", env) for _ in range(workers)]
        self.members += [processes.start("clock", env) for _ in range(clocks)]

    def revive(self) -> int:
        """Start a replacement for every dead member; returns how many."""
        revived = 0
        with self._lock:
            for i, member in enumerate(self.members):
                if not member.alive:
                    member.stop(timeout=1)
                    self._forget(member.pid)
                    self.members[i] = self.processes.start(member.command, self.env)
                    revived += 1
        return revived

    def _forget(self, pid: int) -> None:
        """Drop the rq registration of a dead worker: pids are reused (pid_max is often 32768), and a
        dead worker's registration saying "busy" under a live process's pid would look busy forever."""
        with contextlib.suppress(redis.RedisError):
            for worker in Worker.all(queue=self.queue):
                if worker.pid == pid:
                    worker.register_death()  # type: ignore[no-untyped-call]

    def kill_a_worker(self, rng: random.Random) -> None:
        with self._lock:
            victim = rng.choice([m for m in self.members if m.command == "worker"])
            victim.kill()
            self.revive()

    def signal(self, signum: signal.Signals) -> None:
        """Signal every process this campaign started that still runs (members or not)."""
        with self._lock:
            for process in self.processes.started:
                if process.alive:
                    with contextlib.suppress(ProcessLookupError):
                        process.popen.send_signal(signum)

    def pids(self) -> set[int]:
        with self._lock:
            return {p.pid for p in self.processes.started if p.alive}

    def strays(self) -> int:
        """Live processes that are not members (0 unless the harness lost track of one)."""
        with self._lock:
            return len(self.pids() - {m.pid for m in self.members if m.alive})

    def busy(self, queue: Queue) -> bool:
        """Whether a live worker is running a job (rq's own record of each worker)."""
        live = self.pids()
        workers = Worker.all(queue=queue)
        return any(w.pid in live and (w.get_state() == "busy" or w.get_current_job_id()) for w in workers)

    def pause(self, queue: Queue, *, patience: float = 10) -> bool:
        """SIGSTOP every member at a moment when no live worker holds a job; False if none came.

        A worker frozen while blocked in BLMOVE would still be handed the next job by Redis (the
        pop completes on the server), so blocked clients are released first: they see a timeout.
        """
        client: redis.Redis = queue.connection
        deadline = time.monotonic() + patience
        stranded: list[bytes | str] = []
        looks = 0
        while time.monotonic() < deadline:
            self.signal(signal.SIGSTOP)
            time.sleep(0.02)  # a command already on its way reaches Redis
            release_blocked(client)
            taken = client.lrange(queue.intermediate_queue_key, 0, -1)
            if not self.busy(queue):
                # A job in the intermediate list is either being taken right now or stranded by a
                # killed worker: only the second stays there, look after look.
                looks = looks + 1 if taken == stranded else 0
                stranded = taken
                if not taken or looks >= SETTLE_LOOKS:
                    return True
            self.signal(signal.SIGCONT)
            time.sleep(0.05)
        self.signal(signal.SIGSTOP)  # frozen anyway; the caller counts it
        return False

    def resume(self) -> None:
        self.signal(signal.SIGCONT)


def release_blocked(client: redis.Redis) -> None:
    """Unblock every client waiting in a blocking command (frozen workers in BLMOVE)."""
    for entry in client.client_list():
        if "b" in str(entry.get("flags", "")):
            with contextlib.suppress(redis.RedisError):
                client.client_unblock(int(entry["id"]))

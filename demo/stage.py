"""The stage the demo's scenes play on: the sandbox, the transcript, and what a viewer can check."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Literal, TypeVar

from bot.adapters.queue import SLACK_RETRY
from bot.domain import Case, State
from demo.output import Transcript
from demo.sandbox import CHANNEL, Sandbox
from demo.story import PEOPLE, STORY, DemoFailure, Sample, handle
from emulators.slack import AppResponse, Message, StoredView

SLACK_PACING = 3.0  # s: the longest a job may wait for a Slack send token before the demo calls it stuck

T = TypeVar("T")


def first_name(user: str) -> str:
    return PEOPLE[user][0]


def count_replies(count: int) -> str:
    """`1 reply`, `3 replies`."""
    return f"{count} repl{'y' if count == 1 else 'ies'}"


def ms(response: AppResponse) -> str:
    return f"{response.elapsed * 1000:.0f}\u00a0ms"  # no line break between number and unit


def wait_for(what: str, check: Callable[[], T | None], timeout: float = 5.0) -> T:
    """Slack listeners keep working after they acknowledge: wait for the effect a person would see."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise DemoFailure(f"{what} did not happen within {timeout:.0f} s.")
        time.sleep(0.005)


def require(condition: bool, problem: str) -> None:
    if not condition:
        raise DemoFailure(problem)


class Stage:
    """The running sandbox and transcript, the case of each customer, and the step being played."""

    def __init__(self, sandbox: Sandbox, samples: dict[str, Sample], transcript: Transcript) -> None:
        missing = [handle for handle in STORY if handle not in samples]
        require(not missing, f"the sample file has no mention from {', '.join(missing)}.")
        self.sb = sandbox
        self.samples = samples
        self.t = transcript
        self.case_ids: dict[str, str] = {}  # customer handle -> case id
        self.step = "starting"

    def case(self, customer: str) -> Case:
        return self.sb.parley.store.require(self.case_ids[customer])

    def card(self, customer: str) -> Message:
        return self._slack_message(customer, "card")

    def parent(self, customer: str) -> Message:
        return self._slack_message(customer, "parent")

    def _slack_message(self, customer: str, part: Literal["parent", "card"]) -> Message:
        """The case's message in the channel (`parent`) or its draft card in the thread (`card`)."""
        refs = self.case(customer).slack
        ts = None if refs is None else refs.card_ts if part == "card" else refs.parent_ts
        missing = "has no draft card in Slack" if part == "card" else "was not forwarded to Slack"
        require(ts is not None, f"{handle(customer)}'s case {missing}.")
        assert ts is not None
        return self.sb.slack.message(CHANNEL, ts)

    def modal(self, user: str) -> StoredView:
        return wait_for(f"a window opening for {first_name(user)}", lambda: self.sb.slack.open_views(user))[
            -1
        ]

    def settled(self, customer: str, what: str) -> Case:
        """The case once the click's listener has changed it (it runs on after the acknowledgement)."""

        def changed() -> Case | None:
            case = self.case(customer)
            return case if case.state is not State.DRAFTED else None

        return wait_for(what, changed)

    def click(self, customer: str, button: str, user: str) -> AppResponse:
        response = self.sb.slack.click(self.sb.app_url, self.card(customer), button, user=user)
        require(
            response.acked_in_time,
            f"Slack would show an error on {first_name(user)}'s click: HTTP {response.status} in {ms(response)}.",
        )
        return response

    def drain(self) -> None:
        """Run Parley's queued jobs, as `parley worker` would, until none is left.

        Parley paces its Slack messages (bot.governor: a burst, then a few a second for the
        workspace), and this story sends more than a burst: a job that must wait for a send token
        reschedules itself a moment later, and the demo waits for it as rq's scheduler would. Nothing
        else in this story fails or waits, so a job rq files as failed, one rq is retrying, or one
        scheduled further ahead means Parley crashed (rq logs why)."""
        queue = self.sb.parley.queue
        while True:
            self.sb.drain()
            for job_id in queue.failed_job_registry.get_job_ids():
                raise self.crashed(job_id)
            registry = queue.scheduled_job_registry
            waits: list[float] = []
            for job_id in registry.get_job_ids():
                job = queue.fetch_job(job_id)
                if job is not None and job.func_name == "bot.app.jobs.refresh_homes":
                    continue  # the App Home refresh waits a few seconds on purpose (nobody has it open here)
                retried = job is None or (job.retries_left is not None and job.retries_left < SLACK_RETRY.max)
                wait = (registry.get_scheduled_time(job_id) - datetime.now(UTC)).total_seconds()
                if retried or wait > SLACK_PACING:
                    raise self.crashed(job_id)
                waits.append(wait)
            if not waits:
                return
            time.sleep(max(0.0, min(waits)) + 0.01)  # rq counts due times in whole seconds

    def crashed(self, job_id: str) -> DemoFailure:
        job = self.sb.parley.queue.fetch_job(job_id)
        what = job.description if job is not None else job_id
        error = str(job.exc_info or "").strip().splitlines() if job is not None else []
        detail = f": {error[-1]}" if error else " (its error is in the log above)"
        return DemoFailure(f"Parley's worker failed running {what}{detail}.")

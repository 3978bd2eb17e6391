"""A smoke of the fault campaign (bench/faults.py): three runs of a seed whose faults include every
kind but the 10 s X timeout (worker SIGKILL, Redis restart, Slack 429 and 500, X 5xx and slow X)."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import pytest

from bench import faults

pytestmark = pytest.mark.faults

SEED = 122  # its first three runs strike with every kind of fault but x_timeout (slow: 11 s)


def test_three_campaign_runs_under_faults_keep_every_promise(tmp_path: Path) -> None:
    args = argparse.Namespace(runs=3, first=0, seed=SEED, workers=3, clocks=2, redis_port=None, progress=0)

    done = faults.campaign(args, tmp_path)

    assert done.found == Counter(), f"violations: {dict(done.found)}"
    assert {"kill_worker", "redis_restart", "slack_429", "slack_500", "x_5xx", "x_slow"} <= set(done.faults)
    assert done.workload["posted"] > 0 and done.workload["replies_on_x"] == done.workload["posted"]

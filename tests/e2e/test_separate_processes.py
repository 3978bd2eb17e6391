"""Processes started on their own (a Procfile, systemd's parley-web/worker/clock) must share one Redis:
without REDIS_URL each would start an embedded Redis of its own and never see the others' data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

VALID = {
    "SLACK_BOT_TOKEN": "xoxb-test",
    "SLACK_SIGNING_SECRET": "secret",
    "PARLEY_CHANNEL": "C_SOCIAL",
}


@pytest.mark.parametrize("command", ["web", "worker", "clock"])
def test_a_separate_process_refuses_to_start_without_redis_url(command: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.app.cli", command],
        env={"PATH": os.environ.get("PATH", ""), "PARLEY_DATA_DIR": str(tmp_path), **VALID},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert f"REDIS_URL is not set: `parley {command}` runs beside the other processes" in result.stderr
    assert "parley run" in result.stderr
    assert not any(tmp_path.iterdir())  # no embedded Redis was started

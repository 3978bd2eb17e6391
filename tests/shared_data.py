"""The shared customer-care sample (`shared/` beside the repository), for the tests that read it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

DEV_JSON = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "twitter-customer-care" / "dev.json"
)


def dev_dialogs() -> list[dict[str, Any]]:
    """The 525 dialogs; the calling test is skipped, saying so, when the file is not beside the repository."""
    if not DEV_JSON.exists():
        pytest.skip(f"the shared data is not on this machine ({DEV_JSON})")
    dialogs: list[dict[str, Any]] = json.loads(DEV_JSON.read_text())
    return dialogs

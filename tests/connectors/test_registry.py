"""The registry of connectors: every network has one, and naming them loads no SDK."""

from __future__ import annotations

import subprocess
import sys

from bot.domain import Network
from connectors import CONNECTORS


def test_every_network_has_a_connector() -> None:
    assert set(CONNECTORS) == set(Network)


def test_the_registry_imports_no_sdk_until_a_connector_is_built() -> None:
    code = "import sys, connectors, connectors.base; print(sorted({'tweepy', 'praw', 'googleapiclient'} & set(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"

"""`parley --version` prints the installed package's version, the one CHANGELOG.md and pip name."""

from __future__ import annotations

from importlib.metadata import version

import pytest

from bot.app.cli import main


def test_parley_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as leaving:
        main(["--version"])
    assert leaving.value.code == 0
    assert capsys.readouterr().out.strip() == f"parley {version('parley')}"

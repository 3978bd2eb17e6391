"""The systemd units in deploy/: systemd's own checker accepts them (where it is installed), and each
starts an existing `parley` command with the settings docs/deploy.md promises."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
INSTALLED = "/opt/parley/venv/bin/"  # where docs/deploy.md installs Parley
SERVICES = {
    "parley.service": "run",
    "parley-web.service": "web",
    "parley-worker@.service": "worker",
    "parley-clock.service": "clock",
    "parley-stream.service": "stream",
}


def settings(unit: Path) -> dict[str, list[str]]:
    """`Key=value` lines of a unit file, every value of a key (systemd allows a key several times)."""
    found: dict[str, list[str]] = {}
    for line in unit.read_text().splitlines():
        if "=" in line and not line.startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            found.setdefault(key.strip(), []).append(value.strip())
    return found


@pytest.mark.parametrize(("name", "command"), SERVICES.items())
def test_each_service_starts_an_existing_parley_command(name: str, command: str) -> None:
    unit = settings(DEPLOY / name)
    (start,) = unit["ExecStart"]
    program, *args = start.split()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert program == INSTALLED + "parley" and "parley" in scripts and args == [command]
    accepted = subprocess.run(
        [sys.executable, "-m", "bot.app.cli", command, "--help"], capture_output=True, timeout=60, check=False
    )
    assert accepted.returncode == 0


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_runs_as_its_user_restarts_and_stops_in_time(name: str) -> None:
    unit = settings(DEPLOY / name)
    assert unit["User"] == ["parley"] and unit["WorkingDirectory"] == ["/var/lib/parley"]
    assert unit["EnvironmentFile"] == ["/etc/parley/parley.env"]
    assert unit["Restart"] == ["on-failure"]
    assert unit["KillMode"] == (["mixed"] if name == "parley.service" else ["control-group"])
    # parley run stops within 10 s (its embedded Redis saves last); a lone process within 10 s.
    assert int(unit["TimeoutStopSec"][0]) == (15 if name == "parley.service" else 10)
    assert unit["NoNewPrivileges"] == ["yes"] and unit["ProtectSystem"] == ["strict"]
    assert unit["PrivateTmp"] == ["yes"]


def test_parley_run_keeps_its_data_in_var_lib_parley() -> None:
    unit = settings(DEPLOY / "parley.service")
    assert "PARLEY_DATA_DIR=/var/lib/parley" in unit["Environment"]
    assert unit["StateDirectory"] == ["parley"] and unit["ReadWritePaths"] == ["/var/lib/parley"]


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    verify = shutil.which("systemd-analyze")
    if verify is None:
        pytest.skip("systemd-analyze is not installed (Debian and Ubuntu: apt-get install systemd)")
    program = Path(sys.executable).parent / "parley"  # this checkout's console script
    if not program.exists():
        pytest.skip(f"no `parley` console script beside {sys.executable} (pip install -e .)")
    for unit in DEPLOY.iterdir():
        # systemd also checks that ExecStart's program exists: point it at this checkout's.
        (tmp_path / unit.name).write_text(unit.read_text().replace(INSTALLED + "parley", str(program)))
    names = [f"./{name}" for name in sorted(SERVICES) if "@" not in name]
    names += ["./parley-worker@1.service", "./parley.target"]
    result = subprocess.run(
        [verify, "verify", "--man=no", *names],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # systemd-analyze exits 0 on unknown keys and bad values: any line it prints is a finding.
    assert result.returncode == 0 and result.stderr == "" and result.stdout == "", result.stderr

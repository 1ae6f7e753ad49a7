"""./scripts/run installs into .venv once, again only when pyproject.toml changes, and otherwise starts quietly.

The project is copied to a temporary directory whose .venv/bin/python records how it is called: pip only
records, `-m bot` runs the real interpreter on the copy."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.e2e

RECORDING_PYTHON = """#!/bin/sh
echo "$*" >> "$(dirname "$0")/../calls.log"
if [ "$1 $2" = "-m pip" ]; then
  echo "setuptools: Editable installation. Please be careful ..." >&2
  exit 0
fi
exec {python} "$@"
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(PROJECT_ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "*cache*", "*.db", "results"))
    python = copy / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(RECORDING_PYTHON.format(python=sys.executable))
    python.chmod(0o755)
    return copy


def run(project: Path) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    log = project / ".venv" / "calls.log"
    log.unlink(missing_ok=True)
    result = subprocess.run(
        ["./scripts/run", "--help"], cwd=project, capture_output=True, text=True, timeout=60, check=False
    )
    return result, log.read_text().splitlines()


def test_it_installs_once_and_then_starts_quietly(project: Path) -> None:
    first, calls = run(project)
    assert first.returncode == 0, first.stderr
    assert calls == ["-m pip install --quiet -e .", "-m bot --help"]
    assert "Editable installation" not in first.stderr  # pip's noise is kept in .venv/install.log

    again, calls = run(project)
    assert again.returncode == 0
    assert calls == ["-m bot --help"]  # no reinstall
    assert again.stderr == ""
    assert "usage: python -m bot" in again.stdout

    with (project / "pyproject.toml").open("a") as pyproject:
        pyproject.write("# a new dependency\n")
    changed, calls = run(project)
    assert calls == ["-m pip install --quiet -e .", "-m bot --help"]
    assert changed.stderr == "pyproject.toml changed: updating .venv ...\n"

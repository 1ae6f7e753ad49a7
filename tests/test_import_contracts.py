"""The import contracts in pyproject.toml hold, and breaking one fails the check (so it can fail)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports on the `bot` package found first on PYTHONPATH (a copy beats the editable install)."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def copy_of_the_project(tmp_path: Path) -> Path:
    shutil.copytree(PROJECT_ROOT / "bot", tmp_path / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_contracts_hold() -> None:
    result = lint_imports(PROJECT_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("bot/usecases/interviews.py", "import bot.storage.sqlite.database", "Ports and use cases import no driver"),
        ("bot/usecases/interviews.py", "import apscheduler", "Ports and use cases import no driver"),
        ("bot/domain/plan.py", "import bot.settings", "The domain is pure"),
        ("bot/delivery/dispatcher.py", "import bot.platforms.discord.client", "Delivery reaches storage"),
        ("bot/storage/sqlite/users.py", "import bot.usecases.interviews", "Storage implements ports"),
        ("bot/platforms/discord/client.py", "import bot.storage.sqlite.database", "Platforms reach storage"),
        ("bot/sandbox/discord/rest.py", "import discord", "The local platforms never import"),
        ("bot/platforms/slack/render.py", "import bot.platforms.discord.render", "Each platform stands alone"),
        ("bot/platforms/discord/render.py", "import bot.platforms.slack.render", "Each platform stands alone"),
        ("bot/platforms/slack/modals.py", "import discord", "Slack's adapter never imports Discord's SDK"),
        ("bot/platforms/discord/views.py", "import slack_sdk", "Discord's adapter never imports Slack's SDK"),
        ("bot/platforms/slack/render.py", "import bot.storage.sqlite.database", "Platforms reach storage"),
        ("bot/sandbox/slack/web_api.py", "import slack_sdk", "The local platforms never import"),
        ("bot/delivery/dispatcher.py", "import prometheus_client", "Delivery reaches storage"),
        ("bot/delivery/digests.py", "import bot.operations.metrics", "Delivery reaches storage"),
        ("bot/operations/server.py", "import bot.storage.sqlite.database", "Operations is an adapter"),
        ("bot/operations/metrics.py", "import discord", "Operations is an adapter"),
        ("bot/sandbox/slack/socket_mode.py", "import slack_bolt", "The local platforms never import"),
    ],
)
def test_breaking_a_rule_fails_the_check(copy_of_the_project: Path, module: str, line: str, contract: str) -> None:
    target = copy_of_the_project / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # a deliberate break\n", encoding="utf-8")
    result = lint_imports(copy_of_the_project)
    assert result.returncode == 1, result.stdout
    assert contract in result.stdout
    assert "BROKEN" in result.stdout

"""The two commands a newcomer runs first: `python -m bot` without a token, and `python -m bot demo`."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e


def run(args: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISCORD_")}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_without_a_token_it_says_how_to_get_one_and_offers_the_demo(tmp_path: Path) -> None:
    result = run([], tmp_path, 60)
    assert result.returncode == 2
    assert "DISCORD_TOKEN is not set" in result.stderr
    assert "discord.com/developers/applications" in result.stderr
    assert "python -m bot demo" in result.stderr
    assert not (tmp_path / "follow_through.db").exists()  # nothing created


def test_the_demo_plays_a_whole_job_hunt_in_under_30_seconds_and_exits_cleanly(tmp_path: Path) -> None:
    started = time.monotonic()
    result = run(["demo"], tmp_path, 60)
    assert time.monotonic() - started < 30
    assert result.returncode == 0, result.stderr
    transcript = result.stdout
    for step in (
        "maya › /interview add",
        "Prepare your closing questions",
        "Send a thank-you email",
        "Send a handwritten note",
        "check-in-call.ics",
        "maya clicks [Log the call]",
        "Call logged",
        "maya › /interview outcome",
        "Ask for feedback",
        "Feedback saved",
        "Demo finished",
    ):
        assert step in transcript, step
    assert "Late" not in transcript  # the bot was running: nothing was late
    assert " 0 seconds" not in transcript  # a moment shown at its own time reads "now"
    feedback_dm = transcript[transcript.index("Ask for feedback") :].split("\n\n")[0]
    assert "Outcome: rejected" in feedback_dm
    assert "Agreed check-in" not in feedback_dm and "check back" not in feedback_dm  # history, not current
    assert list(tmp_path.iterdir()) == []  # its database was thrown away

"""`python -m bot` as people run it: without a token, the demo, --help, bad arguments, bad settings, and
start-up failures (each ends the process at once with one line naming the setting at fault)."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT
from bot.storage.sqlite.database import Database, load_migrations
from tests.support import make_read_only

pytestmark = pytest.mark.e2e

# A token, and a Discord that is not there: a start-up failure must not depend on reaching it.
NOWHERE = {
    "DISCORD_TOKEN": "not-a-real-token",
    "DISCORD_API_BASE": "http://127.0.0.1:9/api/v10",
    "DISCORD_GATEWAY_URL": "ws://127.0.0.1:9/",
}


def run(args: list[str], cwd: Path, timeout: float, **settings: str | Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SLACK_", "DATABASE_", "MIGRATIONS_"))}
    env.update({name: str(value) for name, value in settings.items()})
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


def test_without_a_token_it_also_says_how_to_get_slack_s_two(tmp_path: Path) -> None:
    result = run([], tmp_path, 60)
    assert result.returncode == 2
    for text in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "api.slack.com/apps", "slack-manifest.yml", "xapp-"):
        assert text in result.stderr


def test_one_slack_token_alone_is_not_enough_and_says_which_is_missing(tmp_path: Path) -> None:
    result = run([], tmp_path, 60, SLACK_BOT_TOKEN="xoxb-1")
    assert result.returncode == 2
    assert "SLACK_APP_TOKEN is not set" in result.stderr


def test_without_a_token_it_names_the_env_file_it_reads_and_both_ways_to_start(tmp_path: Path) -> None:
    stderr = run([], tmp_path, 60).stderr
    assert f"{tmp_path.resolve()}/.env" in stderr  # read from the current directory, not "beside this project"
    assert "./scripts/run demo" in stderr and "python -m bot demo" in stderr
    assert "./scripts/run demo --slack" in stderr and "./scripts/run demo --both" in stderr
    assert "./scripts/run" in stderr.split("No token yet?")[0] and "python -m bot" in stderr.split("No token")[0]


def test_a_blank_token_as_in_env_example_counts_as_not_set(tmp_path: Path) -> None:
    shutil.copy(PROJECT_ROOT / ".env.example", tmp_path / ".env")
    result = run([], tmp_path, 60)
    assert result.returncode == 2
    assert "DISCORD_TOKEN is not set" in result.stderr
    assert not (tmp_path / "follow_through.db").exists()


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
    assert "interview:Acme: Data Analyst, " in transcript and "interview:1" not in transcript  # as picked
    assert "*" not in transcript and "\\" not in transcript  # markdown is rendered for the terminal
    assert " 0 seconds" not in transcript  # a moment shown at its own time reads "now"
    feedback_dm = transcript[transcript.index("Ask for feedback") :].split("\n\n")[0]
    assert "Outcome: rejected" in feedback_dm
    assert "Agreed check-in" not in feedback_dm and "check back" not in feedback_dm  # history, not current
    assert list(tmp_path.iterdir()) == []  # its database was thrown away


def test_the_slack_demo_plays_the_same_job_hunt_on_the_local_slack(tmp_path: Path) -> None:
    started = time.monotonic()
    result = run(["demo", "--slack"], tmp_path, 60, HTTPS_PROXY="http://127.0.0.1:9")  # a proxy must not matter
    assert time.monotonic() - started < 30
    assert result.returncode == 0, result.stderr
    transcript = result.stdout
    for step in (
        "against a local Slack",
        "profile is set to America/New_York",
        "maya › /interview\n  form “Log interview”",
        "Interview logged: Acme: Data Analyst",
        "Prepare your closing questions",
        "maya › /interview next acme",
        "Interview: Acme: Data Analyst, Tue 1 Dec 10:00",  # preselected from what she typed
        "📎 check-in-call.ics",
        "Send a thank-you email",
        "Send a handwritten note",
        "✅ Done.",
        "maya clicks [Log the call]",
        "Call logged",
        "maya › /interview outcome acme",
        "Result: Rejected",
        "Ask for feedback",
        "Feedback saved",
        "Demo finished",
    ):
        assert step in transcript, step
    assert "Late" not in transcript
    assert "*" not in transcript and "`" not in transcript  # mrkdwn is rendered for the terminal
    assert "<!date" not in transcript and "&lt;" not in transcript and "&amp;" not in transcript
    assert "Tue 1 Dec 09:00 (in 30 minutes)" in transcript  # dates in her zone, relative to the simulated clock
    feedback_dm = transcript[transcript.index("Ask for feedback") :].split("\n\n")[0]
    assert "rejected, Wed 9 Dec 10:00" in feedback_dm
    assert list(tmp_path.iterdir()) == []


def test_the_both_demo_shows_a_coach_on_slack_following_a_seeker_on_discord(tmp_path: Path) -> None:
    started = time.monotonic()
    result = run(["demo", "--both"], tmp_path, 60, HTTPS_PROXY="http://127.0.0.1:9")
    assert time.monotonic() - started < 30
    assert result.returncode == 0, result.stderr
    transcript = result.stdout
    steps = (
        "omar, coach on Slack › /followthrough coach create Spring Cohort",
        "omar, coach on Slack (in #cohort-5) › /followthrough coach invite",
        "bot (in #cohort-5, for everyone) › ┃ [Join]",
        "maya, seeker on Discord › /coach join code:",
        "maya, seeker on Discord clicks [Accept]",
        "Sharing with “Spring Cohort”",
        "maya, seeker on Discord › /interview add",  # the shared job hunt, on Discord
        "omar, coach on Slack › /followthrough coach roster",
        "Maya (on Discord) · 1 open",
        "omar, coach on Slack › /followthrough coach seeker",
        "✅ done · Send a thank-you email",  # her report, picked from his roster
        "omar, coach on Slack › /followthrough coach nudge",
        "Sent to Maya",
        "Discord DM to maya:\n  bot › ┃ A note from your coach, omar",
        "maya, seeker on Discord clicks [Log the call]",
        "Slack DM to omar:\n  bot › ┃ Your weekly coaching digest",
        "Maya: Acme: Data Analyst",  # in the digest
        "Feedback saved",
        "Demo finished",
    )
    at = 0
    for step in steps:  # in this order
        assert step in transcript[at:], step
        at = transcript.index(step, at)
    assert "Late" not in transcript and "Traceback" not in result.stderr
    assert "*" not in transcript and "<!date" not in transcript and "&amp;" not in transcript
    assert "Slack DM to maya" not in transcript and "Discord DM to omar" not in transcript  # each on their own
    assert list(tmp_path.iterdir()) == []


# Arguments


def test_help_describes_the_configuration_and_points_to_the_demo(tmp_path: Path) -> None:
    result = run(["--help"], tmp_path, 30)
    assert result.returncode == 0
    for text in (".env.example", "Configuration", "demo", "DISCORD_TOKEN", "DATABASE_PATH=follow_through.db"):
        assert text in result.stdout, text
    demo_help = run(["demo", "--help"], tmp_path, 30)
    assert demo_help.returncode == 0
    for option in ("--slack", "--both"):
        assert option in demo_help.stdout, option
    assert "SCHEDULE__SNOOZE=P1D" in result.stdout  # every setting, nested ones too
    assert "DISPATCH__SAFETY_POLL=PT5M" in result.stdout


@pytest.mark.parametrize("args", [["demo", "--fast"], ["--fast"], ["start"], ["demo", "--slack", "--both"]])
def test_unknown_arguments_are_refused_with_the_usage(tmp_path: Path, args: list[str]) -> None:
    result = run(args, tmp_path, 30)
    assert result.returncode == 2
    assert "usage: python -m bot" in result.stderr
    assert "Demo finished" not in result.stdout  # the demo did not run anyway
    assert list(tmp_path.iterdir()) == []


# Settings


def test_bad_settings_are_refused_one_line_each_naming_the_setting(tmp_path: Path) -> None:
    result = run(
        [],
        tmp_path,
        30,
        **NOWHERE,
        DISPATCH__SAFETY_POLL="-PT5M",
        SCHEDULE__SNOOZE="PT1M",
        LOG_LEVEL="verbose",
        DISPATCH__BATCH_SIZE="0",
        SCHEDULE__THANK_YOU_EMAIL_AFTER="7200",  # seconds: accepted
    )
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[:-1] == [
        "LOG_LEVEL: must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL (got 'verbose')",
        "SCHEDULE__SNOOZE: must be at least 5 minutes (got 'PT1M')",
        "DISPATCH__BATCH_SIZE: must be at least 1 (got '0')",
        "DISPATCH__SAFETY_POLL: must be at least 1 second (got '-PT5M')",
    ]
    assert "see .env.example" in lines[-1]
    assert "not-a-real-token" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing created


def test_misspelt_settings_are_refused_naming_the_one_meant(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SCHEDULE__SNOOZ=PT1M\nLOGLEVEL=debug\n")
    result = run([], tmp_path, 30, **NOWHERE, SCHEDULE__THANK_YOU_EMAIL="PT2H", EDITOR="vi")
    assert result.returncode == 2
    assert sorted(result.stderr.splitlines()[:-1]) == [
        "LOGLEVEL: not a setting; did you mean LOG_LEVEL?",
        "SCHEDULE__SNOOZ: not a setting; did you mean SCHEDULE__SNOOZE?",
        "SCHEDULE__THANK_YOU_EMAIL: not a setting; did you mean SCHEDULE__THANK_YOU_EMAIL_AFTER?",
    ]
    assert sorted(path.name for path in tmp_path.iterdir()) == [".env"]  # nothing created


# Start-up failures: one line, a non-zero status, at once (no process left hanging by the database's thread)


def _migrated(path: Path, directory: Path = PROJECT_ROOT / "migrations" / "sqlite") -> None:
    async def migrate() -> None:
        db = await Database.open(path)
        await db.migrate(directory)
        await db.close()

    asyncio.run(migrate())


def _corrupt(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "bot.db").write_text("my private notes, not a database\n" * 100)
    return {"DATABASE_PATH": tmp_path / "bot.db"}


def _read_only(tmp_path: Path) -> dict[str, Path]:
    _migrated(tmp_path / "bot.db")
    make_read_only(tmp_path / "bot.db")
    return {"DATABASE_PATH": tmp_path / "bot.db"}


def _from_a_newer_build(tmp_path: Path) -> dict[str, Path]:
    newer = tmp_path / "newer-migrations"
    shutil.copytree(PROJECT_ROOT / "migrations" / "sqlite", newer)
    (newer / "0900_tags.sql").write_text("CREATE TABLE tags (id INTEGER PRIMARY KEY);\n")
    _migrated(tmp_path / "bot.db", newer)
    return {"DATABASE_PATH": tmp_path / "bot.db"}


def _misnamed_migration(tmp_path: Path) -> dict[str, Path]:
    directory = tmp_path / "migrations"
    shutil.copytree(PROJECT_ROOT / "migrations" / "sqlite", directory)
    (directory / "5_Add Tags.sql").write_text("CREATE TABLE tags (id INTEGER PRIMARY KEY);\n")
    return {"DATABASE_PATH": tmp_path / "bot.db", "MIGRATIONS_DIR": directory}


def _missing_migrations(tmp_path: Path) -> dict[str, Path]:
    return {"DATABASE_PATH": tmp_path / "bot.db", "MIGRATIONS_DIR": tmp_path / "no-such-dir"}


def _unreachable_postgres(tmp_path: Path) -> dict[str, Path | str]:
    return {"DATABASE_URL": "postgresql://bot:s3cret@127.0.0.1:9/follow_through"}


KNOWN = load_migrations(PROJECT_ROOT / "migrations" / "sqlite")[-1].version
STARTUP_FAILURES: dict[str, tuple[Callable[[Path], dict[str, Path | str]], str]] = {
    "corrupt": (_corrupt, "DATABASE_PATH: cannot use {tmp}/bot.db: file is not a database"),
    "read-only": (_read_only, "DATABASE_PATH: cannot use {tmp}/bot.db: attempt to write a readonly database"),
    "newer": (
        _from_a_newer_build,
        f"DATABASE_PATH: the database is at version 900, and this build knows versions up to {KNOWN}",
    ),
    "misnamed": (_misnamed_migration, "MIGRATIONS_DIR: migration file 5_Add Tags.sql is not named NNNN_name.sql"),
    "missing": (_missing_migrations, "MIGRATIONS_DIR: no such directory: {tmp}/no-such-dir"),
    "unreachable PostgreSQL": (
        _unreachable_postgres,
        "DATABASE_URL: cannot connect to postgresql://bot:***@127.0.0.1:9/follow_through: ",
    ),
}


@pytest.mark.parametrize("case", list(STARTUP_FAILURES))
def test_a_start_up_failure_exits_at_once_with_one_line_naming_the_setting(tmp_path: Path, case: str) -> None:
    make, expected = STARTUP_FAILURES[case]
    settings = make(tmp_path)
    started = time.monotonic()
    result = run([], tmp_path, 30, **NOWHERE, **settings)  # a hang fails with TimeoutExpired
    assert time.monotonic() - started < 10
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    last = result.stderr.splitlines()[-1]
    assert last.startswith("Follow-Through did not start. " + expected.format(tmp=tmp_path.resolve())), last
    assert "s3cret" not in result.stderr


def test_relative_paths_are_read_from_the_current_directory_and_logged_in_full(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    result = run([], tmp_path, 30, **NOWHERE, DATABASE_PATH="data/bot.db")
    assert (tmp_path / "data" / "bot.db").exists()
    assert not (PROJECT_ROOT / "data").exists()
    assert f"database {tmp_path.resolve()}/data/bot.db" in result.stderr
    assert f"migrations from {PROJECT_ROOT}/migrations" in result.stderr
    # Discord is not there: that too is one line and a non-zero status.
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith(
        "Follow-Through did not start. DISCORD_API_BASE: cannot reach Discord (http://127.0.0.1:9/api/v10)"
    )


def test_a_metrics_port_in_use_stops_the_start_with_one_line_naming_it(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run([], tmp_path, 30, **NOWHERE, DATABASE_PATH=tmp_path / "bot.db", METRICS_PORT=str(port))
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith(
        f"Follow-Through did not start. METRICS_PORT: cannot listen on 127.0.0.1:{port}: "
    ), result.stderr

"""The token never reaches a log line or a reply, even at DEBUG level and through errors and reconnects; nor do
seekers' private notes or interaction tokens reach the logs, at any level, in the process or in its output."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import App
from bot.clocks import ManualClock
from bot.sandbox.discord import Sandbox, SandboxUser
from bot.sandbox.local_bot import running_bot, sandbox_settings
from tests.e2e.helpers import reply

pytestmark = pytest.mark.e2e

TOKEN = "MTk4NjIy.secret-token.Xy9-never-log-me"
NOTES = "Private: salary floor 95k, recruiter Dana says the team lead is leaving"


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox(token=TOKEN) as sb:
        yield sb


async def test_the_token_is_never_logged_or_shown(
    sandbox: Sandbox, maya: SandboxUser, tmp_path: Path, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = sandbox_settings(sandbox, tmp_path / "secrets.db")
    assert TOKEN not in repr(settings) and TOKEN not in str(settings.model_dump())
    async with running_bot(sandbox, settings, clock) as app:
        added = await sandbox.slash(
            maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm", "notes": NOTES}
        )
        bad = await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "never"})
        broken = await _unexpected_error(app, sandbox, maya)
        await sandbox.drop_gateway()
        await sandbox.wait_for_resume()
    assert "Something went wrong" in reply(broken)
    for result in (bad, broken):
        assert TOKEN not in reply(result)
    assert any("RESUME" in r.getMessage() for r in caplog.records)  # DEBUG logging really was on
    assert TOKEN not in caplog.text
    assert any("INTERACTION_CREATE" in r.getMessage() for r in caplog.records)  # the gateway events were logged
    assert any("/callback" in r.getMessage() for r in caplog.records)  # and the requests answering them
    # What the bot's process logs; the sandbox (which plays Discord, and its web server) may see tokens.
    bots = "\n".join(
        f"{r.getMessage()} {r.exc_text or ''}"
        for r in caplog.records
        if not r.name.startswith(("bot.sandbox", "aiohttp"))
    )
    assert NOTES not in bots
    for result in (added, bad, broken):
        assert result.token not in bots


async def _unexpected_error(app: App, sandbox: Sandbox, maya: SandboxUser) -> object:
    """A bug in a command (here: the database closed under it) is logged and answered generically."""

    async def broken(*_: object, **__: object) -> None:
        raise RuntimeError("the database is gone")

    app.interviews.list_interviews = broken  # type: ignore[method-assign,assignment]
    return await sandbox.slash(maya, "interview list", {})


@pytest.mark.parametrize("log_format", ["text", "json"])
async def test_the_bot_process_writes_no_notes_tokens_or_colour_codes_at_debug(
    sandbox: Sandbox, maya: SandboxUser, tmp_path: Path, log_format: str
) -> None:
    """`python -m bot` with LOG_LEVEL=DEBUG, its log in a pipe: what an operator's log file would hold, each
    line naming the process (as text, or as one JSON object a line)."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DISCORD_TOKEN": sandbox.token,
        "DISCORD_API_BASE": sandbox.api_base,
        "DISCORD_GATEWAY_URL": sandbox.gateway_url,
        "DATABASE_PATH": str(tmp_path / "debug.db"),
        "LOG_LEVEL": "DEBUG",
        "LOG_FORMAT": log_format,
    }
    bot = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await sandbox.wait_for_ready(30)
        added = await sandbox.slash(
            maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "tomorrow 2pm", "notes": NOTES}
        )
    finally:
        bot.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(bot.communicate(), 30)
    log = stderr.decode()
    if log_format == "json":
        entries = [json.loads(line) for line in log.splitlines()]
        assert {entry["pid"] for entry in entries} == {bot.pid}
        assert {entry["level"] for entry in entries} >= {"DEBUG", "INFO"}
    else:
        stamped = [line for line in log.splitlines() if re.match(r"\d{4}-\d\d-\d\d \d\d:", line)]
        assert stamped and all(re.match(rf"\S+ \S+ [A-Z]+ +{bot.pid} ", line) for line in stamped)
    assert "INTERACTION_CREATE" in log  # DEBUG logging really was on
    assert "/callback" in log  # and so was discord.py's request logging
    assert "\x1b[" not in log  # no colour codes in a pipe
    assert NOTES not in log and "salary" not in log
    assert added.token not in log
    assert TOKEN not in log
    assert "WebSocket Event: op=0 t=INTERACTION_CREATE s=" in log  # the event is still there, without its payload

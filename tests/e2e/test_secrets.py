"""The token never reaches a log line or a reply, even at DEBUG level and through errors and reconnects."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import App
from bot.core.ports import ManualClock
from bot.local import running_bot, sandbox_settings
from bot.sandbox import Sandbox, SandboxUser
from tests.e2e.helpers import reply

pytestmark = pytest.mark.e2e

TOKEN = "MTk4NjIy.secret-token.Xy9-never-log-me"


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
        await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
        bad = await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "never"})
        broken = await _unexpected_error(app, sandbox, maya)
        await sandbox.drop_gateway()
        await sandbox.wait_for_resume()
    assert "Something went wrong" in reply(broken)
    for result in (bad, broken):
        assert TOKEN not in reply(result)
    assert any("RESUME" in r.getMessage() for r in caplog.records)  # DEBUG logging really was on
    assert TOKEN not in caplog.text


async def _unexpected_error(app: App, sandbox: Sandbox, maya: SandboxUser) -> object:
    """A bug in a command (here: the database closed under it) is logged and answered generically."""

    async def broken(*_: object, **__: object) -> None:
        raise RuntimeError("the database is gone")

    app.services.list_interviews = broken  # type: ignore[method-assign,assignment]
    return await sandbox.slash(maya, "interview list", {})

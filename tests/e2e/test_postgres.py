"""The real bot on PostgreSQL: `DATABASE_URL` set, the same App as `python -m bot`, the real discord.py client
through the local Discord, on a manual clock. The App migrates the empty database itself, as at a first start."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest
from pydantic import SecretStr

from bot.clocks import ManualClock
from bot.sandbox.discord import Sandbox, SandboxUser
from bot.sandbox.local_bot import running_bot, sandbox_settings
from bot.settings import DispatchSettings
from tests.e2e.helpers import shown
from tests.postgres import Server
from tests.support import utc

pytestmark = pytest.mark.e2e


async def test_an_interview_logged_on_postgresql_is_nudged(
    sandbox: Sandbox, maya: SandboxUser, clock: ManualClock, postgres_server: Server, tmp_path: Path
) -> None:
    async with postgres_server.database(migrated=False) as url:
        settings = sandbox_settings(
            sandbox,
            tmp_path / "unused.db",
            database_url=SecretStr(url),
            dispatch=DispatchSettings(send_rate=0, safety_poll=timedelta(hours=1)),
            ask_timezone=False,
        )
        async with running_bot(sandbox, settings, clock):
            added = await sandbox.slash(
                maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"}
            )
            assert added.ephemeral and "Acme" in shown(added.message)
            clock.set(utc(2026, 11, 25, 16))  # the thank-you email and "what happens next" fall due
            dms = await sandbox.wait_for_dms(maya, 2)
            thank_you = next(m for m in dms if m.embeds[0]["title"] == "Send a thank-you email: Acme: Analyst")
            done = await sandbox.click(maya, thank_you, thank_you.button("Done"))
            assert "Done" in shown(done.message)
        conn = await asyncpg.connect(url)
        try:
            stored = await conn.fetch("SELECT kind, status, claimant, sent_at FROM follow_ups ORDER BY id")
        finally:
            await conn.close()
    assert not (tmp_path / "unused.db").exists()  # DATABASE_URL set: no SQLite file
    by_kind = {row["kind"]: row for row in stored}
    assert by_kind["thank_you_email"]["status"] == "done"
    assert by_kind["next_steps"]["status"] == "sent"
    assert by_kind["next_steps"]["sent_at"] == utc(2026, 11, 25, 16)
    assert all(row["claimant"] is None for row in stored)  # every claim ended with its mark

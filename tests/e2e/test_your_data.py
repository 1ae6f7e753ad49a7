"""/mydata export and delete through the real client."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.app import App
from bot.clocks import ManualClock
from bot.sandbox.discord import Sandbox, SandboxUser
from tests.e2e.helpers import actor, reply, shown, stored_user
from tests.support import dump

pytestmark = pytest.mark.e2e


async def test_export_returns_the_record_as_json_and_interviews_as_csv(
    app: App, sandbox: Sandbox, maya: SandboxUser
) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
    result = await sandbox.slash(maya, "mydata export", {})
    assert result.ephemeral and result.message is not None
    files = {a.filename: a for a in result.message.attachments}
    record = json.loads(files["follow-through-data.json"].text())
    assert [i["company"] for i in record["tables"]["interviews"]] == ["Acme"]
    assert len(record["tables"]["follow_ups"]) == 4
    assert files["interviews.csv"].text().splitlines()[1].split(",")[1] == "Acme"


async def test_delete_asks_first_then_removes_everything(
    app: App, sandbox: Sandbox, maya: SandboxUser, omar: SandboxUser, clock: ManualClock
) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
    await sandbox.slash(omar, "interview add", {"company": "Globex", "role": "PM", "when": "today 1pm"})
    asked = await sandbox.slash(maya, "mydata delete", {})
    assert asked.ephemeral and asked.message is not None
    assert "cannot be undone" in reply(asked)
    assert len(await app.interviews.list_interviews(actor(maya))) == 1  # nothing deleted before the click

    gone = await sandbox.click(maya, asked.message, asked.message.button("Delete everything"))
    assert "Deleted" in shown(gone.message)
    assert await stored_user(app, maya) is None
    tables = await dump(app.db)
    assert [row[2] for row in tables["interviews"]] == ["Globex"]  # Omar's data stays


async def test_an_old_delete_prompt_does_nothing(
    app: App, sandbox: Sandbox, maya: SandboxUser, clock: ManualClock
) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
    asked = await sandbox.slash(maya, "mydata delete", {})
    assert asked.message is not None
    before = await dump(app.db)
    clock.advance(timedelta(minutes=11))  # the prompt lasts ten minutes; nothing falls due meanwhile
    stale = await sandbox.click(maya, asked.message, asked.message.button("Delete everything"))
    assert "expired" in reply(stale)
    assert await dump(app.db) == before

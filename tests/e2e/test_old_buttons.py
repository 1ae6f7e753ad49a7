"""Buttons on nudges that are out of date say what is true, and change nothing."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.clocks import ManualClock
from bot.sandbox.discord import Sandbox, SandboxUser
from tests.e2e.helpers import nudge, reply, stored_user
from tests.support import dump, utc

pytestmark = pytest.mark.e2e


async def test_done_after_an_outcome_says_the_interview_was_closed(
    app: App, sandbox: Sandbox, maya: SandboxUser, clock: ManualClock
) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
    clock.set(utc(2026, 11, 25, 16))
    thank_you = await nudge(sandbox, maya, "Send a thank-you email")
    await sandbox.slash(maya, "interview outcome", {"interview": "Acme", "result": "offer"})
    await app.dispatcher.wait_idle()
    before = await dump(app.db)
    done = await sandbox.click(maya, thank_you, thank_you.button("Done"))
    assert "was closed (offer) on Wed 25 Nov; nothing to do" in reply(done)
    assert "Nice follow-through" not in reply(done)
    assert await dump(app.db) == before


async def test_buttons_after_mydata_delete_say_the_message_is_from_before(
    app: App, sandbox: Sandbox, maya: SandboxUser, clock: ManualClock
) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
    clock.set(utc(2026, 11, 25, 16))
    thank_you = await nudge(sandbox, maya, "Send a thank-you email")
    await app.dispatcher.wait_idle()
    prompt = await sandbox.slash(maya, "mydata delete", {})
    assert prompt.message is not None
    await sandbox.click(maya, prompt.message, prompt.message.button("Delete everything"))
    for button in ("Done", "Snooze 1 day"):
        clicked = await sandbox.click(maya, thank_you, thank_you.button(button))
        assert "If you deleted your data (/mydata delete), this message is from before that" in reply(clicked)
        assert clicked.ephemeral
    assert await stored_user(app, maya) is None  # a click on an old message stores nothing about her again

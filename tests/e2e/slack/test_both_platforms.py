"""Discord and Slack in one process: one database, one dispatcher, each nudge sent on its user's platform."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.app import App
from bot.clocks import ManualClock
from bot.domain.models import FollowUpKind
from bot.sandbox.discord import Sandbox
from bot.sandbox.local_bot import READY_TIMEOUT, sandbox_settings
from bot.sandbox.slack import SlackSandbox
from bot.settings import DispatchSettings
from tests.e2e.helpers import nudge as discord_nudge
from tests.e2e.slack.test_slack_seeker import INTERVIEW, log_interview, nudge
from tests.support import utc

pytestmark = pytest.mark.e2e


@contextlib.asynccontextmanager
async def both(discord: Sandbox, slack: SlackSandbox, path: Path, clock: ManualClock) -> AsyncIterator[App]:
    settings = sandbox_settings(
        discord,
        path,
        slack_bot_token=SecretStr(slack.bot_token),
        slack_app_token=SecretStr(slack.app_token),
        slack_api_base_url=slack.api_url,
        dispatch=DispatchSettings(send_rate=0, safety_poll=timedelta(hours=1)),
        ask_timezone=False,
    )
    app = await App.build(settings, clock, guild_ready_timeout=0.1)
    clock.on_change(app.dispatcher.wake)
    task = asyncio.create_task(app.start())
    try:
        await discord.wait_for_ready(READY_TIMEOUT, sessions=discord.gateway_sessions + 1)
        await asyncio.wait_for(app.bot.wait_until_ready(), READY_TIMEOUT)
        await slack.wait_for_connection(1, timeout=READY_TIMEOUT)
        yield app
    finally:
        await app.close()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_each_nudge_goes_out_on_its_user_s_platform(
    slack: SlackSandbox, tmp_path: Path, clock: ManualClock
) -> None:
    async with Sandbox() as discord, both(discord, slack, tmp_path / "both.db", clock) as app:
        assert sorted(p.name for p in app.platforms) == ["discord", "slack"]
        maya = discord.add_user("maya")
        omar = slack.add_user("omar", tz="UTC")
        await discord.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
        await log_interview(slack, omar, {**INTERVIEW, "company": "Globex", "when": "today 2pm"})
        clock.set(utc(2026, 11, 25, 16))
        on_discord = await discord_nudge(discord, maya, FollowUpKind.THANK_YOU_EMAIL.label)
        on_slack = await nudge(slack, omar, FollowUpKind.THANK_YOU_EMAIL.label)
        assert "Acme" in on_discord.embeds[0]["title"]
        assert "Globex" in on_slack.text and "Acme" not in str([m.text for m in slack.messages])

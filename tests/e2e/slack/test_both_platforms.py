"""Discord and Slack in one process: one database, one dispatcher, each nudge sent on its user's platform."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import App
from bot.clocks import ManualClock
from bot.domain.models import FollowUpKind
from bot.sandbox.discord import Sandbox
from bot.sandbox.local_bot import both_sandbox_settings, running_bot
from bot.sandbox.slack import SlackSandbox
from bot.settings import DispatchSettings
from tests.e2e.helpers import nudge as discord_nudge
from tests.e2e.slack.test_slack_seeker import INTERVIEW, log_interview, nudge
from tests.support import utc

pytestmark = pytest.mark.e2e


@contextlib.asynccontextmanager
async def both(discord: Sandbox, slack: SlackSandbox, path: Path, clock: ManualClock) -> AsyncIterator[App]:
    settings = both_sandbox_settings(
        discord, slack, path, dispatch=DispatchSettings(send_rate=0, safety_poll=timedelta(hours=1)), ask_timezone=False
    )
    async with running_bot(discord, settings, clock, slack=slack) as app:
        yield app


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

"""The real bot (the same App as `python -m bot`, slack_bolt in Socket Mode) against the local Slack, on a
manual clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import App
from bot.clocks import ManualClock
from bot.sandbox.local_bot import running_slack_bot, slack_sandbox_settings
from bot.sandbox.slack import SlackSandbox
from bot.settings import DispatchSettings, Settings


@pytest.fixture(autouse=True)
def no_proxies_or_oauth(monkeypatch: pytest.MonkeyPatch) -> None:
    """slack_sdk reads proxies from the environment (ignoring NO_PROXY); Bolt reads OAuth's client id."""
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.setenv(name, "")
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
async def slack() -> AsyncIterator[SlackSandbox]:
    async with SlackSandbox(latency=0.01) as sandbox:
        yield sandbox


@pytest.fixture
def slack_settings(slack: SlackSandbox, tmp_path: Path) -> Settings:
    return slack_sandbox_settings(
        slack, tmp_path / "slack.db", dispatch=DispatchSettings(send_rate=0, safety_poll=timedelta(hours=1))
    )


@pytest.fixture
async def slack_app(slack: SlackSandbox, slack_settings: Settings, clock: ManualClock) -> AsyncIterator[App]:
    async with running_slack_bot(slack, slack_settings, clock) as running:
        yield running

"""/healthz over real HTTP from the bot on the local Slack: ready once Socket Mode is connected, not ready while
the local Slack is down, ready again after the SDK reconnects."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.clocks import ManualClock
from bot.sandbox.local_bot import running_slack_bot, slack_sandbox_settings
from bot.sandbox.slack import SlackSandbox
from bot.settings import DispatchSettings
from tests.e2e.test_operations import free_port

pytestmark = pytest.mark.e2e


async def healthz(port: int) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}/healthz") as response,
    ):
        return response.status, await response.text()


async def until(port: int, expected: tuple[int, str], timeout: float = 30.0) -> None:
    """Ask /healthz until it answers `expected` (the SDK notices a dropped socket, and reconnects, on its own)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while (answer := await healthz(port)) != expected:
        assert loop.time() < deadline, f"/healthz still answers {answer}, not {expected}"
        await asyncio.sleep(0.05)


async def test_healthz_follows_the_socket_mode_connection(
    slack: SlackSandbox, tmp_path: Path, clock: ManualClock
) -> None:
    port = free_port()
    settings = slack_sandbox_settings(
        slack,
        tmp_path / "slack.db",
        dispatch=DispatchSettings(send_rate=0, safety_poll=timedelta(hours=1)),
        metrics_port=port,
    )
    async with running_slack_bot(slack, settings, clock):
        await until(port, (200, "ready\n"))
        async with slack.outage():
            await until(port, (503, "not ready: slack\n"))
        await until(port, (200, "ready\n"))

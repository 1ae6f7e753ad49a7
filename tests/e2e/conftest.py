"""The real bot (the same App as `python -m bot`) against the local Discord sandbox, on a manual clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import App
from bot.clocks import ManualClock
from bot.sandbox.discord import Sandbox, SandboxUser
from bot.sandbox.local_bot import running_bot, sandbox_settings
from bot.settings import DispatchSettings, Settings


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox() as sb:
        yield sb


@pytest.fixture
def maya(sandbox: Sandbox) -> SandboxUser:
    return sandbox.add_user("maya")


@pytest.fixture
def omar(sandbox: Sandbox) -> SandboxUser:
    return sandbox.add_user("omar")


@pytest.fixture
def settings(sandbox: Sandbox, tmp_path: Path) -> Settings:
    """Users start in UTC without being asked: tests/e2e/test_zones.py covers the zone prompt."""
    return sandbox_settings(
        sandbox,
        tmp_path / "e2e.db",
        dispatch=DispatchSettings(send_rate=0, safety_poll=timedelta(hours=1)),
        ask_timezone=False,
    )


@pytest.fixture
async def app(sandbox: Sandbox, settings: Settings, clock: ManualClock) -> AsyncIterator[App]:
    async with running_bot(sandbox, settings, clock) as running:
        yield running

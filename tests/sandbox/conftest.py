"""A started sandbox with a small world, and the tiny real bot logged in to it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import discord
import pytest
import yarl

from bot.sandbox.discord import Sandbox, SandboxGuild, SandboxUser
from tests.sandbox.tiny_bot import TinyBot


class ManualClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class World:
    alice: SandboxUser
    bob: SandboxUser
    """Has DMs closed."""
    guild: SandboxGuild


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def sandbox_options() -> dict[str, Any]:
    """Override with ``@pytest.mark.parametrize("sandbox_options", [{...}])``."""
    return {}


@pytest.fixture
async def sandbox(
    monkeypatch: pytest.MonkeyPatch, clock: ManualClock, sandbox_options: dict[str, Any]
) -> AsyncIterator[Sandbox]:
    async with Sandbox(clock=clock, **sandbox_options) as sb:
        monkeypatch.setattr(discord.http.Route, "BASE", sb.api_base)
        monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(sb.gateway_url))
        yield sb


@pytest.fixture
def world(sandbox: Sandbox) -> World:
    alice = sandbox.add_user("alice")
    bob = sandbox.add_user("bob", dms_open=False)
    return World(alice, bob, sandbox.add_guild("Job Club", members=[alice, bob]))


@pytest.fixture
async def bot(sandbox: Sandbox, world: World) -> AsyncIterator[TinyBot]:
    tiny = TinyBot()
    running = asyncio.create_task(tiny.start(sandbox.token))
    try:
        await sandbox.wait_for_ready()
        await sandbox.wait_for_commands()
        await asyncio.wait_for(tiny.wait_until_ready(), 5)
        yield tiny
    finally:
        await tiny.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(running, 5)

"""Running the real bot against the local Discord or Slack sandbox: for the demo and the end-to-end tests."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.app import App
from bot.clocks import ManualClock
from bot.ports.clock import Clock
from bot.sandbox.discord import Sandbox
from bot.sandbox.slack import SlackSandbox
from bot.settings import Settings

READY_TIMEOUT = 15.0


def sandbox_settings(sandbox: Sandbox, database_path: Path, **overrides: Any) -> Settings:
    """Settings that point the bot at `sandbox`, leaving everything else at its default."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]  # a developer's .env must not leak into tests or the demo
        discord_token=SecretStr(sandbox.token),
        discord_api_base=sandbox.api_base,
        discord_gateway_url=sandbox.gateway_url,
        database_path=database_path,
        **overrides,
    )


def both_sandbox_settings(discord: Sandbox, slack: SlackSandbox, database_path: Path, **overrides: Any) -> Settings:
    """Settings that point the bot at the local Discord and the local Slack at once: one process, one database."""
    return sandbox_settings(
        discord,
        database_path,
        slack_bot_token=SecretStr(slack.bot_token),
        slack_app_token=SecretStr(slack.app_token),
        slack_api_base_url=slack.api_url,
        **overrides,
    )


@contextlib.asynccontextmanager
async def running_bot(
    sandbox: Sandbox, settings: Settings, clock: Clock | None = None, slack: SlackSandbox | None = None
) -> AsyncIterator[App]:
    """Start the bot as `python -m bot` would, wait until it is connected (each of its shards, or, with
    SHARD_IDS empty, logged in over REST) and its commands are synced; with `slack` (see
    both_sandbox_settings), until its Socket Mode connection is up too."""
    app = await App.build(settings, clock, guild_ready_timeout=0.1)
    if isinstance(clock, ManualClock):
        clock.on_change(app.dispatcher.wake)
        clock.on_change(app.digests.wake)
    shards = len(settings.shard_ids) if settings.shard_ids is not None else settings.shard_count or 1
    sessions = sandbox.gateway_sessions + shards
    connections = len(slack.connections) + 1 if slack is not None else 0
    task = asyncio.create_task(app.start(), name="follow-through-bot")
    try:
        if shards:
            await sandbox.wait_for_ready(READY_TIMEOUT, sessions=sessions)
            await asyncio.wait_for(app.bot.wait_until_ready(), READY_TIMEOUT)
        else:
            await sandbox.wait_until(lambda: app.bot.user is not None, timeout=READY_TIMEOUT, what="the bot to log in")
        if slack is not None:
            await slack.wait_for_connection(connections, timeout=READY_TIMEOUT)
        yield app
    finally:
        await app.close()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def slack_sandbox_settings(sandbox: SlackSandbox, database_path: Path, **overrides: Any) -> Settings:
    """Settings that point the bot at the local Slack (and no Discord), leaving everything else at its default."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]  # a developer's .env must not leak into tests or the demo
        slack_bot_token=SecretStr(sandbox.bot_token),
        slack_app_token=SecretStr(sandbox.app_token),
        slack_api_base_url=sandbox.api_url,
        database_path=database_path,
        **overrides,
    )


@contextlib.asynccontextmanager
async def running_slack_bot(
    sandbox: SlackSandbox, settings: Settings, clock: Clock | None = None
) -> AsyncIterator[App]:
    """Start the bot as `python -m bot` would and wait until its Socket Mode connection is up."""
    app = await App.build(settings, clock)
    if isinstance(clock, ManualClock):
        clock.on_change(app.dispatcher.wake)
        clock.on_change(app.digests.wake)
    connections = len(sandbox.connections) + 1
    task = asyncio.create_task(app.start(), name="follow-through-bot")
    try:
        await sandbox.wait_for_connection(connections, timeout=READY_TIMEOUT)
        yield app
    finally:
        await app.close()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

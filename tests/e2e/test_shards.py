"""Discord's gateway shards (SHARD_COUNT, SHARD_IDS): each process holds some shards and receives only their
guilds' interactions (DMs on shard 0); a process without shards still sends nudges over REST."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.clocks import ManualClock
from bot.sandbox.discord import Sandbox
from bot.sandbox.local_bot import running_bot, sandbox_settings
from bot.settings import DispatchSettings, Settings
from tests.e2e.helpers import nudge, reply, stored_user
from tests.support import utc

pytestmark = pytest.mark.e2e

ADD = {"company": "Acme", "role": "Analyst", "when": "today 2pm"}


def settings(sandbox: Sandbox, database: Path, **overrides: Any) -> Settings:
    return sandbox_settings(
        sandbox,
        database,
        dispatch=DispatchSettings(send_rate=0, safety_poll=timedelta(hours=1)),
        ask_timezone=False,
        **overrides,
    )


async def test_each_process_receives_only_its_shards_interactions_and_dms_arrive_on_shard_0(
    tmp_path: Path, clock: ManualClock
) -> None:
    async with Sandbox(shard_count=2) as sandbox:
        ana, ben, cara = sandbox.add_user("ana"), sandbox.add_user("ben"), sandbox.add_user("cara")
        even = sandbox.add_guild("Even", [ana, ben], shard=(0, 2))
        odd = sandbox.add_guild("Odd", [ana, ben], shard=(1, 2))
        # One database each, so each process's rows say which interactions reached it.
        zero_settings = settings(sandbox, tmp_path / "zero.db", shard_count=2, shard_ids=[0])
        one_settings = settings(sandbox, tmp_path / "one.db", shard_count=2, shard_ids=[1])
        async with running_bot(sandbox, zero_settings, clock) as zero, running_bot(sandbox, one_settings, clock) as one:
            assert sorted(sandbox.shard_sessions()) == [0, 1]
            assert [g.id for g in zero.bot.guilds] == [even.id]
            assert [g.id for g in one.bot.guilds] == [odd.id]

            assert "Acme" in reply(await sandbox.slash(ana, "interview add", ADD, guild=odd))
            assert "Acme" in reply(await sandbox.slash(ben, "interview add", ADD, guild=even))
            assert "Acme" in reply(await sandbox.slash(cara, "interview add", ADD))  # in DMs

            assert await stored_user(one, ana) is not None
            assert [await stored_user(one, u) for u in (ben, cara)] == [None, None]
            assert await stored_user(zero, ana) is None
            assert None not in [await stored_user(zero, u) for u in (ben, cara)]
            assert sandbox.shard_received(0).count("INTERACTION_CREATE") == 2
            assert sandbox.shard_received(1).count("INTERACTION_CREATE") == 1


async def test_a_process_without_shards_opens_no_gateway_and_still_sends_a_due_nudge(
    tmp_path: Path, clock: ManualClock
) -> None:
    async with Sandbox() as sandbox:
        maya = sandbox.add_user("maya")
        database = tmp_path / "shared.db"
        async with running_bot(sandbox, settings(sandbox, database), clock):
            await sandbox.slash(maya, "interview add", ADD)
        sessions = sandbox.gateway_sessions
        clock.set(utc(2026, 11, 25, 16, 30))  # the thank-you email fell due at 16:00, while nothing ran
        async with running_bot(sandbox, settings(sandbox, database, shard_ids=[]), clock) as rest_only:
            await nudge(sandbox, maya, "Send a thank-you email")
            assert rest_only.discord is not None and await rest_only.discord.connected()
        assert sandbox.gateway_sessions == sessions  # it never IDENTIFYed

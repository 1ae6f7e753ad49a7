"""Slash commands under load: many seekers run `/interview add` at the same moment, then `/followups`.

Acknowledgement time is measured in the sandbox (the benchmark's process), on one monotonic clock: from
the creation of each interaction, just before its INTERACTION_CREATE goes out on the gateway, to the
sandbox's record of the bot's callback request (stamped once the response to it has been written).
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from bench import dataset
from bench.botproc import BotProcess, bot_process
from bench.report import Section, Target, percentile
from bot.sandbox.discord import InteractionResult, Sandbox, SandboxUser
from bot.sandbox.discord.commands import OptionValue

CALLBACK = "POST /interactions/{interaction_id}/{token}/callback"
READY_TIMEOUT = 30.0
ANSWER_TIMEOUT = 60.0
SETTLE = 1.0


@dataclass(frozen=True)
class Round:
    acks: list[float]  # seconds from each interaction's creation to the bot's callback
    errors: int  # replies that were an error message
    bot_cpu: float  # seconds of the bot's CPU for the whole round
    sandbox_cpu: float  # seconds of this process's CPU (the sandbox) for the whole round
    seconds: float  # the whole round, wall clock

    @property
    def sandbox_busy(self) -> float:
        """The share of the round the sandbox's process was on the CPU: near 1 would make it the bottleneck."""
        return self.sandbox_cpu / self.seconds


async def _round(
    sandbox: Sandbox,
    bot: BotProcess,
    seekers: list[SandboxUser],
    command: str,
    options: Sequence[Mapping[str, OptionValue]],
) -> Round:
    bot_cpu, sandbox_cpu, started = bot.cpu_seconds(), time.process_time(), time.monotonic()
    results = await asyncio.gather(
        *(sandbox.slash(s, command, o, timeout=ANSWER_TIMEOUT) for s, o in zip(seekers, options, strict=True))
    )
    bot_cpu, sandbox_cpu = bot.cpu_seconds() - bot_cpu, time.process_time() - sandbox_cpu
    answered_at = {int(r.path.split("/")[4]): r.at for r in sandbox.requests if r.route == CALLBACK}
    acks = [answered_at[r.id] - r.created_at for r in results]
    errors = sum(1 for r in results if _is_error(r))
    return Round(acks, errors, bot_cpu, sandbox_cpu, time.monotonic() - started)


def _is_error(result: InteractionResult) -> bool:
    message = result.message
    return message is None or any(e.get("description", "").startswith("❌") for e in message.embeds)


async def run(workdir: Path, users: int) -> Section:
    section = Section("commands")
    path = workdir / "commands.db"
    await dataset.create(path)
    async with Sandbox() as sandbox:
        seekers = [sandbox.add_user(f"seeker{i}") for i in range(users)]
        # Seekers who chose their zone already: the command itself is measured, not the one-time zone prompt.
        async with bot_process(sandbox, path, workdir, ASK_TIMEZONE="false") as bot:
            await bot.ready(sandbox, READY_TIMEOUT)
            await sandbox.wait_for_commands("interview add", "followups")
            interviews = [
                {"company": f"Company {i}", "role": "Data Analyst", "when": "tomorrow 3pm"} for i in range(users)
            ]
            add = await _round(sandbox, bot, seekers, "interview add", interviews)
            listing = await _round(sandbox, bot, seekers, "followups", [{}] * users)
            # After each reply the bot still runs on_app_command_completion; stopping it sooner closes
            # the database under those handlers (the bot logs "Cannot operate on a closed database").
            await asyncio.sleep(SETTLE)
    with closing(sqlite3.connect(path)) as conn:
        (recorded,) = conn.execute("SELECT count(*) FROM interviews").fetchone()
    for command, result, target in (("/interview add", add, Target(250)), ("/followups", listing, None)):
        label = f"{command} acknowledged, {users} users at once"
        section.add(f"{label} (p50)", percentile(result.acks, 50) * 1000, "ms")
        section.add(f"{label} (p99)", percentile(result.acks, 99) * 1000, "ms", target)
        section.add(f"{command}: bot CPU per command", result.bot_cpu / users * 1000, "ms")
    section.details = {
        "users": users,
        "errors_shown": {"interview add": add.errors, "followups": listing.errors},
        "interviews_recorded": recorded,
        "sandbox_cpu_ms_per_command": {
            "interview add": add.sandbox_cpu / users * 1000,
            "followups": listing.sandbox_cpu / users * 1000,
        },
        "sandbox_busy_share": {"interview add": add.sandbox_busy, "followups": listing.sandbox_busy},
        "max_ms": {"interview add": max(add.acks) * 1000, "followups": max(listing.acks) * 1000},
    }
    section.problems = bot.problems
    return section

"""Draining a backlog: many nudges due at once, through the real discord.py client, with pacing off.

The seekers' DM channels are already known (the steady state: one request per nudge), the sandbox's rate
limit is raised out of the way and the bot runs with DISPATCH__SEND_RATE=0, so what is measured is the
bot's own cost per nudge: claiming, building the embed and buttons, the HTTP request, marking it sent.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from bench import dataset
from bench.botproc import SendCounter, bot_process, nudges
from bench.dataset import Seeker
from bench.report import Section, Target
from bot.sandbox.discord import RateLimitPolicy, Sandbox

READY_TIMEOUT = 30.0
UNLIMITED = RateLimitPolicy(limit=10**9, window=1.0)


async def run(workdir: Path, count: int, users: int, lead: float) -> Section:
    """`lead`: seconds from spawn until the backlog falls due."""
    section = Section("drain")
    path = workdir / "drain.db"
    await dataset.create(path)
    async with Sandbox(rate_limit=UNLIMITED) as sandbox:
        people = [sandbox.add_user(f"seeker{i}") for i in range(users)]
        seekers = [Seeker(u.id, sandbox.dm_channel(u).id) for u in people]
        due_at = time.time() + lead
        created = dataset.add_due(path, seekers, [datetime.fromtimestamp(due_at, UTC)] * count)
        counter = SendCounter(sandbox)
        async with bot_process(sandbox, path, workdir, DISPATCH__SEND_RATE="0") as bot:
            await bot.ready(sandbox, READY_TIMEOUT)
            bot_cpu, sandbox_cpu = bot.cpu_seconds(), time.process_time()
            await sandbox.wait_until(counter.reached(count), timeout=lead + 300, what=f"{count} nudges")
            peak = bot.memory_mb()
            bot_cpu, sandbox_cpu = bot.cpu_seconds() - bot_cpu, time.process_time() - sandbox_cpu
        sent = nudges(sandbox)
    statuses = dataset.count_by_status(path, list(created))
    times = sorted(sent[i].created_at for i in created if i in sent)
    seconds = times[-1] - due_at
    section.add(
        f"drain {count:,} due nudges ({users:,} seekers), due to last sent",
        count / seconds,
        "nudges/s",
        Target(500, above=True),
    )
    section.add("same, first to last sent", (count - 1) / (times[-1] - times[0]), "nudges/s")
    section.add("time from due to the last nudge sent", seconds, "s")
    section.add("peak memory of the bot while draining", peak, "MB")
    section.add("bot CPU per nudge", bot_cpu / count * 1000, "ms")
    section.add("sandbox CPU per nudge (the benchmark's process)", sandbox_cpu / count * 1000, "ms")
    section.details = {
        "nudges": count,
        "seekers": users,
        "first_sent_after_due_s": times[0] - due_at,
        "distinct_nudges_sent": len(sent),
        "statuses_after": statuses,
        "settings": {"DISPATCH__SEND_RATE": 0, "sandbox_rate_limit": "off"},
    }
    section.problems = bot.problems
    return section

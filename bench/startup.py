"""`python -m bot` on the big database: start to ready, peak memory, and how late nudges go out.

Each run spawns the bot with a handful of seekers whose follow-ups fall due at evenly spread moments a few
seconds after the spawn, with production settings (the real SystemClock, 40 DMs/s pacing). The same run
on a small database shows whether memory grows with the number pending.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.botproc import Ready, SendCounter, bot_process, nudges
from bench.dataset import Dataset, Seeker, add_due
from bench.report import Section, Target, percentile
from bot.sandbox.discord import Sandbox

SEEKERS = 50
READY_TIMEOUT = 30.0
MEMORY_GROWTH_LIMIT = 5.0  # MB: what "not growing with the number pending" allows for run-to-run noise


@dataclass(frozen=True)
class StartRun:
    ready: Ready
    peak_rss_mb: float
    lateness: list[float]  # seconds late, for the follow-ups that fell due after the bot was ready
    due_before_ready: int
    problems: list[str]


async def start_once(dataset: Dataset, workdir: Path, count: int, window: float, lead: float) -> StartRun:
    """`lead`: seconds from spawn until the first follow-up falls due (the bot is ready well before)."""
    async with Sandbox() as sandbox:
        users = [sandbox.add_user(f"seeker{i}") for i in range(SEEKERS)]
        seekers = [Seeker(u.id, sandbox.dm_channel(u).id) for u in users]
        first = time.time() + lead
        due = [datetime.fromtimestamp(first + window * i / count, UTC) for i in range(count)]
        created = add_due(dataset.path, seekers, due)
        counter = SendCounter(sandbox)
        async with bot_process(sandbox, dataset.path, workdir) as bot:
            ready = await bot.ready(sandbox, READY_TIMEOUT)
            await sandbox.wait_until(counter.reached(count), timeout=lead + window + 30, what=f"{count} nudges")
            peak = bot.memory_mb()
        ready_at = ready.wall_clock(bot.spawned_at)
        sent = nudges(sandbox)
    running = [sent[i].created_at - at.timestamp() for i, at in created.items() if at.timestamp() >= ready_at]
    if not running:
        raise RuntimeError(f"the bot took {ready.seconds:.1f} s to get ready: every follow-up fell due before")
    return StartRun(ready, peak, running, len(created) - len(running), bot.problems)


async def run(big: Dataset, small: Dataset, workdir: Path, count: int, window: float, lead: float) -> Section:
    section = Section("startup")
    small_run = await start_once(small, workdir, count, window, lead)
    big_run = await start_once(big, workdir, count, window, lead)
    many, few = f"{big.pending:,} pending", f"{small.pending:,} pending"
    section.add(f"start to ready, {many}", big_run.ready.seconds, "s", Target(2))
    section.add(f"start to ready, {few}", small_run.ready.seconds, "s")
    section.add(f"peak memory of the bot, {many}", big_run.peak_rss_mb, "MB", Target(150))
    section.add(f"peak memory of the bot, {few}", small_run.peak_rss_mb, "MB")
    growth = big_run.peak_rss_mb - small_run.peak_rss_mb
    section.add(f"memory growth from {few} to {many}", growth, "MB", Target(MEMORY_GROWTH_LIMIT))
    late = big_run.lateness
    section.add(f"nudge lateness p50, {many}", percentile(late, 50) * 1000, "ms")
    section.add(f"nudge lateness p99, {many}", percentile(late, 99) * 1000, "ms", Target(1000))
    section.add(f"nudge lateness max, {many}", max(late) * 1000, "ms")
    section.details = {
        "nudges": count,
        "window_s": window,
        "seekers": SEEKERS,
        "settings": "production defaults (send_rate 40/s)",
        "runs": {
            name: {
                "pending": dataset.pending,
                "identified_s": r.ready.identified,
                "first_pass_s": r.ready.first_pass,
                "peak_rss_mb": r.peak_rss_mb,
                "lateness_ms": {"p50": percentile(r.lateness, 50) * 1000, "max": max(r.lateness) * 1000},
                "due_before_ready": r.due_before_ready,
            }
            for name, dataset, r in (("big", big, big_run), ("small", small, small_run))
        },
    }
    section.problems = small_run.problems + big_run.problems
    return section

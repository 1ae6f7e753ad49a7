"""Side by side: Follow-Through's dispatcher against one APScheduler job per follow-up in a SQLAlchemy job
store, each in its own process (bench/child.py), on a million follow-ups, with a burst falling due at once.

Start-up is timed from the spawn of the process to its "ready" line: imports, opening the store, starting
the scheduler and its first look for due work. The burst is handled with no pacing on either side.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import apscheduler_jobstore, dataset
from bench.child import READY
from bench.dataset import Dataset, Seeker
from bench.report import Section
from bot.settings import PROJECT_ROOT

SEEKERS = 200
TIMEOUT = 180.0


async def _side(kind: str, path: Path, burst: int, lead: float, arm: Callable[[datetime], object]) -> dict[str, Any]:
    due_at = time.time() + lead
    arm(datetime.fromtimestamp(due_at, UTC))
    spawned = time.monotonic()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.child",
        kind,
        str(path),
        repr(due_at),
        str(burst),
        cwd=PROJECT_ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), TIMEOUT)
    if line.decode().strip() != READY:
        raise RuntimeError(f"{kind} did not start: exit code {await process.wait()}")
    startup = time.monotonic() - spawned
    results: dict[str, Any] = json.loads(await asyncio.wait_for(process.stdout.readline(), TIMEOUT))
    await process.wait()
    if results["handled"] < burst:
        raise RuntimeError(f"{kind} handled only {results['handled']} of {burst}")
    return {"startup_s": startup, **results}


async def run(big: Dataset, workdir: Path, jobs: int, burst: int, lead: float) -> Section:
    """`lead`: seconds from spawn until the burst falls due (both sides are ready well before)."""
    section = Section("apscheduler_jobstore")
    jobs_path = workdir / "jobstore.db"
    build_s = apscheduler_jobstore.build(jobs_path, jobs)
    seekers = [Seeker(900_000_000_000_000_000 + n) for n in range(SEEKERS)]
    ours = await _side(
        "followthrough", big.path, burst, lead, lambda due: dataset.add_due(big.path, seekers, [due] * burst)
    )
    theirs = await _side(
        "jobstore", jobs_path, burst, lead, lambda due: apscheduler_jobstore.arm(jobs_path, due, burst)
    )
    rows = (
        ("start-up (spawn to ready)", "startup_s", "s"),
        ("memory after start-up", "ready_rss_mb", "MB"),
        ("peak memory", "peak_rss_mb", "MB"),
        (f"longest event-loop block while {burst:,} fall due", "burst_block_ms", "ms"),
        (f"time from due until all {burst:,} handled", "all_handled_s", "s"),
        ("jobs held by APScheduler", "jobs_held", "jobs"),
    )
    for what, key, unit in rows:
        section.add(f"{what}: Follow-Through", ours[key], unit)
        section.add(f"{what}: job per follow-up", theirs[key], unit)
        section.add(f"{what}: ratio (job store / Follow-Through)", theirs[key] / ours[key], "x")
    section.details = {
        "pending_follow_ups": big.pending,
        "jobs_in_store": jobs,
        "burst": burst,
        "jobstore_build_s": build_s,
        "jobstore_file_mb": jobs_path.stat().st_size / 1e6,
        "followthrough": ours,
        "jobstore": theirs,
        "note": "the job store side's jobs do no database work; Follow-Through's pass also marks each follow-up sent",
    }
    return section

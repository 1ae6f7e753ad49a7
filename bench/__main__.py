"""Run the benchmark suite: `python -m bench [--quick | --smoke] [--only NAME,...]` (see bench/README.md)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import commands, compare, dataset, drain, queries, scale_out, startup
from bench.report import RESULTS_DIR, Section, write_json
from tests import pg_cluster

BENCHMARKS = ("queries", "startup", "drain", "commands", "apscheduler_jobstore", "postgres", "scale_out")
ON_POSTGRES = {"postgres", "scale_out"}


@dataclass(frozen=True)
class Sizes:
    pending: int  # in the big database
    small_pending: int  # in the small one that startup compares it with
    lookups: int
    claims: int
    late_nudges: int
    late_window: float  # seconds over which they fall due
    drain_nudges: int
    drain_seekers: int
    command_users: int
    jobs: int  # in the APScheduler job store
    burst: int  # falling due together in the comparison
    lead: float  # seconds from a bot's spawn until its follow-ups fall due: it must be ready before
    wakeups: int  # follow-ups created by one process, each timed until another sends it
    scale_lead: float  # the same as `lead`, for three processes starting together


FULL = Sizes(1_000_000, 1_000, 2_000, 200, 100, 5.0, 10_000, 1_000, 200, 1_000_000, 2_000, 4.0, 20, 8.0)
QUICK = Sizes(100_000, 1_000, 500, 50, 50, 3.0, 2_000, 200, 50, 100_000, 2_000, 4.0, 10, 8.0)
# Every benchmark end to end at toy sizes, for the test suite: proves the harness runs, not the figures.
# (30,000 pending is about the least that puts a batch of 100 due six hours into the spread.)
SMOKE = Sizes(30_000, 200, 50, 10, 10, 0.5, 100, 20, 10, 2_000, 100, 2.0, 2, 3.0)


async def on_postgres(
    sizes: Sizes, only: set[str], workdir: Path, server: pg_cluster.Server | None, done: Callable[[Section], None]
) -> None:
    """The PostgreSQL benchmarks, or (no PostgreSQL on this machine) their sections saying why they did not run."""
    if server is None:
        for name in sorted(only & ON_POSTGRES, key=BENCHMARKS.index):
            done(Section(name, details={"skipped": pg_cluster.MISSING}))
        return
    if "postgres" in only:
        done(await scale_out.postgres(server, workdir, sizes.pending, sizes.lookups, sizes.claims))
    if "scale_out" in only:
        done(
            await scale_out.scale_out(
                server, workdir, sizes.drain_nudges, sizes.drain_seekers, sizes.scale_lead, sizes.wakeups
            )
        )


async def run(sizes: Sizes, only: set[str], workdir: Path, server: pg_cluster.Server | None) -> list[Section]:
    sections: list[Section] = []

    def done(section: Section) -> None:
        section.print()
        sections.append(section)

    big = None
    if only & {"queries", "startup", "apscheduler_jobstore"}:
        print(f"building the database: {sizes.pending:,} pending follow-ups ...", flush=True)
        big = await dataset.build(workdir / "big.db", sizes.pending)
        print(f"  {big.follow_ups:,} follow-ups, {big.size_mb:,.0f} MB, in {big.build_seconds:.1f} s", flush=True)
    if "queries" in only and big is not None:
        done(await queries.run(big, sizes.lookups, sizes.claims))
    if "startup" in only and big is not None:
        small = await dataset.build(workdir / "small.db", sizes.small_pending)
        done(await startup.run(big, small, workdir, sizes.late_nudges, sizes.late_window, sizes.lead))
    if "drain" in only:
        done(await drain.run(workdir, sizes.drain_nudges, sizes.drain_seekers, sizes.lead))
    if "commands" in only:
        done(await commands.run(workdir, sizes.command_users))
    if "apscheduler_jobstore" in only and big is not None:
        print(f"\nbuilding the APScheduler job store: {sizes.jobs:,} jobs ...", flush=True)
        done(await compare.run(big, workdir, sizes.jobs, sizes.burst, sizes.lead))
    await on_postgres(sizes, only, workdir, server, done)
    return sections


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="smaller sizes (100,000 pending), under a minute")
    size.add_argument("--smoke", action="store_true", help="toy sizes: checks that every benchmark runs (seconds)")
    parser.add_argument("--only", default=",".join(BENCHMARKS), help=f"comma-separated, of: {', '.join(BENCHMARKS)}")
    parser.add_argument("--results", type=Path, default=RESULTS_DIR, help="where latest.json goes (and scratch files)")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    if unknown := only - set(BENCHMARKS):
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    mode = "smoke" if args.smoke else "quick" if args.quick else "full"
    sizes = {"full": FULL, "quick": QUICK, "smoke": SMOKE}[mode]
    load = os.getloadavg()[0]
    print(f"Follow-Through benchmarks ({mode}), {os.cpu_count()} CPUs, load {load:.2f}")
    started = time.perf_counter()
    results: Path = args.results.resolve()
    results.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=results, prefix="run-") as workdir, contextlib.ExitStack() as stack:
        server = None
        if only & ON_POSTGRES:
            try:
                server = stack.enter_context(pg_cluster.server())
            except pg_cluster.Unavailable as exc:
                print(f"PostgreSQL benchmarks skipped: {exc}")
        sections = asyncio.run(run(sizes, only, Path(workdir), server))
    elapsed = time.perf_counter() - started
    options = {"mode": mode, "sizes": asdict(sizes), "load_at_start": load, "seconds": elapsed}
    path = write_json(sections, options, results)
    missed = [f"{s.name}: {f.what}" for s in sections for f in s.figures if f.passed is False]
    print(f"\n{len(missed)} target(s) missed" + "".join(f"\n  - {what}" for what in missed))
    print(f"done in {elapsed:.0f} s; results in {path}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

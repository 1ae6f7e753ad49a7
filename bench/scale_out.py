"""PostgreSQL and several bot processes, on a throwaway PostgreSQL the benchmark starts itself (tests/pg_cluster.py,
as the tests do: TEST_DATABASE_URL if set, else initdb/pg_ctl with durability off, so the figures leave out the
disk's fsync).

- postgres: the dispatcher's claim on 1,000,000 pending through the real unit of work and repository, and
  `python -m bot` from spawn to ready on them.
- scale_out: a backlog drained through the sandbox (no rate limit) by one process, then by three (bench/fleet.py);
  a process SIGKILLed while it holds claims, and how soon the others send them; a follow-up created by one
  process waking another (LISTEN/NOTIFY).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import asyncpg
from pydantic import SecretStr

from bench import pg_dataset, procstat
from bench.botproc import BotProcess, bot_process
from bench.dataset import Seeker
from bench.fleet import UNLIMITED, NudgeLog, backlog, claimant_pid, claims, fleet, kill, mid_batch
from bench.pg_dataset import PgDataset
from bench.report import Section, Target, percentile
from bot.clocks import ManualClock
from bot.ports.repositories import Lease
from bot.sandbox.discord import Sandbox
from bot.sandbox.local_bot import running_bot, sandbox_settings
from bot.settings import DispatchSettings, ScheduleSettings
from bot.storage.postgres.database import PgDatabase
from bot.storage.postgres.unit_of_work import PgUnitOfWorkFactory
from tests.pg_cluster import Server

BATCH = 100
WARM_UP = 100
PLATFORMS = ["discord"]
PROCESSES = 3
LEASE = 5.0  # seconds: DISPATCH__LEASE in the failover run
READY_TIMEOUT = 60.0
WAKE_TIMEOUT = 3.0  # seconds to wait for a wake-up before counting it as one that never came
_CLAIM = (
    "SELECT f.id FROM follow_ups f JOIN users u ON u.id = f.user_id WHERE f.status = 'pending'"
    " AND f.notify_at <= $1 AND u.platform = ANY($2::text[]) ORDER BY f.notify_at LIMIT 100 FOR UPDATE OF f SKIP LOCKED"
)


# -- postgres ------------------------------------------------------------------------------------------------------


async def claims_on(dataset: PgDataset, lookups: int, count: int) -> dict[str, Any]:
    """Timings of next_notify_at and of claim_due (committed, and before the COMMIT), as bench/queries.py does on
    SQLite; each claimed batch is put back untimed, so every claim sees the same data."""
    db = await PgDatabase.open(dataset.url)
    uow = PgUnitOfWorkFactory(db)
    lease = DispatchSettings().lease
    next_due, committed, statement = [], [], []
    try:
        for _ in range(WARM_UP):
            async with uow.reading() as reading:
                await reading.follow_ups.next_notify_at(PLATFORMS)
        for _ in range(lookups):
            started = time.perf_counter()
            async with uow.reading() as reading:
                soonest = await reading.follow_ups.next_notify_at(PLATFORMS)
            next_due.append(time.perf_counter() - started)
        assert soonest is not None
        now = soonest + timedelta(hours=6)  # six hours into the spread: thousands due, as after a busy morning
        for _ in range(count):
            started = time.perf_counter()
            async with uow.transaction() as tx:
                claimed = await tx.follow_ups.claim_due(now, Lease("bench", now + lease), BATCH, PLATFORMS)
                statement.append(time.perf_counter() - started)
            committed.append(time.perf_counter() - started)
            assert len(claimed) == BATCH, f"only {len(claimed)} due"
            async with db.connection() as conn:
                await conn.execute(
                    "UPDATE follow_ups SET status = 'pending', lease_until = NULL, claimant = NULL"
                    " WHERE id = ANY($1::bigint[])",
                    [f.id for f in claimed],
                )
        async with db.connection() as conn:
            due = await conn.fetchval(
                "SELECT count(*) FROM follow_ups WHERE status = 'pending' AND notify_at <= $1", now
            )
            plan = [row[0] for row in await conn.fetch(f"EXPLAIN {_CLAIM}", now, PLATFORMS)]
    finally:
        await db.close()
    return {"next_due": next_due, "committed": committed, "statement": statement, "due": due, "plan": plan}


async def postgres(server: Server, workdir: Path, pending: int, lookups: int, count: int) -> Section:
    section = Section("postgres")
    async with server.database(migrated=False) as url:
        print(f"\nbuilding the PostgreSQL database: {pending:,} pending follow-ups ...", flush=True)
        dataset = await pg_dataset.build(url, pending)
        print(f"  {dataset.follow_ups:,} follow-ups in {dataset.build_seconds:.1f} s", flush=True)
        timed = await claims_on(dataset, lookups, count)
        async with Sandbox() as sandbox, bot_process(sandbox, workdir / "unused.db", workdir, DATABASE_URL=url) as bot:
            ready = await bot.ready(sandbox, READY_TIMEOUT)
            peak = bot.memory_mb()
    ms, many = 1000, f"{pending:,} pending"
    section.add(f"next due follow-up, {many} (p99)", percentile(timed["next_due"], 99) * ms, "ms")
    section.add(f"claim {BATCH} due, committed, {many} (p50)", percentile(timed["committed"], 50) * ms, "ms")
    section.add(
        f"claim {BATCH} due, committed, {many} (p99)", percentile(timed["committed"], 99) * ms, "ms", Target(10)
    )
    section.add(f"claim {BATCH} due, before COMMIT (p50)", percentile(timed["statement"], 50) * ms, "ms")
    section.add(f"start to ready, {many}", ready.seconds, "s", Target(2))
    section.add(f"peak memory of the bot, {many}", peak, "MB")
    section.details = {
        "pending": pending,
        "follow_ups": dataset.follow_ups,
        "build_s": dataset.build_seconds,
        "lookups": lookups,
        "claims": count,
        "due_at_claim_time": timed["due"],
        "claim_plan": timed["plan"],
        "ready": {"identified_s": ready.identified, "first_pass_s": ready.first_pass},
        "server": "throwaway cluster, fsync off (tests/pg_cluster.py)",
    }
    section.problems = bot.problems
    return section


# -- scale_out -----------------------------------------------------------------------------------------------------


@dataclass
class Drain:
    processes: int
    nudges: int
    seconds: float  # from the due moment to the last nudge shown
    bot_cpu: float
    sandbox_cpu: float
    server_cpu: float
    shown_twice: int
    sent_again: int
    claimants: int  # distinct processes seen holding claims
    problems: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.nudges / self.seconds


async def server_pid(url: str) -> int:
    """The PostgreSQL postmaster's pid: the parent of a backend (the server runs on this machine)."""
    conn = await asyncpg.connect(url)
    try:
        return procstat.parent(await conn.fetchval("SELECT pg_backend_pid()"))  # while the backend lives
    finally:
        await conn.close()


async def drain(server: Server, workdir: Path, processes: int, count: int, users: int, lead: float) -> Drain:
    async with Sandbox(rate_limit=UNLIMITED, shard_count=processes) as sandbox, server.database() as url:
        postmaster = await server_pid(url)
        people = [sandbox.add_user(f"seeker{i}") for i in range(users)]
        seekers = [Seeker(u.id, sandbox.dm_channel(u).id) for u in people]
        due_at = time.time() + lead
        await pg_dataset.add_due(url, seekers, [datetime.fromtimestamp(due_at, UTC)] * count)
        log = NudgeLog(sandbox)
        run = workdir / f"drain{processes}"
        run.mkdir()
        async with fleet(sandbox, url, run, processes) as bots, watching_claimants(url) as seen:
            bot_cpu = sum(b.cpu_seconds() for b in bots)
            sandbox_cpu, server_cpu = time.process_time(), procstat.family_cpu_seconds(postmaster)
            await sandbox.wait_until(log.reached(count), timeout=lead + 300, what=f"{count} nudges")
            bot_cpu = sum(b.cpu_seconds() for b in bots) - bot_cpu
            sandbox_cpu = time.process_time() - sandbox_cpu
            server_cpu = procstat.family_cpu_seconds(postmaster) - server_cpu
        log.update()
    last = max(log.first_shown.values())
    problems = [line for b in bots for line in b.problems]
    return Drain(
        processes, count, last - due_at, bot_cpu, sandbox_cpu, server_cpu, log.shown_twice, log.sent_again, len(seen),
        problems,
    )  # fmt: skip


@contextlib.asynccontextmanager
async def watching_claimants(url: str, every: float = 0.1) -> AsyncIterator[set[str]]:
    """The claimants seen holding claims, sampled on one connection (a new one per look would cost the server a
    backend start each time, and the benchmark's process the time it measures)."""
    seen: set[str] = set()
    conn = await asyncpg.connect(url)

    async def watch() -> None:
        while True:
            found = await conn.fetch("SELECT DISTINCT claimant FROM follow_ups WHERE status = 'claimed'")
            seen.update(row[0] for row in found)
            await asyncio.sleep(every)

    watcher = asyncio.create_task(watch())
    try:
        yield seen
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
        await conn.close()


async def poll(condition: Any, what: str, timeout: float, every: float = 0.02) -> None:
    deadline = time.monotonic() + timeout
    while not await condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        await asyncio.sleep(every)


@dataclass
class Failover:
    held: int  # claims the killed process held when it died
    shown_before: int  # of which already shown (sent again, the nonce hiding it)
    seconds: float | None  # from the kill until every one of them was marked sent by the others
    shown_twice: int
    resent: int  # sends of a DM already shown, which Discord's nonce suppressed
    missing: int  # nudges never shown


async def failover(server: Server, workdir: Path, count: int, users: int, lead: float) -> Failover:
    # The sends the killed process had in flight cannot be answered: aiohttp's server logs each with a traceback.
    server_log = logging.getLogger("aiohttp.server")
    level = server_log.level
    server_log.setLevel(logging.CRITICAL)
    try:
        return await _failover(server, workdir, count, users, lead)
    finally:
        server_log.setLevel(level)


async def _failover(server: Server, workdir: Path, count: int, users: int, lead: float) -> Failover:
    async with Sandbox(rate_limit=UNLIMITED, shard_count=PROCESSES) as sandbox, server.database() as url:
        people = [sandbox.add_user(f"seeker{i}") for i in range(users)]
        seekers = [Seeker(u.id, sandbox.dm_channel(u).id) for u in people]
        created = await pg_dataset.add_due(url, seekers, backlog(datetime.now(UTC) + timedelta(seconds=lead), count))
        log = NudgeLog(sandbox)
        victim: list[tuple[str, BotProcess, float]] = []
        run = workdir / "failover"
        run.mkdir()

        watch = await asyncpg.connect(url)
        async with fleet(sandbox, url, run, PROCESSES, DISPATCH__LEASE=f"PT{LEASE:g}S") as bots:

            async def kill_a_holder() -> bool:
                """Kill the first process seen mid-batch: holding claims some of which are shown, some not."""
                held_now = await claims(url, watch)  # read before the DMs shown, as in tests/e2e/test_scale_out.py
                log.update()
                for claimant, held in held_now.items():
                    if mid_batch(held, log.shown):
                        [bot] = [b for b in bots if b.process.pid == claimant_pid(claimant)]
                        kill(bot)
                        victim.append((claimant, bot, time.monotonic()))
                        return True
                return len(log.shown) >= count  # drained before such a moment was seen: nothing to kill

            await poll(kill_a_holder, "a process holding claims", lead + 120, every=0.01)
            seconds, shown_before = None, 0
            held: set[int] = set()
            if victim:
                [(claimant, bot, killed_at)] = victim
                await bot.process.wait()
                held = (await claims(url, watch)).get(claimant, set())
                if not held:
                    raise RuntimeError("the killed process held no claims when it died")
                log.update()
                shown_before = len(held & log.shown.keys())  # shown, never marked sent: to be sent again

                async def taken_over() -> bool:
                    return await pg_dataset.count_by_status(url, sorted(held)) == {"sent": len(held)}

                await poll(taken_over, "the killed process's claims sent", 120)
                seconds = time.monotonic() - killed_at
            await poll(lambda: all_sent(url, list(created)), "every nudge sent", 300)
        await watch.close()
        log.update()
        # Resends of DMs already shown, counted by the nonce (a send cut off by the kill may be shown without its
        # request ever being recorded, so the recorded requests undercount them).
        resent = sandbox.duplicates_suppressed
    return Failover(len(held), shown_before, seconds, log.shown_twice, resent, count - len(log.shown))


async def all_sent(url: str, ids: list[int]) -> bool:
    return await pg_dataset.count_by_status(url, ids) == {"sent": len(ids)}


async def wakeups(server: Server, workdir: Path, samples: int) -> list[float]:
    """Seconds from `/interview add` answered by process A (this process's App, its clock five days behind, so
    to A nothing is due) to the first nudge from process B (`python -m bot`, no gateway, safety poll an hour
    away), to whom the new follow-ups are due at once; a wake-up that never came counts as WAKE_TIMEOUT (a miss)."""
    clock = ManualClock(datetime(2026, 11, 25, 15, tzinfo=UTC))
    found: list[float] = []
    async with Sandbox() as sandbox, server.database() as url:
        run = workdir / "wakeup"
        run.mkdir()
        env = {"DATABASE_URL": url, "SHARD_IDS": "", "DISPATCH__SEND_RATE": "0", "DISPATCH__SAFETY_POLL": "PT1H"}
        async with bot_process(sandbox, run / "unused.db", run, **env) as other:
            await other.ready(sandbox, READY_TIMEOUT, sessions=0)
            settings = sandbox_settings(
                sandbox,
                run / "unused.db",
                database_url=SecretStr(url),
                dispatch=DispatchSettings(send_rate=0, safety_poll=timedelta(hours=1)),
                schedule=ScheduleSettings(quiet_hours_start=clock_time(0), quiet_hours_end=clock_time(0)),
                ask_timezone=False,
            )
            async with running_bot(sandbox, settings, clock):
                for n in range(samples):
                    seeker = sandbox.add_user(f"seeker{n}")
                    options = {"company": "Acme", "role": "Analyst", "when": "today 2pm"}
                    await sandbox.slash(seeker, "interview add", options)
                    answered = time.time()
                    try:
                        [first, *_] = await sandbox.wait_for_dms(seeker, 1, timeout=WAKE_TIMEOUT)
                    except TimeoutError:
                        found.append(WAKE_TIMEOUT)
                        continue
                    found.append(first.created_at - answered)
    return found


async def scale_out(server: Server, workdir: Path, count: int, users: int, lead: float, samples: int) -> Section:
    section = Section("scale_out")
    one = await drain(server, workdir, 1, count, users, lead)
    three = await drain(server, workdir, PROCESSES, count, users, lead)
    kill_run = await failover(server, workdir, count, users, lead)
    woke = await wakeups(server, workdir, samples)
    nudges = f"{count:,} due nudges"
    section.add(f"drain {nudges}, 1 process", one.rate, "nudges/s")
    section.add(f"drain {nudges}, {PROCESSES} processes", three.rate, "nudges/s")
    section.add(f"{PROCESSES} processes vs 1", three.rate / one.rate, "x", Target(1.3, above=True))
    duplicates = three.shown_twice + three.sent_again + one.shown_twice + one.sent_again
    section.add("duplicates (shown twice, or sent again) in both drains", duplicates, "", Target(0.5))
    for run in (one, three):
        label = f"{run.processes} process{'es' if run.processes > 1 else ''}"
        section.add(f"bot CPU per nudge, {label} (all together)", run.bot_cpu / count * 1000, "ms")
        section.add(f"sandbox CPU per nudge, {label}", run.sandbox_cpu / count * 1000, "ms")
        section.add(f"PostgreSQL CPU per nudge, {label}", run.server_cpu / count * 1000, "ms")
    takeover = f"failover: a SIGKILLed process's {kill_run.held} claims sent by the others, from the kill"
    if kill_run.seconds is None:
        section.not_measured(takeover, "n/a (drained before a claim was seen)", "s")
    else:
        section.add(takeover, kill_run.seconds, "s", Target(LEASE + 5))
    section.add("failover: nudges shown twice / never shown", kill_run.shown_twice + kill_run.missing, "", Target(0.5))
    section.add("wake-up across processes, create to nudge (p99)", percentile(woke, 99), "s", Target(1))
    section.details = {
        "nudges": count,
        "seekers": users,
        "drains": {
            str(r.processes): {
                "seconds": r.seconds,
                "rate": r.rate,
                "bot_cpu_s": r.bot_cpu,
                "sandbox_cpu_s": r.sandbox_cpu,
                "postgres_cpu_s": r.server_cpu,
                "shown_twice": r.shown_twice,
                "sent_again": r.sent_again,
                "claimants_seen": r.claimants,
            }
            for r in (one, three)
        },
        "failover": {
            "lease_s": LEASE,
            "held": kill_run.held,
            "shown_before_kill": kill_run.shown_before,
            "resends_suppressed_by_nonce": kill_run.resent,
            "seconds": kill_run.seconds,
        },
        "wakeups_s": woke,
        "settings": {"DISPATCH__SEND_RATE": 0, "sandbox_rate_limit": "off", "shards": "process i holds shard i"},
    }
    section.problems = one.problems + three.problems
    return section

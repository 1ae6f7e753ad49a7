"""The dispatcher's two hot queries on the big database, through the real FollowUpRepo and Database."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bench.dataset import Dataset
from bench.report import Section, Target, percentile
from bot.ports.repositories import Lease
from bot.settings import DispatchSettings
from bot.storage.sqlite import rows
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.follow_ups import FollowUpRepo

BATCH = 100
WARM_UP = 100
PLATFORMS = ["discord"]  # the platforms the process runs: the claim joins each follow-up's seeker to check
# The repository's statements, for EXPLAIN QUERY PLAN (which must show the partial index, not a scan).
_JOIN = "FROM follow_ups f CROSS JOIN users u ON u.id = f.user_id"
_PLATFORM = "u.platform IN (SELECT value FROM json_each('[\"discord\"]'))"
_NEXT = f"SELECT f.notify_at {_JOIN} WHERE f.status = 'pending' AND {_PLATFORM} ORDER BY f.notify_at LIMIT 1"
_DUE = "WHERE status = 'pending' AND notify_at <= ?"


@dataclass
class Timings:
    next_due: list[float] = field(default_factory=list)
    claim: list[float] = field(default_factory=list)  # BEGIN IMMEDIATE, the claim, COMMIT
    claim_statement: list[float] = field(default_factory=list)  # the same without the COMMIT
    details: dict[str, Any] = field(default_factory=dict)


async def measure(dataset: Dataset, lookups: int, claims: int) -> Timings:
    timings = Timings()
    db = await Database.open(dataset.path)
    repo = FollowUpRepo(db.conn)  # reads on the shared connection, as reading() gives them
    lease = DispatchSettings().lease
    try:
        for _ in range(WARM_UP):  # a running bot's page cache is warm
            await repo.next_notify_at(PLATFORMS)
        for _ in range(lookups):
            started = time.perf_counter()
            soonest = await repo.next_notify_at(PLATFORMS)
            timings.next_due.append(time.perf_counter() - started)
        assert soonest is not None
        now = soonest + timedelta(hours=6)  # six hours into the spread: thousands due, as after a busy morning
        for _ in range(claims):
            started = time.perf_counter()
            async with db.transaction() as tx:
                claimed = await FollowUpRepo(tx).claim_due(now, Lease("bench", now + lease), BATCH, PLATFORMS)
                timings.claim_statement.append(time.perf_counter() - started)
            timings.claim.append(time.perf_counter() - started)
            assert len(claimed) == BATCH, f"only {len(claimed)} due"
            async with db.transaction() as tx:  # put them back (not timed), so every claim sees the same data
                await tx.execute(
                    "UPDATE follow_ups SET status = 'pending', lease_until = NULL, claimant = NULL"
                    " WHERE id IN (SELECT value FROM json_each(?))",
                    (rows.json_list(f.id for f in claimed),),
                )
        due = await db.conn.execute_fetchall(f"SELECT count(*) FROM follow_ups {_DUE}", (rows.ts(now),))
        timings.details = {
            "due_at_claim_time": next(iter(due))[0],
            "plans": {
                "next_notify_at": await _plan(db, _NEXT),
                "claim_due": await _plan(
                    db,
                    f"SELECT f.id {_JOIN} WHERE f.status = 'pending' AND f.notify_at <= ? AND {_PLATFORM}"
                    " ORDER BY f.notify_at LIMIT 100",
                    now,
                ),
            },
        }
    finally:
        await db.close()
    return timings


def _section(name: str, dataset: Dataset, timings: Timings, lookups: int, claims: int) -> Section:
    section = Section(name)
    ms, pending = 1000, f"{dataset.pending:,} pending"
    section.add(f"next due follow-up, {pending} (p50)", percentile(timings.next_due, 50) * ms, "ms")
    section.add(f"next due follow-up, {pending} (p99)", percentile(timings.next_due, 99) * ms, "ms", Target(1))
    section.add(f"claim {BATCH} due, committed (p50)", percentile(timings.claim, 50) * ms, "ms")
    section.add(f"claim {BATCH} due, committed (p99)", percentile(timings.claim, 99) * ms, "ms", Target(10))
    section.add(f"claim {BATCH} due, before COMMIT (p50)", percentile(timings.claim_statement, 50) * ms, "ms")
    section.details = {
        "pending": dataset.pending,
        "follow_ups": dataset.follow_ups,
        "lookups": lookups,
        "claims": claims,
        **timings.details,
    }
    return section


async def run(dataset: Dataset, lookups: int, claims: int) -> Section:
    return _section("queries", dataset, await measure(dataset, lookups, claims), lookups, claims)


async def _plan(db: Database, sql: str, *params: datetime) -> list[str]:
    found = await db.conn.execute_fetchall(f"EXPLAIN QUERY PLAN {sql}", [rows.ts(p) for p in params])
    return [str(row[3]) for row in found]

"""The common alternative: one APScheduler job per follow-up, kept in APScheduler's SQLAlchemyJobStore on a
SQLite file, each job a DateTrigger at the follow-up's notify time.

The table is the job store's own (created by it), and every row holds exactly what the store writes: the
pickled `Job.__getstate__()` of a real Job. Rows are bulk-inserted rather than added one `add_job` (one
commit and fsync) at a time, which would take the best part of an hour for a million.
"""

from __future__ import annotations

import asyncio
import pickle
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from sqlalchemy import func, select

from bench import spread

JOB_FUNC = "bench.apscheduler_jobstore:nudge"
BURST_PREFIX = "burst-"
_handled: list[float] = []  # time.time() of every run of `nudge` in this process


async def nudge(follow_up_id: int) -> None:
    """The job: stands in for sending the follow-up's DM, and does nothing else (no database work)."""
    _handled.append(time.time())


def _store(path: Path) -> SQLAlchemyJobStore:
    return SQLAlchemyJobStore(url=f"sqlite:///{path}")


def _state(template: dict[str, Any], job_id: str, follow_up_id: int, at: datetime) -> bytes:
    state = {**template, "id": job_id, "args": (follow_up_id,), "trigger": DateTrigger(at), "next_run_time": at}
    return pickle.dumps(state, pickle.HIGHEST_PROTOCOL)


def _template() -> dict[str, Any]:
    """A real Job's state; misfire_grace_time=None so a job runs however late (a nudge must not be dropped)."""
    now = datetime.now(UTC)
    job = Job(
        AsyncIOScheduler(timezone=UTC),
        id="template",
        func=JOB_FUNC,
        trigger=DateTrigger(now),
        executor="default",
        args=(0,),
        kwargs={},
        name="nudge",
        misfire_grace_time=None,
        coalesce=True,
        max_instances=1,
        next_run_time=now,
    )
    state: dict[str, Any] = job.__getstate__()
    return state


def _insert(path: Path, rows: Any) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT OR REPLACE INTO apscheduler_jobs (id, next_run_time, job_state) VALUES (?, ?, ?)", rows
        )
        conn.execute("COMMIT")


def build(path: Path, jobs: int) -> float:
    """`jobs` jobs spread like the follow-ups of bench.dataset; returns the seconds it took."""
    started = time.perf_counter()
    store = _store(path)
    store.jobs_t.create(store.engine, checkfirst=True)
    store.engine.dispose()
    template = _template()
    first = time.time() + spread.FIRST.total_seconds()

    def rows() -> Any:
        for n in range(jobs):
            at = first + spread.offset(n)
            yield f"follow-up-{n}", at, _state(template, f"follow-up-{n}", n, datetime.fromtimestamp(at, UTC))

    _insert(path, rows())
    return time.perf_counter() - started


def arm(path: Path, due: datetime, count: int) -> None:
    """`count` jobs all due at `due` (the burst), replacing any left by an earlier run."""
    template = _template()
    _insert(
        path,
        ((f"{BURST_PREFIX}{n}", due.timestamp(), _state(template, f"{BURST_PREFIX}{n}", n, due)) for n in range(count)),
    )


@dataclass
class JobStoreSide:
    """The alternative, started the way an app using it would start: scheduler plus job store, nothing else."""

    scheduler: AsyncIOScheduler
    store: SQLAlchemyJobStore

    @property
    def handled(self) -> list[float]:
        return _handled

    @classmethod
    async def start(cls, path: Path) -> JobStoreSide:
        store = _store(path)
        scheduler = AsyncIOScheduler(timezone=UTC, jobstores={"default": store})
        scheduler.start()
        await asyncio.sleep(0)  # start() queues its first wake-up (due jobs, next run time) for the loop: let it run
        return cls(scheduler, store)

    def jobs_held(self) -> int:
        with self.store.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(self.store.jobs_t)).scalar_one())

    async def settle(self) -> None:
        """Nothing to wait for: a job's run is its whole work."""

    async def close(self) -> None:
        self.scheduler.shutdown(wait=False)
        await asyncio.sleep(0)  # shutdown, too, runs on the loop

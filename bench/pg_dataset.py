"""The benchmark database on PostgreSQL: the same community as bench/dataset.py (the real migrations, then 1,000,000
pending follow-ups spread over 60 days from a day after the build, a quarter as many past ones, interviews and
users in five zones), filled server-side by `INSERT … SELECT` over `generate_series`, then ANALYZEd so the
planner knows the table's size from the first query.

`add_due` adds seekers (sandbox users) with follow-ups due at given moments, as `dataset.add_due` does on SQLite.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg

from bench import spread
from bench.dataset import INTERVIEWS_PER_USER, PENDING_PER_INTERVIEW, Seeker
from bot.domain.models import FollowUpKind
from bot.storage.postgres.database import PgDatabase
from tests.pg_cluster import MIGRATIONS

_USERS = """
INSERT INTO users (id, platform, external_id, timezone, quiet_start, quiet_end, dm_channel, created_at)
SELECT n + 1, 'discord', (100000000000000000 + n)::text,
       (ARRAY['UTC', 'Europe/London', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney'])[n % 5 + 1],
       '21:00', '08:00', (200000000000000000 + n)::text, $2::timestamptz - interval '90 days'
FROM generate_series(0, $1 - 1) AS n
"""

_INTERVIEWS = """
INSERT INTO interviews (id, user_id, company, role, scheduled_at, interviewer, created_at)
SELECT n + 1, n % $2 + 1,
       (ARRAY['Acme', 'Globex', 'Initech', 'Umbrella'])[n % 4 + 1],
       (ARRAY['Data Analyst', 'Backend Engineer', 'Product Designer'])[n % 3 + 1],
       $3::timestamptz - (n % 30) * interval '1 day', CASE WHEN n % 2 = 0 THEN 'Sam Lee' END,
       $3::timestamptz - (n % 30 + 1) * interval '1 day'
FROM generate_series(0, $1 - 1) AS n
"""

# Pending: four per interview, notify_at scattered over the spread by a multiplicative hash of n.
_PENDING = """
INSERT INTO follow_ups (interview_id, user_id, kind, due_at, notify_at, deadline_at, status, created_at)
SELECT n / 4 + 1, (n / 4) % $2 + 1,
       (ARRAY['thank_you_email', 'handwritten_note', 'next_steps', 'check_in'])[n % 4 + 1],
       at, at, CASE WHEN n % 4 < 2 THEN at + interval '22 hours' END,
       'pending', $3::timestamptz - (n % 30) * interval '1 day'
FROM (SELECT n, to_timestamp($4 + n::bigint * $5 % $6) AS at FROM generate_series(0, $1 - 1) AS n) AS s
"""

# History: each interview's prep nudge, in the past: done, sent, cancelled, undeliverable or failed.
_HISTORY = """
INSERT INTO follow_ups (interview_id, user_id, kind, due_at, notify_at, status, sent_at, done_at, created_at)
SELECT n + 1, n % $2 + 1, 'prep', at, at, status,
       CASE WHEN status IN ('sent', 'done') THEN at END,
       CASE WHEN status = 'done' THEN at + interval '1 hour' END,
       at - interval '1 day'
FROM (SELECT n, to_timestamp($3 - n::bigint * $4 % $5) AS at,
             CASE WHEN n % 20 < 10 THEN 'done' WHEN n % 20 < 16 THEN 'sent' WHEN n % 20 < 18 THEN 'cancelled'
                  WHEN n % 20 < 19 THEN 'undeliverable' ELSE 'failed' END AS status
      FROM generate_series(0, $1 - 1) AS n) AS s
"""

_KINDS = (FollowUpKind.THANK_YOU_EMAIL, FollowUpKind.HANDWRITTEN_NOTE, FollowUpKind.NEXT_STEPS, FollowUpKind.CHECK_IN)


@dataclass(frozen=True)
class PgDataset:
    url: str
    pending: int
    follow_ups: int
    users: int
    build_seconds: float


async def create(url: str) -> None:
    """The real migrations, applied by the real runner, on an empty database."""
    db = await PgDatabase.open(url)
    try:
        await db.migrate(MIGRATIONS)
    finally:
        await db.close()


async def build(url: str, pending: int) -> PgDataset:
    """`pending` pending follow-ups (plus a quarter as many past ones), for pending / 20 seekers."""
    if pending % PENDING_PER_INTERVIEW:
        raise ValueError(f"pending must be a multiple of {PENDING_PER_INTERVIEW}")
    started = time.perf_counter()
    await create(url)
    interviews = pending // PENDING_PER_INTERVIEW
    users = max(1, interviews // INTERVIEWS_PER_USER)
    now = int(time.time())
    first, span, hashed = now + int(spread.FIRST.total_seconds()), int(spread.SPREAD.total_seconds()), spread.HASH
    moment = datetime.fromtimestamp(now, UTC)
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("SET maintenance_work_mem = '256MB'")
        async with conn.transaction():
            await conn.execute(_USERS, users, moment)
            await conn.execute(_INTERVIEWS, interviews, users, moment)
            await conn.execute(_PENDING, pending, users, moment, first, hashed, span)
            await conn.execute(_HISTORY, interviews, users, now, hashed, span)
            for table in ("users", "interviews"):  # the explicit ids above: new rows continue after them
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
        await conn.execute("VACUUM ANALYZE follow_ups")  # the planner's statistics, and the visibility map
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return PgDataset(url, pending, pending + interviews, users, time.perf_counter() - started)


async def add_due(url: str, seekers: Sequence[Seeker], notify_at: Sequence[datetime]) -> dict[int, datetime]:
    """Seekers with one interview each and no quiet hours, and a follow-up per `notify_at` dealt round-robin among
    them. Returns each new follow-up's id and notify_at."""
    now = datetime.now(UTC)
    conn = await asyncpg.connect(url)
    try:
        async with conn.transaction():
            owners = []
            for seeker in seekers:
                user_id = await conn.fetchval(
                    "INSERT INTO users (platform, external_id, timezone, quiet_start, quiet_end, dm_channel,"
                    " created_at) VALUES ('discord', $1, 'UTC', '00:00', '00:00', $2, $3) RETURNING id",
                    str(seeker.external_id),
                    None if seeker.dm_channel is None else str(seeker.dm_channel),
                    now,
                )
                interview_id = await conn.fetchval(
                    "INSERT INTO interviews (user_id, company, role, scheduled_at, interviewer, created_at)"
                    " VALUES ($1, 'Acme', 'Data Analyst', $2, 'Sam Lee', $2) RETURNING id",
                    user_id,
                    now,
                )
                owners.append((user_id, interview_id))
            rows = []
            for index, at in enumerate(notify_at):
                user_id, interview_id = owners[index % len(owners)]
                kind = _KINDS[index % len(_KINDS)]
                deadline = at + timedelta(hours=22) if kind is FollowUpKind.THANK_YOU_EMAIL else None
                rows.append((interview_id, user_id, kind.value, at, deadline, now))
            found = await conn.fetch(
                "INSERT INTO follow_ups (interview_id, user_id, kind, due_at, notify_at, deadline_at, created_at)"
                " SELECT i, u, k, a, a, d, c FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::timestamptz[],"
                " $5::timestamptz[], $6::timestamptz[]) AS t(i, u, k, a, d, c) RETURNING id, notify_at",
                *(list(column) for column in zip(*rows, strict=True)),
            )
        await conn.execute("ANALYZE users, interviews, follow_ups")  # as autovacuum would within a minute
    finally:
        await conn.close()
    return {row["id"]: row["notify_at"] for row in found}


async def count_by_status(url: str, follow_up_ids: Sequence[int]) -> dict[str, int]:
    conn = await asyncpg.connect(url)
    try:
        found = await conn.fetch(
            "SELECT status, count(*) FROM follow_ups WHERE id = ANY($1::bigint[]) GROUP BY status", list(follow_up_ids)
        )
    finally:
        await conn.close()
    return {row[0]: row[1] for row in found}

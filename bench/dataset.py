"""The benchmark database: the real schema (the real migrations) filled with a large community's follow-ups.

Pending follow-ups are spread over the 60 days starting a day after the build (bench/spread.py), so none of
them falls due while the benchmarks run; benchmarks that need due follow-ups add their own seekers with
`add_due`.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import spread
from bot.domain.models import FollowUpKind
from bot.settings import PROJECT_ROOT
from bot.storage.sqlite import rows
from bot.storage.sqlite.database import Database

MIGRATIONS = PROJECT_ROOT / "migrations" / "sqlite"
PENDING_PER_INTERVIEW = 4  # thank-you email, handwritten note, next steps, check-in call
INTERVIEWS_PER_USER = 5
DAY = 86_400
ISO = "'%Y-%m-%dT%H:%M:%S+00:00'"  # what bot.storage.sqlite.rows.ts writes for a whole second in UTC

# Each statement is one INSERT ... SELECT over a recursive sequence: a million rows in seconds.
_USERS = """
WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < :users)
INSERT INTO users (id, platform, external_id, timezone, quiet_start, quiet_end, dm_channel, created_at)
SELECT n + 1, 'discord', CAST(100000000000000000 + n AS TEXT),
       CASE n % 5 WHEN 0 THEN 'UTC' WHEN 1 THEN 'Europe/London' WHEN 2 THEN 'America/New_York'
                  WHEN 3 THEN 'Asia/Kolkata' ELSE 'Australia/Sydney' END,
       '21:00:00', '08:00:00', CAST(200000000000000000 + n AS TEXT), strftime({iso}, :now - 90 * {day}, 'unixepoch')
FROM seq
"""

_INTERVIEWS = """
WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < :interviews)
INSERT INTO interviews (id, user_id, company, role, scheduled_at, interviewer, created_at)
SELECT n + 1, n % :users + 1,
       CASE n % 4 WHEN 0 THEN 'Acme' WHEN 1 THEN 'Globex' WHEN 2 THEN 'Initech' ELSE 'Umbrella' END,
       CASE n % 3 WHEN 0 THEN 'Data Analyst' WHEN 1 THEN 'Backend Engineer' ELSE 'Product Designer' END,
       strftime({iso}, :now - (n % 30) * {day}, 'unixepoch'),
       CASE WHEN n % 2 = 0 THEN 'Sam Lee' END,
       strftime({iso}, :now - (n % 30 + 1) * {day}, 'unixepoch')
FROM seq
"""

# Pending: four per interview, notify_at scattered over the spread by a multiplicative hash of n.
_PENDING = """
WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < :pending)
INSERT INTO follow_ups (interview_id, user_id, kind, due_at, notify_at, deadline_at, status, created_at)
SELECT n / 4 + 1, (n / 4) % :users + 1,
       CASE n % 4 WHEN 0 THEN 'thank_you_email' WHEN 1 THEN 'handwritten_note' WHEN 2 THEN 'next_steps'
                  ELSE 'check_in' END,
       strftime({iso}, at, 'unixepoch'), strftime({iso}, at, 'unixepoch'),
       CASE WHEN n % 4 < 2 THEN strftime({iso}, at + 22 * 3600, 'unixepoch') END,
       'pending', strftime({iso}, :now - (n % 30) * {day}, 'unixepoch')
FROM (SELECT n, :first + n * :hash % :spread AS at FROM seq)
"""

# History: each interview's prep nudge, in the past, done, sent, cancelled, undeliverable or failed.
_HISTORY = """
WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < :interviews)
INSERT INTO follow_ups (interview_id, user_id, kind, due_at, notify_at, status, sent_at, done_at, created_at)
SELECT n + 1, n % :users + 1, 'prep', strftime({iso}, at, 'unixepoch'), strftime({iso}, at, 'unixepoch'),
       status,
       CASE WHEN status IN ('sent', 'done') THEN strftime({iso}, at, 'unixepoch') END,
       CASE WHEN status = 'done' THEN strftime({iso}, at + 3600, 'unixepoch') END,
       strftime({iso}, at - {day}, 'unixepoch')
FROM (SELECT n, :now - n * :hash % :spread AS at,
             CASE WHEN n % 20 < 10 THEN 'done' WHEN n % 20 < 16 THEN 'sent' WHEN n % 20 < 18 THEN 'cancelled'
                  WHEN n % 20 < 19 THEN 'undeliverable' ELSE 'failed' END AS status
      FROM seq)
"""


@dataclass(frozen=True)
class Dataset:
    path: Path
    pending: int
    follow_ups: int
    users: int
    build_seconds: float

    @property
    def size_mb(self) -> float:
        return self.path.stat().st_size / 1e6


async def create(path: Path) -> None:
    """An empty database with the real migrations applied by the real runner."""
    db = await Database.open(path)
    try:
        await db.migrate(MIGRATIONS)
    finally:
        await db.close()


async def build(path: Path, pending: int) -> Dataset:
    """`pending` pending follow-ups (plus a quarter as many past ones), for pending / 20 seekers."""
    if pending % PENDING_PER_INTERVIEW:
        raise ValueError(f"pending must be a multiple of {PENDING_PER_INTERVIEW}")
    started = time.perf_counter()
    await create(path)
    interviews = pending // PENDING_PER_INTERVIEW
    users = max(1, interviews // INTERVIEWS_PER_USER)
    now = int(time.time())
    params = {
        "users": users,
        "interviews": interviews,
        "pending": pending,
        "now": now,
        "first": now + int(spread.FIRST.total_seconds()),
        "spread": int(spread.SPREAD.total_seconds()),
        "hash": spread.HASH,
    }
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA cache_size = -262144")  # 256 MB while filling: the indexes are built in memory
        conn.execute("BEGIN")
        for statement in (_USERS, _INTERVIEWS, _PENDING, _HISTORY):
            conn.execute(statement.format(iso=ISO, day=DAY), params)
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Dataset(path, pending, pending + interviews, users, time.perf_counter() - started)


@dataclass(frozen=True)
class Seeker:
    """A seeker added for a benchmark: their Discord user id and, if known, the bot's DM channel with them."""

    external_id: int
    dm_channel: int | None = None


_KINDS = (FollowUpKind.THANK_YOU_EMAIL, FollowUpKind.HANDWRITTEN_NOTE, FollowUpKind.NEXT_STEPS, FollowUpKind.CHECK_IN)


def add_due(path: Path, seekers: Sequence[Seeker], notify_at: Sequence[datetime]) -> dict[int, datetime]:
    """Seekers with one interview each, and a follow-up per `notify_at` dealt round-robin among them.

    The seekers have no quiet hours, so every follow-up is sent when due whatever the time of day.
    Returns each new follow-up's id and notify_at.
    """
    now = rows.ts(datetime.now(UTC))
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("BEGIN IMMEDIATE")
        owners: list[tuple[int, int]] = []
        for seeker in seekers:
            (user_id,) = conn.execute(
                "INSERT INTO users (platform, external_id, timezone, quiet_start, quiet_end, dm_channel, created_at)"
                " VALUES ('discord', ?, 'UTC', '00:00:00', '00:00:00', ?, ?) RETURNING id",
                (str(seeker.external_id), None if seeker.dm_channel is None else str(seeker.dm_channel), now),
            ).fetchone()
            (interview_id,) = conn.execute(
                "INSERT INTO interviews (user_id, company, role, scheduled_at, interviewer, created_at)"
                " VALUES (?, 'Acme', 'Data Analyst', ?, 'Sam Lee', ?) RETURNING id",
                (user_id, now, now),
            ).fetchone()
            owners.append((user_id, interview_id))
        created: dict[int, datetime] = {}
        for index, at in enumerate(notify_at):
            user_id, interview_id = owners[index % len(owners)]
            kind = _KINDS[index % len(_KINDS)]
            deadline = rows.ts(at + timedelta(hours=22)) if kind is FollowUpKind.THANK_YOU_EMAIL else None
            (follow_up_id,) = conn.execute(
                "INSERT INTO follow_ups (interview_id, user_id, kind, due_at, notify_at, deadline_at, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (interview_id, user_id, kind.value, rows.ts(at), rows.ts(at), deadline, now),
            ).fetchone()
            created[follow_up_id] = at
        conn.execute("COMMIT")
    return created


def count_by_status(path: Path, follow_up_ids: Sequence[int]) -> dict[str, int]:
    """How many of `follow_up_ids` are in each status (read after the bot has stopped)."""
    with closing(sqlite3.connect(path)) as conn:
        found = conn.execute(
            "SELECT status, count(*) FROM follow_ups WHERE id IN (SELECT value FROM json_each(?)) GROUP BY status",
            (rows.json_list(follow_up_ids),),
        ).fetchall()
    return dict(found)

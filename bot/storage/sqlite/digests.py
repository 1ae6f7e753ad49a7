"""SQL for coaches' weekly digest schedules."""

from __future__ import annotations

from datetime import datetime, time

import aiosqlite

from bot.domain.models import DigestPlan
from bot.storage.sqlite import rows


def _plan(row: aiosqlite.Row) -> DigestPlan:
    return DigestPlan(
        coach_id=row["user_id"],
        timezone=row["timezone"],
        weekday=row["weekday"],
        at=time.fromisoformat(row["at_time"]),
        enabled=bool(row["enabled"]),
        started_at=rows.dt(row["started_at"]),
        schedule_set_at=rows.dt(row["schedule_set_at"]),
        last_sent_at=rows.opt_dt(row["last_sent_at"]),
    )


class DigestRepo:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def ensure(self, user_id: int, weekday: int, at: time, now: datetime) -> bool:
        """A new coach gets the default schedule; an existing one keeps theirs. True if it was new."""
        cursor = await self.conn.execute(
            "INSERT INTO coach_digests (user_id, weekday, at_time, started_at, schedule_set_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO NOTHING",
            (user_id, weekday, at.strftime("%H:%M"), rows.ts(now), rows.ts(now)),
        )
        return cursor.rowcount == 1

    async def plan(self, user_id: int) -> DigestPlan | None:
        async with self.conn.execute(
            "SELECT d.*, u.timezone FROM coach_digests d JOIN users u ON u.id = d.user_id WHERE d.user_id = ?",
            (user_id,),
        ) as cursor:
            row = await cursor.fetchone()
        return None if row is None else _plan(row)

    async def plans(self) -> list[DigestPlan]:
        async with self.conn.execute(
            "SELECT d.*, u.timezone FROM coach_digests d JOIN users u ON u.id = d.user_id ORDER BY d.user_id"
        ) as cursor:
            return [_plan(row) for row in await cursor.fetchall()]

    async def set_schedule(self, user_id: int, weekday: int, at: time, enabled: bool, now: datetime) -> None:
        await self.conn.execute(
            "UPDATE coach_digests SET weekday = ?, at_time = ?, enabled = ?, schedule_set_at = ? WHERE user_id = ?",
            (weekday, at.strftime("%H:%M"), enabled, rows.ts(now), user_id),
        )

    async def mark_sent(self, user_id: int, at: datetime) -> None:
        await self.conn.execute("UPDATE coach_digests SET last_sent_at = ? WHERE user_id = ?", (rows.ts(at), user_id))

"""SQL for coaches' weekly digest schedules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time

import aiosqlite

from bot.domain.models import DigestPlan
from bot.ports.repositories import Lease
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

    async def set_schedule(self, user_id: int, weekday: int, at: time, enabled: bool, now: datetime) -> None:
        await self.conn.execute(
            "UPDATE coach_digests SET weekday = ?, at_time = ?, enabled = ?, schedule_set_at = ? WHERE user_id = ?",
            (weekday, at.strftime("%H:%M"), enabled, rows.ts(now), user_id),
        )

    async def mark_sent(self, user_id: int, at: datetime, lease: Lease) -> None:
        """Record the digest sent up to `at`, only under the claim that sent it (as `schedule`): a stale claim
        must not move last_sent_at back behind what the current claimant sent."""
        await self.conn.execute(
            "UPDATE coach_digests SET last_sent_at = ? WHERE user_id = ? AND lease_until = ? AND claimant = ?",
            (rows.ts(at), user_id, rows.ts(lease.until), lease.claimant),
        )

    # The digest loop's cycle, as the dispatcher's for follow-ups: claim what is due with a lease, then store
    # the next due time. A due_at of NULL means "plan it now" and is due at once.

    async def claim_due(self, now: datetime, lease: Lease, limit: int, platforms: Sequence[str]) -> list[int]:
        """The coaches (ids) on one of `platforms` whose digest row is due and not leased, leased until then."""
        found = await self.conn.execute_fetchall(
            "UPDATE coach_digests SET lease_until = ?, claimant = ?"
            " WHERE user_id IN (SELECT d.user_id FROM coach_digests d JOIN users u ON u.id = d.user_id"
            "                   WHERE d.enabled = 1 AND (d.due_at IS NULL OR d.due_at <= ?)"
            "                   AND (d.lease_until IS NULL OR d.lease_until <= ?)"
            "                   AND u.platform IN (SELECT value FROM json_each(?))"
            "                   ORDER BY d.due_at LIMIT ?)"
            " RETURNING user_id",
            (rows.ts(lease.until), lease.claimant, rows.ts(now), rows.ts(now), rows.json_list(platforms), limit),
        )
        return sorted(row[0] for row in found)

    async def next_due(self, platforms: Sequence[str]) -> datetime | None:
        """The soonest moment a digest row of `platforms` wants looking at: its due time, or its lease running
        out; a row to plan counts as due long ago."""
        found = await self.conn.execute_fetchall(
            "SELECT MIN(COALESCE(d.lease_until, d.due_at, '')) FROM coach_digests d JOIN users u ON u.id = d.user_id"
            " WHERE d.enabled = 1 AND u.platform IN (SELECT value FROM json_each(?))",
            (rows.json_list(platforms),),
        )
        soonest = next(iter(found))[0]
        return None if soonest is None else rows.dt(soonest) if soonest else datetime.min.replace(tzinfo=UTC)

    async def schedule(self, user_id: int, due_at: datetime | None, lease: Lease) -> None:
        """Store the next due time and end the lease, only if the row is still under this claim's lease: a claim
        whose lease ran out (another process took the row) or a changed schedule (planned afresh) wins."""
        await self.conn.execute(
            "UPDATE coach_digests SET due_at = ?, lease_until = NULL, claimant = NULL"
            " WHERE user_id = ? AND lease_until = ? AND claimant = ?",
            (rows.opt_ts(due_at), user_id, rows.ts(lease.until), lease.claimant),
        )

    async def replan(self, user_id: int, due_at: datetime | None = None) -> None:
        """The schedule or the coach's zone changed: the row is due at `due_at`, or (None) planned afresh by the
        digest loop at once. A lease is ended: the claim's own next due time, from the old schedule, is dropped."""
        await self.conn.execute(
            "UPDATE coach_digests SET due_at = ?, lease_until = NULL, claimant = NULL WHERE user_id = ?",
            (rows.opt_ts(due_at), user_id),
        )

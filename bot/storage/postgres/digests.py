"""SQL for coaches' weekly digest schedules, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time
from typing import Any

from bot.domain.models import DigestPlan
from bot.ports.repositories import Lease
from bot.storage.postgres import rows
from bot.storage.postgres.wakeups import DIGESTS, notify


def _plan(row: rows.Row) -> DigestPlan:
    return DigestPlan(
        coach_id=row["user_id"],
        timezone=row["timezone"],
        weekday=row["weekday"],
        at=row["at_time"],
        enabled=row["enabled"],
        started_at=row["started_at"],
        schedule_set_at=row["schedule_set_at"],
        last_sent_at=row["last_sent_at"],
    )


class DigestRepo:
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    async def ensure(self, user_id: int, weekday: int, at: time, now: datetime) -> bool:
        """A new coach gets the default schedule; an existing one keeps theirs. True if it was new."""
        status = await self.conn.execute(
            "INSERT INTO coach_digests (user_id, weekday, at_time, started_at, schedule_set_at)"
            " VALUES ($1, $2, $3, $4, $4) ON CONFLICT (user_id) DO NOTHING",
            user_id,
            weekday,
            rows.clock(at),
            rows.ts(now),
        )
        if rows.count(status) != 1:
            return False
        await notify(self.conn, DIGESTS, None)  # due at once: planned by whichever process claims it
        return True

    async def plan(self, user_id: int) -> DigestPlan | None:
        row = await self.conn.fetchrow(
            "SELECT d.*, u.timezone FROM coach_digests d JOIN users u ON u.id = d.user_id WHERE d.user_id = $1",
            user_id,
        )
        return None if row is None else _plan(row)

    async def set_schedule(self, user_id: int, weekday: int, at: time, enabled: bool, now: datetime) -> None:
        await self.conn.execute(
            "UPDATE coach_digests SET weekday = $1, at_time = $2, enabled = $3, schedule_set_at = $4"
            " WHERE user_id = $5",
            weekday,
            rows.clock(at),
            enabled,
            rows.ts(now),
            user_id,
        )

    async def mark_sent(self, user_id: int, at: datetime, lease: Lease) -> None:
        """Record the digest sent up to `at`, only under the claim that sent it (as `schedule`): a stale claim
        must not move last_sent_at back behind what the current claimant sent."""
        await self.conn.execute(
            "UPDATE coach_digests SET last_sent_at = $1 WHERE user_id = $2 AND lease_until = $3 AND claimant = $4",
            rows.ts(at),
            user_id,
            rows.ts(lease.until),
            lease.claimant,
        )

    # The digest loop's cycle, as the dispatcher's for follow-ups: claim what is due with a lease, then store
    # the next due time. A due_at of NULL means "plan it now" and is due at once.

    async def claim_due(self, now: datetime, lease: Lease, limit: int, platforms: Sequence[str]) -> list[int]:
        """The coaches (ids) on one of `platforms` whose digest row is due and not leased, leased to
        `lease.claimant`; rows another process is claiming this instant are skipped, not waited for."""
        found = await self.conn.fetch(
            "WITH due AS (SELECT d.user_id FROM coach_digests d JOIN users u ON u.id = d.user_id"
            "             WHERE d.enabled AND (d.due_at IS NULL OR d.due_at <= $1)"
            "             AND (d.lease_until IS NULL OR d.lease_until <= $1) AND u.platform = ANY($2::text[])"
            "             ORDER BY d.due_at NULLS FIRST LIMIT $3 FOR UPDATE OF d SKIP LOCKED)"
            " UPDATE coach_digests c SET lease_until = $4, claimant = $5 FROM due WHERE c.user_id = due.user_id"
            " RETURNING c.user_id",
            rows.ts(now),
            list(platforms),
            limit,
            rows.ts(lease.until),
            lease.claimant,
        )
        return sorted(row[0] for row in found)

    async def next_due(self, platforms: Sequence[str]) -> datetime | None:
        """The soonest moment a digest row of `platforms` wants looking at: its due time, or its lease running
        out; a row to plan counts as due long ago."""
        row = await self.conn.fetchrow(
            "SELECT bool_or(d.lease_until IS NULL AND d.due_at IS NULL), min(coalesce(d.lease_until, d.due_at))"
            " FROM coach_digests d JOIN users u ON u.id = d.user_id"
            " WHERE d.enabled AND u.platform = ANY($1::text[])",
            list(platforms),
        )
        to_plan, soonest = row[0], row[1]
        return datetime.min.replace(tzinfo=UTC) if to_plan else soonest

    async def schedule(self, user_id: int, due_at: datetime | None, lease: Lease) -> None:
        """Store the next due time and end the lease, only if the row is still under this claim's lease: a claim
        whose lease ran out (another process took the row) or a changed schedule (planned afresh) wins."""
        await self.conn.execute(
            "UPDATE coach_digests SET due_at = $1, lease_until = NULL, claimant = NULL"
            " WHERE user_id = $2 AND lease_until = $3 AND claimant = $4",
            rows.opt_ts(due_at),
            user_id,
            rows.ts(lease.until),
            lease.claimant,
        )
        if due_at is not None:
            await notify(self.conn, DIGESTS, due_at)

    async def replan(self, user_id: int, due_at: datetime | None = None) -> None:
        """The schedule or the coach's zone changed: the row is due at `due_at`, or (None) planned afresh by the
        digest loop at once. A lease is ended: the claim's own next due time, from the old schedule, is dropped."""
        await self.conn.execute(
            "UPDATE coach_digests SET due_at = $1, lease_until = NULL, claimant = NULL WHERE user_id = $2",
            rows.opt_ts(due_at),
            user_id,
        )
        await notify(self.conn, DIGESTS, due_at)

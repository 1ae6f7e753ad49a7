"""SQL for follow-ups, including the dispatcher's claim-and-mark cycle, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from bot.domain.models import FollowUp, FollowUpDraft, FollowUpKind, FollowUpStatus
from bot.ports.repositories import Lease, QueueCounts, Retry, Sent, Unreachable
from bot.storage.postgres import rows
from bot.storage.postgres.wakeups import FOLLOW_UPS, notify

# Follow-ups the seeker still has to act on, or that still have to reach them.
_OPEN = [s.value for s in FollowUpStatus if s.is_open]


class FollowUpRepo:
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    async def insert(
        self, interview_id: int, user_id: int, drafts: Iterable[FollowUpDraft], now: datetime
    ) -> list[FollowUp]:
        created = []
        for item in drafts:
            row = await self.conn.fetchrow(
                "INSERT INTO follow_ups (interview_id, user_id, kind, due_at, notify_at, deadline_at, created_at,"
                " time_agreed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *",
                interview_id,
                user_id,
                item.kind.value,
                rows.ts(item.due_at),
                rows.ts(item.notify_at),
                rows.opt_ts(item.deadline_at),
                rows.ts(now),
                item.time_agreed,
            )
            created.append(rows.follow_up(row))
        if created:
            await notify(self.conn, FOLLOW_UPS, min(f.notify_at for f in created))
        return created

    async def get(self, user_id: int, follow_up_id: int) -> FollowUp | None:
        """The follow-up, only if it belongs to `user_id`."""
        row = await self.conn.fetchrow("SELECT * FROM follow_ups WHERE id = $1 AND user_id = $2", follow_up_id, user_id)
        return None if row is None else rows.follow_up(row)

    async def open_for_user(self, user_id: int) -> list[FollowUp]:
        found = await self.conn.fetch(
            "SELECT * FROM follow_ups WHERE user_id = $1 AND status = ANY($2::text[]) ORDER BY due_at, id",
            user_id,
            _OPEN,
        )
        return [rows.follow_up(row) for row in found]

    async def cancel_open(self, interview_id: int, kinds: Sequence[FollowUpKind] | None = None) -> int:
        """Cancel the interview's open follow-ups (of `kinds`, or all); returns how many."""
        status = await self.conn.execute(
            "UPDATE follow_ups SET status = 'cancelled', lease_until = NULL, claimant = NULL"
            " WHERE interview_id = $1 AND status = ANY($2::text[])"
            " AND ($3::text[] IS NULL OR kind = ANY($3::text[]))",
            interview_id,
            _OPEN,
            None if kinds is None else [k.value for k in kinds],
        )
        return rows.count(status)

    async def complete(self, follow_up_id: int, now: datetime) -> bool:
        status = await self.conn.execute(
            "UPDATE follow_ups SET status = 'done', done_at = $1, lease_until = NULL, claimant = NULL"
            " WHERE id = $2 AND status = ANY($3::text[])",
            rows.ts(now),
            follow_up_id,
            _OPEN,
        )
        return rows.count(status) == 1

    async def complete_kind(self, interview_id: int, kind: FollowUpKind, now: datetime) -> int:
        """Mark the interview's open follow-ups of `kind` done: the seeker did the thing another way."""
        status = await self.conn.execute(
            "UPDATE follow_ups SET status = 'done', done_at = $1, lease_until = NULL, claimant = NULL"
            " WHERE interview_id = $2 AND kind = $3 AND status = ANY($4::text[])",
            rows.ts(now),
            interview_id,
            kind.value,
            _OPEN,
        )
        return rows.count(status)

    async def reschedule(self, follow_up_id: int, due_at: datetime, notify_at: datetime) -> FollowUp | None:
        """A snooze: pending again at a later time."""
        row = await self.conn.fetchrow(
            "UPDATE follow_ups SET status = 'pending', due_at = $1, notify_at = $2, snoozes = snoozes + 1,"
            " lease_until = NULL, claimant = NULL, attempts = 0, unreachable_since = NULL"
            " WHERE id = $3 AND status = ANY($4::text[]) RETURNING *",
            rows.ts(due_at),
            rows.ts(notify_at),
            follow_up_id,
            _OPEN,
        )
        if row is None:
            return None
        await notify(self.conn, FOLLOW_UPS, notify_at)
        return rows.follow_up(row)

    async def pending_for_user(self, user_id: int) -> list[FollowUp]:
        found = await self.conn.fetch("SELECT * FROM follow_ups WHERE user_id = $1 AND status = 'pending'", user_id)
        return [rows.follow_up(row) for row in found]

    async def set_times(self, moves: dict[int, tuple[datetime, datetime]]) -> None:
        """New (due_at, notify_at) for pending follow-ups: the seeker changed zone or quiet hours."""
        await self.conn.executemany(
            "UPDATE follow_ups SET due_at = $1, notify_at = $2 WHERE id = $3 AND status = 'pending'",
            [(rows.ts(due), rows.ts(at), follow_up_id) for follow_up_id, (due, at) in moves.items()],
        )
        if moves:
            await notify(self.conn, FOLLOW_UPS, min(at for _, at in moves.values()))

    async def set_notify_at(self, moves: dict[int, datetime], lease: Lease) -> None:
        """Claimed follow-ups the dispatcher defers to a new send time (quiet hours): pending again."""
        await self.conn.executemany(
            "UPDATE follow_ups SET notify_at = $4, status = 'pending', lease_until = NULL, claimant = NULL WHERE id ="
            " $1 AND status = 'claimed' AND lease_until = $2 AND claimant = $3",
            [(follow_up_id, rows.ts(lease.until), lease.claimant, rows.ts(at)) for follow_up_id, at in moves.items()],
        )
        if moves:
            await notify(self.conn, FOLLOW_UPS, min(moves.values()))

    # The dispatcher's cycle: next due time, release expired leases, claim, mark. A mark (set_notify_at too)
    # changes only rows still claimed by its claimant under its lease: a pass that outlived its lease (the rows
    # released, perhaps claimed again by another process) marks nothing.

    async def next_notify_at(self, platforms: Sequence[str]) -> datetime | None:
        """The soonest pending follow-up of a seeker on one of `platforms`."""
        found: datetime | None = await self.conn.fetchval(
            "SELECT f.notify_at FROM follow_ups f JOIN users u ON u.id = f.user_id"
            " WHERE f.status = 'pending' AND u.platform = ANY($1::text[]) ORDER BY f.notify_at LIMIT 1",
            list(platforms),
        )
        return found

    async def next_lease_expiry(self) -> datetime | None:
        """When the soonest claim runs out: a claim left by a process that died must not wait for a poll."""
        found: datetime | None = await self.conn.fetchval(
            "SELECT lease_until FROM follow_ups WHERE status = 'claimed' ORDER BY lease_until LIMIT 1"
        )
        return found

    async def queue_counts(self, now: datetime) -> dict[str, QueueCounts]:
        """For the metrics: pending and due per platform, from the pending index."""
        found = await self.conn.fetch(
            "SELECT u.platform, count(*) AS pending, count(*) FILTER (WHERE f.notify_at <= $1) AS due"
            " FROM follow_ups f JOIN users u ON u.id = f.user_id WHERE f.status = 'pending' GROUP BY u.platform",
            rows.ts(now),
        )
        return {str(r["platform"]): QueueCounts(int(r["pending"]), int(r["due"])) for r in found}

    async def release_expired(self, now: datetime) -> int:
        """Claims whose lease ran out (the process died mid-send) become pending again, each counted as an
        attempt: its send may have reached the platform (FollowUp.may_have_been_sent). Rows another
        transaction holds (a stalled process marking them, say) are skipped, not waited for: a later pass takes
        them back, and this one goes on to claim."""
        status = await self.conn.execute(
            "WITH expired AS (SELECT id FROM follow_ups WHERE status = 'claimed' AND lease_until <= $1"
            "                 FOR UPDATE SKIP LOCKED)"
            " UPDATE follow_ups f SET status = 'pending', lease_until = NULL, claimant = NULL,"
            " attempts = f.attempts + 1 FROM expired WHERE f.id = expired.id",
            rows.ts(now),
        )
        released = rows.count(status)
        if released:
            await notify(self.conn, FOLLOW_UPS, None)
        return released

    async def claim_due(self, now: datetime, lease: Lease, limit: int, platforms: Sequence[str]) -> list[FollowUp]:
        """The soonest due follow-ups of seekers on one of `platforms`, leased to `lease.claimant`. The CTE picks
        exactly `limit` ids (an `id IN (subquery)` may be run again per row and claim more); SKIP LOCKED passes
        over rows another process is claiming this instant, so processes never wait on each other or collide."""
        found = await self.conn.fetch(
            "WITH due AS (SELECT f.id FROM follow_ups f JOIN users u ON u.id = f.user_id"
            "             WHERE f.status = 'pending' AND f.notify_at <= $1 AND u.platform = ANY($2::text[])"
            "             ORDER BY f.notify_at LIMIT $3 FOR UPDATE OF f SKIP LOCKED)"
            " UPDATE follow_ups f SET status = 'claimed', lease_until = $4, claimant = $5"
            " FROM due WHERE f.id = due.id RETURNING f.*",
            rows.ts(now),
            list(platforms),
            limit,
            rows.ts(lease.until),
            lease.claimant,
        )
        claimed = [rows.follow_up(row) for row in found]
        return sorted(claimed, key=lambda f: (f.notify_at, f.id))

    async def mark_sent(self, sent: list[Sent], now: datetime, lease: Lease) -> None:
        await self.conn.executemany(
            "UPDATE follow_ups SET status = 'sent', sent_at = $4, message_ref = $5, lease_until = NULL, claimant ="
            " NULL, last_error = NULL"
            " WHERE id = $1 AND status = 'claimed' AND lease_until = $2 AND claimant = $3",
            [
                (item.follow_up_id, rows.ts(lease.until), lease.claimant, rows.ts(now), item.message_ref)
                for item in sent
            ],
        )

    async def mark_undeliverable(self, follow_up_ids: list[int], error: str, lease: Lease) -> None:
        await self.conn.execute(
            "UPDATE follow_ups SET status = 'undeliverable', lease_until = NULL, claimant = NULL, last_error = $4"
            " WHERE id = ANY($1::bigint[]) AND status = 'claimed' AND lease_until = $2 AND claimant = $3",
            follow_up_ids,
            rows.ts(lease.until),
            lease.claimant,
            error,
        )

    async def mark_retry(self, retries: list[Retry], lease: Lease) -> None:
        await self.conn.executemany(
            "UPDATE follow_ups SET status = 'pending', notify_at = $4, attempts = attempts + 1, last_error = $5,"
            " lease_until = NULL, claimant = NULL WHERE id = $1 AND status = 'claimed' AND lease_until = $2 AND"
            " claimant = $3",
            [(r.follow_up_id, rows.ts(lease.until), lease.claimant, rows.ts(r.notify_at), r.error) for r in retries],
        )
        if retries:
            await notify(self.conn, FOLLOW_UPS, min(r.notify_at for r in retries))

    async def mark_unreachable(self, items: list[Unreachable], lease: Lease) -> None:
        await self.conn.executemany(
            "UPDATE follow_ups SET status = 'pending', notify_at = $4, unreachable_since = $5, last_error = $6,"
            " lease_until = NULL, claimant = NULL WHERE id = $1 AND status = 'claimed' AND lease_until = $2 AND"
            " claimant = $3",
            [
                (u.follow_up_id, rows.ts(lease.until), lease.claimant, rows.ts(u.notify_at), rows.ts(u.since), u.error)
                for u in items
            ],
        )
        if items:
            await notify(self.conn, FOLLOW_UPS, min(u.notify_at for u in items))

    async def release(self, follow_up_ids: list[int], lease: Lease, *, attempted: bool = False) -> None:
        """Claimed follow-ups this process will not send after all (it is stopping): pending again, as they were,
        and due at once for the other processes; `attempted`: their sends were cut off in flight and may have
        arrived, so they count as an attempt."""
        status = await self.conn.execute(
            "UPDATE follow_ups SET status = 'pending', lease_until = NULL, claimant = NULL, attempts = attempts + $4"
            " WHERE id = ANY($1::bigint[]) AND status = 'claimed' AND lease_until = $2 AND claimant = $3",
            follow_up_ids,
            rows.ts(lease.until),
            lease.claimant,
            int(attempted),
        )
        if rows.count(status):
            await notify(self.conn, FOLLOW_UPS, None)

    async def mark_expired(self, follow_up_ids: list[int], lease: Lease) -> None:
        """Claimed preps whose interview has started: cancelled, as moot as any other no longer needed."""
        await self.conn.execute(
            "UPDATE follow_ups SET status = 'cancelled', lease_until = NULL, claimant = NULL WHERE id ="
            " ANY($1::bigint[]) AND status = 'claimed' AND lease_until = $2 AND claimant = $3",
            follow_up_ids,
            rows.ts(lease.until),
            lease.claimant,
        )

    async def mark_failed(self, failures: list[Retry], lease: Lease) -> None:
        await self.conn.executemany(
            "UPDATE follow_ups SET status = 'failed', attempts = attempts + 1, last_error = $4, lease_until = NULL,"
            " claimant = NULL"
            " WHERE id = $1 AND status = 'claimed' AND lease_until = $2 AND claimant = $3",
            [(r.follow_up_id, rows.ts(lease.until), lease.claimant, r.error) for r in failures],
        )

    async def of_interview(self, interview_id: int) -> list[FollowUp]:
        """Every follow-up of the interview, read inside the writing transaction."""
        found = await self.conn.fetch(
            "SELECT * FROM follow_ups WHERE interview_id = $1 ORDER BY due_at, id", interview_id
        )
        return [rows.follow_up(row) for row in found]

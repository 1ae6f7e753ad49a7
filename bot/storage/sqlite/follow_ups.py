"""SQL for follow-ups, including the dispatcher's claim-and-mark cycle."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import aiosqlite

from bot.domain.models import FollowUp, FollowUpDraft, FollowUpKind, FollowUpStatus
from bot.ports.repositories import Lease, QueueCounts, Retry, Sent, Unreachable
from bot.storage.sqlite import rows

# Follow-ups the seeker still has to act on, or that still have to reach them.
_OPEN_JSON = rows.json_list(s.value for s in FollowUpStatus if s.is_open)


class FollowUpRepo:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def insert(
        self, interview_id: int, user_id: int, drafts: Iterable[FollowUpDraft], now: datetime
    ) -> list[FollowUp]:
        created = []
        for item in drafts:
            async with self.conn.execute(
                "INSERT INTO follow_ups (interview_id, user_id, kind, due_at, notify_at, deadline_at, created_at,"
                " time_agreed) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
                (
                    interview_id,
                    user_id,
                    item.kind.value,
                    rows.ts(item.due_at),
                    rows.ts(item.notify_at),
                    rows.opt_ts(item.deadline_at),
                    rows.ts(now),
                    item.time_agreed,
                ),
            ) as cursor:
                row = await cursor.fetchone()
            assert row is not None
            created.append(rows.follow_up(row))
        return created

    async def get(self, user_id: int, follow_up_id: int) -> FollowUp | None:
        """The follow-up, only if it belongs to `user_id`."""
        async with self.conn.execute(
            "SELECT * FROM follow_ups WHERE id = ? AND user_id = ?", (follow_up_id, user_id)
        ) as cursor:
            row = await cursor.fetchone()
        return None if row is None else rows.follow_up(row)

    async def open_for_user(self, user_id: int) -> list[FollowUp]:
        async with self.conn.execute(
            "SELECT * FROM follow_ups WHERE user_id = ? AND status IN (SELECT value FROM json_each(?))"
            " ORDER BY due_at, id",
            (user_id, _OPEN_JSON),
        ) as cursor:
            return [rows.follow_up(row) for row in await cursor.fetchall()]

    async def cancel_open(self, interview_id: int, kinds: Sequence[FollowUpKind] | None = None) -> int:
        """Cancel the interview's open follow-ups (of `kinds`, or all); returns how many."""
        kinds_json = None if kinds is None else rows.json_list(k.value for k in kinds)
        cursor = await self.conn.execute(
            "UPDATE follow_ups SET status = 'cancelled', lease_until = NULL, claimant = NULL"
            " WHERE interview_id = ? AND status IN (SELECT value FROM json_each(?))"
            " AND (? IS NULL OR kind IN (SELECT value FROM json_each(?)))",
            (interview_id, _OPEN_JSON, kinds_json, kinds_json),
        )
        return cursor.rowcount

    async def complete(self, follow_up_id: int, now: datetime) -> bool:
        cursor = await self.conn.execute(
            "UPDATE follow_ups SET status = 'done', done_at = ?, lease_until = NULL, claimant = NULL"
            " WHERE id = ? AND status IN (SELECT value FROM json_each(?))",
            (rows.ts(now), follow_up_id, _OPEN_JSON),
        )
        return cursor.rowcount == 1

    async def complete_kind(self, interview_id: int, kind: FollowUpKind, now: datetime) -> int:
        """Mark the interview's open follow-ups of `kind` done: the seeker did the thing another way."""
        cursor = await self.conn.execute(
            "UPDATE follow_ups SET status = 'done', done_at = ?, lease_until = NULL, claimant = NULL"
            " WHERE interview_id = ? AND kind = ? AND status IN (SELECT value FROM json_each(?))",
            (rows.ts(now), interview_id, kind.value, _OPEN_JSON),
        )
        return cursor.rowcount

    async def reschedule(self, follow_up_id: int, due_at: datetime, notify_at: datetime) -> FollowUp | None:
        """A snooze: pending again at a later time."""
        async with self.conn.execute(
            "UPDATE follow_ups SET status = 'pending', due_at = ?, notify_at = ?, snoozes = snoozes + 1,"
            " lease_until = NULL, claimant = NULL, attempts = 0, unreachable_since = NULL"
            " WHERE id = ? AND status IN (SELECT value FROM json_each(?)) RETURNING *",
            (rows.ts(due_at), rows.ts(notify_at), follow_up_id, _OPEN_JSON),
        ) as cursor:
            row = await cursor.fetchone()
        return None if row is None else rows.follow_up(row)

    async def pending_for_user(self, user_id: int) -> list[FollowUp]:
        async with self.conn.execute(
            "SELECT * FROM follow_ups WHERE user_id = ? AND status = 'pending'", (user_id,)
        ) as cursor:
            return [rows.follow_up(row) for row in await cursor.fetchall()]

    async def set_times(self, moves: dict[int, tuple[datetime, datetime]]) -> None:
        """New (due_at, notify_at) for pending follow-ups: the seeker changed zone or quiet hours."""
        await self.conn.executemany(
            "UPDATE follow_ups SET due_at = ?, notify_at = ? WHERE id = ? AND status = 'pending'",
            [(rows.ts(due), rows.ts(notify), follow_up_id) for follow_up_id, (due, notify) in moves.items()],
        )

    async def set_notify_at(self, moves: dict[int, datetime], lease: Lease) -> None:
        """Claimed follow-ups the dispatcher defers to a new send time (quiet hours): pending again."""
        await self.conn.executemany(
            "UPDATE follow_ups SET notify_at = ?, status = 'pending', lease_until = NULL, claimant = NULL"
            " WHERE id = ? AND status = 'claimed' AND lease_until = ? AND claimant = ?",
            [(rows.ts(at), follow_up_id, rows.ts(lease.until), lease.claimant) for follow_up_id, at in moves.items()],
        )

    # The dispatcher's cycle: next due time, release expired leases, claim, mark. Its queries that return
    # rows use execute_fetchall: one trip to the database thread instead of three (execute, fetch, close).
    # A mark (set_notify_at too) changes only rows still claimed under the Lease it is given (claimant and
    # lease_until), the one its claim took: a pass that outlived its lease (the rows released, perhaps claimed
    # again by another process) marks nothing.

    async def next_notify_at(self, platforms: Sequence[str]) -> datetime | None:
        """The soonest pending follow-up of a seeker on one of `platforms`."""
        found = await self.conn.execute_fetchall(
            "SELECT f.notify_at FROM follow_ups f CROSS JOIN users u ON u.id = f.user_id"
            " WHERE f.status = 'pending' AND u.platform IN (SELECT value FROM json_each(?))"
            " ORDER BY f.notify_at LIMIT 1",
            (rows.json_list(platforms),),
        )
        return next((rows.dt(row[0]) for row in found), None)

    async def next_lease_expiry(self) -> datetime | None:
        """When the soonest claim runs out: a claim left by a process that died must not wait for a poll."""
        found = await self.conn.execute_fetchall(
            "SELECT lease_until FROM follow_ups WHERE status = 'claimed' ORDER BY lease_until LIMIT 1"
        )
        return next((rows.dt(row[0]) for row in found), None)

    async def queue_counts(self, now: datetime) -> dict[str, QueueCounts]:
        """For the metrics: one walk of the pending index, each seeker looked up by primary key."""
        found = await self.conn.execute_fetchall(
            "SELECT u.platform, count(*), coalesce(sum(f.notify_at <= ?), 0)"
            " FROM follow_ups f CROSS JOIN users u ON u.id = f.user_id WHERE f.status = 'pending'"
            " GROUP BY u.platform",
            (rows.ts(now),),
        )
        return {str(row[0]): QueueCounts(int(row[1]), int(row[2])) for row in found}

    async def release_expired(self, now: datetime) -> int:
        """Claims whose lease ran out (the process died mid-send) become pending again, each counted as an
        attempt: its send may have reached the platform (FollowUp.may_have_been_sent)."""
        cursor = await self.conn.execute(
            "UPDATE follow_ups SET status = 'pending', lease_until = NULL, claimant = NULL, attempts = attempts + 1"
            " WHERE status = 'claimed' AND lease_until <= ?",
            (rows.ts(now),),
        )
        return cursor.rowcount

    async def claim_due(self, now: datetime, lease: Lease, limit: int, platforms: Sequence[str]) -> list[FollowUp]:
        """The soonest due follow-ups of seekers on one of `platforms` (those this process runs), leased.
        The CROSS JOIN keeps follow_ups the outer loop (SQLite does not reorder it): the pending index is walked
        in notify_at order and each seeker looked up by primary key, never the other way round."""
        found = await self.conn.execute_fetchall(
            "UPDATE follow_ups SET status = 'claimed', lease_until = ?, claimant = ?"
            " WHERE id IN (SELECT f.id FROM follow_ups f CROSS JOIN users u ON u.id = f.user_id"
            "              WHERE f.status = 'pending' AND f.notify_at <= ?"
            "              AND u.platform IN (SELECT value FROM json_each(?))"
            "              ORDER BY f.notify_at LIMIT ?)"
            " RETURNING *",
            (rows.ts(lease.until), lease.claimant, rows.ts(now), rows.json_list(platforms), limit),
        )
        claimed = [rows.follow_up(row) for row in found]
        return sorted(claimed, key=lambda f: (f.notify_at, f.id))

    async def mark_sent(self, sent: list[Sent], now: datetime, lease: Lease) -> None:
        await self.conn.executemany(
            "UPDATE follow_ups SET status = 'sent', sent_at = ?, message_ref = ?, lease_until = NULL, claimant = NULL,"
            " last_error = NULL WHERE id = ? AND status = 'claimed' AND lease_until = ? AND claimant = ?",
            [
                (rows.ts(now), item.message_ref, item.follow_up_id, rows.ts(lease.until), lease.claimant)
                for item in sent
            ],
        )

    async def mark_undeliverable(self, follow_up_ids: list[int], error: str, lease: Lease) -> None:
        await self.conn.execute(
            "UPDATE follow_ups SET status = 'undeliverable', lease_until = NULL, claimant = NULL, last_error = ?"
            " WHERE id IN (SELECT value FROM json_each(?)) AND status = 'claimed' AND lease_until = ? AND claimant = ?",
            (error, rows.json_list(follow_up_ids), rows.ts(lease.until), lease.claimant),
        )

    async def mark_retry(self, retries: list[Retry], lease: Lease) -> None:
        await self.conn.executemany(
            "UPDATE follow_ups SET status = 'pending', notify_at = ?, attempts = attempts + 1,"
            " last_error = ?, lease_until = NULL, claimant = NULL WHERE id = ? AND status = 'claimed' AND lease_until"
            " = ? AND claimant = ?",
            [(rows.ts(r.notify_at), r.error, r.follow_up_id, rows.ts(lease.until), lease.claimant) for r in retries],
        )

    async def mark_unreachable(self, items: list[Unreachable], lease: Lease) -> None:
        await self.conn.executemany(
            "UPDATE follow_ups SET status = 'pending', notify_at = ?, unreachable_since = ?, last_error = ?,"
            " lease_until = NULL, claimant = NULL WHERE id = ? AND status = 'claimed' AND lease_until = ? AND claimant"
            " = ?",
            [
                (rows.ts(u.notify_at), rows.ts(u.since), u.error, u.follow_up_id, rows.ts(lease.until), lease.claimant)
                for u in items
            ],
        )

    async def release(self, follow_up_ids: list[int], lease: Lease, *, attempted: bool = False) -> None:
        """Claimed follow-ups this process will not send after all (it is stopping): pending again, as they were;
        `attempted`: their sends were cut off in flight and may have arrived, so they count as an attempt."""
        await self.conn.execute(
            "UPDATE follow_ups SET status = 'pending', lease_until = NULL, claimant = NULL, attempts = attempts + ?"
            " WHERE id IN (SELECT value FROM json_each(?)) AND status = 'claimed' AND lease_until = ? AND claimant = ?",
            (int(attempted), rows.json_list(follow_up_ids), rows.ts(lease.until), lease.claimant),
        )

    async def mark_expired(self, follow_up_ids: list[int], lease: Lease) -> None:
        """Claimed preps whose interview has started: cancelled, as moot as any other no longer needed."""
        await self.conn.execute(
            "UPDATE follow_ups SET status = 'cancelled', lease_until = NULL, claimant = NULL"
            " WHERE id IN (SELECT value FROM json_each(?)) AND status = 'claimed' AND lease_until = ? AND claimant = ?",
            (rows.json_list(follow_up_ids), rows.ts(lease.until), lease.claimant),
        )

    async def mark_failed(self, failures: list[Retry], lease: Lease) -> None:
        await self.conn.executemany(
            "UPDATE follow_ups SET status = 'failed', attempts = attempts + 1, last_error = ?,"
            " lease_until = NULL, claimant = NULL WHERE id = ? AND status = 'claimed' AND lease_until = ? AND claimant"
            " = ?",
            [(r.error, r.follow_up_id, rows.ts(lease.until), lease.claimant) for r in failures],
        )

    async def of_interview(self, interview_id: int) -> list[FollowUp]:
        """Every follow-up of the interview, read inside the writing transaction."""
        found = await self.conn.execute_fetchall(
            "SELECT * FROM follow_ups WHERE interview_id = ? ORDER BY due_at, id", (interview_id,)
        )
        return [rows.follow_up(row) for row in found]

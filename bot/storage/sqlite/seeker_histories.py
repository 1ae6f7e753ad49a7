"""SQL that reads whole job hunts at once, for the coaches allowed to see them."""

from __future__ import annotations

import aiosqlite

from bot.domain.models import SeekerHistory
from bot.storage.sqlite import rows


class HistoryRepo:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def load(self, user_ids: list[int]) -> dict[int, SeekerHistory]:
        """Each user's interviews, answers, follow-ups (cancelled ones left out), calls and feedback."""
        ids = (rows.json_list(user_ids),)
        conn = self.conn
        async with conn.execute("SELECT * FROM users WHERE id IN (SELECT value FROM json_each(?))", ids) as cursor:
            users = {row["id"]: (rows.user(row), bool(row["share_notes"])) for row in await cursor.fetchall()}
        async with conn.execute(
            "SELECT * FROM interviews WHERE user_id IN (SELECT value FROM json_each(?)) ORDER BY scheduled_at, id", ids
        ) as cursor:
            interviews = [rows.interview(row) for row in await cursor.fetchall()]
        async with conn.execute(
            "SELECT s.* FROM next_steps s JOIN interviews i ON i.id = s.interview_id"
            " WHERE i.user_id IN (SELECT value FROM json_each(?))",
            ids,
        ) as cursor:
            steps = [rows.next_steps(row) for row in await cursor.fetchall()]
        async with conn.execute(
            "SELECT * FROM follow_ups WHERE user_id IN (SELECT value FROM json_each(?)) AND status != 'cancelled'"
            " ORDER BY due_at, id",
            ids,
        ) as cursor:
            follow_ups = [rows.follow_up(row) for row in await cursor.fetchall()]
        async with conn.execute(
            "SELECT c.* FROM check_ins c JOIN interviews i ON i.id = c.interview_id"
            " WHERE i.user_id IN (SELECT value FROM json_each(?)) ORDER BY c.called_at, c.id",
            ids,
        ) as cursor:
            check_ins = [rows.check_in(row) for row in await cursor.fetchall()]
        async with conn.execute(
            "SELECT f.* FROM feedback f JOIN interviews i ON i.id = f.interview_id"
            " WHERE i.user_id IN (SELECT value FROM json_each(?)) ORDER BY f.recorded_at, f.id",
            ids,
        ) as cursor:
            feedback = [rows.feedback(row) for row in await cursor.fetchall()]
        owner = {i.id: i.user_id for i in interviews}
        return {
            user_id: SeekerHistory(
                user=user,
                share_notes=share_notes,
                interviews=[i for i in interviews if i.user_id == user_id],
                next_steps={s.interview_id: s for s in steps if owner[s.interview_id] == user_id},
                follow_ups=[f for f in follow_ups if f.user_id == user_id],
                check_ins=[c for c in check_ins if owner[c.interview_id] == user_id],
                feedback=[f for f in feedback if owner[f.interview_id] == user_id],
            )
            for user_id, (user, share_notes) in users.items()
        }

"""SQL that reads whole job hunts at once, for the coaches allowed to see them, on PostgreSQL."""

from __future__ import annotations

from typing import Any

from bot.domain.models import SeekerHistory
from bot.storage.postgres import rows


class HistoryRepo:
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    async def load(self, user_ids: list[int]) -> dict[int, SeekerHistory]:
        """Each user's interviews, answers, follow-ups (cancelled ones left out), calls and feedback."""
        conn = self.conn
        found = await conn.fetch("SELECT * FROM users WHERE id = ANY($1::bigint[])", user_ids)
        users = {row["id"]: (rows.user(row), bool(row["share_notes"])) for row in found}
        found = await conn.fetch(
            "SELECT * FROM interviews WHERE user_id = ANY($1::bigint[]) ORDER BY scheduled_at, id", user_ids
        )
        interviews = [rows.interview(row) for row in found]
        found = await conn.fetch(
            "SELECT s.* FROM next_steps s JOIN interviews i ON i.id = s.interview_id WHERE i.user_id ="
            " ANY($1::bigint[])",
            user_ids,
        )
        steps = [rows.next_steps(row) for row in found]
        found = await conn.fetch(
            "SELECT * FROM follow_ups WHERE user_id = ANY($1::bigint[]) AND status != 'cancelled' ORDER BY due_at, id",
            user_ids,
        )
        follow_ups = [rows.follow_up(row) for row in found]
        found = await conn.fetch(
            "SELECT c.* FROM check_ins c JOIN interviews i ON i.id = c.interview_id"
            " WHERE i.user_id = ANY($1::bigint[]) ORDER BY c.called_at, c.id",
            user_ids,
        )
        check_ins = [rows.check_in(row) for row in found]
        found = await conn.fetch(
            "SELECT f.* FROM feedback f JOIN interviews i ON i.id = f.interview_id"
            " WHERE i.user_id = ANY($1::bigint[]) ORDER BY f.recorded_at, f.id",
            user_ids,
        )
        feedback = [rows.feedback(row) for row in found]
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

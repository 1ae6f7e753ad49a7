"""SQL for interviews, their "what happens next" answers, check-in calls and feedback."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.domain.models import CheckIn, Feedback, Interview, NextSteps, Outcome
from bot.ports.repositories import NewInterview
from bot.storage.sqlite import rows


class InterviewRepo:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def insert(self, user_id: int, new: NewInterview, now: datetime) -> Interview:
        async with self.conn.execute(
            "INSERT INTO interviews (user_id, company, role, scheduled_at, interviewer, contact, notes,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
            (
                user_id,
                new.company,
                new.role,
                rows.ts(new.scheduled_at),
                new.interviewer,
                new.contact,
                new.notes,
                rows.ts(now),
            ),
        ) as cursor:
            row = await cursor.fetchone()
        assert row is not None
        return rows.interview(row)

    async def get(self, user_id: int, interview_id: int) -> Interview | None:
        """The interview, only if it belongs to `user_id`."""
        async with self.conn.execute(
            "SELECT * FROM interviews WHERE id = ? AND user_id = ?", (interview_id, user_id)
        ) as cursor:
            row = await cursor.fetchone()
        return None if row is None else rows.interview(row)

    async def by_ids(self, interview_ids: list[int]) -> dict[int, Interview]:
        async with self.conn.execute(
            "SELECT * FROM interviews WHERE id IN (SELECT value FROM json_each(?))",
            (rows.json_list(interview_ids),),
        ) as cursor:
            return {row["id"]: rows.interview(row) for row in await cursor.fetchall()}

    async def list_for_user(self, user_id: int, include_closed: bool) -> list[Interview]:
        async with self.conn.execute(
            "SELECT * FROM interviews WHERE user_id = ? AND (? OR outcome IS NULL) ORDER BY scheduled_at DESC, id DESC",
            (user_id, include_closed),
        ) as cursor:
            return [rows.interview(row) for row in await cursor.fetchall()]

    async def search(self, user_id: int, text: str, limit: int, *, include_closed: bool = False) -> list[Interview]:
        """The user's interviews (open ones only, unless asked) whose company or role contains `text`,
        most recent first."""
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        async with self.conn.execute(
            "SELECT * FROM interviews WHERE user_id = ? AND (? OR outcome IS NULL)"
            " AND (company LIKE ? ESCAPE '\\' OR role LIKE ? ESCAPE '\\')"
            " ORDER BY scheduled_at DESC, id DESC LIMIT ?",
            (user_id, include_closed, pattern, pattern, limit),
        ) as cursor:
            return [rows.interview(row) for row in await cursor.fetchall()]

    async def set_outcome(
        self, interview_id: int, outcome: Outcome, notes: str | None, now: datetime
    ) -> Interview | None:
        """Close the interview; None if it already had an outcome (another command got there first)."""
        async with self.conn.execute(
            "UPDATE interviews SET outcome = ?, outcome_notes = ?, outcome_at = ?"
            " WHERE id = ? AND outcome IS NULL RETURNING *",
            (outcome.value, notes, rows.ts(now), interview_id),
        ) as cursor:
            row = await cursor.fetchone()
        return None if row is None else rows.interview(row)

    async def is_open(self, interview_id: int) -> bool:
        """Read inside the writing transaction, so an outcome recorded meanwhile is seen; no other writer runs
        until it commits (BEGIN IMMEDIATE)."""
        async with self.conn.execute("SELECT outcome IS NULL FROM interviews WHERE id = ?", (interview_id,)) as cursor:
            row = await cursor.fetchone()
        return row is not None and bool(row[0])

    async def save_next_steps(self, steps: NextSteps) -> None:
        await self.conn.execute(
            "INSERT INTO next_steps (interview_id, check_back_at, candidates, decision_by, rounds, notes,"
            " recorded_at, check_back_agreed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (interview_id) DO UPDATE SET check_back_at = excluded.check_back_at,"
            " candidates = excluded.candidates, decision_by = excluded.decision_by,"
            " rounds = excluded.rounds, notes = excluded.notes, recorded_at = excluded.recorded_at,"
            " check_back_agreed = excluded.check_back_agreed",
            (
                steps.interview_id,
                rows.ts(steps.check_back_at),
                steps.candidates,
                rows.opt_ts(steps.decision_by),
                steps.rounds,
                steps.notes,
                rows.ts(steps.recorded_at),
                steps.check_back_agreed,
            ),
        )

    async def next_steps(self, interview_ids: list[int]) -> dict[int, NextSteps]:
        async with self.conn.execute(
            "SELECT * FROM next_steps WHERE interview_id IN (SELECT value FROM json_each(?))",
            (rows.json_list(interview_ids),),
        ) as cursor:
            return {row["interview_id"]: rows.next_steps(row) for row in await cursor.fetchall()}

    async def add_check_in(
        self, interview_id: int, heard: str, next_check_back: datetime | None, now: datetime
    ) -> CheckIn:
        async with self.conn.execute(
            "INSERT INTO check_ins (interview_id, heard, next_check_back_at, called_at) VALUES (?, ?, ?, ?)"
            " RETURNING *",
            (interview_id, heard, rows.opt_ts(next_check_back), rows.ts(now)),
        ) as cursor:
            row = await cursor.fetchone()
        assert row is not None
        return rows.check_in(row)

    async def latest_check_ins(self, interview_ids: list[int]) -> dict[int, CheckIn]:
        async with self.conn.execute(
            "SELECT * FROM check_ins WHERE id IN (SELECT max(id) FROM check_ins"
            " WHERE interview_id IN (SELECT value FROM json_each(?)) GROUP BY interview_id)",
            (rows.json_list(interview_ids),),
        ) as cursor:
            return {row["interview_id"]: rows.check_in(row) for row in await cursor.fetchall()}

    async def add_feedback(self, interview_id: int, text: str, now: datetime) -> Feedback:
        async with self.conn.execute(
            "INSERT INTO feedback (interview_id, text, recorded_at) VALUES (?, ?, ?) RETURNING *",
            (interview_id, text, rows.ts(now)),
        ) as cursor:
            row = await cursor.fetchone()
        assert row is not None
        return rows.feedback(row)

    async def update(self, interview_id: int, fields: NewInterview) -> Interview:
        async with self.conn.execute(
            "UPDATE interviews SET company = ?, role = ?, scheduled_at = ?, interviewer = ?, contact = ?, notes = ?"
            " WHERE id = ? RETURNING *",
            (
                fields.company,
                fields.role,
                rows.ts(fields.scheduled_at),
                fields.interviewer,
                fields.contact,
                fields.notes,
                interview_id,
            ),
        ) as cursor:
            row = await cursor.fetchone()
        assert row is not None
        return rows.interview(row)

    async def delete(self, user_id: int, interview_id: int) -> bool:
        """Delete the interview with everything of it (follow-ups, answers, calls, feedback cascade)."""
        cursor = await self.conn.execute("DELETE FROM interviews WHERE id = ? AND user_id = ?", (interview_id, user_id))
        return cursor.rowcount == 1

    async def change_outcome(
        self, interview_id: int, old: Outcome, new: Outcome | None, notes: str | None, now: datetime
    ) -> Interview | None:
        """Replace outcome `old` by `new` (None reopens); notes stay unless new ones are given. None if the
        outcome is no longer `old` (another command got there first)."""
        async with self.conn.execute(
            "UPDATE interviews SET outcome = ?, outcome_notes = CASE WHEN ? IS NULL THEN NULL"
            " ELSE coalesce(?, outcome_notes) END, outcome_at = CASE WHEN ? IS NULL THEN NULL ELSE ? END"
            " WHERE id = ? AND outcome = ? RETURNING *",
            (
                None if new is None else new.value,
                None if new is None else new.value,
                notes,
                None if new is None else new.value,
                rows.ts(now),
                interview_id,
                old.value,
            ),
        ) as cursor:
            row = await cursor.fetchone()
        return None if row is None else rows.interview(row)

    async def has_answers(self, interview_id: int) -> bool:
        """Whether "what happens next" or a check-in call was recorded: then the calls follow those."""
        async with self.conn.execute(
            "SELECT EXISTS (SELECT 1 FROM next_steps WHERE interview_id = ?)"
            " OR EXISTS (SELECT 1 FROM check_ins WHERE interview_id = ?)",
            (interview_id, interview_id),
        ) as cursor:
            row = await cursor.fetchone()
        return row is not None and bool(row[0])

    async def agreed_check_back(self, interview_id: int) -> datetime | None:
        """The latest check-back date heard: from the last call logged, else from the answers."""
        async with self.conn.execute(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM check_ins WHERE interview_id = ?)"
            " THEN (SELECT next_check_back_at FROM check_ins WHERE interview_id = ? ORDER BY id DESC LIMIT 1)"
            " ELSE (SELECT check_back_at FROM next_steps WHERE interview_id = ? AND check_back_agreed) END",
            (interview_id, interview_id, interview_id),
        ) as cursor:
            row = await cursor.fetchone()
        return None if row is None or row[0] is None else rows.dt(row[0])

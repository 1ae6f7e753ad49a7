"""SQL for interviews, their "what happens next" answers, check-in calls and feedback, on PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.models import CheckIn, Feedback, Interview, NextSteps, Outcome
from bot.ports.repositories import NewInterview
from bot.storage.postgres import rows


class InterviewRepo:
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    async def insert(self, user_id: int, new: NewInterview, now: datetime) -> Interview:
        row = await self.conn.fetchrow(
            "INSERT INTO interviews (user_id, company, role, scheduled_at, interviewer, contact, notes, created_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *",
            user_id,
            new.company,
            new.role,
            rows.ts(new.scheduled_at),
            new.interviewer,
            new.contact,
            new.notes,
            rows.ts(now),
        )
        return rows.interview(row)

    async def get(self, user_id: int, interview_id: int) -> Interview | None:
        """The interview, only if it belongs to `user_id`."""
        row = await self.conn.fetchrow("SELECT * FROM interviews WHERE id = $1 AND user_id = $2", interview_id, user_id)
        return None if row is None else rows.interview(row)

    async def by_ids(self, interview_ids: list[int]) -> dict[int, Interview]:
        found = await self.conn.fetch("SELECT * FROM interviews WHERE id = ANY($1::bigint[])", interview_ids)
        return {row["id"]: rows.interview(row) for row in found}

    async def list_for_user(self, user_id: int, include_closed: bool) -> list[Interview]:
        found = await self.conn.fetch(
            "SELECT * FROM interviews WHERE user_id = $1 AND ($2 OR outcome IS NULL)"
            " ORDER BY scheduled_at DESC, id DESC",
            user_id,
            include_closed,
        )
        return [rows.interview(row) for row in found]

    async def search(self, user_id: int, text: str, limit: int, *, include_closed: bool = False) -> list[Interview]:
        """The user's interviews (open ones only, unless asked) whose company or role contains `text`, in any
        case, most recent first."""
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        found = await self.conn.fetch(
            "SELECT * FROM interviews WHERE user_id = $1 AND ($2 OR outcome IS NULL)"
            " AND (company ILIKE $3 ESCAPE '\\' OR role ILIKE $3 ESCAPE '\\')"
            " ORDER BY scheduled_at DESC, id DESC LIMIT $4",
            user_id,
            include_closed,
            pattern,
            limit,
        )
        return [rows.interview(row) for row in found]

    async def set_outcome(
        self, interview_id: int, outcome: Outcome, notes: str | None, now: datetime
    ) -> Interview | None:
        """Close the interview; None if it already had an outcome (another command got there first)."""
        row = await self.conn.fetchrow(
            "UPDATE interviews SET outcome = $1, outcome_notes = $2, outcome_at = $3"
            " WHERE id = $4 AND outcome IS NULL RETURNING *",
            outcome.value,
            notes,
            rows.ts(now),
            interview_id,
        )
        return None if row is None else rows.interview(row)

    async def is_open(self, interview_id: int) -> bool:
        """Locks the interview's row until the transaction ends (FOR NO KEY UPDATE, as an UPDATE of it does): an
        outcome recorded by another process waits for this transaction, and then cancels what it planned."""
        found = await self.conn.fetchval(
            "SELECT outcome IS NULL FROM interviews WHERE id = $1 FOR NO KEY UPDATE", interview_id
        )
        return bool(found)

    async def save_next_steps(self, steps: NextSteps) -> None:
        await self.conn.execute(
            "INSERT INTO next_steps (interview_id, check_back_at, candidates, decision_by, rounds, notes,"
            " recorded_at, check_back_agreed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
            " ON CONFLICT (interview_id) DO UPDATE SET check_back_at = excluded.check_back_at,"
            " candidates = excluded.candidates, decision_by = excluded.decision_by,"
            " rounds = excluded.rounds, notes = excluded.notes, recorded_at = excluded.recorded_at,"
            " check_back_agreed = excluded.check_back_agreed",
            steps.interview_id,
            rows.ts(steps.check_back_at),
            steps.candidates,
            rows.opt_ts(steps.decision_by),
            steps.rounds,
            steps.notes,
            rows.ts(steps.recorded_at),
            steps.check_back_agreed,
        )

    async def next_steps(self, interview_ids: list[int]) -> dict[int, NextSteps]:
        found = await self.conn.fetch("SELECT * FROM next_steps WHERE interview_id = ANY($1::bigint[])", interview_ids)
        return {row["interview_id"]: rows.next_steps(row) for row in found}

    async def add_check_in(
        self, interview_id: int, heard: str, next_check_back: datetime | None, now: datetime
    ) -> CheckIn:
        row = await self.conn.fetchrow(
            "INSERT INTO check_ins (interview_id, heard, next_check_back_at, called_at) VALUES ($1, $2, $3, $4)"
            " RETURNING *",
            interview_id,
            heard,
            rows.opt_ts(next_check_back),
            rows.ts(now),
        )
        return rows.check_in(row)

    async def latest_check_ins(self, interview_ids: list[int]) -> dict[int, CheckIn]:
        found = await self.conn.fetch(
            "SELECT DISTINCT ON (interview_id) * FROM check_ins WHERE interview_id = ANY($1::bigint[])"
            " ORDER BY interview_id, id DESC",
            interview_ids,
        )
        return {row["interview_id"]: rows.check_in(row) for row in found}

    async def add_feedback(self, interview_id: int, text: str, now: datetime) -> Feedback:
        row = await self.conn.fetchrow(
            "INSERT INTO feedback (interview_id, text, recorded_at) VALUES ($1, $2, $3) RETURNING *",
            interview_id,
            text,
            rows.ts(now),
        )
        return rows.feedback(row)

    async def update(self, interview_id: int, fields: NewInterview) -> Interview:
        row = await self.conn.fetchrow(
            "UPDATE interviews SET company = $1, role = $2, scheduled_at = $3, interviewer = $4, contact = $5,"
            " notes = $6 WHERE id = $7 RETURNING *",
            fields.company,
            fields.role,
            rows.ts(fields.scheduled_at),
            fields.interviewer,
            fields.contact,
            fields.notes,
            interview_id,
        )
        assert row is not None
        return rows.interview(row)

    async def delete(self, user_id: int, interview_id: int) -> bool:
        """Delete the interview with everything of it (follow-ups, answers, calls, feedback cascade)."""
        status = await self.conn.execute("DELETE FROM interviews WHERE id = $1 AND user_id = $2", interview_id, user_id)
        return rows.count(status) == 1

    async def change_outcome(
        self, interview_id: int, old: Outcome, new: Outcome | None, notes: str | None, now: datetime
    ) -> Interview | None:
        """Replace outcome `old` by `new` (None reopens); notes stay unless new ones are given. None if the
        outcome is no longer `old` (another command got there first)."""
        row = await self.conn.fetchrow(
            "UPDATE interviews SET outcome = $1::text,"
            " outcome_notes = CASE WHEN $1::text IS NULL THEN NULL ELSE coalesce($2, outcome_notes) END,"
            " outcome_at = CASE WHEN $1::text IS NULL THEN NULL ELSE $3::timestamptz END"
            " WHERE id = $4 AND outcome = $5 RETURNING *",
            None if new is None else new.value,
            notes,
            rows.ts(now),
            interview_id,
            old.value,
        )
        return None if row is None else rows.interview(row)

    async def has_answers(self, interview_id: int) -> bool:
        """Whether "what happens next" or a check-in call was recorded: then the calls follow those."""
        found = await self.conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM next_steps WHERE interview_id = $1)"
            " OR EXISTS (SELECT 1 FROM check_ins WHERE interview_id = $1)",
            interview_id,
        )
        return bool(found)

    async def agreed_check_back(self, interview_id: int) -> datetime | None:
        """The latest check-back date heard: from the last call logged, else from the answers."""
        found: datetime | None = await self.conn.fetchval(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM check_ins WHERE interview_id = $1)"
            " THEN (SELECT next_check_back_at FROM check_ins WHERE interview_id = $1 ORDER BY id DESC LIMIT 1)"
            " ELSE (SELECT check_back_at FROM next_steps WHERE interview_id = $1 AND check_back_agreed) END",
            interview_id,
        )
        return found

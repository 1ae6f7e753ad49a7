"""SQL for a seeker's whole record: exporting it and deleting it."""

from __future__ import annotations

from aiosqlite import Connection

from bot.storage.database import Database

Row = dict[str, str | int | float | None]

# Every table that holds data about a user, and how to find that user's rows in it (one `?`: users.id).
# A new table that holds user data must be added here: tests/storage/test_user_data.py fails until it is.
USER_ROWS: dict[str, str] = {
    "users": "SELECT * FROM users WHERE id = ?",
    "interviews": "SELECT * FROM interviews WHERE user_id = ? ORDER BY id",
    "next_steps": "SELECT * FROM next_steps WHERE interview_id IN (SELECT id FROM interviews WHERE user_id = ?)"
    " ORDER BY interview_id",
    "follow_ups": "SELECT * FROM follow_ups WHERE user_id = ? ORDER BY id",
    "check_ins": "SELECT * FROM check_ins WHERE interview_id IN (SELECT id FROM interviews WHERE user_id = ?)"
    " ORDER BY id",
    "feedback": "SELECT * FROM feedback WHERE interview_id IN (SELECT id FROM interviews WHERE user_id = ?)"
    " ORDER BY id",
    "memberships": "SELECT * FROM memberships WHERE user_id = ? ORDER BY id",
    "group_coaches": "SELECT * FROM group_coaches WHERE user_id = ? ORDER BY group_id",
    "coach_groups": "SELECT * FROM coach_groups WHERE id IN (SELECT group_id FROM group_coaches WHERE user_id = ?)"
    " ORDER BY id",
    "coach_digests": "SELECT * FROM coach_digests WHERE user_id = ?",
    "pending_commands": "SELECT * FROM pending_commands WHERE user_id = ? ORDER BY id",
}
# Tables with no data about anyone.
NOT_USER_DATA = frozenset({"schema_migrations", "sqlite_sequence"})


class UserDataRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def export(self, user_id: int) -> dict[str, list[Row]]:
        record = {}
        for table, query in USER_ROWS.items():
            async with self.db.conn.execute(query, (user_id,)) as cursor:
                record[table] = [dict(row) for row in await cursor.fetchall()]
        return record

    async def delete(self, tx: Connection, user_id: int) -> None:
        """The user and everything that hangs off them (the schema cascades), and the groups they coach
        alone, with those groups' memberships: nobody could see those seekers through them any more."""
        await tx.execute(
            "DELETE FROM coach_groups WHERE id IN (SELECT group_id FROM group_coaches WHERE user_id = ?)"
            " AND NOT EXISTS (SELECT 1 FROM group_coaches other"
            "                 WHERE other.group_id = coach_groups.id AND other.user_id != ?)",
            (user_id, user_id),
        )
        await tx.execute("DELETE FROM users WHERE id = ?", (user_id,))

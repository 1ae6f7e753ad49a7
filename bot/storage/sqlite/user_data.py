"""SQL for a seeker's whole record: exporting it and deleting it."""

from __future__ import annotations

import aiosqlite

from bot.ports.repositories import ExportRow, SharedCoach, SharedGroup

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
NOT_USER_DATA = frozenset({"schema_migrations", "sqlite_sequence", "send_budgets"})  # send_budgets: per bot


class UserDataRepo:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def export(self, user_id: int) -> dict[str, list[ExportRow]]:
        record = {}
        for table, query in USER_ROWS.items():
            async with self.conn.execute(query, (user_id,)) as cursor:
                record[table] = [dict(row) for row in await cursor.fetchall()]
        return record

    async def shared_with(self, user_id: int) -> list[SharedGroup]:
        """Each group the user joined (at any status), named, with its coaches: who sees (or saw) their data."""
        async with self.conn.execute(
            "SELECT m.group_id, g.name, m.status, c.display_name, u.external_id, c.owner"
            " FROM memberships m JOIN coach_groups g ON g.id = m.group_id"
            " LEFT JOIN group_coaches c ON c.group_id = m.group_id LEFT JOIN users u ON u.id = c.user_id"
            " WHERE m.user_id = ? ORDER BY g.name COLLATE NOCASE, g.id, c.owner DESC, c.added_at, c.rowid",
            (user_id,),
        ) as cursor:
            found = await cursor.fetchall()
        groups: dict[int, SharedGroup] = {}
        for group_id, name, status, coach_name, coach_id, owner in found:
            if group_id not in groups:
                groups[group_id] = SharedGroup(group_id, name, status, status == "active", [])
            if coach_name is not None:
                groups[group_id].coaches.append(SharedCoach(coach_name, coach_id, bool(owner)))
        return list(groups.values())

    async def delete(self, user_id: int) -> None:
        """The user and everything that hangs off them (the schema cascades), and the groups they coach
        alone, with those groups' memberships: nobody could see those seekers through them any more."""
        await self.conn.execute(
            "DELETE FROM coach_groups WHERE id IN (SELECT group_id FROM group_coaches WHERE user_id = ?)"
            " AND NOT EXISTS (SELECT 1 FROM group_coaches other"
            "                 WHERE other.group_id = coach_groups.id AND other.user_id != ?)",
            (user_id, user_id),
        )
        await self.conn.execute("DELETE FROM users WHERE id = ?", (user_id,))
        # A group they owned with co-coaches lives on: the co-coach added first becomes its owner.
        await self.conn.execute(
            "UPDATE group_coaches SET owner = 1 WHERE rowid IN (SELECT min(rowid) FROM group_coaches"
            " GROUP BY group_id HAVING max(owner) = 0)"
        )

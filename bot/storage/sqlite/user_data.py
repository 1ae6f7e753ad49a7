"""SQL for a seeker's whole record: exporting it and deleting it."""

from __future__ import annotations

from aiosqlite import Connection

from bot.storage.sqlite.database import Database

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

    async def shared_with(self, user_id: int) -> list[dict[str, object]]:
        """Each group the user joined (at any status), named, with its coaches: who sees (or saw) their data."""
        async with self.db.conn.execute(
            "SELECT m.group_id, g.name, m.status, c.display_name, u.external_id, c.owner"
            " FROM memberships m JOIN coach_groups g ON g.id = m.group_id"
            " LEFT JOIN group_coaches c ON c.group_id = m.group_id LEFT JOIN users u ON u.id = c.user_id"
            " WHERE m.user_id = ? ORDER BY g.name COLLATE NOCASE, g.id, c.owner DESC, c.added_at, c.rowid",
            (user_id,),
        ) as cursor:
            found = await cursor.fetchall()
        groups: dict[int, dict[str, object]] = {}
        coaches: dict[int, list[dict[str, object]]] = {}
        for group_id, name, status, coach_name, coach_id, owner in found:
            if group_id not in groups:
                coaches[group_id] = []
                groups[group_id] = {
                    "group_id": group_id,
                    "group": name,
                    "status": status,
                    "coaches_see_your_data": status == "active",
                    "coaches": coaches[group_id],
                }
            if coach_name is not None:
                coaches[group_id].append({"name": coach_name, "id": coach_id, "owner": bool(owner)})
        return list(groups.values())

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
        # A group they owned with co-coaches lives on: the co-coach added first becomes its owner.
        await tx.execute(
            "UPDATE group_coaches SET owner = 1 WHERE rowid IN (SELECT min(rowid) FROM group_coaches"
            " GROUP BY group_id HAVING max(owner) = 0)"
        )

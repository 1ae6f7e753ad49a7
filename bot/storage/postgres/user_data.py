"""SQL for a seeker's whole record: exporting it and deleting it, on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from bot.ports.repositories import ExportRow, SharedCoach, SharedGroup

# Every table that holds data about a user, and how to find that user's rows in it ($1: users.id), as in
# bot/storage/sqlite/user_data.py. A new table that holds user data must be added to both.
USER_ROWS: dict[str, str] = {
    "users": "SELECT * FROM users WHERE id = $1",
    "interviews": "SELECT * FROM interviews WHERE user_id = $1 ORDER BY id",
    "next_steps": "SELECT * FROM next_steps WHERE interview_id IN (SELECT id FROM interviews WHERE user_id = $1)"
    " ORDER BY interview_id",
    "follow_ups": "SELECT * FROM follow_ups WHERE user_id = $1 ORDER BY id",
    "check_ins": "SELECT * FROM check_ins WHERE interview_id IN (SELECT id FROM interviews WHERE user_id = $1)"
    " ORDER BY id",
    "feedback": "SELECT * FROM feedback WHERE interview_id IN (SELECT id FROM interviews WHERE user_id = $1)"
    " ORDER BY id",
    "memberships": "SELECT * FROM memberships WHERE user_id = $1 ORDER BY id",
    "group_coaches": "SELECT * FROM group_coaches WHERE user_id = $1 ORDER BY group_id",
    "coach_groups": "SELECT * FROM coach_groups WHERE id IN (SELECT group_id FROM group_coaches WHERE user_id = $1)"
    " ORDER BY id",
    "coach_digests": "SELECT * FROM coach_digests WHERE user_id = $1",
    "pending_commands": "SELECT * FROM pending_commands WHERE user_id = $1 ORDER BY id",
}
# Tables with no data about anyone.
NOT_USER_DATA = frozenset({"schema_migrations", "send_budgets"})  # send_budgets: per bot, not per user


def _exported(value: object) -> str | int | float | None:
    """A column's value as the SQLite backend exports it: instants as UTC ISO text, flags as 0 or 1."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    assert value is None or isinstance(value, str | int | float), type(value)
    return value


class UserDataRepo:
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    async def export(self, user_id: int) -> dict[str, list[ExportRow]]:
        record: dict[str, list[ExportRow]] = {}
        for table, query in USER_ROWS.items():
            found = await self.conn.fetch(query, user_id)
            record[table] = [{key: _exported(value) for key, value in row.items()} for row in found]
        return record

    async def shared_with(self, user_id: int) -> list[SharedGroup]:
        """Each group the user joined (at any status), named, with its coaches: who sees (or saw) their data."""
        found = await self.conn.fetch(
            "SELECT m.group_id, g.name, m.status, c.display_name, u.external_id, c.owner"
            " FROM memberships m JOIN coach_groups g ON g.id = m.group_id"
            " LEFT JOIN group_coaches c ON c.group_id = m.group_id LEFT JOIN users u ON u.id = c.user_id"
            " WHERE m.user_id = $1 ORDER BY lower(g.name), g.id, c.owner DESC, c.added_at, c.added_order",
            user_id,
        )
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
            "DELETE FROM coach_groups WHERE id IN (SELECT group_id FROM group_coaches WHERE user_id = $1)"
            " AND NOT EXISTS (SELECT 1 FROM group_coaches other"
            "                 WHERE other.group_id = coach_groups.id AND other.user_id != $1)",
            user_id,
        )
        await self.conn.execute("DELETE FROM users WHERE id = $1", user_id)
        # A group they owned with co-coaches lives on: the co-coach added first becomes its owner.
        await self.conn.execute(
            "UPDATE group_coaches SET owner = true WHERE added_order IN (SELECT min(added_order) FROM group_coaches"
            " GROUP BY group_id HAVING NOT bool_or(owner))"
        )

"""SQL for coaches' groups, their coaches and the seekers' memberships (with their consent)."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.domain.models import CoachGroup, Membership, MembershipStatus
from bot.ports.repositories import GroupCoach
from bot.storage.sqlite import rows


def _group(row: aiosqlite.Row) -> CoachGroup:
    return CoachGroup(
        id=row["id"], name=row["name"], invite_code=row["invite_code"], created_at=rows.dt(row["created_at"])
    )


def _membership(row: aiosqlite.Row) -> Membership:
    return Membership(
        id=row["id"],
        group_id=row["group_id"],
        group_name=row["group_name"],
        user_id=row["user_id"],
        display_name=row["display_name"],
        status=MembershipStatus(row["status"]),
        requested_at=rows.dt(row["requested_at"]),
        decided_at=rows.opt_dt(row["decided_at"]),
        ended_at=rows.opt_dt(row["ended_at"]),
    )


class GroupRepo:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    # Groups and their coaches

    async def create(self, name: str, invite_code: str, coach_id: int, coach_name: str, now: datetime) -> CoachGroup:
        async with self.conn.execute(
            "INSERT INTO coach_groups (name, invite_code, created_at) VALUES (?, ?, ?) RETURNING *",
            (name, invite_code, rows.ts(now)),
        ) as cursor:
            row = await cursor.fetchone()
        assert row is not None
        group = _group(row)
        await self.add_coach(group.id, coach_id, coach_name, now, owner=True)
        return group

    async def add_coach(self, group_id: int, user_id: int, name: str, now: datetime, *, owner: bool = False) -> None:
        await self.conn.execute(
            "INSERT INTO group_coaches (group_id, user_id, display_name, added_at, owner) VALUES (?, ?, ?, ?, ?)",
            (group_id, user_id, name, rows.ts(now), int(owner)),
        )

    async def coaches(self, group_id: int) -> list[GroupCoach]:
        """The group's coaches, its owner first, then in the order they were added."""
        async with self.conn.execute(
            "SELECT user_id, display_name, owner FROM group_coaches WHERE group_id = ?"
            " ORDER BY owner DESC, added_at, rowid",
            (group_id,),
        ) as cursor:
            return [GroupCoach(row[0], row[1], bool(row[2])) for row in await cursor.fetchall()]

    async def remove_coach(self, group_id: int, user_id: int) -> None:
        """A co-coach steps down or is removed by the owner: they see nothing of the group from now on."""
        await self.conn.execute(
            "DELETE FROM group_coaches WHERE group_id = ? AND user_id = ? AND owner = 0", (group_id, user_id)
        )

    async def delete(self, group_id: int) -> None:
        """The group, its coaches and its memberships (the schema cascades); no seeker's own data."""
        await self.conn.execute("DELETE FROM coach_groups WHERE id = ?", (group_id,))

    async def coached_by(self, user_id: int) -> list[CoachGroup]:
        async with self.conn.execute(
            "SELECT g.* FROM coach_groups g JOIN group_coaches c ON c.group_id = g.id WHERE c.user_id = ?"
            " ORDER BY g.name COLLATE NOCASE, g.id",
            (user_id,),
        ) as cursor:
            return [_group(row) for row in await cursor.fetchall()]

    async def coach_names(self, group_id: int) -> list[str]:
        async with self.conn.execute(
            "SELECT display_name FROM group_coaches WHERE group_id = ? ORDER BY owner DESC, added_at, rowid",
            (group_id,),
        ) as cursor:
            return [row[0] for row in await cursor.fetchall()]

    async def is_coach(self, group_id: int, user_id: int) -> bool:
        async with self.conn.execute(
            "SELECT 1 FROM group_coaches WHERE group_id = ? AND user_id = ?", (group_id, user_id)
        ) as cursor:
            return await cursor.fetchone() is not None

    async def by_code(self, invite_code: str) -> CoachGroup | None:
        async with self.conn.execute("SELECT * FROM coach_groups WHERE invite_code = ?", (invite_code,)) as cursor:
            row = await cursor.fetchone()
        return None if row is None else _group(row)

    async def set_invite_code(self, group_id: int, invite_code: str) -> CoachGroup:
        """A new code; requests made with the old one and not yet accepted lapse with it."""
        await self.conn.execute("DELETE FROM memberships WHERE group_id = ? AND status = 'pending'", (group_id,))
        async with self.conn.execute(
            "UPDATE coach_groups SET invite_code = ? WHERE id = ? RETURNING *", (invite_code, group_id)
        ) as cursor:
            row = await cursor.fetchone()
        assert row is not None
        return _group(row)

    # Memberships

    async def request(self, group_id: int, user_id: int, display_name: str, now: datetime) -> Membership:
        """The seeker asked to join: pending until they accept, whatever they were before."""
        await self.conn.execute(
            "INSERT INTO memberships (group_id, user_id, display_name, status, requested_at)"
            " VALUES (?, ?, ?, 'pending', ?)"
            " ON CONFLICT (group_id, user_id) DO UPDATE SET display_name = excluded.display_name,"
            " status = 'pending', requested_at = excluded.requested_at, decided_at = NULL, ended_at = NULL,"
            " removed_with_code = NULL",
            (group_id, user_id, display_name, rows.ts(now)),
        )
        async with self.conn.execute(
            "SELECT m.*, g.name AS group_name FROM memberships m JOIN coach_groups g ON g.id = m.group_id"
            " WHERE m.group_id = ? AND m.user_id = ?",
            (group_id, user_id),
        ) as cursor:
            row = await cursor.fetchone()
        assert row is not None
        return _membership(row)

    async def removed_with_current_code(self, group_id: int, user_id: int) -> bool:
        """A coach removed the seeker, and the group still has the invite code it had then."""
        async with self.conn.execute(
            "SELECT 1 FROM memberships m JOIN coach_groups g ON g.id = m.group_id"
            " WHERE m.group_id = ? AND m.user_id = ? AND m.status = 'removed' AND m.removed_with_code = g.invite_code",
            (group_id, user_id),
        ) as cursor:
            return await cursor.fetchone() is not None

    async def membership(self, membership_id: int) -> Membership | None:
        async with self.conn.execute(
            "SELECT m.*, g.name AS group_name FROM memberships m JOIN coach_groups g ON g.id = m.group_id"
            " WHERE m.id = ?",
            (membership_id,),
        ) as cursor:
            row = await cursor.fetchone()
        return None if row is None else _membership(row)

    async def memberships_of(self, user_id: int, statuses: list[MembershipStatus]) -> list[Membership]:
        async with self.conn.execute(
            "SELECT m.*, g.name AS group_name FROM memberships m JOIN coach_groups g ON g.id = m.group_id"
            " WHERE m.user_id = ? AND m.status IN (SELECT value FROM json_each(?))"
            " ORDER BY g.name COLLATE NOCASE, g.id",
            (user_id, rows.json_list(s.value for s in statuses)),
        ) as cursor:
            return [_membership(row) for row in await cursor.fetchall()]

    async def decide(self, membership_id: int, status: MembershipStatus, now: datetime) -> Membership | None:
        """The seeker accepted (active) or declined a pending request; None if it is no longer pending
        (they left, or a new invite code lapsed it), and then nothing changes."""
        async with self.conn.execute(
            "UPDATE memberships SET status = ?, decided_at = ? WHERE id = ? AND status = 'pending' RETURNING id",
            (status.value, rows.ts(now), membership_id),
        ) as cursor:
            if await cursor.fetchone() is None:
                return None
        async with self.conn.execute(
            "SELECT m.*, g.name AS group_name FROM memberships m JOIN coach_groups g ON g.id = m.group_id"
            " WHERE m.id = ?",
            (membership_id,),
        ) as cursor:
            row = await cursor.fetchone()
        assert row is not None  # just updated, in this transaction
        return _membership(row)

    async def end(self, membership_ids: list[int], status: MembershipStatus, now: datetime) -> None:
        """The seeker left, or a coach removed them: their coaches see nothing from now on. A removal
        remembers the group's invite code, so that code cannot bring them back."""
        await self.conn.execute(
            "UPDATE memberships SET status = ?, ended_at = ?, removed_with_code = CASE WHEN ? = 'removed'"
            " THEN (SELECT invite_code FROM coach_groups g WHERE g.id = memberships.group_id) END"
            " WHERE id IN (SELECT value FROM json_each(?))",
            (status.value, rows.ts(now), status.value, rows.json_list(membership_ids)),
        )

    async def visible(self, coach_id: int, group_id: int | None, seeker_id: int | None) -> list[Membership]:
        """The consenting, current members of groups `coach_id` coaches (optionally one group or seeker).

        The only query that lets a coach reach a seeker: see CoachAccess.visible.
        """
        async with self.conn.execute(
            "SELECT m.*, g.name AS group_name FROM memberships m JOIN coach_groups g ON g.id = m.group_id"
            " JOIN group_coaches c ON c.group_id = m.group_id AND c.user_id = ?"
            " WHERE m.status = 'active' AND (? IS NULL OR m.group_id = ?) AND (? IS NULL OR m.user_id = ?)"
            " ORDER BY g.name COLLATE NOCASE, g.id, m.display_name COLLATE NOCASE, m.id",
            (coach_id, group_id, group_id, seeker_id, seeker_id),
        ) as cursor:
            return [_membership(row) for row in await cursor.fetchall()]

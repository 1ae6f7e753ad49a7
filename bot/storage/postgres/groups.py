"""SQL for coaches' groups, their coaches and the seekers' memberships (with their consent), on PostgreSQL.

Names sort as SQLite's NOCASE does (lower()); coaches added at the same instant keep the order they were added
in (added_order, SQLite's rowid)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.models import CoachGroup, Membership, MembershipStatus
from bot.ports.repositories import GroupCoach
from bot.storage.postgres import rows

_MEMBERSHIP = "SELECT m.*, g.name AS group_name FROM memberships m JOIN coach_groups g ON g.id = m.group_id"


def _group(row: rows.Row) -> CoachGroup:
    return CoachGroup(id=row["id"], name=row["name"], invite_code=row["invite_code"], created_at=row["created_at"])


def _membership(row: rows.Row) -> Membership:
    return Membership(
        id=row["id"],
        group_id=row["group_id"],
        group_name=row["group_name"],
        user_id=row["user_id"],
        display_name=row["display_name"],
        status=MembershipStatus(row["status"]),
        requested_at=row["requested_at"],
        decided_at=row["decided_at"],
        ended_at=row["ended_at"],
    )


class GroupRepo:
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    # Groups and their coaches

    async def create(self, name: str, invite_code: str, coach_id: int, coach_name: str, now: datetime) -> CoachGroup:
        row = await self.conn.fetchrow(
            "INSERT INTO coach_groups (name, invite_code, created_at) VALUES ($1, $2, $3) RETURNING *",
            name,
            invite_code,
            rows.ts(now),
        )
        group = _group(row)
        await self.add_coach(group.id, coach_id, coach_name, now, owner=True)
        return group

    async def add_coach(self, group_id: int, user_id: int, name: str, now: datetime, *, owner: bool = False) -> None:
        await self.conn.execute(
            "INSERT INTO group_coaches (group_id, user_id, display_name, added_at, owner) VALUES ($1, $2, $3, $4, $5)",
            group_id,
            user_id,
            name,
            rows.ts(now),
            owner,
        )

    async def coaches(self, group_id: int) -> list[GroupCoach]:
        """The group's coaches, its owner first, then in the order they were added."""
        found = await self.conn.fetch(
            "SELECT user_id, display_name, owner FROM group_coaches WHERE group_id = $1"
            " ORDER BY owner DESC, added_at, added_order",
            group_id,
        )
        return [GroupCoach(row[0], row[1], row[2]) for row in found]

    async def remove_coach(self, group_id: int, user_id: int) -> None:
        """A co-coach steps down or is removed by the owner: they see nothing of the group from now on."""
        await self.conn.execute(
            "DELETE FROM group_coaches WHERE group_id = $1 AND user_id = $2 AND NOT owner", group_id, user_id
        )

    async def delete(self, group_id: int) -> None:
        """The group, its coaches and its memberships (the schema cascades); no seeker's own data."""
        await self.conn.execute("DELETE FROM coach_groups WHERE id = $1", group_id)

    async def coached_by(self, user_id: int) -> list[CoachGroup]:
        found = await self.conn.fetch(
            "SELECT g.* FROM coach_groups g JOIN group_coaches c ON c.group_id = g.id WHERE c.user_id = $1"
            " ORDER BY lower(g.name), g.id",
            user_id,
        )
        return [_group(row) for row in found]

    async def coach_names(self, group_id: int) -> list[str]:
        found = await self.conn.fetch(
            "SELECT display_name FROM group_coaches WHERE group_id = $1 ORDER BY owner DESC, added_at, added_order",
            group_id,
        )
        return [row[0] for row in found]

    async def is_coach(self, group_id: int, user_id: int) -> bool:
        found = await self.conn.fetchval(
            "SELECT 1 FROM group_coaches WHERE group_id = $1 AND user_id = $2", group_id, user_id
        )
        return found is not None

    async def by_code(self, invite_code: str) -> CoachGroup | None:
        row = await self.conn.fetchrow("SELECT * FROM coach_groups WHERE invite_code = $1", invite_code)
        return None if row is None else _group(row)

    async def set_invite_code(self, group_id: int, invite_code: str) -> CoachGroup:
        """A new code; requests made with the old one and not yet accepted lapse with it."""
        await self.conn.execute("DELETE FROM memberships WHERE group_id = $1 AND status = 'pending'", group_id)
        row = await self.conn.fetchrow(
            "UPDATE coach_groups SET invite_code = $1 WHERE id = $2 RETURNING *", invite_code, group_id
        )
        assert row is not None
        return _group(row)

    # Memberships

    async def request(self, group_id: int, user_id: int, display_name: str, now: datetime) -> Membership:
        """The seeker asked to join: pending until they accept, whatever they were before."""
        await self.conn.execute(
            "INSERT INTO memberships (group_id, user_id, display_name, status, requested_at)"
            " VALUES ($1, $2, $3, 'pending', $4)"
            " ON CONFLICT (group_id, user_id) DO UPDATE SET display_name = excluded.display_name,"
            " status = 'pending', requested_at = excluded.requested_at, decided_at = NULL, ended_at = NULL,"
            " removed_with_code = NULL",
            group_id,
            user_id,
            display_name,
            rows.ts(now),
        )
        row = await self.conn.fetchrow(f"{_MEMBERSHIP} WHERE m.group_id = $1 AND m.user_id = $2", group_id, user_id)
        assert row is not None
        return _membership(row)

    async def removed_with_current_code(self, group_id: int, user_id: int) -> bool:
        """A coach removed the seeker, and the group still has the invite code it had then."""
        found = await self.conn.fetchval(
            "SELECT 1 FROM memberships m JOIN coach_groups g ON g.id = m.group_id WHERE m.group_id = $1"
            " AND m.user_id = $2 AND m.status = 'removed' AND m.removed_with_code = g.invite_code",
            group_id,
            user_id,
        )
        return found is not None

    async def membership(self, membership_id: int) -> Membership | None:
        row = await self.conn.fetchrow(f"{_MEMBERSHIP} WHERE m.id = $1", membership_id)
        return None if row is None else _membership(row)

    async def memberships_of(self, user_id: int, statuses: list[MembershipStatus]) -> list[Membership]:
        found = await self.conn.fetch(
            f"{_MEMBERSHIP} WHERE m.user_id = $1 AND m.status = ANY($2::text[]) ORDER BY lower(g.name), g.id",
            user_id,
            [s.value for s in statuses],
        )
        return [_membership(row) for row in found]

    async def decide(self, membership_id: int, status: MembershipStatus, now: datetime) -> Membership | None:
        """The seeker accepted (active) or declined a pending request; None if it is no longer pending
        (they left, or a new invite code lapsed it), and then nothing changes."""
        decided = await self.conn.fetchval(
            "UPDATE memberships SET status = $1, decided_at = $2 WHERE id = $3 AND status = 'pending' RETURNING id",
            status.value,
            rows.ts(now),
            membership_id,
        )
        if decided is None:
            return None
        row = await self.conn.fetchrow(f"{_MEMBERSHIP} WHERE m.id = $1", membership_id)
        assert row is not None  # just updated, in this transaction
        return _membership(row)

    async def end(self, membership_ids: list[int], status: MembershipStatus, now: datetime) -> None:
        """The seeker left, or a coach removed them: their coaches see nothing from now on. A removal
        remembers the group's invite code, so that code cannot bring them back."""
        await self.conn.execute(
            "UPDATE memberships SET status = $1, ended_at = $2, removed_with_code = CASE WHEN $1 = 'removed'"
            " THEN (SELECT invite_code FROM coach_groups g WHERE g.id = memberships.group_id) END"
            " WHERE id = ANY($3::bigint[])",
            status.value,
            rows.ts(now),
            membership_ids,
        )

    async def visible(self, coach_id: int, group_id: int | None, seeker_id: int | None) -> list[Membership]:
        """The consenting, current members of groups `coach_id` coaches (optionally one group or seeker).

        The only query that lets a coach reach a seeker: see CoachAccess.visible.
        """
        found = await self.conn.fetch(
            f"{_MEMBERSHIP} JOIN group_coaches c ON c.group_id = m.group_id AND c.user_id = $1"
            " WHERE m.status = 'active' AND ($2::bigint IS NULL OR m.group_id = $2)"
            " AND ($3::bigint IS NULL OR m.user_id = $3)"
            " ORDER BY lower(g.name), g.id, lower(m.display_name), m.id",
            coach_id,
            group_id,
            seeker_id,
        )
        return [_membership(row) for row in found]

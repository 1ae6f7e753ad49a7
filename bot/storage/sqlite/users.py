"""SQL for users and their preferences."""

from __future__ import annotations

from datetime import datetime, timedelta

import aiosqlite

from bot.domain.models import QuietHours, User
from bot.ports.repositories import HeldCommand
from bot.storage.sqlite import rows

PENDING_KEPT = timedelta(days=1)


class UserRepo:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def get(self, platform: str, external_id: str, workspace: str | None = None) -> User | None:
        async with self.conn.execute(
            "SELECT * FROM users WHERE platform = ? AND COALESCE(workspace, '') = COALESCE(?, '') AND external_id = ?",
            (platform, workspace, external_id),
        ) as cursor:
            row = await cursor.fetchone()
        return None if row is None else rows.user(row)

    async def by_id(self, user_id: int) -> User | None:
        async with self.conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)) as cursor:
            row = await cursor.fetchone()
        return None if row is None else rows.user(row)

    async def lock(self, user_id: int) -> None:
        """Nothing to do: a writing transaction (BEGIN IMMEDIATE) already keeps every other writer out."""

    async def by_ids(self, user_ids: list[int]) -> dict[int, User]:
        async with self.conn.execute(
            "SELECT * FROM users WHERE id IN (SELECT value FROM json_each(?))", (rows.json_list(user_ids),)
        ) as cursor:
            return {row["id"]: rows.user(row) for row in await cursor.fetchall()}

    async def create(
        self,
        platform: str,
        external_id: str,
        timezone: str,
        quiet: QuietHours,
        now: datetime,
        workspace: str | None = None,
    ) -> User:
        async with self.conn.execute(
            "INSERT INTO users (platform, workspace, external_id, timezone, quiet_start, quiet_end, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (platform, COALESCE(workspace, ''), external_id) DO UPDATE SET platform = excluded.platform"
            " RETURNING *",
            (platform, workspace, external_id, timezone, rows.clock(quiet.start), rows.clock(quiet.end), rows.ts(now)),
        ) as cursor:
            row = await cursor.fetchone()
        assert row is not None  # RETURNING always yields the row
        return rows.user(row)

    async def set_timezone(self, user_id: int, timezone: str, now: datetime) -> None:
        """The zone the user chose: from now on they are not asked for it."""
        await self.conn.execute(
            "UPDATE users SET timezone = ?, timezone_set_at = ? WHERE id = ?", (timezone, rows.ts(now), user_id)
        )

    async def set_quiet_hours(self, user_id: int, quiet: QuietHours) -> None:
        await self.conn.execute(
            "UPDATE users SET quiet_start = ?, quiet_end = ? WHERE id = ?",
            (rows.clock(quiet.start), rows.clock(quiet.end), user_id),
        )

    async def hold_command(self, user_id: int, command: str, options: str, now: datetime) -> int:
        """Keep a command that waits for the user's zone; those held longer than `PENDING_KEPT` are dropped."""
        await self.conn.execute("DELETE FROM pending_commands WHERE created_at < ?", (rows.ts(now - PENDING_KEPT),))
        async with self.conn.execute(
            "INSERT INTO pending_commands (user_id, command, options, created_at) VALUES (?, ?, ?, ?) RETURNING id",
            (user_id, command, options, rows.ts(now)),
        ) as cursor:
            row = await cursor.fetchone()
        assert row is not None
        return int(row[0])

    async def take_command(self, user_id: int, pending_id: int) -> HeldCommand | None:
        """The user's held command (name, options JSON), removed so that it runs once."""
        async with self.conn.execute(
            "DELETE FROM pending_commands WHERE id = ? AND user_id = ? RETURNING command, options, created_at",
            (pending_id, user_id),
        ) as cursor:
            row = await cursor.fetchone()
        return None if row is None else HeldCommand(row[0], row[1], rows.dt(row[2]))

    async def record_dm_channels(self, channels: dict[int, str]) -> None:
        """Remember opened DM channels, and that these users' DMs are open again."""
        await self.conn.executemany(
            "UPDATE users SET dm_channel = ?, dms_closed_at = NULL, dms_closed_notice_pending = 0 WHERE id = ?",
            [(channel, user_id) for user_id, channel in channels.items()],
        )

    async def mark_dms_closed(self, user_ids: list[int], now: datetime) -> None:
        await self.conn.execute(
            "UPDATE users SET dms_closed_at = ?, dms_closed_notice_pending = 1"
            " WHERE id IN (SELECT value FROM json_each(?)) AND dms_closed_at IS NULL",
            (rows.ts(now), rows.json_list(user_ids)),
        )

    async def take_dms_closed_notice(self, user_id: int) -> bool:
        """True once after the bot found the user's DMs closed: the next command tells them."""
        async with self.conn.execute(
            "UPDATE users SET dms_closed_notice_pending = 0"
            " WHERE id = ? AND dms_closed_notice_pending = 1 RETURNING id",
            (user_id,),
        ) as cursor:
            return await cursor.fetchone() is not None

    async def set_share_notes(self, user_id: int, share: bool) -> None:
        """Whether the user's coaches see their private notes (interview, next-steps and outcome notes)."""
        await self.conn.execute("UPDATE users SET share_notes = ? WHERE id = ?", (share, user_id))

"""SQL for users and their preferences, on PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.domain.models import QuietHours, User
from bot.ports.repositories import HeldCommand
from bot.storage.postgres import rows

PENDING_KEPT = timedelta(days=1)


class UserRepo:
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    async def get(self, platform: str, external_id: str, workspace: str | None = None) -> User | None:
        row = await self.conn.fetchrow(
            "SELECT * FROM users WHERE platform = $1 AND COALESCE(workspace, '') = COALESCE($2, '')"
            " AND external_id = $3",
            platform,
            workspace,
            external_id,
        )
        return None if row is None else rows.user(row)

    async def by_id(self, user_id: int) -> User | None:
        row = await self.conn.fetchrow("SELECT * FROM users WHERE id = $1", user_id)
        return None if row is None else rows.user(row)

    async def lock(self, user_id: int) -> None:
        """The row lock an UPDATE takes: other lockers wait, inserts of rows that refer to the user do not."""
        await self.conn.execute("SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE", user_id)

    async def by_ids(self, user_ids: list[int]) -> dict[int, User]:
        found = await self.conn.fetch("SELECT * FROM users WHERE id = ANY($1::bigint[])", user_ids)
        return {row["id"]: rows.user(row) for row in found}

    async def create(
        self,
        platform: str,
        external_id: str,
        timezone: str,
        quiet: QuietHours,
        now: datetime,
        workspace: str | None = None,
    ) -> User:
        row = await self.conn.fetchrow(
            "INSERT INTO users (platform, workspace, external_id, timezone, quiet_start, quiet_end, created_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7)"
            " ON CONFLICT (platform, COALESCE(workspace, ''), external_id) DO UPDATE SET platform = excluded.platform"
            " RETURNING *",
            platform,
            workspace,
            external_id,
            timezone,
            rows.clock(quiet.start),
            rows.clock(quiet.end),
            rows.ts(now),
        )
        return rows.user(row)

    async def set_timezone(self, user_id: int, timezone: str, now: datetime) -> None:
        """The zone the user chose: from now on they are not asked for it."""
        await self.conn.execute(
            "UPDATE users SET timezone = $1, timezone_set_at = $2 WHERE id = $3", timezone, rows.ts(now), user_id
        )

    async def set_quiet_hours(self, user_id: int, quiet: QuietHours) -> None:
        await self.conn.execute(
            "UPDATE users SET quiet_start = $1, quiet_end = $2 WHERE id = $3",
            rows.clock(quiet.start),
            rows.clock(quiet.end),
            user_id,
        )

    async def hold_command(self, user_id: int, command: str, options: str, now: datetime) -> int:
        """Keep a command that waits for the user's zone; those held longer than `PENDING_KEPT` are dropped."""
        await self.conn.execute("DELETE FROM pending_commands WHERE created_at < $1", rows.ts(now - PENDING_KEPT))
        held: int = await self.conn.fetchval(
            "INSERT INTO pending_commands (user_id, command, options, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            user_id,
            command,
            options,
            rows.ts(now),
        )
        return held

    async def take_command(self, user_id: int, pending_id: int) -> HeldCommand | None:
        """The user's held command (name, options JSON), removed so that it runs once."""
        row = await self.conn.fetchrow(
            "DELETE FROM pending_commands WHERE id = $1 AND user_id = $2 RETURNING command, options, created_at",
            pending_id,
            user_id,
        )
        return None if row is None else HeldCommand(row[0], row[1], row[2])

    async def record_dm_channels(self, channels: dict[int, str]) -> None:
        """Remember opened DM channels, and that these users' DMs are open again."""
        await self.conn.executemany(
            "UPDATE users SET dm_channel = $1, dms_closed_at = NULL, dms_closed_notice_pending = false WHERE id = $2",
            [(channel, user_id) for user_id, channel in channels.items()],
        )

    async def mark_dms_closed(self, user_ids: list[int], now: datetime) -> None:
        await self.conn.execute(
            "UPDATE users SET dms_closed_at = $1, dms_closed_notice_pending = true"
            " WHERE id = ANY($2::bigint[]) AND dms_closed_at IS NULL",
            rows.ts(now),
            user_ids,
        )

    async def take_dms_closed_notice(self, user_id: int) -> bool:
        """True once after the bot found the user's DMs closed: the next command tells them."""
        found = await self.conn.fetchval(
            "UPDATE users SET dms_closed_notice_pending = false WHERE id = $1 AND dms_closed_notice_pending"
            " RETURNING id",
            user_id,
        )
        return found is not None

    async def set_share_notes(self, user_id: int, share: bool) -> None:
        """Whether the user's coaches see their private notes (interview, next-steps and outcome notes)."""
        await self.conn.execute("UPDATE users SET share_notes = $1 WHERE id = $2", share, user_id)

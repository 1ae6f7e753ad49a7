"""Migration 0008 on a database with data: users gain a workspace, keyed by (platform, workspace, external_id),
and every row that references a user survives the rebuild of the users table and still cascades."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.domain.models import QuietHours
from bot.settings import Settings
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.users import UserRepo
from bot.usecases.actors import Actor
from tests.support import WEDNESDAY_1500_UTC, UseCases

NOW = WEDNESDAY_1500_UTC.isoformat()
ROWS = (
    "INSERT INTO users (id, platform, external_id, timezone, quiet_start, quiet_end, created_at, share_notes)"
    f" VALUES (1, 'discord', '42', 'Europe/Paris', '21:00:00', '08:00:00', '{NOW}', 1),"
    f" (2, 'discord', '43', 'UTC', '21:00:00', '08:00:00', '{NOW}', 0)",
    f"INSERT INTO interviews (id, user_id, company, role, scheduled_at, created_at) VALUES (1, 1, 'Acme', 'A', "
    f"'{NOW}', '{NOW}')",
    "INSERT INTO follow_ups (id, interview_id, user_id, kind, due_at, notify_at, created_at)"
    f" VALUES (1, 1, 1, 'check_in', '{NOW}', '{NOW}', '{NOW}')",
    f"INSERT INTO coach_groups VALUES (1, 'Club', 'ABCDEFGHJKMN', '{NOW}')",
    f"INSERT INTO group_coaches (group_id, user_id, display_name, added_at, owner) VALUES (1, 2, 'Kim', '{NOW}', 1)",
    "INSERT INTO memberships (group_id, user_id, display_name, status, requested_at)"
    f" VALUES (1, 1, 'Alice', 'active', '{NOW}')",
    "INSERT INTO coach_digests (user_id, weekday, at_time, started_at, schedule_set_at)"
    f" VALUES (2, 0, '09:00', '{NOW}', '{NOW}')",
    f"INSERT INTO pending_commands (user_id, command, options, created_at) VALUES (1, 'followups', '{{}}', '{NOW}')",
)
REFERENCING = ("interviews", "follow_ups", "group_coaches", "memberships", "coach_digests", "pending_commands")


async def dump(db: Database) -> dict[str, list[tuple[object, ...]]]:
    return {
        table: [tuple(r) for r in await db.conn.execute_fetchall(f"SELECT * FROM {table} ORDER BY rowid")]
        for table in ("users", *REFERENCING)
    }


async def migrated_with_data(tmp_path: Path, settings: Settings) -> Database:
    before_0008 = tmp_path / "0007"
    before_0008.mkdir()
    for migration in sorted(settings.migrations_dir.glob("000[1-7]_*.sql")):
        shutil.copy(migration, before_0008)
    db = await Database.open(tmp_path / "upgraded.db")
    assert (await db.migrate(before_0008))[-1] == 7
    async with db.transaction() as tx:
        for sql in ROWS:
            await tx.execute(sql)
    return db


async def test_0008_keeps_every_row_and_its_references(tmp_path: Path, settings: Settings) -> None:
    db = await migrated_with_data(tmp_path, settings)
    try:
        before = await dump(db)
        assert (await db.migrate(settings.migrations_dir))[0] == 8
        after = await dump(db)
        for table in REFERENCING:
            assert [r[: len(before[table][0])] for r in after[table]] == before[table], table
        assert [r[:-1] for r in after["users"]] == before["users"]  # workspace appended, NULL
        assert [r[-1] for r in after["users"]] == [None, None]
        assert await db.conn.execute_fetchall("PRAGMA foreign_key_check") == []
        assert [r[0] for r in await db.conn.execute_fetchall("PRAGMA foreign_keys")] == [1]  # on again

        async with db.transaction() as tx:  # the references point at the new table: deleting still cascades
            await tx.execute("DELETE FROM users WHERE id = 1")
        left = await dump(db)
        assert (left["interviews"], left["follow_ups"], left["memberships"], left["pending_commands"]) == ([],) * 4
        assert len(left["coach_digests"]) == 1
    finally:
        await db.close()


async def test_one_user_per_platform_workspace_and_id(db: Database, services: UseCases) -> None:
    repo, now = UserRepo(db.conn), WEDNESDAY_1500_UTC
    quiet = QuietHours(now.time(), now.time())
    async with db.transaction() as tx:
        writing = UserRepo(tx)
        discord = await writing.create("discord", "U1", "UTC", quiet, now)
        again = await writing.create("discord", "U1", "UTC", quiet, now)  # NULL workspace: still the same user
        first = await writing.create("slack", "U1", "UTC", quiet, now, "T1")
        second = await writing.create("slack", "U1", "UTC", quiet, now, "T2")
    assert discord.id == again.id and discord.workspace is None
    assert len({discord.id, first.id, second.id}) == 3
    assert (await repo.get("slack", "U1", "T2")) == second
    assert await repo.get("slack", "U1") is None
    assert (await services.accounts.user(Actor("slack", "U1", "T1"))).id == first.id
    assert (await services.accounts.user(Actor("discord", "U1"))).id == discord.id

"""The SQLite layer: migrations, pragmas, transactions, and the dispatcher's claim/release queries."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import threading
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.domain.models import FollowUpDraft, FollowUpKind, FollowUpStatus, QuietHours
from bot.ports.repositories import Lease
from bot.settings import Settings
from bot.storage.sqlite import rows
from bot.storage.sqlite.database import Database, DatabaseFileError, MigrationError, load_migrations
from bot.storage.sqlite.follow_ups import FollowUpRepo, Sent
from bot.storage.sqlite.interviews import InterviewRepo, NewInterview
from bot.storage.sqlite.users import UserRepo
from tests.support import WEDNESDAY_1500_UTC, column, count_rows, make_read_only, utc

NOW = WEDNESDAY_1500_UTC
NIGHT = QuietHours(time(21, 0), time(8, 0))


async def scalar(db: Database, sql: str, params: tuple[object, ...] = ()) -> object:
    async with db.conn.execute(sql, params) as cursor:
        row = await cursor.fetchone()
    assert row is not None
    return row[0]


async def seed(db: Database, notify_ats: list[datetime]) -> tuple[int, list[int]]:
    """A user, an interview and one follow-up per notify time; returns (user id, follow-up ids)."""
    async with db.transaction() as tx:
        user = await UserRepo(tx).create("test", "alice", "UTC", NIGHT, NOW)
        interview = await InterviewRepo(tx).insert(
            user.id, NewInterview("Acme", "Engineer", NOW, None, None, None), NOW
        )
        drafts = [FollowUpDraft(FollowUpKind.CHECK_IN, at, at) for at in notify_ats]
        created = await FollowUpRepo(tx).insert(interview.id, user.id, drafts, NOW)
    return user.id, [f.id for f in created]


async def statuses(db: Database) -> dict[int, tuple[str, str | None]]:
    async with db.conn.execute("SELECT id, status, lease_until FROM follow_ups ORDER BY id") as cursor:
        return {row[0]: (row[1], row[2]) for row in await cursor.fetchall()}


# Migrations


async def test_migrations_are_applied_once_and_recorded(tmp_path: Path, settings: Settings) -> None:
    db = await Database.open(tmp_path / "fresh.db")
    try:
        shipped = [(m.version, m.name) for m in load_migrations(settings.migrations_dir)]
        assert shipped[0] == (1, "0001_initial")
        assert await db.migrate(settings.migrations_dir) == [v for v, _ in shipped]
        async with db.conn.execute(
            "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"
        ) as cursor:
            recorded = [tuple(row) for row in await cursor.fetchall()]
        assert [(v, n) for v, n, _ in recorded] == shipped
        assert datetime.fromisoformat(recorded[0][2]).utcoffset() == timedelta(0)
        async with db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") as cursor:
            tables = [row[0] for row in await cursor.fetchall()]
        assert tables == [
            "check_ins",
            "coach_digests",
            "coach_groups",
            "feedback",
            "follow_ups",
            "group_coaches",
            "interviews",
            "memberships",
            "next_steps",
            "pending_commands",
            "schema_migrations",
            "send_budgets",
            "sqlite_sequence",
            "users",
        ]
        assert await db.migrate(settings.migrations_dir) == []  # a rerun is a no-op
        assert await scalar(db, "SELECT count(*) FROM schema_migrations") == len(shipped)
    finally:
        await db.close()

    again = await Database.open(tmp_path / "fresh.db")  # a restart: still nothing to do
    try:
        assert await again.migrate(settings.migrations_dir) == []
    finally:
        await again.close()


async def test_only_new_migrations_run(tmp_path: Path, db: Database, settings: Settings) -> None:
    directory = tmp_path / "migrations"
    directory.mkdir()
    shutil.copy(settings.migrations_dir / "0001_initial.sql", directory)
    (directory / "0900_tags.sql").write_text("CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n")
    assert await db.migrate(directory) == [900]
    assert await db.migrate(directory) == []
    shipped = [(m.version, m.name) for m in load_migrations(settings.migrations_dir)]
    async with db.conn.execute("SELECT version, name FROM schema_migrations ORDER BY version") as cursor:
        assert [tuple(row) for row in await cursor.fetchall()] == [*shipped, (900, "0900_tags")]


async def test_a_failing_migration_is_rolled_back_and_not_recorded(
    tmp_path: Path, db: Database, settings: Settings
) -> None:
    directory = tmp_path / "migrations"
    directory.mkdir()
    (directory / "0900_broken.sql").write_text("CREATE TABLE half (id INTEGER);\nINSERT INTO nowhere VALUES (1);\n")
    with pytest.raises(MigrationError, match=r"^0900_broken\.sql failed: no such table: nowhere$"):
        await db.migrate(directory)
    assert await scalar(db, "SELECT count(*) FROM sqlite_master WHERE name = 'half'") == 0
    assert (
        await scalar(db, "SELECT max(version) FROM schema_migrations")
        == load_migrations(settings.migrations_dir)[-1].version
    )
    assert not db.conn.in_transaction
    async with db.transaction() as tx:  # the connection is still usable
        await tx.execute(
            "INSERT INTO users (platform, external_id, timezone, quiet_start, quiet_end, created_at)"
            " VALUES ('t', 'x', 'UTC', '21:00', '08:00', '2026-01-01T00:00:00+00:00')"
        )
    assert await scalar(db, "SELECT count(*) FROM users") == 1


def test_migration_files_must_be_named_and_numbered_once(tmp_path: Path) -> None:
    (tmp_path / "0001_a.sql").write_text("")
    (tmp_path / "0001_b.sql").write_text("")
    with pytest.raises(ValueError, match="share a number"):
        load_migrations(tmp_path)
    (tmp_path / "0001_b.sql").unlink()
    (tmp_path / "2_Bad Name.sql").write_text("")
    with pytest.raises(ValueError, match=r"NNNN_name\.sql"):
        load_migrations(tmp_path)


# Connection settings


async def test_pragmas(db: Database) -> None:
    assert await scalar(db, "PRAGMA journal_mode") == "wal"
    assert await scalar(db, "PRAGMA synchronous") == 2  # FULL
    assert await scalar(db, "PRAGMA foreign_keys") == 1
    assert await scalar(db, "PRAGMA busy_timeout") == 5000


async def test_foreign_keys_are_enforced(db: Database) -> None:
    draft = FollowUpDraft(FollowUpKind.PREP, NOW, NOW)
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        async with db.transaction() as tx:
            await FollowUpRepo(tx).insert(41, 42, [draft], NOW)
    assert (await count_rows(db))["follow_ups"] == 0


# Datetimes


def test_datetimes_are_stored_as_utc_text() -> None:
    assert rows.ts(utc(2026, 11, 25, 15, 0)) == "2026-11-25T15:00:00+00:00"
    new_york = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("America/New_York"))
    assert rows.ts(new_york) == "2026-11-25T15:00:00+00:00"
    assert rows.dt("2026-11-25T15:00:00+00:00") == utc(2026, 11, 25, 15, 0)
    assert rows.dt("2026-11-25T15:00:00+00:00").tzinfo is not None


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        rows.ts(datetime(2026, 11, 25, 15, 0))
    with pytest.raises(ValueError, match="naive"):
        rows.opt_ts(datetime(2026, 11, 25, 15, 0))
    assert rows.opt_ts(None) is None


async def test_a_naive_datetime_rolls_the_whole_transaction_back(db: Database) -> None:
    user_id, _ = await seed(db, [NOW])
    before = await count_rows(db)
    naive = datetime(2026, 11, 25, 17, 0)
    drafts = [FollowUpDraft(FollowUpKind.PREP, NOW, NOW), FollowUpDraft(FollowUpKind.PREP, naive, naive)]
    with pytest.raises(ValueError, match="naive"):
        async with db.transaction() as tx:
            await FollowUpRepo(tx).insert(1, user_id, drafts, NOW)
    assert await count_rows(db) == before


# Transactions


async def test_transaction_rolls_back_on_error(db: Database) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        async with db.transaction() as tx:
            await UserRepo(tx).create("test", "alice", "UTC", NIGHT, NOW)
            assert await scalar(db, "SELECT count(*) FROM users") == 1
            raise RuntimeError("boom")
    assert await scalar(db, "SELECT count(*) FROM users") == 0
    assert not db.conn.in_transaction
    async with db.transaction() as tx:
        await UserRepo(tx).create("test", "bob", "UTC", NIGHT, NOW)
    assert await scalar(db, "SELECT count(*) FROM users") == 1


async def test_a_failed_commit_is_rolled_back_and_the_connection_stays_usable(db: Database) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as tx:
            # A deferred foreign-key check fails only at COMMIT, as a disk or I/O error would.
            await tx.execute("PRAGMA defer_foreign_keys = ON")
            await tx.execute(
                "INSERT INTO check_ins (interview_id, heard, called_at) VALUES (999, 'orphan', ?)", (NOW.isoformat(),)
            )
    assert not db.conn.in_transaction
    async with db.transaction() as tx:  # the next transaction starts as usual
        await tx.execute("SELECT 1")
    assert await scalar(db, "SELECT count(*) FROM check_ins") == 0


async def test_transaction_rolls_back_on_cancellation(db: Database) -> None:
    entered = asyncio.Event()

    async def slow_writer() -> None:
        async with db.transaction() as tx:
            await UserRepo(tx).create("test", "alice", "UTC", NIGHT, NOW)
            entered.set()
            await asyncio.Event().wait()  # until cancelled

    task = asyncio.create_task(slow_writer())
    await asyncio.wait_for(entered.wait(), timeout=5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await scalar(db, "SELECT count(*) FROM users") == 0
    assert not db.conn.in_transaction


async def test_concurrent_transactions_do_not_interleave(db: Database) -> None:
    order: list[str] = []

    async def writer(name: str, fail: bool) -> None:
        async with db.transaction() as tx:
            for n in range(5):
                await tx.execute(
                    "INSERT INTO users (platform, external_id, timezone, quiet_start, quiet_end, created_at)"
                    " VALUES ('test', ?, 'UTC', '21:00', '08:00', ?)",
                    (f"{name}{n}", rows.ts(NOW)),
                )
                order.append(name)
                await asyncio.sleep(0)  # give the other writer every chance to cut in
            if fail:
                raise RuntimeError(f"{name} failed")

    results = await asyncio.gather(writer("a", False), writer("b", True), writer("c", False), return_exceptions=True)
    assert [type(r).__name__ for r in results] == ["NoneType", "RuntimeError", "NoneType"]
    runs = [order[i : i + 5] for i in range(0, 15, 5)]
    assert sorted(run[0] for run in runs) == ["a", "b", "c"]
    assert all(len(set(run)) == 1 for run in runs), order
    async with db.conn.execute("SELECT external_id FROM users ORDER BY id") as cursor:
        stored = [row[0] for row in await cursor.fetchall()]
    # b rolled back alone: a's and c's rows are all there, each writer's in one block.
    assert sorted(stored) == [f"{name}{n}" for name in "ac" for n in range(5)]
    assert stored in (
        [f"a{n}" for n in range(5)] + [f"c{n}" for n in range(5)],
        [f"c{n}" for n in range(5)] + [f"a{n}" for n in range(5)],
    )


# The dispatcher's queries


async def test_claim_due_uses_the_partial_pending_index(db: Database) -> None:
    await seed(db, [NOW])
    statements: list[str] = []
    await db.conn.set_trace_callback(statements.append)
    try:
        async with db.transaction() as tx:
            await FollowUpRepo(tx).claim_due(NOW, Lease("t", NOW + timedelta(minutes=2)), 10, ["test"])
        await FollowUpRepo(db.conn).next_notify_at(["test"])
    finally:
        await db.conn.set_trace_callback(None)
    claim = next(s for s in statements if "status = 'claimed'" in s and s.lstrip().startswith("UPDATE"))
    following = next(s for s in statements if s.lstrip().startswith("SELECT f.notify_at"))
    for statement in (claim, following):
        async with db.conn.execute(f"EXPLAIN QUERY PLAN {statement}") as cursor:
            steps = [row[3] for row in await cursor.fetchall()]
        assert any("INDEX follow_ups_pending" in step for step in steps), steps
        assert "SCAN follow_ups" not in steps, steps  # never a full table scan


async def test_claim_due_claims_due_pending_in_order_with_a_lease(db: Database) -> None:
    _, ids = await seed(db, [NOW + timedelta(minutes=1), NOW - timedelta(hours=1), NOW, NOW - timedelta(minutes=5)])
    lease = Lease("t", NOW + timedelta(minutes=2))
    async with db.transaction() as tx:
        first = await FollowUpRepo(tx).claim_due(NOW, lease, 2, ["test"])
    assert [f.id for f in first] == [ids[1], ids[3]]  # the two most overdue
    assert {f.status for f in first} == {FollowUpStatus.CLAIMED}
    async with db.transaction() as tx:
        second = await FollowUpRepo(tx).claim_due(NOW, lease, 10, ["test"])
    assert [f.id for f in second] == [ids[2]]  # due exactly now; never one already claimed
    async with db.transaction() as tx:
        assert await FollowUpRepo(tx).claim_due(NOW, lease, 10, ["test"]) == []
    assert (await statuses(db))[ids[0]] == ("pending", None)  # not due yet
    assert (await statuses(db))[ids[1]] == ("claimed", rows.ts(lease.until))
    assert await FollowUpRepo(db.conn).next_notify_at(["test"]) == NOW + timedelta(minutes=1)


async def test_release_expired_returns_lapsed_claims_to_pending(db: Database) -> None:
    _, ids = await seed(db, [NOW - timedelta(minutes=10), NOW - timedelta(minutes=5), NOW + timedelta(hours=1)])
    async with db.transaction() as tx:
        await FollowUpRepo(tx).claim_due(
            NOW - timedelta(minutes=10), Lease("t", NOW + timedelta(minutes=1)), 10, ["test"]
        )
    async with db.transaction() as tx:
        await FollowUpRepo(tx).claim_due(NOW, Lease("t", NOW + timedelta(minutes=3)), 10, ["test"])
    async with db.transaction() as tx:
        assert await FollowUpRepo(tx).release_expired(NOW) == 0  # both leases still running
    async with db.transaction() as tx:
        assert await FollowUpRepo(tx).release_expired(NOW + timedelta(minutes=1)) == 1  # a lease ending now has lapsed
    assert await statuses(db) == {
        ids[0]: ("pending", None),
        ids[1]: ("claimed", rows.ts(NOW + timedelta(minutes=3))),
        ids[2]: ("pending", None),
    }
    async with db.transaction() as tx:
        assert await FollowUpRepo(tx).release_expired(NOW + timedelta(hours=2)) == 1
    assert {s for s, _ in (await statuses(db)).values()} == {"pending"}


async def test_marks_apply_only_to_claimed_rows(db: Database) -> None:
    user_id, ids = await seed(db, [NOW, NOW])
    async with db.transaction() as tx:
        await FollowUpRepo(tx).claim_due(NOW, Lease("t", NOW + timedelta(minutes=2)), 10, ["test"])
    async with db.transaction() as tx:
        await FollowUpRepo(tx).complete(ids[1], NOW)  # the seeker clicked Done while it was being sent
    async with db.transaction() as tx:
        await FollowUpRepo(tx).mark_sent(
            [Sent(ids[0], "m0"), Sent(ids[1], "m1")], NOW, Lease("t", NOW + timedelta(minutes=2))
        )
    first, second = await FollowUpRepo(db.conn).get(user_id, ids[0]), await FollowUpRepo(db.conn).get(user_id, ids[1])
    assert first is not None and second is not None
    assert (first.status, first.sent_at) == (FollowUpStatus.SENT, NOW)
    assert (second.status, second.sent_at) == (FollowUpStatus.DONE, None)
    assert await scalar(db, "SELECT message_ref FROM follow_ups WHERE id = ?", (ids[0],)) == "m0"
    assert sorted(await column(db, "SELECT status FROM follow_ups")) == ["done", "sent"]


FIRST_RELEASE_ROWS = {
    "users": "INSERT INTO users VALUES (1, 'discord', '42', 'Europe/Paris', '21:00:00', '08:00:00', '77', NULL, 0, ?)",
    "interviews": "INSERT INTO interviews VALUES"
    " (1, 1, 'Acme', 'Analyst', ?, 'Sam', NULL, 'notes', NULL, NULL, NULL, ?)",
    "next_steps": "INSERT INTO next_steps VALUES (1, ?, 3, NULL, 'panel', NULL, ?)",
    "follow_ups": "INSERT INTO follow_ups (id, interview_id, user_id, kind, due_at, notify_at, created_at)"
    " VALUES (1, 1, 1, 'check_in', ?, ?, ?)",
    "check_ins": "INSERT INTO check_ins VALUES (1, 1, 'Delayed', NULL, ?)",
    "feedback": "INSERT INTO feedback VALUES (1, 1, 'More SQL', ?)",
}


async def test_a_database_from_the_first_release_upgrades_with_every_row_intact(
    tmp_path: Path, settings: Settings
) -> None:
    first = tmp_path / "first-release"
    first.mkdir()
    shutil.copy(settings.migrations_dir / "0001_initial.sql", first)
    db = await Database.open(tmp_path / "old.db")
    try:
        assert await db.migrate(first) == [1]
        async with db.transaction() as tx:
            for sql in FIRST_RELEASE_ROWS.values():
                await tx.execute(sql, (NOW.isoformat(),) * sql.count("?"))
        before = {
            t: [tuple(r) for r in await db.conn.execute_fetchall(f"SELECT * FROM {t}")] for t in FIRST_RELEASE_ROWS
        }

        applied = await db.migrate(settings.migrations_dir)
        assert applied == [m.version for m in load_migrations(settings.migrations_dir)][1:]
        for table, rows_before in before.items():
            rows_after = [tuple(r) for r in await db.conn.execute_fetchall(f"SELECT * FROM {table}")]
            assert [r[: len(rows_before[0])] for r in rows_after] == rows_before, table  # new columns only append
        assert await scalar(db, "SELECT share_notes FROM users") == 0  # notes stay private
        assert await scalar(db, "SELECT check_back_agreed FROM next_steps") == 1  # old answers were agreed dates
        interview = await InterviewRepo(db.conn).get(1, 1)
        assert interview is not None and interview.company == "Acme"
    finally:
        await db.close()


# Refusing to start on what would fail later


@pytest.mark.parametrize("make", ["missing", "empty"])
async def test_a_missing_or_empty_migrations_directory_is_refused(tmp_path: Path, db: Database, make: str) -> None:
    directory = tmp_path / "migrations"
    if make == "empty":
        directory.mkdir()
    with pytest.raises(MigrationError, match="no such directory" if make == "missing" else "no NNNN_name.sql"):
        await db.migrate(directory)


async def test_a_database_migrated_by_a_newer_build_is_refused_naming_both_versions(
    tmp_path: Path, settings: Settings
) -> None:
    newer = tmp_path / "newer"
    shutil.copytree(settings.migrations_dir, newer)
    (newer / "0900_tags.sql").write_text("CREATE TABLE tags (id INTEGER PRIMARY KEY);\n")
    db = await Database.open(tmp_path / "upgraded.db")
    try:
        await db.migrate(newer)
        known = load_migrations(settings.migrations_dir)[-1].version
        with pytest.raises(DatabaseFileError, match=rf"at version 900, and this build knows versions up to {known}"):
            await db.migrate(settings.migrations_dir)
    finally:
        await db.close()


def threads_left(before: set[threading.Thread]) -> list[threading.Thread]:
    """Threads started since `before` that do not end (aiosqlite's worker would keep the process alive)."""
    new = set(threading.enumerate()) - before
    for thread in new:
        thread.join(timeout=5)
    return [thread for thread in new if thread.is_alive()]


async def test_a_file_that_is_not_a_database_is_refused_and_nothing_is_left_open(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 10)
    before = set(threading.enumerate())
    with pytest.raises(DatabaseFileError, match=r"notes\.db: file is not a database"):
        await Database.open(path)
    assert threads_left(before) == []


async def test_a_read_only_database_is_refused_at_open_not_at_its_first_write(
    tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "read-only.db"
    db = await Database.open(path)
    await db.migrate(settings.migrations_dir)
    await db.close()
    make_read_only(path)
    before = set(threading.enumerate())
    with pytest.raises(DatabaseFileError, match="readonly"):
        await Database.open(path)
    assert threads_left(before) == []


async def test_a_missing_directory_for_the_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseFileError, match=r"cannot open .*/nowhere/x\.db"):
        await Database.open(tmp_path / "nowhere" / "x.db")

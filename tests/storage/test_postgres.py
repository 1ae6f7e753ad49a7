"""What only the PostgreSQL backend does: migrations in step with SQLite's (and the same schema after them),
applied once under an advisory lock however many processes start together, a newer database refused, and
claims that skip rows another process is claiming instead of waiting for them."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest

from bot.domain.models import FollowUpDraft, FollowUpKind, QuietHours
from bot.ports.repositories import Lease, NewInterview
from bot.settings import PROJECT_ROOT
from bot.storage.migrations import load_migrations
from bot.storage.postgres.database import DatabaseUrlError, PgDatabase, redacted
from bot.storage.postgres.follow_ups import FollowUpRepo
from bot.storage.postgres.unit_of_work import PgUnitOfWorkFactory
from bot.storage.postgres.user_data import NOT_USER_DATA, USER_ROWS
from bot.storage.sqlite.database import Database
from tests.postgres import Server
from tests.support import WEDNESDAY_1500_UTC

NOW = WEDNESDAY_1500_UTC
SQLITE, POSTGRES = PROJECT_ROOT / "migrations" / "sqlite", PROJECT_ROOT / "migrations" / "postgres"
# A column one backend has and the other stands in for: SQLite's implicit rowid orders coaches added at the
# same instant; PostgreSQL has no rowid, so an identity column does.
POSTGRES_ONLY = {("group_coaches", "added_order")}

Schema = dict[str, object]


def test_both_backends_have_the_same_migrations_numbered_in_step() -> None:
    assert [m.name for m in load_migrations(SQLITE)] == [m.name for m in load_migrations(POSTGRES)]


async def _sqlite_schema(path: Path) -> Schema:
    db = await Database.open(path)
    try:
        await db.migrate(SQLITE)
        conn = db.conn
        tables = [
            row[0]
            for row in await conn.execute_fetchall(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        columns, unique = set(), set()
        for table in tables:
            info = await conn.execute_fetchall(f"PRAGMA table_info({table})")
            for row in info:
                columns.add((table, row[1], bool(row[3]) or row[5] > 0))  # a primary key is never NULL
            unique.add((table, tuple(row[1] for row in sorted(info, key=lambda row: row[5]) if row[5] > 0)))
            for index in await conn.execute_fetchall(f"PRAGMA index_list({table})"):
                if index[3] == "u":
                    named = await conn.execute_fetchall(f"PRAGMA index_info({index[1]})")
                    unique.add((table, tuple(row[2] for row in named)))
        indexes = {
            (row[0], row[1])
            for row in await conn.execute_fetchall(
                "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'"
            )
        }
        return {"tables": set(tables), "columns": columns, "indexes": indexes, "unique": unique}
    finally:
        await db.close()


async def _postgres_schema(url: str) -> Schema:
    conn = await asyncpg.connect(url)
    try:
        tables = {row[0] for row in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        columns = {
            (row[0], row[1], row[2] == "NO")
            for row in await conn.fetch(
                "SELECT table_name, column_name, is_nullable FROM information_schema.columns"
                " WHERE table_schema = 'public'"
            )
            if (row[0], row[1]) not in POSTGRES_ONLY
        }
        # Indexes made by CREATE INDEX; those behind a primary key or UNIQUE constraint are compared as such.
        indexes = {
            (row[0], row[1])
            for row in await conn.fetch(
                "SELECT tablename, indexname FROM pg_indexes WHERE schemaname = 'public'"
                " AND indexname NOT IN (SELECT conname FROM pg_constraint)"
            )
        }
        unique = {
            (row[0], tuple(row[1]))
            for row in await conn.fetch(
                "SELECT c.conrelid::regclass::text, array_agg(a.attname ORDER BY k.ord)"
                " FROM pg_constraint c CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY k(attnum, ord)"
                " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum"
                " WHERE c.contype IN ('u', 'p') AND c.connamespace = 'public'::regnamespace"
                " GROUP BY c.oid, c.conrelid"
            )
        }
        return {"tables": tables, "columns": columns, "indexes": indexes, "unique": unique}
    finally:
        await conn.close()


async def test_after_all_migrations_both_schemas_match(tmp_path: Path, postgres_url: str) -> None:
    """Tables, columns and their nullability, index names, and primary and unique keys."""
    sqlite, postgres = await _sqlite_schema(tmp_path / "schema.db"), await _postgres_schema(postgres_url)
    assert postgres["tables"] == sqlite["tables"]
    assert sorted(postgres["columns"]) == sorted(sqlite["columns"])  # type: ignore[call-overload]
    assert postgres["indexes"] == sqlite["indexes"]
    assert postgres["unique"] == sqlite["unique"]


async def test_processes_starting_together_apply_each_migration_once(postgres_server: Server) -> None:
    async with postgres_server.database(migrated=False) as url:
        dbs = [await PgDatabase.open(url) for _ in range(4)]
        try:
            applied = await asyncio.gather(*(db.migrate(POSTGRES) for db in dbs))
            again = await dbs[0].migrate(POSTGRES)
        finally:
            for db in dbs:
                await db.close()
    every = [m.version for m in load_migrations(POSTGRES)]
    assert sorted(v for done in applied for v in done) == every  # each once, by whichever came first
    assert again == []


async def test_a_database_a_newer_build_migrated_is_refused(postgres_url: str, tmp_path: Path) -> None:
    newer = tmp_path / "newer"
    newer.mkdir()
    (newer / "0001_initial.sql").write_text("SELECT 1;\n")
    db = await PgDatabase.open(postgres_url)
    try:
        known = load_migrations(POSTGRES)[-1].version
        with pytest.raises(DatabaseUrlError, match=rf"at version {known}, and this build knows versions up to 1"):
            await db.migrate(newer)
    finally:
        await db.close()


async def test_an_unreachable_server_is_named_without_its_password() -> None:
    url = "postgresql://bot:s3cret@127.0.0.1:1/follow_through"
    with pytest.raises(DatabaseUrlError, match=r"^cannot connect to postgresql://bot:\*\*\*@127\.0\.0\.1:1/") as exc:
        await PgDatabase.open(url)
    assert "s3cret" not in str(exc.value) and redacted(url) in str(exc.value)


async def test_a_claim_skips_rows_another_process_is_claiming_instead_of_waiting(postgres_url: str) -> None:
    """Process A has claimed the two soonest rows in a transaction not yet committed; B's claim at that moment
    takes the next two at once, never waiting for A's and never taking them."""
    db = await PgDatabase.open(postgres_url)
    uow = PgUnitOfWorkFactory(db)
    try:
        async with uow.transaction() as tx:
            owner = await tx.users.create("test", "alice", "UTC", QuietHours(NOW.time(), NOW.time()), NOW)
            made = await tx.interviews.insert(owner.id, NewInterview("Acme", "Analyst", NOW, None, None, None), NOW)
            drafts = [
                FollowUpDraft(FollowUpKind.CHECK_IN, NOW - timedelta(hours=h), NOW - timedelta(hours=h))
                for h in (4, 3, 2, 1)
            ]
            ids = [f.id for f in await tx.follow_ups.insert(made.id, owner.id, drafts, NOW)]
        async with db.connection() as a_conn, a_conn.transaction():
            a = await FollowUpRepo(a_conn).claim_due(NOW, Lease("a", NOW + timedelta(minutes=2)), 2, ["test"])
            async with uow.transaction() as b:
                taken = await asyncio.wait_for(
                    b.follow_ups.claim_due(NOW, Lease("b", NOW + timedelta(minutes=2)), 10, ["test"]), timeout=5
                )
        assert [f.id for f in a] == ids[:2]
        assert [f.id for f in taken] == ids[2:]
    finally:
        await db.close()


async def test_the_export_names_every_table_of_the_schema(postgres_url: str) -> None:
    """A table added by a migration must be exported (USER_ROWS) or declared to hold no one's data."""
    conn = await asyncpg.connect(postgres_url)
    try:
        tables = {row[0] for row in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    finally:
        await conn.close()
    assert tables == set(USER_ROWS) | NOT_USER_DATA


async def test_a_database_that_stops_answering_times_out_instead_of_hanging(postgres_url: str) -> None:
    """A statement kept waiting (here on a lock another session holds) and a wait for a free connection both
    give up after the command timeout, so a dispatch pass, and the shutdown that waits for it, end."""
    db = await PgDatabase.open(postgres_url, size=1, command_timeout=0.5)
    holder = await asyncpg.connect(postgres_url)
    try:
        await holder.execute("BEGIN; LOCK TABLE follow_ups IN ACCESS EXCLUSIVE MODE")
        uow = PgUnitOfWorkFactory(db)

        async def blocked_claim() -> None:
            async with uow.transaction() as tx:
                await tx.follow_ups.claim_due(WEDNESDAY_1500_UTC, Lease("a", WEDNESDAY_1500_UTC), 10, ["test"])

        async def gives_up() -> None:
            claim = asyncio.ensure_future(blocked_claim())
            done, _ = await asyncio.wait({claim}, timeout=10)
            if not done:
                claim.cancel()
            assert done, "still waiting for the database"
            with pytest.raises(TimeoutError):
                claim.result()

        await gives_up()
        async with db.connection():  # the only connection is lent: a second borrower gives up too
            await gives_up()
        await holder.execute("ROLLBACK")
        async with uow.reading() as r:  # the pool is usable again once the server answers
            assert await r.follow_ups.next_notify_at(["test"]) is None
    finally:
        await holder.close()
        await db.close()

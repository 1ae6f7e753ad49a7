"""The aiosqlite connection, its pragmas, write serialisation and the migration runner."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

from bot.storage.migrations import MigrationError, load_migrations

log = logging.getLogger(__name__)

# A migration that rebuilds a referenced table starts with this line: it runs with foreign keys off (else
# dropping the old table would cascade), and every reference is checked before it commits.
FOREIGN_KEYS_OFF = "-- migrate: foreign keys off"

# WAL lets readers run beside the writer. synchronous=FULL makes each commit durable across a power
# cut too, not only across a crash of the bot: a recorded interview or a "sent" mark is never lost.
# Its cost is one fsync per transaction, which is why the dispatcher marks results in batches.
PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
)


# SQLite's result codes that say the file itself cannot be used (rather than a migration's SQL being wrong).
_FILE_PROBLEMS = {
    "SQLITE_CANTOPEN",
    "SQLITE_CORRUPT",
    "SQLITE_FULL",
    "SQLITE_IOERR",
    "SQLITE_NOTADB",
    "SQLITE_PERM",
    "SQLITE_READONLY",
}


def _absolute(path: Path | str) -> Path:
    """For messages and logs: a relative path is read from the current directory, which may surprise."""
    return Path(path).resolve()


class DatabaseFileError(Exception):
    """The database file cannot be used: missing directory, not a database, read-only, or from a newer build."""


class Database:
    """One shared connection. Writes go through `transaction()`, which serialises coroutines so that
    two of them can never interleave statements inside one transaction."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        """Open and check that the file is a writable SQLite database; raises DatabaseFileError if not, with
        nothing left open (an open connection's worker thread would keep the process alive)."""
        where = _absolute(path)
        connecting = aiosqlite.connect(str(path), isolation_level=None)
        try:
            conn = await connecting
        except sqlite3.Error as exc:
            # aiosqlite stops its worker thread itself; let it finish before this event loop may close.
            await asyncio.to_thread(connecting._thread.join, 5)
            raise DatabaseFileError(f"cannot open {where}: {exc}") from exc
        try:
            conn.row_factory = aiosqlite.Row
            for pragma in PRAGMAS:
                await conn.execute(pragma)
            # An already migrated read-only file would otherwise start and then fail every write.
            await conn.execute("BEGIN IMMEDIATE")
            try:
                await conn.execute("CREATE TABLE write_check (x INTEGER)")
            finally:
                await conn.execute("ROLLBACK")
        except sqlite3.Error as exc:
            await conn.close()
            raise DatabaseFileError(f"cannot use {where}: {exc}") from exc
        except BaseException:
            await conn.close()
            raise
        log.info("database %s", where)
        return cls(conn)

    async def close(self) -> None:
        await self.conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._write_lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                await self.conn.execute("COMMIT")
            except BaseException:
                # Also after a failed COMMIT (disk full, I/O error): the connection must not stay inside it.
                if self.conn.in_transaction:
                    await self.conn.execute("ROLLBACK")
                raise

    async def migrate(self, directory: Path) -> list[int]:
        """Apply the migrations not yet recorded, each in its own transaction; returns their versions.

        Refuses (DatabaseFileError) a database that a newer build has migrated further than `directory` knows:
        this build's queries would fail on every pass. A migration that fails raises MigrationError, or
        DatabaseFileError when the file is at fault (read-only, full, corrupt)."""
        migrations = load_migrations(directory)
        await self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        async with self.conn.execute("SELECT version FROM schema_migrations") as cursor:
            applied = {row[0] for row in await cursor.fetchall()}
        known = migrations[-1].version
        if applied and max(applied) > known:
            raise DatabaseFileError(
                f"the database is at version {max(applied)}, and this build knows versions up to {known}"
                f" (from {_absolute(directory)}): run the newer build that migrated it, or restore a backup"
            )
        log.info("migrations from %s, up to version %s", _absolute(directory), known)
        done = []
        async with self._write_lock:
            for migration in migrations:
                if migration.version in applied:
                    continue
                log.info("applying migration %s", migration.name)
                rebuilds = migration.sql.startswith(FOREIGN_KEYS_OFF)
                if rebuilds:
                    await self.conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction
                try:
                    # executescript commits anything pending, then runs the script; its BEGIN stays open.
                    await self.conn.executescript(f"BEGIN;\n{migration.sql}")
                    if rebuilds and await self.conn.execute_fetchall("PRAGMA foreign_key_check"):
                        raise MigrationError(f"{migration.name}.sql left rows pointing at rows that are gone")
                    await self.conn.execute(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                        (migration.version, migration.name, datetime.now(UTC).isoformat()),
                    )
                except BaseException as exc:
                    if self.conn.in_transaction:
                        await self.conn.execute("ROLLBACK")
                    if isinstance(exc, sqlite3.Error):
                        if exc.sqlite_errorname in _FILE_PROBLEMS:
                            raise DatabaseFileError(f"cannot apply {migration.name}.sql: {exc}") from exc
                        raise MigrationError(f"{migration.name}.sql failed: {exc}") from exc
                    raise
                else:
                    await self.conn.execute("COMMIT")
                finally:
                    if rebuilds:
                        await self.conn.execute("PRAGMA foreign_keys = ON")
                done.append(migration.version)
        return done

"""The asyncpg pool and the migration runner."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bot.storage.migrations import MigrationError, load_migrations

log = logging.getLogger(__name__)

POOL_SIZE = 5  # connections per process: the dispatcher's, the digest loop's, and commands being answered
# One key for every process's migration runs: the second to start waits until the first has migrated.
MIGRATION_LOCK = 0x466F6C6C6F77  # "Follow"
CONNECT_TIMEOUT = 10  # seconds
# A server that stops answering (a network cut, a lock never released) must not hang a dispatch pass, and so
# Dispatcher.stop, forever: a statement, and a wait for a free connection, give up (TimeoutError) after this.
# Ours take milliseconds; the longest, a claim of a batch, well under a second.
COMMAND_TIMEOUT = 30.0  # seconds
# Except for migrations: waiting for another process's run, and a migration on a large table, take longer.
MIGRATION_TIMEOUT = 3600.0  # seconds
# A transaction left open (a stuck process) would hold back vacuum on the queue table and keep its row locks:
# the server ends it. Ours last milliseconds.
SERVER_SETTINGS = {"application_name": "follow-through", "idle_in_transaction_session_timeout": "60s"}


class DatabaseUrlError(Exception):
    """The database at DATABASE_URL cannot be used: unreachable, refused, or migrated by a newer build."""


def _absolute(path: Path) -> Path:
    return path.resolve()


def redacted(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


class PgDatabase:
    """A small pool per process. `connection()` lends one connection; transactions are the unit of work's."""

    def __init__(self, pool: asyncpg.Pool, url: str, command_timeout: float = COMMAND_TIMEOUT) -> None:
        self.pool = pool
        self.url = url
        self.command_timeout = command_timeout

    @classmethod
    async def open(cls, url: str, size: int = POOL_SIZE, command_timeout: float = COMMAND_TIMEOUT) -> PgDatabase:
        """Connect, or raise DatabaseUrlError naming the server (never the password)."""
        try:
            pool = await asyncpg.create_pool(
                url,
                min_size=1,
                max_size=size,
                timeout=CONNECT_TIMEOUT,
                command_timeout=command_timeout,
                server_settings=SERVER_SETTINGS,
            )
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            raise DatabaseUrlError(f"cannot connect to {redacted(url)}: {exc}") from exc
        log.info("database %s (pid %s)", redacted(url), os.getpid())
        return cls(pool, url, command_timeout)

    async def close(self) -> None:
        await self.pool.close()

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[Any]:
        async with self.pool.acquire(timeout=self.command_timeout) as conn:
            yield conn

    async def migrate(self, directory: Path) -> list[int]:
        """Apply the migrations not yet recorded, each in its own transaction, under an advisory lock held for
        the whole run, so processes starting together apply each migration once. Returns their versions.

        Refuses (DatabaseUrlError) a database a newer build has migrated further than `directory` knows."""
        migrations = load_migrations(directory)
        known, where = migrations[-1].version, _absolute(directory)
        async with self.connection() as conn:
            await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK, timeout=MIGRATION_TIMEOUT)
            try:
                await conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)"
                )
                applied = {row[0] for row in await conn.fetch("SELECT version FROM schema_migrations")}
                if applied and max(applied) > known:
                    raise DatabaseUrlError(
                        f"the database is at version {max(applied)}, and this build knows versions up to {known}"
                        f" (from {where}): run the newer build that migrated it, or restore a backup"
                    )
                log.info("migrations from %s, up to version %s", where, known)
                done = []
                for migration in migrations:
                    if migration.version in applied:
                        continue
                    log.info("applying migration %s", migration.name)
                    try:
                        async with conn.transaction():
                            await conn.execute(migration.sql, timeout=MIGRATION_TIMEOUT)
                            await conn.execute(
                                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())",
                                migration.version,
                                migration.name,
                            )
                    except asyncpg.PostgresError as exc:
                        raise MigrationError(f"{migration.name}.sql failed: {exc}") from exc
                    done.append(migration.version)
                return done
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)

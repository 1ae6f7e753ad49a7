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

    def __init__(self, pool: asyncpg.Pool, url: str) -> None:
        self.pool = pool
        self.url = url

    @classmethod
    async def open(cls, url: str, size: int = POOL_SIZE) -> PgDatabase:
        """Connect, or raise DatabaseUrlError naming the server (never the password)."""
        try:
            pool = await asyncpg.create_pool(
                url,
                min_size=1,
                max_size=size,
                timeout=CONNECT_TIMEOUT,
                server_settings=SERVER_SETTINGS,
            )
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            raise DatabaseUrlError(f"cannot connect to {redacted(url)}: {exc}") from exc
        log.info("database %s (pid %s)", redacted(url), os.getpid())
        return cls(pool, url)

    async def close(self) -> None:
        await self.pool.close()

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[Any]:
        async with self.pool.acquire() as conn:
            yield conn

    async def migrate(self, directory: Path) -> list[int]:
        """Apply the migrations not yet recorded, each in its own transaction, under an advisory lock held for
        the whole run, so processes starting together apply each migration once. Returns their versions.

        Refuses (DatabaseUrlError) a database a newer build has migrated further than `directory` knows."""
        migrations = load_migrations(directory)
        known, where = migrations[-1].version, _absolute(directory)
        async with self.connection() as conn:
            await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
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
                            await conn.execute(migration.sql)
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

"""The storage backends every contract test runs on: each gives a fresh, migrated unit-of-work factory.

A new backend is one entry in BACKENDS: an async context manager that builds it on a scratch place (a file, a
throwaway database) and tears it down; it may ask pytest for a session fixture (PostgreSQL's server).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest

from bot.ports.unit_of_work import UnitOfWorkFactory
from bot.settings import PROJECT_ROOT
from bot.storage.postgres.database import PgDatabase
from bot.storage.postgres.unit_of_work import PgUnitOfWorkFactory
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.unit_of_work import SqliteUnitOfWorkFactory
from tests.postgres import Server


@asynccontextmanager
async def sqlite_backend(request: pytest.FixtureRequest, scratch: Path) -> AsyncIterator[UnitOfWorkFactory]:
    """A real SQLite file with the real migrations."""
    db = await Database.open(scratch / "contract.db")
    try:
        await db.migrate(PROJECT_ROOT / "migrations" / "sqlite")
        # Unordered results come back in the other order than usual: a query that relies on an order it
        # does not ask for (a claim without ORDER BY, say) fails here instead of passing by luck.
        await db.conn.execute("PRAGMA reverse_unordered_selects = ON")
        yield SqliteUnitOfWorkFactory(db)
    finally:
        await db.close()


@asynccontextmanager
async def postgres_backend(request: pytest.FixtureRequest, scratch: Path) -> AsyncIterator[UnitOfWorkFactory]:
    """A fresh database on the session's PostgreSQL (tests/postgres.py), migrated by the real migrations."""
    server: Server = request.getfixturevalue("postgres_server")
    async with server.database() as url:
        db = await PgDatabase.open(url)
        try:
            yield PgUnitOfWorkFactory(db)
        finally:
            await db.close()


BACKENDS: dict[str, Callable[[pytest.FixtureRequest, Path], AbstractAsyncContextManager[UnitOfWorkFactory]]] = {
    "sqlite": sqlite_backend,
    "postgres": postgres_backend,
}


@pytest.fixture(params=sorted(BACKENDS))
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[UnitOfWorkFactory]:
    async with BACKENDS[request.param](request, tmp_path) as uow:
        yield uow

"""The storage backends every contract test runs on: each gives a fresh, migrated unit-of-work factory.

A new backend is one entry in BACKENDS: an async context manager that builds it on a scratch place (a file, a
throwaway database) and tears it down.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest

from bot.ports.unit_of_work import UnitOfWorkFactory
from bot.settings import PROJECT_ROOT
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.unit_of_work import SqliteUnitOfWorkFactory


@asynccontextmanager
async def sqlite_backend(scratch: Path) -> AsyncIterator[UnitOfWorkFactory]:
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


BACKENDS: dict[str, Callable[[Path], AbstractAsyncContextManager[UnitOfWorkFactory]]] = {
    "sqlite": sqlite_backend,
}


@pytest.fixture(params=sorted(BACKENDS))
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[UnitOfWorkFactory]:
    async with BACKENDS[request.param](tmp_path) as uow:
        yield uow

"""The SQLite unit of work: a transaction commits on exit and rolls back when its block raises."""

from __future__ import annotations

from datetime import time

import pytest

from bot.domain.models import QuietHours
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.unit_of_work import SqliteUnitOfWorkFactory
from tests.support import WEDNESDAY_1500_UTC

QUIET = QuietHours(time(21), time(8))


async def test_a_transaction_commits_on_exit_and_its_reads_see_its_writes(db: Database) -> None:
    uow = SqliteUnitOfWorkFactory(db)
    async with uow.transaction() as tx:
        made = await tx.users.create("test", "alice", "UTC", QUIET, WEDNESDAY_1500_UTC)
        assert await tx.users.by_id(made.id) == made
    assert not db.conn.in_transaction
    async with uow.reading() as reading:
        assert await reading.users.get("test", "alice") == made


async def test_a_transaction_whose_block_raises_writes_nothing(db: Database) -> None:
    uow = SqliteUnitOfWorkFactory(db)
    with pytest.raises(RuntimeError, match="after the write"):
        async with uow.transaction() as tx:
            await tx.users.create("test", "alice", "UTC", QUIET, WEDNESDAY_1500_UTC)
            raise RuntimeError("after the write")
    assert not db.conn.in_transaction
    async with uow.reading() as reading:
        assert await reading.users.get("test", "alice") is None

"""The unit of work over the PostgreSQL pool: one pooled connection, in a transaction, with every repository."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bot.storage.postgres.database import PgDatabase
from bot.storage.postgres.digests import DigestRepo
from bot.storage.postgres.follow_ups import FollowUpRepo
from bot.storage.postgres.groups import GroupRepo
from bot.storage.postgres.interviews import InterviewRepo
from bot.storage.postgres.seeker_histories import HistoryRepo
from bot.storage.postgres.user_data import UserDataRepo
from bot.storage.postgres.users import UserRepo


class PgUnitOfWork:
    """Every repository on one connection: inside a transaction, each read sees its writes."""

    def __init__(self, conn: Any) -> None:
        self.users = UserRepo(conn)
        self.interviews = InterviewRepo(conn)
        self.follow_ups = FollowUpRepo(conn)
        self.groups = GroupRepo(conn)
        self.digests = DigestRepo(conn)
        self.histories = HistoryRepo(conn)
        self.user_data = UserDataRepo(conn)


class PgUnitOfWorkFactory:
    def __init__(self, db: PgDatabase) -> None:
        self.db = db

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PgUnitOfWork]:
        """READ COMMITTED, as PostgreSQL's default: each statement sees what committed before it, and a row
        another transaction is changing is waited for (or, by a claim, skipped). COMMIT on exit, ROLLBACK if
        the block raises."""
        async with self.db.connection() as conn, conn.transaction():
            yield PgUnitOfWork(conn)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[PgUnitOfWork]:
        """One consistent snapshot for all the reads of the block, read-only: a write through it fails."""
        async with self.db.connection() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
            yield PgUnitOfWork(conn)

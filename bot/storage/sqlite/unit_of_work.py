"""The unit of work over one SQLite Database: its repositories bound to the shared connection."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiosqlite

from bot.storage.sqlite.database import Database
from bot.storage.sqlite.digests import DigestRepo
from bot.storage.sqlite.follow_ups import FollowUpRepo
from bot.storage.sqlite.groups import GroupRepo
from bot.storage.sqlite.interviews import InterviewRepo
from bot.storage.sqlite.seeker_histories import HistoryRepo
from bot.storage.sqlite.user_data import UserDataRepo
from bot.storage.sqlite.users import UserRepo


class SqliteUnitOfWork:
    """Every repository on one connection: inside a transaction, each read sees its writes."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.users = UserRepo(conn)
        self.interviews = InterviewRepo(conn)
        self.follow_ups = FollowUpRepo(conn)
        self.groups = GroupRepo(conn)
        self.digests = DigestRepo(conn)
        self.histories = HistoryRepo(conn)
        self.user_data = UserDataRepo(conn)


class SqliteUnitOfWorkFactory:
    def __init__(self, db: Database) -> None:
        self.db = db

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteUnitOfWork]:
        """Under the write lock, BEGIN IMMEDIATE; COMMIT on exit, ROLLBACK if the block raises."""
        async with self.db.transaction() as conn:
            yield SqliteUnitOfWork(conn)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[SqliteUnitOfWork]:
        """Plain reads on the shared connection (WAL: they never wait for the writer)."""
        yield SqliteUnitOfWork(self.db.conn)

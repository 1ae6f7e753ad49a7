"""Which database: PostgreSQL when a URL is given, else the SQLite file. The composition root calls
`open_storage` and gets the unit-of-work factory, migrated, and how to close it; nothing else of the bot
knows which backend runs. On PostgreSQL, where several processes may share the database, it also gets their
wake-ups (LISTEN/NOTIFY) and a send budget shared per bot; on SQLite (one process) neither."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from bot.ports.coordination import SendBudget
from bot.ports.unit_of_work import UnitOfWorkFactory
from bot.storage.postgres.database import PgDatabase, redacted
from bot.storage.postgres.send_budget import PgSendBudget
from bot.storage.postgres.unit_of_work import PgUnitOfWorkFactory
from bot.storage.postgres.wakeups import PgWakeUps
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.unit_of_work import SqliteUnitOfWorkFactory

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Storage:
    uow: UnitOfWorkFactory
    db: Database | PgDatabase
    where: str  # for logs: the file, or the URL without its password
    wakeups: PgWakeUps | None = None  # started by the composition root, stopped by close()

    def shared_budget(self, name: str, rate: float) -> SendBudget | None:
        """A send budget that every process on this database takes from (None on SQLite: one process)."""
        return PgSendBudget(self.db, name, rate) if isinstance(self.db, PgDatabase) else None

    async def close(self) -> None:
        if self.wakeups is not None:
            await self.wakeups.stop()
        await self.db.close()


async def open_storage(database_url: str | None, database_path: Path, migrations: Path) -> Storage:
    """Open the database and apply the migrations in `migrations`. Raises DatabaseFileError (SQLite),
    DatabaseUrlError (PostgreSQL) or MigrationError, with nothing left open."""
    storage: Storage
    db: Database | PgDatabase
    if database_url is not None:
        db = await PgDatabase.open(database_url)
        storage = Storage(PgUnitOfWorkFactory(db), db, redacted(database_url), PgWakeUps(database_url))
    else:
        db = await Database.open(database_path)
        storage = Storage(SqliteUnitOfWorkFactory(db), db, str(database_path))
    try:
        applied = await db.migrate(migrations)
    except BaseException:
        await db.close()  # an open SQLite connection's worker thread would keep the failed process alive
        raise
    if applied:
        log.info("database %s migrated to version %s", storage.where, applied[-1])
    return storage

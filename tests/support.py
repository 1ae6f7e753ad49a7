"""Helpers shared by the tests (kept out of conftest.py so they can be imported plainly)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.domain.models import FollowUp, NextSteps
from bot.ports.clock import Clock
from bot.ports.senders import Messenger
from bot.settings import Settings
from bot.storage.sqlite import rows
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.unit_of_work import SqliteUnitOfWorkFactory
from bot.usecases.actors import Accounts, Actor
from bot.usecases.coach_access import CoachAccess
from bot.usecases.follow_ups import FollowUpService
from bot.usecases.groups import GroupService
from bot.usecases.interviews import InterviewService
from bot.usecases.preferences import Preferences
from bot.usecases.roster import RosterService
from bot.usecases.your_data import YourData

# A Wednesday afternoon: 10:00 in New York, outside the default quiet hours in UTC and New York.
WEDNESDAY_1500_UTC = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)

ALICE = Actor("test", "alice")
BOB = Actor("test", "bob")


@dataclass
class UseCases:
    """Every use case, wired as the composition root does, over one database (the tests' `services` and
    `coaching` fixtures)."""

    db: Database
    uow: SqliteUnitOfWorkFactory
    clock: Clock
    accounts: Accounts
    interviews: InterviewService
    follow_ups: FollowUpService
    preferences: Preferences
    your_data: YourData
    access: CoachAccess
    groups: GroupService
    roster: RosterService

    async def next_steps(self, interview_ids: list[int]) -> dict[int, NextSteps]:
        async with self.uow.reading() as uow:
            return await uow.interviews.next_steps(interview_ids)

    async def follow_up(self, user_id: int, follow_up_id: int) -> FollowUp | None:
        async with self.uow.reading() as uow:
            return await uow.follow_ups.get(user_id, follow_up_id)


def use_cases(db: Database, clock: Clock, settings: Settings, messenger: Messenger) -> UseCases:
    uow = SqliteUnitOfWorkFactory(db)
    accounts = Accounts(uow, clock, settings.rules(), settings.user_defaults())
    access = CoachAccess(accounts, messenger, settings.coach.defaults())
    return UseCases(
        db,
        uow,
        clock,
        accounts,
        InterviewService(accounts),
        FollowUpService(accounts),
        Preferences(accounts),
        YourData(accounts),
        access,
        GroupService(access),
        RosterService(access),
    )


TABLES = ("users", "interviews", "next_steps", "follow_ups", "check_ins", "feedback")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


async def count_rows(db: Database) -> dict[str, int]:
    """Rows per table."""
    counts = {}
    for table in TABLES:
        async with db.conn.execute(f"SELECT count(*) FROM {table}") as cursor:
            row = await cursor.fetchone()
        assert row is not None
        counts[table] = row[0]
    return counts


async def dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: equal before and after proves that nothing was written."""
    tables = {}
    for table in TABLES:
        async with db.conn.execute(f"SELECT * FROM {table} ORDER BY rowid") as cursor:
            tables[table] = [tuple(row) for row in await cursor.fetchall()]
    return tables


async def follow_ups_of(db: Database, interview_id: int) -> list[FollowUp]:
    """Every follow-up of an interview, whatever its status, soonest first."""
    async with db.conn.execute(
        "SELECT * FROM follow_ups WHERE interview_id = ? ORDER BY due_at, id", (interview_id,)
    ) as cursor:
        return [rows.follow_up(row) for row in await cursor.fetchall()]


async def column(db: Database, sql: str, *params: Any) -> list[Any]:
    """The first column of a query's rows."""
    async with db.conn.execute(sql, params) as cursor:
        return [row[0] for row in await cursor.fetchall()]


def make_read_only(path: Path) -> None:
    """A database file SQLite can only read: by its permissions, or, for root (whom permissions do not stop),
    by its header's write version (byte 18 above 2 makes SQLite open the file read-only)."""
    path.chmod(0o444)
    if os.geteuid() == 0:
        header = bytearray(path.read_bytes())
        header[18] = 3
        path.chmod(0o644)
        path.write_bytes(bytes(header))
        path.chmod(0o444)

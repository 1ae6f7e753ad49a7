"""Shared fixtures: a real SQLite file with the real migrations, a manual clock, and the services on top."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clocks import ManualClock
from bot.settings import PROJECT_ROOT, DispatchSettings, ScheduleSettings, Settings
from bot.storage.sqlite.database import Database
from tests import postgres
from tests.coach_support import RecordingMessenger
from tests.support import WEDNESDAY_1500_UTC, UseCases, use_cases

POSTGRES_LEFT_OUT = pytest.StashKey[int]()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Built from explicit values only: no .env file, defaults for the rules, no pacing, a slow safety poll."""
    return Settings(
        _env_file=None,
        database_path=tmp_path / "follow_through.db",
        migrations_dir=PROJECT_ROOT / "migrations" / "sqlite",
        default_timezone="UTC",
        schedule=ScheduleSettings(),
        dispatch=DispatchSettings(send_rate=0, safety_poll=timedelta(hours=1)),
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without a PostgreSQL to run on, its tests are left out and the summary says so in one line (under CI=true
    they stay, and fail: CI always runs them)."""
    if postgres.available() or postgres.under_ci():
        return
    left_out = [item for item in items if postgres.needs_postgres(item)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not postgres.needs_postgres(item)]
        config.stash[POSTGRES_LEFT_OUT] = len(left_out)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    left_out = config.stash.get(POSTGRES_LEFT_OUT, 0)
    if left_out:
        terminalreporter.write_line(f"SKIPPED {left_out} tests: {postgres.MISSING}", yellow=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[postgres.Server]:
    """One PostgreSQL for the session (see tests/postgres.py); skips (fails under CI=true) when there is none."""
    with postgres.server() as server:
        yield server


@pytest.fixture
async def postgres_url(postgres_server: postgres.Server) -> AsyncIterator[str]:
    """A fresh, migrated PostgreSQL database for one test."""
    async with postgres_server.database() as url:
        yield url


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    database = await Database.open(settings.database_path)
    await database.migrate(settings.migrations_dir)
    yield database
    await database.close()


@pytest.fixture
def clock() -> ManualClock:
    """Wednesday 2026-11-25 15:00 UTC; moves only when a test moves it."""
    return ManualClock(WEDNESDAY_1500_UTC)


@pytest.fixture
def services(db: Database, clock: ManualClock, settings: Settings, messenger: RecordingMessenger) -> UseCases:
    return use_cases(db, clock, settings, messenger)


@pytest.fixture
async def scheduler() -> AsyncIterator[AsyncIOScheduler]:
    """The real APScheduler, in the test's event loop."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    yield scheduler
    if scheduler.running:
        scheduler.shutdown(wait=False)
        await asyncio.sleep(0)  # let the shutdown, queued on the loop, run before the loop closes


@pytest.fixture
def messenger() -> RecordingMessenger:
    return RecordingMessenger()


@pytest.fixture
def coaching(services: UseCases) -> UseCases:
    """The same use cases as `services`, named for the coaching tests."""
    return services

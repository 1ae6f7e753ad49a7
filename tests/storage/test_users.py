"""Users' preferences in SQLite: wall-clock times only, bad stored values that do not stop anyone, and the
upgrade that records who chose their zone and which calls were agreed."""

from __future__ import annotations

import shutil
from datetime import UTC, time
from pathlib import Path

import pytest

from bot.domain.models import QuietHours
from bot.settings import Settings
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.users import UserRepo
from tests.support import ALICE, WEDNESDAY_1500_UTC, UseCases, column, dump

AWARE = QuietHours(time(21, tzinfo=UTC), time(7))


async def test_the_repository_never_writes_a_wall_clock_time_with_a_zone(db: Database, services: UseCases) -> None:
    alice = await services.preferences.user(ALICE)
    before = await dump(db)
    with pytest.raises(ValueError, match="wall-clock time with a time zone"):
        async with db.transaction() as tx:
            await UserRepo(tx).set_quiet_hours(alice.id, AWARE)
    with pytest.raises(ValueError, match="wall-clock time with a time zone"):
        async with db.transaction() as tx:
            await UserRepo(tx).create("test", "zed", "UTC", AWARE, WEDNESDAY_1500_UTC)
    assert await dump(db) == before


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("21:00:00+00:00", "07:00:00+00:00", QuietHours(time(21), time(7))),  # what "2100Z" used to save
        ("21:00:00", "07:00:00", QuietHours(time(21), time(7))),
        ("21:00", "07:00", QuietHours(time(21), time(7))),
        ("soon", "07:00", QuietHours(time(0), time(0))),  # unreadable: none, rather than a crash
    ],
)
async def test_a_bad_stored_quiet_hours_value_does_not_stop_the_users_commands(
    db: Database, services: UseCases, start: str, end: str, expected: QuietHours
) -> None:
    await services.preferences.user(ALICE)
    async with db.transaction() as tx:
        await tx.execute("UPDATE users SET quiet_start = ?, quiet_end = ?", (start, end))
    user = await services.preferences.user(ALICE)
    assert user.quiet_hours == expected
    assert user.quiet_hours.start.tzinfo is None and user.quiet_hours.end.tzinfo is None
    made = await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 7pm")  # compares against them
    assert len(made.follow_ups) == 5
    await services.preferences.set_quiet_hours(ALICE, "22:00", "07:00")  # and they can be replaced
    assert await column(db, "SELECT quiet_start FROM users") == ["22:00:00"]


async def test_the_upgrade_records_chosen_zones_repairs_offsets_and_marks_agreed_calls(
    tmp_path: Path, settings: Settings
) -> None:
    before_zones = tmp_path / "0004"
    before_zones.mkdir()
    for migration in sorted(settings.migrations_dir.glob("000[1-4]_*.sql")):
        shutil.copy(migration, before_zones)
    db = await Database.open(tmp_path / "old.db")
    now, agreed_at, planned_at = "2026-11-25T15:00:00+00:00", "2026-11-27T20:00:00+00:00", "2026-12-02T10:00:00+00:00"
    try:
        assert await db.migrate(before_zones) == [1, 2, 3, 4]
        async with db.transaction() as tx:
            await tx.execute(
                "INSERT INTO users (id, platform, external_id, timezone, quiet_start, quiet_end, created_at) VALUES"
                " (1, 'test', 'utc', 'UTC', '21:00:00+00:00', '07:00:00+00:00', ?),"
                " (2, 'test', 'ny', 'America/New_York', '21:00:00', '08:00:00', ?)",
                (now, now),
            )
            await tx.execute(
                "INSERT INTO interviews (id, user_id, company, role, scheduled_at, created_at) VALUES"
                " (1, 2, 'Acme', 'Analyst', ?, ?), (2, 2, 'Globex', 'Analyst', ?, ?)",
                (now, now, now, now),
            )
            await tx.execute(
                "INSERT INTO next_steps (interview_id, check_back_at, recorded_at, check_back_agreed) VALUES"
                " (1, ?, ?, 1), (2, ?, ?, 0)",
                (agreed_at, now, planned_at, now),
            )
            await tx.execute(
                "INSERT INTO follow_ups (id, interview_id, user_id, kind, due_at, notify_at, created_at) VALUES"
                " (1, 1, 2, 'check_in', ?, ?, ?), (2, 2, 2, 'check_in', ?, ?, ?)",
                (agreed_at, agreed_at, now, planned_at, planned_at, now),
            )

        await db.migrate(settings.migrations_dir)

        assert await column(db, "SELECT timezone_set_at FROM users ORDER BY id") == [None, now]
        assert await column(db, "SELECT quiet_start || '-' || quiet_end FROM users ORDER BY id") == [
            "21:00:00-07:00:00",
            "21:00:00-08:00:00",
        ]
        assert await column(db, "SELECT time_agreed FROM follow_ups ORDER BY id") == [1, 0]
        repo = UserRepo(db.conn)
        utc_user, ny_user = await repo.by_id(1), await repo.by_id(2)
        assert utc_user is not None and not utc_user.timezone_chosen  # asked once, UTC offered
        assert ny_user is not None and ny_user.timezone_chosen  # a zone other than the default was chosen
    finally:
        await db.close()

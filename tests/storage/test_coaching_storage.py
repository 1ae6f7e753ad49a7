"""The coaching schema: 0002 keeps existing data intact, and the storage behind the authorization check."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.clocks import ManualClock
from bot.domain.models import FollowUpStatus, MembershipStatus
from bot.settings import Settings
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.groups import GroupRepo
from bot.storage.sqlite.seeker_histories import HistoryRepo
from bot.usecases.actors import Actor
from tests.coach_support import RecordingMessenger
from tests.support import ALICE, BOB, UseCases, dump, use_cases

COACH = Actor("test", "coach")


async def test_the_coaching_migration_keeps_existing_data(
    tmp_path: Path, settings: Settings, clock: ManualClock
) -> None:
    # The others too, so today's services can write the data; but not 0006 and 0009, which alter 0002's tables.
    without_coaching = tmp_path / "migrations-but-0002"
    without_coaching.mkdir()
    for migration in settings.migrations_dir.glob("*.sql"):
        if not migration.name.startswith(("0002_", "0006_", "0008_", "0009_")):
            shutil.copy(migration, without_coaching)
    # 0008 rebuilds the users table with 0002's column in it; a stand-in gives today's services its workspace.
    (without_coaching / "0008_workspace.sql").write_text(
        "ALTER TABLE users ADD COLUMN workspace TEXT;\n"
        "CREATE UNIQUE INDEX users_by_platform ON users (platform, COALESCE(workspace, ''), external_id);\n"
    )
    (without_coaching / "0009_claimants.sql").write_text("ALTER TABLE follow_ups ADD COLUMN claimant TEXT;\n")
    db = await Database.open(tmp_path / "existing.db")
    try:
        assert 2 not in await db.migrate(without_coaching)
        services = use_cases(db, clock, settings, RecordingMessenger())
        made = await services.interviews.record_interview(ALICE, "Acme", "Analyst", "today 1pm", notes="bring CV")
        ref = str(made.interview.id)
        await services.interviews.record_next_steps(ALICE, ref, "next Friday", candidates=3, notes="keen")
        await services.interviews.log_check_in(ALICE, ref, "Still deciding")
        await services.interviews.record_outcome(ALICE, ref, "rejected", "went with someone else")
        await services.interviews.record_feedback(ALICE, ref, "More SQL")
        await services.interviews.record_interview(BOB, "Globex", "Engineer", "today 2pm")
        await services.preferences.set_timezone(BOB, "Europe/Paris")
        before = await dump(db)

        assert await db.migrate(settings.migrations_dir) == [2, 6]
        after = await dump(db)
        assert after["users"] == [(*row, 0) for row in before["users"]]  # a new column: notes stay private
        assert {t: rows for t, rows in after.items() if t != "users"} == {
            t: rows for t, rows in before.items() if t != "users"
        }

        # What the stand-ins for 0008 and 0009 could not add, 0002's table being made after them: the digest
        # rows' schedule and claims.
        await db.conn.executescript(
            "ALTER TABLE coach_digests ADD COLUMN due_at TEXT; ALTER TABLE coach_digests ADD COLUMN lease_until TEXT;"
            " ALTER TABLE coach_digests ADD COLUMN claimant TEXT;"
        )
        coaching = services  # the new features work on the old data
        group = await coaching.groups.create_group(COACH, "Job Club", "Kim")
        request = await coaching.groups.join(ALICE, group.invite_code, "Alice")
        await coaching.groups.decide(ALICE, request.membership.id, True)
        [item] = (await coaching.roster.seeker(COACH, ALICE)).interviews
        assert (item.interview.company, item.interview.notes, [c.heard for c in item.check_ins]) == (
            "Acme",
            None,
            ["Still deciding"],
        )
        assert await db.migrate(settings.migrations_dir) == []
    finally:
        await db.close()


async def test_0006_makes_each_existing_groups_first_coach_its_owner(
    tmp_path: Path, settings: Settings, clock: ManualClock
) -> None:
    before_owners = tmp_path / "migrations-before-0006"
    before_owners.mkdir()
    for migration in settings.migrations_dir.glob("*.sql"):
        if migration.name < "0006_":
            shutil.copy(migration, before_owners)
    db = await Database.open(tmp_path / "existing.db")
    try:
        await db.migrate(before_owners)
        async with db.transaction() as tx:  # in SQL: today's repositories write columns of later migrations
            await tx.execute(
                "INSERT INTO users (id, platform, external_id, timezone, quiet_start, quiet_end, created_at)"
                " VALUES (1, 'test', 'coach', 'UTC', '21:00:00', '08:00:00', '2026-11-01'),"
                " (2, 'test', 'dee', 'UTC', '21:00:00', '08:00:00', '2026-11-01')"
            )
        kim_id, dee_id = 1, 2
        async with db.transaction() as tx:
            for group_id, name in ((1, "Job Club"), (2, "Evening Club")):
                await tx.execute(
                    "INSERT INTO coach_groups (id, name, invite_code, created_at) VALUES (?, ?, ?, '2026-11-01')",
                    (group_id, name, f"CODE{group_id}"),
                )
            for group_id, user_id, name in ((1, kim_id, "Kim"), (1, dee_id, "Dee"), (2, dee_id, "Dee")):
                await tx.execute(
                    "INSERT INTO group_coaches (group_id, user_id, display_name, added_at) VALUES (?, ?, ?, ?)",
                    (group_id, user_id, name, "2026-11-01T00:00:00+00:00"),  # one instant: the order decides
                )
        assert (await db.migrate(settings.migrations_dir))[0] == 6
        groups = GroupRepo(db.conn)
        assert [(c.display_name, c.owner) for c in await groups.coaches(1)] == [("Kim", True), ("Dee", False)]
        assert [(c.display_name, c.owner) for c in await groups.coaches(2)] == [("Dee", True)]
    finally:
        await db.close()


async def test_visible_returns_only_active_members_of_groups_the_coach_coaches(
    db: Database, services: UseCases, clock: ManualClock
) -> None:
    groups = GroupRepo(db.conn)
    coach, other = await services.preferences.user(COACH), await services.preferences.user(Actor("test", "other"))
    seekers = {status: await services.preferences.user(Actor("test", status.value)) for status in MembershipStatus}
    now = clock.now()
    async with db.transaction() as tx:
        mine = await GroupRepo(tx).create("Mine", "AAAAAAAAAAAA", coach.id, "Kim", now)
        theirs = await GroupRepo(tx).create("Theirs", "BBBBBBBBBBBB", other.id, "Pat", now)
        for status, seeker in seekers.items():
            membership = await GroupRepo(tx).request(mine.id, seeker.id, status.value, now)
            if status in (MembershipStatus.ACTIVE, MembershipStatus.DECLINED):
                await GroupRepo(tx).decide(membership.id, status, now)
            elif status is not MembershipStatus.PENDING:
                await GroupRepo(tx).end([membership.id], status, now)
        in_theirs = await GroupRepo(tx).request(theirs.id, seekers[MembershipStatus.PENDING].id, "p", now)
        await GroupRepo(tx).decide(in_theirs.id, MembershipStatus.ACTIVE, now)

    [active] = await groups.visible(coach.id, None, None)
    assert (active.display_name, active.status) == ("active", MembershipStatus.ACTIVE)
    assert await groups.visible(coach.id, theirs.id, None) == []
    assert await groups.visible(coach.id, None, seekers[MembershipStatus.PENDING].id) == []
    assert [m.group_name for m in await groups.visible(other.id, None, None)] == ["Theirs"]
    assert await groups.visible(seekers[MembershipStatus.ACTIVE].id, None, None) == []


async def test_histories_keep_each_seekers_data_apart_and_leave_out_cancelled_follow_ups(
    db: Database, services: UseCases
) -> None:
    alice = await services.interviews.record_interview(ALICE, "Acme", "Analyst", "today 1pm")
    bob = await services.interviews.record_interview(BOB, "Globex", "Engineer", "today 2pm")
    await services.interviews.record_outcome(BOB, str(bob.interview.id), "withdrawn")
    histories = await HistoryRepo(db.conn).load([alice.user.id, bob.user.id])
    assert [i.company for i in histories[alice.user.id].interviews] == ["Acme"]
    assert {f.interview_id for f in histories[alice.user.id].follow_ups} == {alice.interview.id}
    assert histories[bob.user.id].follow_ups == []  # all cancelled by the withdrawal
    assert all(f.status is not FollowUpStatus.CANCELLED for h in histories.values() for f in h.follow_ups)
    assert await HistoryRepo(db.conn).load([]) == {}


async def test_decide_answers_only_a_pending_request(db: Database, services: UseCases, clock: ManualClock) -> None:
    groups = GroupRepo(db.conn)
    coach, seeker = await services.preferences.user(COACH), await services.preferences.user(ALICE)
    now = clock.now()
    async with db.transaction() as tx:
        group = await GroupRepo(tx).create("Mine", "AAAAAAAAAAAA", coach.id, "Kim", now)
        request = await GroupRepo(tx).request(group.id, seeker.id, "Alice", now)
        await GroupRepo(tx).end([request.id], MembershipStatus.LEFT, now)
    left = await groups.membership(request.id)
    for answer in (MembershipStatus.ACTIVE, MembershipStatus.DECLINED):
        async with db.transaction() as tx:
            assert await GroupRepo(tx).decide(request.id, answer, now) is None
        assert await groups.membership(request.id) == left  # not reactivated
    async with db.transaction() as tx:
        again = await GroupRepo(tx).request(group.id, seeker.id, "Alice", now)
        accepted = await GroupRepo(tx).decide(again.id, MembershipStatus.ACTIVE, now)
    assert accepted is not None and (accepted.status, accepted.group_name) == (MembershipStatus.ACTIVE, "Mine")

"""Export holds every table with user data; delete leaves no row that references the user.

The oracle is independent of the code under test: it follows the schema's foreign keys from the users row.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.clocks import ManualClock
from bot.domain.errors import InvalidInput
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.user_data import NOT_USER_DATA, USER_ROWS
from bot.usecases.actors import Actor
from bot.usecases.your_data import CONFIRM_WITHIN, YourData
from tests.support import ALICE, BOB, WEDNESDAY_1500_UTC, UseCases

COACH = Actor("test", "coach")
NOW = WEDNESDAY_1500_UTC


async def tables(db: Database) -> set[str]:
    async with db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'") as cursor:
        return {row[0] for row in await cursor.fetchall()}


async def rows_about(db: Database, user_id: int) -> dict[str, set[tuple[Any, ...]]]:
    """Rows that reference the user, directly or through other rows, by the schema's foreign keys."""
    found: dict[str, set[tuple[Any, ...]]] = {"users": set()}
    keys: dict[str, set[Any]] = {"users": {user_id}}
    async with db.conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)) as cursor:
        found["users"] = {tuple(r) for r in await cursor.fetchall()}
    changed = True
    while changed:
        changed = False
        for table in await tables(db):
            async with db.conn.execute(f"PRAGMA foreign_key_list({table})") as cursor:
                references = [(r["table"], r["from"], r["to"]) for r in await cursor.fetchall()]
            for parent, column, parent_column in references:
                if parent not in keys or parent_column != "id":
                    continue
                wanted = json.dumps(sorted(keys[parent]))
                query = f"SELECT rowid AS _rowid, * FROM {table} WHERE {column} IN (SELECT value FROM json_each(?))"
                async with db.conn.execute(query, (wanted,)) as cursor:
                    hits = await cursor.fetchall()
                for hit in hits:
                    row = tuple(hit)[1:]
                    if row not in found.setdefault(table, set()):
                        found[table].add(row)
                        if "id" in hit.keys():  # noqa: SIM118 - `in` on a Row looks at its values
                            keys.setdefault(table, set()).add(hit["id"])
                        changed = True
    return {table: rows for table, rows in found.items() if rows}


@pytest.fixture
def mydata(services: UseCases) -> YourData:
    return services.your_data


async def full_record(services: UseCases, coaching: UseCases) -> int:
    """Alice uses every feature: interviews with answers, calls, an outcome, feedback, settings, a group she
    coaches with Bob in it, and membership of another coach's group."""
    plan = await services.interviews.record_interview(ALICE, "Acme", "Analyst", "today 2pm", notes="private")
    await services.interviews.record_next_steps(ALICE, str(plan.interview.id), "next Friday", 3, "in 2 weeks", "panel")
    await services.interviews.log_check_in(ALICE, str(plan.interview.id), "Delayed", None)
    await services.interviews.record_outcome(ALICE, str(plan.interview.id), "rejected", "hired someone else")
    await services.interviews.record_feedback(ALICE, str(plan.interview.id), "More SQL")
    await services.preferences.set_quiet_hours(ALICE, "22:00", "07:00")
    mine = await coaching.groups.create_group(ALICE, "Alice's club", "Alice")
    bob_joined = await coaching.groups.join(BOB, mine.invite_code, "Bob")
    await coaching.groups.decide(BOB, bob_joined.membership.id, accept=True)
    theirs = await coaching.groups.create_group(COACH, "Coach club", "Coach")
    alice_joined = await coaching.groups.join(ALICE, theirs.invite_code, "Alice")
    await coaching.groups.decide(ALICE, alice_joined.membership.id, accept=True)
    await coaching.roster.set_digest(ALICE, "friday", "17:00")
    await services.preferences.hold_command(ALICE, "interview add", '{"company": "Globex"}')  # waiting for her zone
    return (await services.preferences.user(ALICE)).id


async def test_every_table_is_exported_or_declared_free_of_user_data(db: Database) -> None:
    assert await tables(db) == set(USER_ROWS) | NOT_USER_DATA


async def test_export_round_trips_every_row_about_the_user(
    db: Database, services: UseCases, coaching: UseCases, mydata: YourData
) -> None:
    user_id = await full_record(services, coaching)
    await services.interviews.record_interview(BOB, "Globex", "Engineer", "today 1pm")  # someone else's data
    export = await mydata.export(ALICE)
    record = json.loads(export.record_json)
    assert record["format"] == "follow-through-export/1"
    exported = record["tables"]
    assert all(exported[table] for table in USER_ROWS), {t: len(r) for t, r in exported.items()}
    oracle = await rows_about(db, user_id)
    for table, expected in oracle.items():
        got = {tuple(row.values()) for row in exported[table]}
        assert got == expected, table
    # Bob's membership of Alice's group is Bob's data, not Alice's: only her own memberships are exported.
    assert [m["display_name"] for m in exported["memberships"]] == ["Alice"]
    assert export.interviews_csv.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    csv_lines = export.interviews_csv.decode("utf-8-sig").splitlines()
    assert csv_lines[0].startswith("id,company,role,scheduled_at")
    assert csv_lines[1].split(",")[1:3] == ["Acme", "Analyst"]


async def test_delete_leaves_nothing_about_the_user_and_keeps_everyone_else(
    db: Database, services: UseCases, coaching: UseCases, mydata: YourData, clock: ManualClock
) -> None:
    user_id = await full_record(services, coaching)
    bob = await services.interviews.record_interview(BOB, "Globex", "Engineer", "today 1pm")
    bob_before = await rows_about(db, bob.user.id)
    await mydata.delete(ALICE, NOW)
    assert await rows_about(db, user_id) == {}
    async with db.conn.execute("SELECT name FROM coach_groups ORDER BY name") as cursor:
        assert [r[0] for r in await cursor.fetchall()] == ["Coach club"]  # hers went; she coached it alone
    bob_after = await rows_about(db, bob.user.id)
    assert bob_after["interviews"] == bob_before["interviews"]
    assert "memberships" not in bob_after  # his place was in Alice's group, which is gone
    assert [r.seeker.name for r in (await coaching.roster.roster(COACH, 2)).lines] == []  # the coach no longer sees her


async def test_a_stale_confirmation_deletes_nothing(
    db: Database, services: UseCases, coaching: UseCases, mydata: YourData, clock: ManualClock
) -> None:
    user_id = await full_record(services, coaching)
    before = await rows_about(db, user_id)
    clock.set(NOW + CONFIRM_WITHIN + CONFIRM_WITHIN)
    with pytest.raises(InvalidInput, match="expired"):
        await mydata.delete(ALICE, NOW)
    assert await rows_about(db, user_id) == before


async def test_export_names_each_group_and_the_coaches_who_see_the_data(
    services: UseCases, coaching: UseCases, mydata: YourData
) -> None:
    await full_record(services, coaching)
    await coaching.groups.add_coach(COACH, None, BOB, "Bob the co-coach")
    record = json.loads((await mydata.export(ALICE)).record_json)
    coach, bob = await services.preferences.user(COACH), await services.preferences.user(BOB)
    assert record["shared_with"] == [
        {
            "group_id": record["tables"]["memberships"][0]["group_id"],
            "group": "Coach club",
            "status": "active",
            "coaches_see_your_data": True,
            "coaches": [
                {"name": "Coach", "id": coach.external_id, "owner": True},
                {"name": "Bob the co-coach", "id": bob.external_id, "owner": False},
            ],
        }
    ]
    await coaching.groups.leave(ALICE, None)
    [left] = json.loads((await mydata.export(ALICE)).record_json)["shared_with"]
    assert (left["group"], left["status"], left["coaches_see_your_data"]) == ("Coach club", "left", False)

"""Time zones and wall-clock times as users type them, and what a change of zone does to their plan."""

from __future__ import annotations

from datetime import time

import pytest

from bot.clocks import ManualClock
from bot.domain import text, zones
from bot.domain.errors import InvalidInput
from bot.domain.models import FollowUpKind, QuietHours
from bot.storage.sqlite.database import Database
from bot.usecases.preferences import Resumed
from tests.support import ALICE, BOB, UseCases, column, dump, follow_ups_of, utc

# Quiet hours and other wall-clock times


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("21:00", time(21)),
        ("7", time(7)),
        ("21", time(21)),
        ("9:30", time(9, 30)),
        ("00:00", time(0)),
        (" 0 ", time(0)),
    ],
)
def test_a_wall_clock_time_is_hh_mm_or_a_bare_hour(typed: str, expected: time) -> None:
    got = text.clock_time(typed, "the quiet hours start")
    assert got == expected
    assert got.tzinfo is None


@pytest.mark.parametrize("typed", ["2100Z", "21:00Z", "21:00+02:00", "21:00-05", "21:00 UTC", "9 GMT", "21:00 utc"])
def test_a_wall_clock_time_with_a_zone_or_offset_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput, match="has a time zone or offset"):
        text.clock_time(typed, "the quiet hours start")


@pytest.mark.parametrize("typed", ["25:00", "24:00", "21:60", "7am", "21:0", "-1", "", "21:00:00", "nine"])
def test_a_wall_clock_time_that_is_not_one_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput, match="is not a time"):
        text.clock_time(typed, "the quiet hours start")


@pytest.mark.parametrize(("start", "end"), [("2100Z", "0700Z"), ("21:00+02:00", "07:00"), ("21:00", "25:00")])
async def test_quiet_hours_with_an_offset_are_refused_and_nothing_is_written(
    services: UseCases, db: Database, start: str, end: str
) -> None:
    await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 7pm")
    before = await dump(db)
    with pytest.raises(InvalidInput):
        await services.preferences.set_quiet_hours(ALICE, start, end)
    with pytest.raises(InvalidInput):
        await services.preferences.set_quiet_hours(BOB, start, end)  # a stranger is not created either
    assert await dump(db) == before


async def test_quiet_hours_of_a_bare_hour_are_saved_as_local_wall_clock(services: UseCases) -> None:
    user = await services.preferences.set_quiet_hours(ALICE, "21", "7")
    assert user.quiet_hours == QuietHours(time(21), time(7))
    assert user.quiet_hours.start.tzinfo is None and user.quiet_hours.end.tzinfo is None


# Zone names


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("utc", "UTC"),
        ("UTC", "UTC"),
        ("Etc/UTC", "UTC"),
        ("america/new_york", "America/New_York"),
        (" AMERICA/NEW_YORK ", "America/New_York"),
        ("america/new york", "America/New_York"),
        ("europe/lisbon", "Europe/Lisbon"),
        ("Asia/Kolkata", "Asia/Kolkata"),
    ],
)
def test_zones_match_in_any_case(typed: str, expected: str) -> None:
    assert zones.resolve(typed) == expected


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("EST", "America/New_York"),
        ("est", "America/New_York"),
        ("PST", "America/Los_Angeles"),
        ("CET", "Europe/Berlin"),
        ("IST", "Asia/Kolkata"),
        ("EST5EDT", "America/New_York"),
        ("GMT", "Europe/London"),
        ("JST", "Asia/Tokyo"),
    ],
)
def test_abbreviations_are_steered_to_a_zone_with_daylight_saving(typed: str, suggested: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        zones.resolve(typed)
    assert "not a time zone with its daylight saving" in refused.value.message
    assert f"Did you mean {suggested}" in refused.value.message


@pytest.mark.parametrize(
    "typed",
    ["UTC+2", "GMT-5", "+05:30", "utc−3", "gmt+5", "etc/gmt-5", "Etc/GMT+5", "Etc/GMT-14", "Etc/GMT+0", "GMT+0"],
)
def test_fixed_offsets_are_refused(typed: str) -> None:
    # Etc/GMT+5 is UTC−5 (POSIX signs are reversed): refused like every other fixed offset, never taken.
    with pytest.raises(InvalidInput, match="fixed offset"):
        zones.resolve(typed)


@pytest.mark.parametrize("typed", ["gmt+5", "etc/gmt-5", "Etc/GMT", "gmt", "utc-3", "+5", "etc"])
def test_fixed_offsets_are_never_offered(typed: str) -> None:
    assert not [z for z in zones.suggestions(typed, 25) if "GMT" in z.upper() and z != "Europe/London"]
    assert not [z for z in zones.places() if z.upper().startswith("ETC/GMT")]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("New York", "America/New_York"),
        ("new york", "America/New_York"),
        ("  los   angeles ", "America/Los_Angeles"),
        ("London", "Europe/London"),
        ("sao_paulo", "America/Sao_Paulo"),
        ("tokyo", "Asia/Tokyo"),
    ],
)
def test_a_city_alone_is_its_zone(typed: str, expected: str) -> None:
    assert zones.resolve(typed) == expected
    assert zones.suggestions(typed, 25)[0] == expected


def test_a_city_in_two_zones_is_refused_naming_both() -> None:
    with pytest.raises(InvalidInput, match="Did you mean Asia/Istanbul or Europe/Istanbul"):
        zones.resolve("istanbul")


@pytest.mark.parametrize("typed", ["Mars/Olympus", "MST7MDT ", "Factory", "localtime", "Etc/GMT"])
def test_unknown_and_legacy_names_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput):
        zones.resolve(typed)


def test_autocomplete_suggestions_steer_abbreviations_and_match_any_case() -> None:
    assert zones.suggestions("est", 25)[0] == "America/New_York"
    assert "EST" not in zones.suggestions("est", 25) and "EST5EDT" not in zones.suggestions("EST", 25)
    assert zones.suggestions("ist", 25)[:3] == ["Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"]
    assert zones.suggestions("new_y", 25) == ["America/New_York"]
    assert zones.suggestions("new y", 25) == ["America/New_York"]
    assert zones.suggestions("utc", 25)[0] == "UTC"
    assert zones.suggestions("tokyo", 25) == ["Asia/Tokyo"]
    assert zones.suggestions("", 25) == list(zones.COMMON)
    assert len(zones.suggestions("america", 25)) == 25


def test_every_common_zone_and_locale_guess_is_a_zone_users_may_choose() -> None:
    for name in zones.COMMON:
        assert zones.resolve(name) == name
    assert zones.guess("en-US") == "America/New_York"
    assert zones.guess("xx") is None


async def test_set_timezone_matches_any_case_and_refuses_abbreviations(services: UseCases, db: Database) -> None:
    assert (await services.preferences.set_timezone(ALICE, "america/new_york")).user.timezone == "America/New_York"
    before = await dump(db)
    with pytest.raises(InvalidInput, match="Did you mean America/Los_Angeles"):
        await services.preferences.set_timezone(ALICE, "PST")
    with pytest.raises(InvalidInput, match="Did you mean America/Los_Angeles"):
        await services.preferences.set_timezone(BOB, "PST")
    assert await dump(db) == before


# Whether the user chose a zone


async def test_a_zone_is_chosen_only_by_setting_it(services: UseCases, db: Database) -> None:
    assert await services.preferences.zone_chosen(ALICE) is False
    await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 2pm")
    await services.preferences.set_quiet_hours(ALICE, "22:00", "07:00")
    assert await services.preferences.zone_chosen(ALICE) is False  # still the default zone, never confirmed
    await services.preferences.set_timezone(ALICE, "UTC")
    assert await services.preferences.zone_chosen(ALICE) is True
    assert (await services.preferences.user(ALICE)).timezone_chosen


async def test_a_held_command_runs_once_and_only_for_its_owner(
    services: UseCases, db: Database, clock: ManualClock
) -> None:
    held = await services.preferences.hold_command(ALICE, "interview add", '{"company": "Acme"}')
    await services.preferences.user(BOB)
    assert await services.preferences.take_command(BOB, held) is None
    typed = Resumed("interview add", '{"company": "Acme"}', clock.now(), stale=False)
    assert await services.preferences.take_command(ALICE, held) == typed
    assert await services.preferences.take_command(ALICE, held) is None


async def test_held_commands_older_than_a_day_are_dropped(services: UseCases, clock: ManualClock) -> None:
    old = await services.preferences.hold_command(ALICE, "interview add", "{}")
    clock.set(utc(2026, 11, 26, 16))
    await services.preferences.hold_command(ALICE, "interview next", "{}")
    assert await services.preferences.take_command(ALICE, old) is None


# A change of zone: agreed calls keep their instant, planned ones follow the seeker


async def test_moving_zone_keeps_agreed_calls_and_moves_planned_ones(services: UseCases, db: Database) -> None:
    await services.preferences.set_timezone(ALICE, "America/New_York")
    agreed = await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 9am")
    planned = await services.interviews.record_interview(ALICE, "Globex", "Analyst", "today 9am")
    called = await services.interviews.record_interview(ALICE, "Initech", "Analyst", "today 9am")
    # "Friday 3pm": the employer named the time. "Friday": only the day; the 10:00 is mine.
    steps = await services.interviews.record_next_steps(ALICE, str(agreed.interview.id), "Friday 3pm")
    assert steps.check_in.due_at == utc(2026, 11, 27, 20) and steps.check_in.time_agreed
    loose = await services.interviews.record_next_steps(ALICE, str(planned.interview.id), "Friday")
    assert loose.check_in.due_at == utc(2026, 11, 27, 15) and not loose.check_in.time_agreed
    logged = await services.interviews.log_check_in(ALICE, str(called.interview.id), "Delayed", "Dec 9 4pm")
    assert logged.next_call.due_at == utc(2026, 12, 9, 21) and logged.next_call.time_agreed

    change = await services.preferences.set_timezone(ALICE, "Asia/Tokyo")

    calls = {
        i.interview.company: next(
            f for f in await follow_ups_of(db, i.interview.id) if f.kind is FollowUpKind.CHECK_IN and f.status.is_open
        )
        for i in (agreed, planned, called)
    }
    assert calls["Acme"].due_at == utc(2026, 11, 27, 20)  # the same instant: 05:00 Saturday in Tokyo
    assert calls["Initech"].due_at == utc(2026, 12, 9, 21)
    assert calls["Globex"].due_at == utc(2026, 11, 27, 1)  # 10:00 Friday, now in Tokyo
    assert [(m.interview.company, m.before, m.follow_up.due_at) for m in change.moved] == [
        ("Globex", utc(2026, 11, 27, 15), utc(2026, 11, 27, 1))
    ]
    assert sorted((m.interview.company, m.before) for m in change.kept) == [
        ("Acme", utc(2026, 11, 27, 20)),
        ("Initech", utc(2026, 12, 9, 21)),
    ]


async def test_moving_to_the_same_zone_moves_nothing(services: UseCases) -> None:
    await services.preferences.set_timezone(ALICE, "America/New_York")
    made = await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 9am")
    await services.interviews.record_next_steps(ALICE, str(made.interview.id), "Friday 3pm")
    change = await services.preferences.set_timezone(ALICE, "america/new_york")
    assert (change.moved, change.kept) == ([], [])


async def test_a_coach_digest_time_with_an_offset_is_refused_too(
    services: UseCases, coaching: UseCases, db: Database
) -> None:
    await coaching.groups.create_group(ALICE, "Job club", "Alice")
    before = await column(db, "SELECT at_time FROM coach_digests")
    with pytest.raises(InvalidInput, match="has a time zone or offset"):
        await coaching.roster.set_digest(ALICE, "friday", "0900Z")
    assert await column(db, "SELECT at_time FROM coach_digests") == before
    assert (await coaching.roster.set_digest(ALICE, "friday", "9")).at == time(9)

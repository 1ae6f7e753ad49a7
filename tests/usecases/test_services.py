"""Every use case through Services, on a real SQLite file, with a manual clock."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, time, timedelta

import pytest

from bot.clocks import ManualClock
from bot.domain.errors import InvalidInput, NotFound, UserError
from bot.domain.models import FollowUp, FollowUpKind, FollowUpStatus, Outcome, QuietHours
from bot.ports.repositories import Lease
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.follow_ups import Sent
from bot.usecases.actors import Actor
from bot.usecases.interviews import InterviewPlan
from tests.support import ALICE, BOB, UseCases, column, count_rows, dump, follow_ups_of, utc

K = FollowUpKind
S = FollowUpStatus
CAROL = Actor("test", "carol")  # never seen before the test uses her


def by_kind(follow_ups: list[FollowUp], *, open_only: bool = False) -> dict[FollowUpKind, FollowUp]:
    chosen = [f for f in follow_ups if f.status.is_open or not open_only]
    kinds = [f.kind for f in chosen]
    assert len(kinds) == len(set(kinds)), kinds
    return {f.kind: f for f in chosen}


async def stored(services: UseCases, interview_id: int) -> list[FollowUp]:
    return await follow_ups_of(services.db, interview_id)


@pytest.fixture
def heard(services: UseCases) -> list[datetime]:
    """Every notify_at the services announce to a dispatcher."""
    calls: list[datetime] = []
    services.accounts.on_follow_up_scheduled(calls.append)
    return calls


@pytest.fixture
async def done_at_one(services: UseCases) -> InterviewPlan:
    """Alice's interview that ended two hours ago (Wednesday 13:00 UTC)."""
    return await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")


# Users


async def test_a_new_user_gets_the_default_zone_and_quiet_hours(services: UseCases, db: Database) -> None:
    user = await services.preferences.user(ALICE)
    assert (user.platform, user.external_id, user.timezone) == ("test", "alice", "UTC")
    assert user.quiet_hours == QuietHours(time(21, 0), time(8, 0))
    assert (user.dm_channel, user.dms_closed_at, user.dms_closed_notice_pending) == (None, None, False)
    again = await services.preferences.user(ALICE)
    assert again.id == user.id
    assert (await count_rows(db))["users"] == 1


# Recording an interview


async def test_record_future_interview_stores_the_plan(services: UseCases, heard: list[datetime]) -> None:
    result = await services.interviews.record_interview(
        ALICE, " Acme\u200b Corp ", "Backend   Engineer", "2026-11-27 14:00", interviewer="Dana", notes="Bring\nCV"
    )
    interview = result.interview
    assert (interview.company, interview.role, interview.interviewer, interview.notes) == (
        "Acme Corp",
        "Backend Engineer",
        "Dana",
        "Bring\nCV",
    )
    assert interview.scheduled_at == utc(2026, 11, 27, 14, 0)
    assert interview.created_at == utc(2026, 11, 25, 15, 0)
    assert interview.outcome is None

    rows = await stored(services, interview.id)
    assert rows == sorted(result.follow_ups, key=lambda f: (f.due_at, f.id))
    got = {f.kind: (f.status, f.due_at, f.notify_at, f.deadline_at) for f in rows}
    deadline = utc(2026, 11, 28, 14, 0)
    assert got == {
        K.PREP: (S.PENDING, utc(2026, 11, 27, 13, 0), utc(2026, 11, 27, 13, 0), None),
        K.THANK_YOU_EMAIL: (S.PENDING, utc(2026, 11, 27, 16, 0), utc(2026, 11, 27, 16, 0), deadline),
        K.HANDWRITTEN_NOTE: (S.PENDING, utc(2026, 11, 27, 18, 0), utc(2026, 11, 27, 18, 0), deadline),
        K.NEXT_STEPS: (S.PENDING, utc(2026, 11, 27, 16, 0), utc(2026, 11, 27, 16, 0), None),
        K.CHECK_IN: (S.PENDING, utc(2026, 12, 4, 10, 0), utc(2026, 12, 4, 10, 0), None),
    }
    assert all(f.user_id == result.user.id and f.attempts == 0 and f.snoozes == 0 for f in rows)
    assert heard == [utc(2026, 11, 27, 13, 0)]  # the soonest, once


async def test_record_past_interview_has_no_prep_and_is_due_now(services: UseCases, done_at_one: InterviewPlan) -> None:
    got = {f.kind: f.due_at for f in done_at_one.follow_ups}
    assert got == {
        K.THANK_YOU_EMAIL: utc(2026, 11, 25, 15, 0),
        K.HANDWRITTEN_NOTE: utc(2026, 11, 25, 17, 0),
        K.NEXT_STEPS: utc(2026, 11, 25, 15, 0),
        K.CHECK_IN: utc(2026, 12, 2, 10, 0),
    }


async def test_record_interview_in_the_seekers_zone(services: UseCases) -> None:
    await services.preferences.set_timezone(ALICE, "America/New_York")
    result = await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 2pm")  # 10:00 there now
    assert result.interview.scheduled_at == utc(2026, 11, 25, 19, 0)
    assert result.interview.scheduled_at.utcoffset() == timedelta(0)
    got = {f.kind: (f.due_at, f.notify_at) for f in result.follow_ups}
    assert got == {
        K.PREP: (utc(2026, 11, 25, 18, 0), utc(2026, 11, 25, 18, 0)),
        K.THANK_YOU_EMAIL: (utc(2026, 11, 25, 21, 0), utc(2026, 11, 25, 21, 0)),  # 16:00 EST: not quiet
        K.HANDWRITTEN_NOTE: (utc(2026, 11, 25, 23, 0), utc(2026, 11, 25, 23, 0)),
        K.NEXT_STEPS: (utc(2026, 11, 25, 21, 0), utc(2026, 11, 25, 21, 0)),
        K.CHECK_IN: (utc(2026, 12, 2, 15, 0), utc(2026, 12, 2, 15, 0)),  # 10:00 EST
    }


async def test_record_interview_in_the_week_the_clocks_change(services: UseCases, clock: ManualClock) -> None:
    clock.set(utc(2026, 10, 28, 15, 0))  # Wednesday 11:00 EDT; clocks go back on Sunday 11-01
    await services.preferences.set_timezone(ALICE, "America/New_York")
    result = await services.interviews.record_interview(ALICE, "Acme", "Engineer", "Thursday 2pm")
    assert result.interview.scheduled_at == utc(2026, 10, 29, 18, 0)  # 14:00 EDT
    check_in = by_kind(result.follow_ups)[K.CHECK_IN]
    assert check_in.due_at == utc(2026, 11, 5, 15, 0)  # 10:00 EST a week later


async def test_a_first_command_creates_the_user_with_the_interview(services: UseCases, db: Database) -> None:
    await services.interviews.record_interview(CAROL, "Acme", "Engineer", "today 1pm")
    assert await count_rows(db) == {
        "users": 1,
        "interviews": 1,
        "next_steps": 0,
        "follow_ups": 4,
        "check_ins": 0,
        "feedback": 0,
    }


# What happens next


async def test_record_next_steps_marks_the_nudge_done_and_plans_the_call(
    services: UseCases, done_at_one: InterviewPlan, heard: list[datetime]
) -> None:
    interview_id = done_at_one.interview.id
    result = await services.interviews.record_next_steps(
        ALICE, str(interview_id), "Dec 3", candidates=4, decision="Dec 10", rounds="one more", notes="Ask for Sam"
    )
    steps = result.next_steps
    assert (steps.check_back_at, steps.candidates, steps.decision_by, steps.rounds, steps.notes) == (
        utc(2026, 12, 3, 10, 0),
        4,
        utc(2026, 12, 10, 10, 0),
        "one more",
        "Ask for Sam",
    )
    assert (await services.next_steps([interview_id]))[interview_id] == steps
    rows = await stored(services, interview_id)
    statuses = sorted((f.kind, f.status, f.due_at) for f in rows)
    assert statuses == sorted(
        [
            (K.THANK_YOU_EMAIL, S.PENDING, utc(2026, 11, 25, 15, 0)),
            (K.HANDWRITTEN_NOTE, S.PENDING, utc(2026, 11, 25, 17, 0)),
            (K.NEXT_STEPS, S.DONE, utc(2026, 11, 25, 15, 0)),
            (K.CHECK_IN, S.CANCELLED, utc(2026, 12, 2, 10, 0)),  # the default call is replaced
            (K.CHECK_IN, S.PENDING, utc(2026, 12, 3, 10, 0)),
        ]
    )
    [done] = [f for f in rows if f.kind is K.NEXT_STEPS]
    assert done.done_at == utc(2026, 11, 25, 15, 0)
    assert result.check_in.due_at == utc(2026, 12, 3, 10, 0)
    assert heard[-1] == utc(2026, 12, 3, 10, 0)


async def test_next_steps_with_an_agreed_time_keeps_it(services: UseCases, done_at_one: InterviewPlan) -> None:
    result = await services.interviews.record_next_steps(ALICE, str(done_at_one.interview.id), "Dec 3 2:30pm")
    assert result.check_in.due_at == utc(2026, 12, 3, 14, 30)


async def test_next_steps_on_a_weekend_call_on_monday(services: UseCases, done_at_one: InterviewPlan) -> None:
    result = await services.interviews.record_next_steps(ALICE, str(done_at_one.interview.id), "Saturday")
    assert result.next_steps.check_back_at == utc(2026, 11, 28, 10, 0)
    assert result.check_in.due_at == utc(2026, 11, 30, 10, 0)


async def test_next_steps_without_a_date_call_the_day_after_the_decision(
    services: UseCases, done_at_one: InterviewPlan
) -> None:
    result = await services.interviews.record_next_steps(ALICE, str(done_at_one.interview.id), decision="Dec 4")
    assert result.next_steps.decision_by == utc(2026, 12, 4, 10, 0)
    assert result.check_in.due_at == utc(2026, 12, 7, 10, 0)  # Saturday after the Friday decision -> Monday
    rows = by_kind(await stored(services, done_at_one.interview.id), open_only=True)
    assert rows[K.CHECK_IN].id == result.check_in.id


async def test_next_steps_without_any_date_call_a_week_after_the_interview(
    services: UseCases, done_at_one: InterviewPlan
) -> None:
    result = await services.interviews.record_next_steps(ALICE, str(done_at_one.interview.id), "  ")
    assert result.check_in.due_at == utc(2026, 12, 2, 10, 0)
    assert result.next_steps.decision_by is None


async def test_next_steps_in_new_york(services: UseCases) -> None:
    await services.preferences.set_timezone(ALICE, "America/New_York")
    made = await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 9am")
    result = await services.interviews.record_next_steps(ALICE, "Acme", "Dec 3 2:30pm")
    assert result.interview.id == made.interview.id
    assert result.check_in.due_at == utc(2026, 12, 3, 19, 30)
    other = await services.interviews.record_next_steps(ALICE, "acme", "Dec 3")
    assert other.check_in.due_at == utc(2026, 12, 3, 15, 0)
    # Recording again replaces the answers and leaves a single open call.
    open_calls = [f for f in await stored(services, made.interview.id) if f.kind is K.CHECK_IN and f.status.is_open]
    assert [f.id for f in open_calls] == [other.check_in.id]
    assert (await services.next_steps([made.interview.id]))[made.interview.id].check_back_at == utc(2026, 12, 3, 15, 0)


# The follow-through loop


async def test_check_ins_repeat_until_an_outcome(
    services: UseCases, clock: ManualClock, db: Database, done_at_one: InterviewPlan
) -> None:
    ref = str(done_at_one.interview.id)
    await services.interviews.record_next_steps(ALICE, ref, "Dec 3")

    clock.set(utc(2026, 12, 3, 10, 30))
    first = await services.interviews.log_check_in(ALICE, ref, "  Still interviewing;\n\n decide next week ", "Dec 8")
    assert first.check_in.heard == "Still interviewing;\n\ndecide next week"
    assert (first.check_in.next_check_back_at, first.check_in.called_at) == (
        utc(2026, 12, 8, 10, 0),
        utc(2026, 12, 3, 10, 30),
    )
    assert first.next_call.due_at == utc(2026, 12, 8, 10, 0)

    clock.set(utc(2026, 12, 8, 11, 0))
    second = await services.interviews.log_check_in(ALICE, ref, "No news yet")
    assert second.check_in.next_check_back_at is None
    assert second.next_call.due_at == utc(2026, 12, 15, 10, 0)  # a week later

    clock.set(utc(2026, 12, 15, 10, 5))
    third = await services.interviews.log_check_in(ALICE, ref, "Decision on Saturday", "Saturday")
    assert third.next_call.due_at == utc(2026, 12, 21, 10, 0)  # Saturday -> Monday

    rows = await stored(services, done_at_one.interview.id)
    calls = [(f.status, f.due_at, f.done_at) for f in rows if f.kind is K.CHECK_IN]
    assert calls == [
        (S.CANCELLED, utc(2026, 12, 2, 10, 0), None),
        (S.DONE, utc(2026, 12, 3, 10, 0), utc(2026, 12, 3, 10, 30)),
        (S.DONE, utc(2026, 12, 8, 10, 0), utc(2026, 12, 8, 11, 0)),
        (S.DONE, utc(2026, 12, 15, 10, 0), utc(2026, 12, 15, 10, 5)),
        (S.PENDING, utc(2026, 12, 21, 10, 0), None),
    ]
    assert await column(
        services.db, "SELECT heard FROM check_ins WHERE interview_id = ? ORDER BY id", done_at_one.interview.id
    ) == [
        "Still interviewing;\n\ndecide next week",
        "No news yet",
        "Decision on Saturday",
    ]

    clock.set(utc(2026, 12, 21, 9, 0))
    outcome = await services.interviews.record_outcome(ALICE, ref, "Offer", "Starting in January")
    assert outcome.interview.outcome is Outcome.OFFER
    assert (outcome.interview.outcome_notes, outcome.interview.outcome_at) == (
        "Starting in January",
        utc(2026, 12, 21, 9, 0),
    )
    assert outcome.feedback_request is None
    assert outcome.cancelled == 3  # the thank-you email, the note and the next call
    assert not [f for f in await stored(services, done_at_one.interview.id) if f.status.is_open]

    before = await dump(db)
    with pytest.raises(InvalidInput, match="already closed"):
        await services.interviews.log_check_in(ALICE, ref, "One more call")
    assert await dump(db) == before


async def test_check_in_at_an_agreed_local_time(services: UseCases) -> None:
    await services.preferences.set_timezone(ALICE, "America/New_York")
    made = await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 9am")
    logged = await services.interviews.log_check_in(ALICE, str(made.interview.id), "Call me Thursday", "Thursday 3pm")
    assert logged.check_in.next_check_back_at == utc(2026, 11, 26, 20, 0)
    assert logged.next_call.due_at == utc(2026, 11, 26, 20, 0)


# Outcomes


async def test_rejection_cancels_everything_and_asks_for_feedback(
    services: UseCases, clock: ManualClock, heard: list[datetime]
) -> None:
    clock.set(utc(2026, 11, 27, 16, 0))  # Friday
    made = await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 9am")
    result = await services.interviews.record_outcome(ALICE, str(made.interview.id), " Rejected ")
    assert result.interview.outcome is Outcome.REJECTED
    assert result.cancelled == 4
    ask = result.feedback_request
    assert ask is not None
    assert (ask.kind, ask.status, ask.due_at, ask.notify_at) == (
        K.FEEDBACK_REQUEST,
        S.PENDING,
        utc(2026, 11, 30, 10, 0),  # Monday
        utc(2026, 11, 30, 10, 0),
    )
    assert heard[-1] == utc(2026, 11, 30, 10, 0)
    rows = await stored(services, made.interview.id)
    assert sorted(f.status for f in rows if f.id != ask.id) == [S.CANCELLED] * 4

    saved = await services.interviews.record_feedback(ALICE, str(made.interview.id), "More system design practice")
    assert (saved.feedback.text, saved.feedback.recorded_at) == (
        "More system design practice",
        utc(2026, 11, 27, 16, 0),
    )
    assert saved.interview.id == made.interview.id
    done = await services.follow_up(made.user.id, ask.id)
    assert done is not None
    assert (done.status, done.done_at) == (S.DONE, utc(2026, 11, 27, 16, 0))
    assert await column(services.db, "SELECT text FROM feedback WHERE interview_id = ?", made.interview.id) == [
        "More system design practice"
    ]


async def test_feedback_request_in_new_york_uses_the_local_next_day(services: UseCases, clock: ManualClock) -> None:
    await services.preferences.set_timezone(ALICE, "America/New_York")
    made = await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 9am")
    clock.set(utc(2026, 11, 26, 3, 0))  # Wednesday 22:00 in New York
    result = await services.interviews.record_outcome(ALICE, str(made.interview.id), "rejected")
    assert result.feedback_request is not None
    assert result.feedback_request.due_at == utc(2026, 11, 26, 15, 0)  # Thursday 10:00 EST


async def test_withdrawal_cancels_without_asking_for_feedback(services: UseCases, done_at_one: InterviewPlan) -> None:
    result = await services.interviews.record_outcome(ALICE, str(done_at_one.interview.id), "withdrawn")
    assert (result.cancelled, result.feedback_request) == (4, None)
    assert {f.status for f in await stored(services, done_at_one.interview.id)} == {S.CANCELLED}


async def test_outcome_cancels_sent_and_pending_but_not_done(services: UseCases, done_at_one: InterviewPlan) -> None:
    email = by_kind(done_at_one.follow_ups)[K.THANK_YOU_EMAIL]
    note = by_kind(done_at_one.follow_ups)[K.HANDWRITTEN_NOTE]
    await services.follow_ups.complete(ALICE, email.id)
    async with services.uow.transaction() as uow:
        await uow.follow_ups.claim_due(utc(2026, 11, 25, 17, 0), Lease("t", utc(2026, 11, 25, 17, 2)), 10, ["test"])
    async with services.uow.transaction() as uow:
        await uow.follow_ups.mark_sent(
            [Sent(note.id, "msg-1")], utc(2026, 11, 25, 17, 0), Lease("t", utc(2026, 11, 25, 17, 2))
        )
    result = await services.interviews.record_outcome(ALICE, str(done_at_one.interview.id), "offer")
    assert result.cancelled == 3  # the sent note, the claimed next-steps nudge and the pending check-in
    statuses = {f.kind: f.status for f in await stored(services, done_at_one.interview.id)}
    assert statuses == {
        K.THANK_YOU_EMAIL: S.DONE,
        K.HANDWRITTEN_NOTE: S.CANCELLED,
        K.NEXT_STEPS: S.CANCELLED,
        K.CHECK_IN: S.CANCELLED,
    }


# Acting on one follow-up


async def test_complete_marks_done_once(services: UseCases, clock: ManualClock, done_at_one: InterviewPlan) -> None:
    email = by_kind(done_at_one.follow_ups)[K.THANK_YOU_EMAIL]
    clock.advance(timedelta(minutes=10))
    first = await services.follow_ups.complete(ALICE, email.id)
    assert (first.follow_up.status, first.follow_up.done_at) == (S.DONE, utc(2026, 11, 25, 15, 10))
    assert first.interview.id == done_at_one.interview.id
    clock.advance(timedelta(minutes=10))
    again = await services.follow_ups.complete(ALICE, email.id)
    assert again.follow_up.done_at == utc(2026, 11, 25, 15, 10)


async def test_snooze_by_default_a_day_past_the_thank_you_deadline(
    services: UseCases, done_at_one: InterviewPlan, heard: list[datetime]
) -> None:
    email = by_kind(done_at_one.follow_ups)[K.THANK_YOU_EMAIL]  # deadline Thursday 13:00
    result = await services.follow_ups.snooze(ALICE, email.id)
    assert result.past_deadline is True
    moved = result.follow_up
    assert (moved.status, moved.due_at, moved.notify_at, moved.deadline_at, moved.snoozes) == (
        S.PENDING,
        utc(2026, 11, 26, 15, 0),
        utc(2026, 11, 26, 15, 0),
        utc(2026, 11, 26, 13, 0),
        1,
    )
    assert heard[-1] == utc(2026, 11, 26, 15, 0)
    assert await services.follow_up(done_at_one.user.id, email.id) == moved


async def test_snooze_by_a_chosen_amount_within_the_deadline(services: UseCases, done_at_one: InterviewPlan) -> None:
    note = by_kind(done_at_one.follow_ups)[K.HANDWRITTEN_NOTE]
    result = await services.follow_ups.snooze(ALICE, note.id, timedelta(hours=3))
    assert result.past_deadline is False
    assert (result.follow_up.due_at, result.follow_up.notify_at) == (utc(2026, 11, 25, 18, 0), utc(2026, 11, 25, 18, 0))
    later = await services.follow_ups.snooze(ALICE, note.id, timedelta(hours=7))  # 22:00: quiet until 08:00
    assert (later.follow_up.due_at, later.follow_up.notify_at, later.follow_up.snoozes) == (
        utc(2026, 11, 25, 22, 0),
        utc(2026, 11, 26, 8, 0),
        2,
    )
    assert later.past_deadline is False


async def test_snooze_a_sent_nudge_makes_it_pending_again(services: UseCases, done_at_one: InterviewPlan) -> None:
    email = by_kind(done_at_one.follow_ups)[K.THANK_YOU_EMAIL]
    async with services.uow.transaction() as uow:
        await uow.follow_ups.claim_due(utc(2026, 11, 25, 15, 0), Lease("t", utc(2026, 11, 25, 15, 2)), 10, ["test"])
    async with services.uow.transaction() as uow:
        await uow.follow_ups.mark_sent(
            [Sent(email.id, "msg-1")], utc(2026, 11, 25, 15, 0), Lease("t", utc(2026, 11, 25, 15, 2))
        )
    result = await services.follow_ups.snooze(ALICE, email.id, timedelta(hours=1))
    assert (result.follow_up.status, result.follow_up.attempts, result.follow_up.due_at) == (
        S.PENDING,
        0,
        utc(2026, 11, 25, 16, 0),
    )


async def test_snooze_a_done_follow_up_is_refused(services: UseCases, db: Database, done_at_one: InterviewPlan) -> None:
    email = by_kind(done_at_one.follow_ups)[K.THANK_YOU_EMAIL]
    await services.follow_ups.complete(ALICE, email.id)
    before = await dump(db)
    with pytest.raises(InvalidInput, match="already done"):
        await services.follow_ups.snooze(ALICE, email.id)
    assert await dump(db) == before


# Lists and lookups


async def test_lists_show_open_interviews_with_their_next_follow_up(services: UseCases, clock: ManualClock) -> None:
    acme = await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")
    globex = await services.interviews.record_interview(ALICE, "Globex", "Analyst", "2026-11-27 14:00")
    initech = await services.interviews.record_interview(ALICE, "Initech", "Tester", "yesterday 10:00")
    await services.interviews.record_outcome(ALICE, str(initech.interview.id), "withdrawn")

    summaries = await services.interviews.list_interviews(ALICE)
    assert [(s.interview.id, s.next_follow_up and s.next_follow_up.kind) for s in summaries] == [
        (globex.interview.id, K.PREP),
        (acme.interview.id, K.THANK_YOU_EMAIL),
    ]
    everything = await services.interviews.list_interviews(ALICE, include_closed=True)
    assert [s.interview.id for s in everything] == [globex.interview.id, acme.interview.id, initech.interview.id]
    assert everything[2].next_follow_up is None

    items = await services.follow_ups.open_follow_ups(ALICE)
    assert len(items) == 4 + 5
    assert items[0].follow_up.due_at == utc(2026, 11, 25, 15, 0)
    assert all(i.interview.id == i.follow_up.interview_id for i in items)

    assert [i.company for i in await services.interviews.interview_choices(ALICE, "glo", 25)] == ["Globex"]
    assert [i.company for i in await services.interviews.interview_choices(ALICE, "", 25)] == ["Globex", "Acme"]
    assert await services.interviews.interview_choices(CAROL, "", 25) == []


async def test_find_interview_by_name_must_be_unique(services: UseCases) -> None:
    await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")
    await services.interviews.record_interview(ALICE, "Acme Labs", "Engineer", "today 2pm")
    assert (await services.interviews.find_interview(ALICE, "labs")).company == "Acme Labs"
    with pytest.raises(NotFound, match="see your interview list"):
        await services.interviews.find_interview(ALICE, "acme")


async def test_find_interview_closed_only_when_asked(services: UseCases, done_at_one: InterviewPlan) -> None:
    ref = str(done_at_one.interview.id)
    await services.interviews.record_outcome(ALICE, ref, "offer")
    with pytest.raises(InvalidInput, match="already closed"):
        await services.interviews.find_interview(ALICE, ref)
    assert (await services.interviews.find_interview(ALICE, ref, open_only=False)).outcome is Outcome.OFFER


# Preferences


async def test_set_timezone_replans_pending_notify_times(
    services: UseCases, clock: ManualClock, heard: list[datetime]
) -> None:
    made = await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 7pm")  # 19:00 UTC
    got = {f.kind: f.notify_at for f in made.follow_ups}
    assert got == {
        K.PREP: utc(2026, 11, 25, 18, 0),
        K.THANK_YOU_EMAIL: utc(2026, 11, 26, 8, 0),  # due 21:00 UTC: quiet in UTC
        K.HANDWRITTEN_NOTE: utc(2026, 11, 26, 8, 0),
        K.NEXT_STEPS: utc(2026, 11, 26, 8, 0),
        K.CHECK_IN: utc(2026, 12, 2, 10, 0),
    }
    prep = by_kind(made.follow_ups)[K.PREP]
    await services.follow_ups.complete(ALICE, prep.id)
    heard.clear()

    user = (await services.preferences.set_timezone(ALICE, " America/New_York ")).user
    assert user.timezone == "America/New_York"
    rows = {f.kind: (f.status, f.due_at, f.notify_at) for f in await stored(services, made.interview.id)}
    assert rows == {
        K.PREP: (S.DONE, utc(2026, 11, 25, 18, 0), utc(2026, 11, 25, 18, 0)),  # not pending: untouched
        K.THANK_YOU_EMAIL: (S.PENDING, utc(2026, 11, 25, 21, 0), utc(2026, 11, 25, 21, 0)),  # 16:00 EST
        K.HANDWRITTEN_NOTE: (S.PENDING, utc(2026, 11, 25, 23, 0), utc(2026, 11, 25, 23, 0)),
        K.NEXT_STEPS: (S.PENDING, utc(2026, 11, 25, 21, 0), utc(2026, 11, 25, 21, 0)),
        # The call keeps its local time: 10:00 on the same day, now in New York (15:00 UTC).
        K.CHECK_IN: (S.PENDING, utc(2026, 12, 2, 15, 0), utc(2026, 12, 2, 15, 0)),
    }
    assert heard == [utc(2026, 11, 25, 21, 0)]


async def test_set_quiet_hours_replans_pending_notify_times(services: UseCases, heard: list[datetime]) -> None:
    made = await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 7pm")
    user = await services.preferences.set_quiet_hours(ALICE, "22:00", "7:00")
    assert user.quiet_hours == QuietHours(time(22, 0), time(7, 0))
    got = {f.kind: (f.due_at, f.notify_at) for f in await stored(services, made.interview.id)}
    assert got[K.THANK_YOU_EMAIL] == (utc(2026, 11, 25, 21, 0), utc(2026, 11, 25, 21, 0))
    assert got[K.HANDWRITTEN_NOTE] == (utc(2026, 11, 25, 23, 0), utc(2026, 11, 26, 7, 0))
    assert heard[-1] == utc(2026, 11, 25, 18, 0)

    await services.preferences.set_quiet_hours(ALICE, "00:00", "0:00")  # equal: no quiet hours
    got = {f.kind: (f.due_at, f.notify_at) for f in await stored(services, made.interview.id)}
    assert got[K.HANDWRITTEN_NOTE] == (utc(2026, 11, 25, 23, 0), utc(2026, 11, 25, 23, 0))


async def test_dms_closed_notice_is_taken_once(services: UseCases, db: Database) -> None:
    assert await services.preferences.take_dms_closed_notice(CAROL) is False
    assert (await count_rows(db))["users"] == 0  # asking does not create anyone

    alice = await services.preferences.user(ALICE)
    assert await services.preferences.take_dms_closed_notice(ALICE) is False
    async with services.uow.transaction() as uow:
        await uow.users.mark_dms_closed([alice.id], utc(2026, 11, 25, 15, 0))
    closed = await services.preferences.user(ALICE)
    assert (closed.dms_closed_at, closed.dms_closed_notice_pending) == (utc(2026, 11, 25, 15, 0), True)
    assert await services.preferences.take_dms_closed_notice(ALICE) is True
    assert await services.preferences.take_dms_closed_notice(ALICE) is False
    after = await services.preferences.user(ALICE)
    assert (after.dms_closed_at, after.dms_closed_notice_pending) == (utc(2026, 11, 25, 15, 0), False)


# Bad input: a helpful UserError, and nothing written

Call = Callable[[UseCases, InterviewPlan], Awaitable[object]]
BAD_INPUT: list[tuple[str, Call, type[UserError], str]] = [
    (
        "unparseable interview time",
        lambda s, p: s.interviews.record_interview(ALICE, "Acme", "Engineer", "blue elephant"),
        InvalidInput,
        "couldn't read “blue elephant” as the interview time",
    ),
    (
        "empty company",
        lambda s, p: s.interviews.record_interview(ALICE, " ", "Engineer", "today 1pm"),
        InvalidInput,
        "company can't be empty",
    ),
    (
        "invisible company",
        lambda s, p: s.interviews.record_interview(ALICE, "\u200b\u200e", "Engineer", "today 1pm"),
        InvalidInput,
        "company can't be empty",
    ),
    (
        "over-long role",
        lambda s, p: s.interviews.record_interview(ALICE, "Acme", "r" * 101, "today 1pm"),
        InvalidInput,
        "role can't be longer than 100 characters; you typed 101",
    ),
    (
        "over-long notes",
        lambda s, p: s.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm", notes="n" * 1001),
        InvalidInput,
        "notes can't be longer than 1000 characters; you typed 1001",
    ),
    (
        "interview years away",
        lambda s, p: s.interviews.record_interview(ALICE, "Acme", "Engineer", "2028-01-05 10:00"),
        InvalidInput,
        "more than a year away",
    ),
    (
        "empty interview time",
        lambda s, p: s.interviews.record_interview(ALICE, "Acme", "Engineer", " "),
        InvalidInput,
        "interview time is empty",
    ),
    (
        "check-back in the past",
        lambda s, p: s.interviews.record_next_steps(ALICE, str(p.interview.id), "yesterday"),
        InvalidInput,
        "check-back date “yesterday” is in the past",
    ),
    (
        "unparseable check-back",
        lambda s, p: s.interviews.record_next_steps(ALICE, str(p.interview.id), "blue elephant"),
        InvalidInput,
        "couldn't read",
    ),
    (
        "check-back years away",
        lambda s, p: s.interviews.record_next_steps(ALICE, str(p.interview.id), "2028-01-05"),
        InvalidInput,
        "more than a year away",
    ),
    (
        "decision in the past",
        lambda s, p: s.interviews.record_next_steps(ALICE, str(p.interview.id), "Dec 3", decision="last week"),
        InvalidInput,
        "decision date",
    ),
    (
        "negative candidates",
        lambda s, p: s.interviews.record_next_steps(ALICE, str(p.interview.id), "Dec 3", candidates=-1),
        InvalidInput,
        "between 0 and",
    ),
    (
        "over-long rounds",
        lambda s, p: s.interviews.record_next_steps(ALICE, str(p.interview.id), "Dec 3", rounds="x" * 101),
        InvalidInput,
        "further interviews can't be longer than 100 characters; you typed 101",
    ),
    (
        "unknown interview id for next steps",
        lambda s, p: s.interviews.record_next_steps(ALICE, "999", "Dec 3"),
        NotFound,
        "can't find that interview",
    ),
    (
        "empty check-in",
        lambda s, p: s.interviews.log_check_in(ALICE, str(p.interview.id), "\n \n"),
        InvalidInput,
        "update can't be empty",
    ),
    (
        "over-long check-in",
        lambda s, p: s.interviews.log_check_in(ALICE, str(p.interview.id), "h" * 1001),
        InvalidInput,
        "update can't be longer than 1000 characters; you typed 1001",
    ),
    (
        "next check-back in the past",
        lambda s, p: s.interviews.log_check_in(ALICE, str(p.interview.id), "Heard back", "yesterday"),
        InvalidInput,
        "next check-back date “yesterday” is in the past",
    ),
    (
        "unknown interview id for a check-in",
        lambda s, p: s.interviews.log_check_in(ALICE, "12345", "Heard back"),
        NotFound,
        "can't find that interview",
    ),
    (
        "unknown interview name",
        lambda s, p: s.interviews.log_check_in(ALICE, "Globex", "Heard back"),
        NotFound,
        "can't find that interview",
    ),
    (
        "unknown outcome",
        lambda s, p: s.interviews.record_outcome(ALICE, str(p.interview.id), "hired"),
        InvalidInput,
        "one of",
    ),
    (
        "unknown interview for outcome",
        lambda s, p: s.interviews.record_outcome(ALICE, "999", "offer"),
        NotFound,
        "can't find",
    ),
    (
        "empty feedback",
        lambda s, p: s.interviews.record_feedback(ALICE, str(p.interview.id), "  "),
        InvalidInput,
        "feedback can't be empty",
    ),
    ("unknown follow-up", lambda s, p: s.follow_ups.complete(ALICE, 999), NotFound, "isn't one of yours"),
    ("unknown follow-up snooze", lambda s, p: s.follow_ups.snooze(ALICE, 999), NotFound, "isn't one of yours"),
    (
        "snooze too short",
        lambda s, p: s.follow_ups.snooze(ALICE, p.follow_ups[0].id, timedelta(minutes=1)),
        InvalidInput,
        "between 5 minutes and 60 days",
    ),
    (
        "snooze too long",
        lambda s, p: s.follow_ups.snooze(ALICE, p.follow_ups[0].id, timedelta(days=61)),
        InvalidInput,
        "between 5 minutes and 60 days",
    ),
    (
        "unknown zone",
        lambda s, p: s.preferences.set_timezone(ALICE, "Mars/Olympus"),
        InvalidInput,
        "not a time zone I know",
    ),
    (
        "bad quiet start",
        lambda s, p: s.preferences.set_quiet_hours(ALICE, "25:00", "07:00"),
        InvalidInput,
        "start “25:00”",
    ),
    ("bad quiet end", lambda s, p: s.preferences.set_quiet_hours(ALICE, "21:00", "7am"), InvalidInput, "end “7am”"),
    (
        "new user, unparseable time",
        lambda s, p: s.interviews.record_interview(CAROL, "Acme", "Engineer", "blue elephant"),
        InvalidInput,
        "couldn't read",
    ),
    ("new user, bad zone", lambda s, p: s.preferences.set_timezone(CAROL, "Nowhere"), InvalidInput, "not a time zone"),
    ("new user, unknown interview", lambda s, p: s.interviews.log_check_in(CAROL, "1", "Hi"), NotFound, "can't find"),
    ("new user, unknown follow-up", lambda s, p: s.follow_ups.snooze(CAROL, 1), NotFound, "isn't one of yours"),
]


@pytest.mark.parametrize(("call", "error", "message"), [case[1:] for case in BAD_INPUT], ids=[c[0] for c in BAD_INPUT])
async def test_bad_input_is_refused_and_writes_nothing(
    services: UseCases, db: Database, done_at_one: InterviewPlan, call: Call, error: type[UserError], message: str
) -> None:
    counts = await count_rows(db)
    before = await dump(db)
    with pytest.raises(error) as caught:
        await call(services, done_at_one)
    assert message in caught.value.message
    assert type(caught.value) is error
    assert await count_rows(db) == counts
    assert await dump(db) == before


# Ownership: one seeker can never see or touch another's things


@pytest.mark.parametrize("bob_exists", [False, True], ids=["bob-unknown", "bob-known"])
async def test_another_users_interview_and_follow_ups_are_not_found(
    services: UseCases, db: Database, done_at_one: InterviewPlan, bob_exists: bool
) -> None:
    if bob_exists:
        await services.interviews.record_interview(BOB, "Globex", "Analyst", "today 1pm")
    ref = str(done_at_one.interview.id)
    email = by_kind(done_at_one.follow_ups)[K.THANK_YOU_EMAIL]
    before = await dump(db)

    attempts = [
        services.interviews.find_interview(BOB, ref),
        services.interviews.find_interview(BOB, "Acme"),
        services.interviews.record_next_steps(BOB, ref, "Dec 3"),
        services.interviews.log_check_in(BOB, ref, "Heard back"),
        services.interviews.record_outcome(BOB, ref, "rejected"),
        services.interviews.record_feedback(BOB, ref, "Nice try"),
        services.follow_ups.complete(BOB, email.id),
        services.follow_ups.snooze(BOB, email.id),
        services.follow_ups.follow_up_context(BOB, email.id),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            await attempt
    assert await dump(db) == before
    assert [i.company for i in await services.interviews.interview_choices(BOB, "", 25)] == (
        ["Globex"] if bob_exists else []
    )
    assert all(f.follow_up.user_id != done_at_one.user.id for f in await services.follow_ups.open_follow_ups(BOB))
    assert all(
        s.interview.company != "Acme" for s in await services.interviews.list_interviews(BOB, include_closed=True)
    )

    # Alice herself still can.
    assert (await services.follow_ups.follow_up_context(ALICE, email.id)).interview.id == done_at_one.interview.id


@pytest.mark.parametrize(
    "act",
    [
        lambda s, ref: s.interviews.log_check_in(ALICE, ref, "Delayed"),
        lambda s, ref: s.interviews.record_next_steps(ALICE, ref, "next Friday"),
        lambda s, ref: s.interviews.record_outcome(ALICE, ref, "withdrawn"),
    ],
)
async def test_an_outcome_recorded_meanwhile_wins_and_nothing_else_is_written(
    services: UseCases, db: Database, act: Callable[[UseCases, str], Awaitable[object]]
) -> None:
    made = await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")
    found = services.interviews.find_interview

    async def found_then_closed_elsewhere(*args: object, **kwargs: object) -> object:
        interview = await found(*args, **kwargs)  # type: ignore[arg-type]
        async with services.uow.transaction() as uow:  # another command records the offer in between
            await uow.interviews.set_outcome(made.interview.id, Outcome.OFFER, None, utc(2026, 11, 25, 15))
        return interview

    services.interviews.find_interview = found_then_closed_elsewhere  # type: ignore[method-assign,assignment]
    with pytest.raises(InvalidInput, match="closed with an outcome just now"):
        await act(services, str(made.interview.id))
    services.interviews.find_interview = found  # type: ignore[method-assign]
    after = await dump(db)
    assert [i[8] for i in after["interviews"]] == ["offer"]  # the other command's outcome stands
    assert after["check_ins"] == [] and after["next_steps"] == []


async def test_a_check_in_marked_done_without_a_log_still_gets_the_next_call(
    services: UseCases, clock: ManualClock
) -> None:
    made = await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")
    call = by_kind(made.follow_ups)[K.CHECK_IN]  # Wednesday 2 December, 10:00
    clock.set(utc(2026, 12, 2, 10, 5))
    await services.follow_ups.complete(ALICE, call.id)
    calls = [f for f in await stored(services, made.interview.id) if f.kind is K.CHECK_IN]
    assert [(f.status, f.due_at) for f in calls] == [(S.DONE, utc(2026, 12, 2, 10)), (S.PENDING, utc(2026, 12, 9, 10))]


# Fixing one interview: edit, move, delete, change or take back the outcome


async def test_a_bare_weekday_is_the_coming_one_and_the_other_is_offered(services: UseCases) -> None:
    made = await services.interviews.record_interview(ALICE, "Acme", "Engineer", "Monday 3pm")  # on a Wednesday
    assert made.interview.scheduled_at == utc(2026, 11, 30, 15)
    assert made.alternative == utc(2026, 11, 23, 15)
    assert K.PREP in by_kind(made.follow_ups)


async def test_moving_to_the_other_reading_replans(services: UseCases, heard: list[datetime]) -> None:
    made = await services.interviews.record_interview(ALICE, "Acme", "Engineer", "Monday 3pm")
    assert made.alternative is not None
    moved = await services.interviews.move_interview(ALICE, made.interview.id, made.alternative)
    assert moved.interview.scheduled_at == utc(2026, 11, 23, 15)
    assert moved.changed == ["time"]
    now = utc(2026, 11, 25, 15)
    plan = by_kind(await stored(services, made.interview.id), open_only=True)
    assert set(plan) == {K.THANK_YOU_EMAIL, K.HANDWRITTEN_NOTE, K.NEXT_STEPS, K.CHECK_IN}  # no prep: it is past
    assert plan[K.THANK_YOU_EMAIL].deadline_at == utc(2026, 11, 24, 15)
    assert plan[K.THANK_YOU_EMAIL].notify_at == now  # already due: sent now, as when logged after the fact
    assert plan[K.CHECK_IN].due_at == utc(2026, 11, 30, 10)
    assert heard[-1] == now


async def test_edit_time_replans_what_is_pending_and_keeps_what_is_done(
    services: UseCases, db: Database, done_at_one: InterviewPlan
) -> None:
    ref = str(done_at_one.interview.id)
    email = by_kind(done_at_one.follow_ups)[K.THANK_YOU_EMAIL]
    await services.follow_ups.complete(ALICE, email.id)
    edited = await services.interviews.edit_interview(ALICE, ref, when="2026-11-27 11:00", contact="Sam, 555-0100")
    assert edited.changed == ["time", "contact"]
    assert (edited.interview.scheduled_at, edited.interview.contact) == (utc(2026, 11, 27, 11), "Sam, 555-0100")
    everything = await stored(services, done_at_one.interview.id)
    assert [f.status for f in everything if f.kind is K.THANK_YOU_EMAIL] == [S.DONE]  # done stays done
    plan = by_kind(everything, open_only=True)
    assert set(plan) == {K.PREP, K.HANDWRITTEN_NOTE, K.NEXT_STEPS, K.CHECK_IN}
    assert plan[K.PREP].due_at == utc(2026, 11, 27, 10)
    assert plan[K.HANDWRITTEN_NOTE].deadline_at == utc(2026, 11, 28, 11)
    assert plan[K.CHECK_IN].due_at == utc(2026, 12, 4, 10)
    assert sorted(f.kind for f in everything if f.status is S.CANCELLED) == sorted(
        [K.HANDWRITTEN_NOTE, K.NEXT_STEPS, K.CHECK_IN]
    )


async def test_edit_time_keeps_an_agreed_check_in(services: UseCases, done_at_one: InterviewPlan) -> None:
    ref = str(done_at_one.interview.id)
    agreed = await services.interviews.record_next_steps(ALICE, ref, check_back="Dec 10 2pm")
    await services.interviews.edit_interview(ALICE, ref, when="yesterday 1pm")
    plan = by_kind(await stored(services, done_at_one.interview.id), open_only=True)
    assert plan[K.CHECK_IN].id == agreed.check_in.id
    assert K.NEXT_STEPS not in plan  # answered already


async def test_edit_details_without_time_replans_nothing(
    services: UseCases, db: Database, done_at_one: InterviewPlan
) -> None:
    before = (await dump(db))["follow_ups"]
    edited = await services.interviews.edit_interview(
        ALICE, str(done_at_one.interview.id), company=" Acme Robotics ", interviewer="Sam", notes="bring portfolio"
    )
    assert edited.changed == ["company", "interviewer", "notes"]
    assert (edited.interview.title, edited.replanned) == ("Acme Robotics: Engineer", [])
    assert (await dump(db))["follow_ups"] == before
    cleared = await services.interviews.edit_interview(ALICE, str(done_at_one.interview.id), interviewer="-")
    assert (cleared.interview.interviewer, cleared.changed) == (None, ["interviewer"])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({}, "what to change"),
        ({"company": "  "}, "company can't be empty"),
        ({"when": "whenever"}, "couldn't read"),
        ({"when": "2019-01-01"}, "more than a year"),
        ({"notes": "x" * 1001}, "can.t be longer"),
        ({"when": "tomorrow at 2"}, "2am or 2pm"),
    ],
)
async def test_bad_edits_write_nothing(
    services: UseCases, db: Database, done_at_one: InterviewPlan, changes: dict[str, str], message: str
) -> None:
    before = await dump(db)
    with pytest.raises(InvalidInput, match=message):
        await services.interviews.edit_interview(ALICE, str(done_at_one.interview.id), **changes)
    assert await dump(db) == before


async def test_someone_elses_interview_cannot_be_edited_moved_or_deleted(
    services: UseCases, db: Database, done_at_one: InterviewPlan
) -> None:
    await services.interviews.record_interview(BOB, "Globex", "PM", "today 1pm")
    before = await dump(db)
    ref = done_at_one.interview.id
    for call in (
        services.interviews.edit_interview(BOB, str(ref), role="CEO"),
        services.interviews.move_interview(BOB, ref, utc(2026, 11, 26, 10)),
        services.interviews.delete_interview(BOB, ref),
        services.interviews.reopen_interview(BOB, str(ref)),
    ):
        with pytest.raises(NotFound):
            await call
    assert await dump(db) == before


async def test_delete_takes_the_interview_and_all_of_it(
    services: UseCases, db: Database, done_at_one: InterviewPlan
) -> None:
    ref = str(done_at_one.interview.id)
    await services.interviews.record_next_steps(ALICE, ref, check_back="Dec 10 2pm")
    await services.interviews.log_check_in(ALICE, ref, "Busy week")
    other = await services.interviews.record_interview(ALICE, "Globex", "PM", "today 1pm")
    deleted = await services.interviews.delete_interview(ALICE, done_at_one.interview.id)
    assert (deleted.interview.title, deleted.follow_ups) == ("Acme: Engineer", 3)  # email, note, next call
    gone = done_at_one.interview.id
    assert await column(db, "SELECT count(*) FROM interviews WHERE id = ?", gone) == [0]
    for table in ("next_steps", "check_ins", "follow_ups"):
        assert await column(db, f"SELECT count(*) FROM {table} WHERE interview_id = ?", gone) == [0]
    assert await stored(services, done_at_one.interview.id) == []
    assert len(await stored(services, other.interview.id)) == 4  # the other interview keeps its plan
    with pytest.raises(NotFound):
        await services.interviews.delete_interview(ALICE, done_at_one.interview.id)


async def test_a_wrong_outcome_can_be_changed(services: UseCases, done_at_one: InterviewPlan) -> None:
    ref = str(done_at_one.interview.id)
    rejected = await services.interviews.record_outcome(ALICE, ref, "rejected", "went with someone else")
    assert rejected.feedback_request is not None
    offer = await services.interviews.record_outcome(ALICE, ref, "offer")
    assert (offer.previous, offer.interview.outcome, offer.cancelled) == (Outcome.REJECTED, Outcome.OFFER, 1)
    assert offer.interview.outcome_notes == "went with someone else"
    assert not [f for f in await stored(services, done_at_one.interview.id) if f.status.is_open]
    again = await services.interviews.record_outcome(ALICE, ref, "rejected")
    assert again.feedback_request is not None and again.previous is Outcome.OFFER
    with pytest.raises(InvalidInput, match="already recorded as rejected"):
        await services.interviews.record_outcome(ALICE, ref, "rejected")
    noted = await services.interviews.record_outcome(ALICE, ref, "rejected", "they chose an internal candidate")
    assert (noted.interview.outcome_notes, noted.cancelled, noted.feedback_request) == (
        "they chose an internal candidate",
        0,
        None,
    )


async def test_reopen_restores_the_follow_through(
    services: UseCases, clock: ManualClock, done_at_one: InterviewPlan
) -> None:
    ref = str(done_at_one.interview.id)
    await services.interviews.record_outcome(ALICE, ref, "rejected")
    clock.set(utc(2026, 11, 25, 15, 30))
    reopened = await services.interviews.reopen_interview(ALICE, ref)
    assert (reopened.interview.outcome, reopened.interview.outcome_at, reopened.previous) == (
        None,
        None,
        Outcome.REJECTED,
    )
    plan = by_kind(await stored(services, done_at_one.interview.id), open_only=True)
    # The feedback request goes; what is still ahead comes back (the note at 17:00 and the call), and what
    # fell due meanwhile (the email and the "what happens next" nudge at 15:00) does not fire all at once.
    assert set(plan) == {K.HANDWRITTEN_NOTE, K.CHECK_IN}
    assert plan[K.CHECK_IN].due_at == utc(2026, 12, 2, 10)
    log = await services.interviews.log_check_in(ALICE, ref, "They are still deciding")
    assert log.interview.is_open
    with pytest.raises(InvalidInput, match="open already"):
        await services.interviews.reopen_interview(ALICE, ref)


async def test_reopen_after_answers_calls_on_the_agreed_day(services: UseCases, done_at_one: InterviewPlan) -> None:
    ref = str(done_at_one.interview.id)
    await services.interviews.record_next_steps(ALICE, ref, check_back="Dec 10 2pm")
    await services.interviews.record_outcome(ALICE, ref, "withdrawn")
    await services.interviews.reopen_interview(ALICE, ref)
    plan = by_kind(await stored(services, done_at_one.interview.id), open_only=True)
    assert plan[K.CHECK_IN].due_at == utc(2026, 12, 10, 14)


async def test_several_matches_are_listed_with_their_times(services: UseCases) -> None:
    await services.interviews.record_interview(ALICE, "Acme Robotics", "Data Analyst", "Dec 1 10am")
    await services.interviews.record_interview(ALICE, "Acme Robotics", "Data Analyst", "Dec 1 2pm")
    with pytest.raises(NotFound) as caught:
        await services.interviews.find_interview(ALICE, "acme")
    assert "Several of your interviews match “acme”" in caught.value.message
    assert "Acme Robotics: Data Analyst, Tue 1 Dec 10:00" in caught.value.message
    assert "Acme Robotics: Data Analyst, Tue 1 Dec 14:00" in caught.value.message


async def test_a_deleted_interview_is_gone_from_the_coachs_view(services: UseCases, coaching: UseCases) -> None:
    coach = Actor("test", "coach")
    club = await coaching.groups.create_group(coach, "Job Club", "Coach Kim")
    request = await coaching.groups.join(ALICE, club.invite_code, "Alice")
    await coaching.groups.decide(ALICE, request.membership.id, True)
    gone = await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")
    await services.interviews.record_interview(ALICE, "Globex", "PM", "today 2pm")
    before = await coaching.roster.seeker(coach, ALICE)
    assert sorted(r.interview.company for r in before.interviews) == ["Acme", "Globex"]
    await services.interviews.delete_interview(ALICE, gone.interview.id)
    after = await coaching.roster.seeker(coach, ALICE)
    assert [r.interview.company for r in after.interviews] == ["Globex"]
    assert all(t.follow_up.interview_id != gone.interview.id for r in after.interviews for t in r.follow_ups)


# Buttons on old nudges say what is true


async def test_done_after_an_outcome_says_the_interview_was_closed_and_records_nothing(
    services: UseCases, db: Database, clock: ManualClock, done_at_one: InterviewPlan
) -> None:
    email = by_kind(done_at_one.follow_ups)[K.THANK_YOU_EMAIL]
    await services.interviews.record_outcome(ALICE, str(done_at_one.interview.id), "offer")
    clock.advance(timedelta(days=1))
    before = await dump(db)
    for act in (
        services.follow_ups.complete,
        services.follow_ups.snooze,
        services.follow_ups.follow_up_context,
        services.follow_ups.calendar,
    ):
        with pytest.raises(InvalidInput) as closed:
            await act(ALICE, email.id)  # Done, Snooze, the buttons that open a form, Add to calendar
        assert closed.value.message == (
            "This interview (Acme: Engineer) was closed (offer) on Wed 25 Nov; nothing to do."
        )
    assert await dump(db) == before


async def test_a_reminder_replaced_by_newer_answers_says_so(services: UseCases, done_at_one: InterviewPlan) -> None:
    first = await services.interviews.record_next_steps(ALICE, str(done_at_one.interview.id), "next Friday")
    await services.interviews.record_next_steps(
        ALICE, str(done_at_one.interview.id), "next Monday"
    )  # replaces the call
    with pytest.raises(InvalidInput, match="replaced by a newer one"):
        await services.follow_ups.complete(ALICE, first.check_in.id)


async def test_buttons_after_deleting_ones_data_say_the_message_is_from_before(
    services: UseCases, done_at_one: InterviewPlan, clock: ManualClock
) -> None:
    email = by_kind(done_at_one.follow_ups)[K.THANK_YOU_EMAIL]
    await services.your_data.delete(ALICE, clock.now())
    for act in (services.follow_ups.complete, services.follow_ups.snooze):
        with pytest.raises(NotFound) as gone:
            await act(ALICE, email.id)
        assert "this message is from before that" in gone.value.message

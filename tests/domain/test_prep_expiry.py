"""A prep nudge is no use once its interview has started: it stops being open and overdue everywhere it is listed."""

from __future__ import annotations

from datetime import timedelta

from bot.clocks import ManualClock
from bot.domain import coaching
from bot.domain.models import FollowUpKind, FollowUpStatus
from tests import coach_support as build
from tests.support import ALICE, UseCases, utc

K = FollowUpKind


async def test_an_unclicked_prep_leaves_the_seekers_listings_when_the_interview_starts(
    services: UseCases, clock: ManualClock
) -> None:
    made = await services.interviews.record_interview(ALICE, "Acme", "Engineer", "2026-11-26 11:00")  # prep due 10:00
    [prep] = [f for f in made.follow_ups if f.kind is K.PREP]
    async with services.db.transaction() as tx:  # the nudge went out; the seeker never clicked Done
        await tx.execute("UPDATE follow_ups SET status = 'sent' WHERE id = ?", (prep.id,))

    clock.set(utc(2026, 11, 26, 10, 30))  # before the start: still open, and overdue
    listed = {o.follow_up.kind: o.follow_up for o in await services.follow_ups.open_follow_ups(ALICE)}
    assert listed[K.PREP].is_overdue(clock.now())
    [summary] = await services.interviews.list_interviews(ALICE)
    assert summary.next_follow_up is not None and summary.next_follow_up.kind is K.PREP

    clock.set(utc(2026, 11, 26, 11))  # the interview starts
    assert K.PREP not in {o.follow_up.kind for o in await services.follow_ups.open_follow_ups(ALICE)}
    [summary] = await services.interviews.list_interviews(ALICE)
    assert summary.next_follow_up is not None and summary.next_follow_up.kind is K.THANK_YOU_EMAIL


def test_a_prep_past_its_interviews_start_is_not_overdue_for_the_coach() -> None:
    start = build.NOW - timedelta(hours=2)
    prep = build.follow_up(1, K.PREP, start - timedelta(hours=1))
    done = build.follow_up(2, K.PREP, start - timedelta(hours=1), interview_id=2, status=FollowUpStatus.DONE)
    email = build.follow_up(3, K.THANK_YOU_EMAIL, start - timedelta(minutes=1))
    history = build.history(
        interviews=[build.interview(1, at=start), build.interview(2, at=start)], follow_ups=[prep, done, email]
    )
    line = coaching.roster_line(build.seeker(), history, build.NOW)
    assert (line.overdue, line.oldest_overdue) == (1, email.due_at)
    report = coaching.seeker_report(build.seeker(), history, build.NOW)
    shown = {t.follow_up.id: t.state for r in report.interviews for t in r.follow_ups}
    assert shown == {2: coaching.FollowUpState.DONE, 3: coaching.FollowUpState.OVERDUE}  # the lapsed prep is gone

    before = coaching.roster_line(build.seeker(), history, start - timedelta(minutes=30))
    assert before.overdue == 1  # the prep, overdue for the half hour before the interview

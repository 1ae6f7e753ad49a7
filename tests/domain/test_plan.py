"""The follow-up rules as pure functions, against fixed instants (no clock, no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain import plan
from bot.domain.models import FollowUpKind, QuietHours
from bot.settings import ScheduleSettings
from tests.support import WEDNESDAY_1500_UTC, utc

SCHEDULE = ScheduleSettings().rules()
NIGHT = QuietHours(time(21, 0), time(8, 0))
NEW_YORK = ZoneInfo("America/New_York")
UTC_PREFS = plan.Prefs(ZoneInfo("UTC"), NIGHT)
NY_PREFS = plan.Prefs(NEW_YORK, NIGHT)


def ny(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=NEW_YORK)


def by_kind(drafts: list) -> dict[FollowUpKind, object]:
    kinds = [d.kind for d in drafts]
    assert len(kinds) == len(set(kinds)), kinds
    return {d.kind: d for d in drafts}


# business_day


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 23), date(2026, 11, 23)),  # Monday
        (date(2026, 11, 25), date(2026, 11, 25)),  # Wednesday
        (date(2026, 11, 27), date(2026, 11, 27)),  # Friday
        (date(2026, 11, 28), date(2026, 11, 30)),  # Saturday -> Monday
        (date(2026, 11, 29), date(2026, 11, 30)),  # Sunday -> Monday
        (date(2026, 12, 31), date(2026, 12, 31)),  # Thursday
        (date(2027, 1, 2), date(2027, 1, 4)),  # Saturday across a year end
    ],
)
def test_business_day(day: date, expected: date) -> None:
    assert plan.business_day(day) == expected


# quiet hours


@pytest.mark.parametrize(
    ("local", "quiet"),
    [
        (time(21, 0), True),
        (time(23, 59), True),
        (time(0, 0), True),
        (time(7, 59, 59), True),
        (time(8, 0), False),
        (time(12, 0), False),
        (time(20, 59, 59), False),
    ],
)
def test_wrapping_quiet_hours_contain(local: time, quiet: bool) -> None:
    assert NIGHT.contains(local) is quiet


def test_quiet_hours_with_equal_start_and_end_are_off() -> None:
    always_open = QuietHours(time(9, 0), time(9, 0))
    assert not any(always_open.contains(time(h, m)) for h in range(24) for m in (0, 30))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (utc(2026, 11, 25, 15, 0), utc(2026, 11, 25, 15, 0)),  # daytime: unchanged
        (utc(2026, 11, 25, 20, 59), utc(2026, 11, 25, 20, 59)),  # just before the start
        (utc(2026, 11, 25, 21, 0), utc(2026, 11, 26, 8, 0)),  # the start is quiet: next morning
        (utc(2026, 11, 25, 23, 30), utc(2026, 11, 26, 8, 0)),  # before midnight: next morning
        (utc(2026, 11, 26, 3, 0), utc(2026, 11, 26, 8, 0)),  # after midnight: same morning
        (utc(2026, 11, 26, 8, 0), utc(2026, 11, 26, 8, 0)),  # the end is not quiet
    ],
)
def test_outside_wrapping_quiet_hours_in_utc(moment: datetime, expected: datetime) -> None:
    result = plan.outside_quiet_hours(moment, UTC_PREFS)
    assert result == expected
    assert result.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (utc(2026, 11, 25, 12, 59), utc(2026, 11, 25, 12, 59)),
        (utc(2026, 11, 25, 13, 0), utc(2026, 11, 25, 14, 0)),
        (utc(2026, 11, 25, 13, 30), utc(2026, 11, 25, 14, 0)),
        (utc(2026, 11, 25, 14, 0), utc(2026, 11, 25, 14, 0)),
        (utc(2026, 11, 25, 23, 0), utc(2026, 11, 25, 23, 0)),
    ],
)
def test_outside_non_wrapping_quiet_hours(moment: datetime, expected: datetime) -> None:
    lunch = plan.Prefs(ZoneInfo("UTC"), QuietHours(time(13, 0), time(14, 0)))
    assert plan.outside_quiet_hours(moment, lunch) == expected


def test_no_quiet_hours_when_start_equals_end() -> None:
    never = plan.Prefs(ZoneInfo("UTC"), QuietHours(time(0, 0), time(0, 0)))
    for hour in (0, 3, 21, 23):
        moment = utc(2026, 11, 25, hour, 0)
        assert plan.outside_quiet_hours(moment, never) == moment


def test_quiet_hours_are_local_to_the_seeker() -> None:
    # 02:30 UTC is 21:30 the evening before in New York: quiet until 08:00 EST = 13:00 UTC.
    assert plan.outside_quiet_hours(utc(2026, 11, 26, 2, 30), NY_PREFS) == utc(2026, 11, 26, 13, 0)
    # 22:00 UTC is 17:00 in New York: not quiet there, although it would be in UTC.
    assert plan.outside_quiet_hours(utc(2026, 11, 25, 22, 0), NY_PREFS) == utc(2026, 11, 25, 22, 0)


def test_quiet_hours_end_across_the_autumn_clock_change() -> None:
    # Saturday 2026-10-31 22:00 EDT (UTC-4); clocks go back overnight, so 08:00 Sunday is EST (UTC-5).
    evening = ny(2026, 10, 31, 22, 0)
    assert evening.utcoffset() == timedelta(hours=-4)
    assert plan.outside_quiet_hours(evening, NY_PREFS) == utc(2026, 11, 1, 13, 0)


# a newly logged interview


def test_future_interview_gets_prep_thank_yous_next_steps_and_check_in() -> None:
    interview_at = utc(2026, 11, 27, 14, 0)  # Friday
    drafts = plan.interview_follow_ups(interview_at, WEDNESDAY_1500_UTC, UTC_PREFS, SCHEDULE)
    assert [d.kind for d in drafts] == [
        FollowUpKind.PREP,
        FollowUpKind.THANK_YOU_EMAIL,
        FollowUpKind.HANDWRITTEN_NOTE,
        FollowUpKind.NEXT_STEPS,
        FollowUpKind.CHECK_IN,
    ]
    got = {d.kind: (d.due_at, d.notify_at, d.deadline_at) for d in drafts}
    deadline = utc(2026, 11, 28, 14, 0)
    assert got == {
        FollowUpKind.PREP: (utc(2026, 11, 27, 13, 0), utc(2026, 11, 27, 13, 0), None),
        FollowUpKind.THANK_YOU_EMAIL: (utc(2026, 11, 27, 16, 0), utc(2026, 11, 27, 16, 0), deadline),
        FollowUpKind.HANDWRITTEN_NOTE: (utc(2026, 11, 27, 18, 0), utc(2026, 11, 27, 18, 0), deadline),
        FollowUpKind.NEXT_STEPS: (utc(2026, 11, 27, 16, 0), utc(2026, 11, 27, 16, 0), None),
        # Friday + 7 days = Friday 2026-12-04, at the default 10:00.
        FollowUpKind.CHECK_IN: (utc(2026, 12, 4, 10, 0), utc(2026, 12, 4, 10, 0), None),
    }
    assert all(d.due_at.utcoffset() == timedelta(0) for d in drafts)


def test_past_interview_gets_no_prep() -> None:
    interview_at = utc(2026, 11, 25, 13, 0)  # two hours ago
    drafts = by_kind(plan.interview_follow_ups(interview_at, WEDNESDAY_1500_UTC, UTC_PREFS, SCHEDULE))
    assert FollowUpKind.PREP not in drafts
    assert drafts[FollowUpKind.THANK_YOU_EMAIL].due_at == utc(2026, 11, 25, 15, 0)
    assert drafts[FollowUpKind.HANDWRITTEN_NOTE].due_at == utc(2026, 11, 25, 17, 0)
    assert drafts[FollowUpKind.CHECK_IN].due_at == utc(2026, 12, 2, 10, 0)


def test_prep_for_an_interview_within_the_hour_is_due_now() -> None:
    interview_at = utc(2026, 11, 25, 15, 30)
    drafts = by_kind(plan.interview_follow_ups(interview_at, WEDNESDAY_1500_UTC, UTC_PREFS, SCHEDULE))
    assert drafts[FollowUpKind.PREP].due_at == WEDNESDAY_1500_UTC


def test_prep_that_quiet_hours_push_past_the_interview_is_dropped() -> None:
    # Prep would be 07:00, quiet until 08:00: the interview itself.
    early = plan.interview_follow_ups(utc(2026, 11, 26, 8, 0), WEDNESDAY_1500_UTC, UTC_PREFS, SCHEDULE)
    assert FollowUpKind.PREP not in {d.kind for d in early}
    # Prep would be 07:30: moved to 08:00, still before the 08:30 interview.
    later = by_kind(plan.interview_follow_ups(utc(2026, 11, 26, 8, 30), WEDNESDAY_1500_UTC, UTC_PREFS, SCHEDULE))
    assert later[FollowUpKind.PREP].due_at == utc(2026, 11, 26, 7, 30)
    assert later[FollowUpKind.PREP].notify_at == utc(2026, 11, 26, 8, 0)


def test_evening_interview_nudges_wait_for_the_morning_but_keep_their_deadline() -> None:
    interview_at = utc(2026, 11, 25, 20, 0)
    drafts = by_kind(plan.interview_follow_ups(interview_at, WEDNESDAY_1500_UTC, UTC_PREFS, SCHEDULE))
    email = drafts[FollowUpKind.THANK_YOU_EMAIL]
    assert (email.due_at, email.notify_at, email.deadline_at) == (
        utc(2026, 11, 25, 22, 0),
        utc(2026, 11, 26, 8, 0),
        utc(2026, 11, 26, 20, 0),
    )
    note = drafts[FollowUpKind.HANDWRITTEN_NOTE]
    assert (note.due_at, note.notify_at) == (utc(2026, 11, 26, 0, 0), utc(2026, 11, 26, 8, 0))


def test_check_in_a_week_after_a_saturday_interview_moves_to_monday() -> None:
    drafts = by_kind(plan.interview_follow_ups(utc(2026, 11, 28, 11, 0), WEDNESDAY_1500_UTC, UTC_PREFS, SCHEDULE))
    assert drafts[FollowUpKind.CHECK_IN].due_at == utc(2026, 12, 7, 10, 0)  # Sat 12-05 -> Mon 12-07


def test_interview_rules_use_the_seekers_local_day_and_hour() -> None:
    # Thursday 21:00 in New York is already Friday 02:00 in UTC.
    interview_at = ny(2026, 11, 26, 21, 0)
    drafts = by_kind(plan.interview_follow_ups(interview_at, WEDNESDAY_1500_UTC, NY_PREFS, SCHEDULE))
    # Thursday + 7 = Thursday 2026-12-03, 10:00 EST = 15:00 UTC (not Friday, as a UTC date would give).
    assert drafts[FollowUpKind.CHECK_IN].due_at == utc(2026, 12, 3, 15, 0)
    # The thank-you email is due 23:00 local, quiet: sent 08:00 EST = 13:00 UTC.
    email = drafts[FollowUpKind.THANK_YOU_EMAIL]
    assert email.due_at == utc(2026, 11, 27, 4, 0)
    assert email.notify_at == utc(2026, 11, 27, 13, 0)
    assert email.deadline_at == utc(2026, 11, 28, 2, 0)


def test_check_in_across_the_autumn_clock_change_stays_at_ten_local() -> None:
    # Thursday 2026-10-29 14:00 EDT (18:00 UTC); the check-in a week later is after the change to EST.
    interview_at = ny(2026, 10, 29, 14, 0)
    drafts = by_kind(plan.interview_follow_ups(interview_at, utc(2026, 10, 28, 12, 0), NY_PREFS, SCHEDULE))
    assert drafts[FollowUpKind.PREP].due_at == utc(2026, 10, 29, 17, 0)
    assert drafts[FollowUpKind.CHECK_IN].due_at == utc(2026, 11, 5, 15, 0)  # 10:00 EST


# check-in calls


def test_default_check_in_is_the_day_after_the_decision() -> None:
    draft = plan.default_check_in(utc(2026, 11, 25, 13, 0), utc(2026, 12, 2, 17, 0), UTC_PREFS, SCHEDULE)
    assert (draft.kind, draft.due_at, draft.notify_at) == (
        FollowUpKind.CHECK_IN,
        utc(2026, 12, 3, 10, 0),
        utc(2026, 12, 3, 10, 0),
    )


def test_default_check_in_after_a_friday_decision_is_on_monday() -> None:
    draft = plan.default_check_in(utc(2026, 11, 25, 13, 0), utc(2026, 12, 4, 17, 0), UTC_PREFS, SCHEDULE)
    assert draft.due_at == utc(2026, 12, 7, 10, 0)


def test_default_check_in_without_decision_is_a_week_after_the_interview() -> None:
    draft = plan.default_check_in(utc(2026, 11, 25, 13, 0), None, UTC_PREFS, SCHEDULE)
    assert draft.due_at == utc(2026, 12, 2, 10, 0)


def test_default_check_in_uses_the_local_decision_day() -> None:
    # 2026-12-03 02:00 UTC is Wednesday 12-02 21:00 in New York: the call is Thursday 10:00 EST.
    draft = plan.default_check_in(utc(2026, 11, 25, 13, 0), utc(2026, 12, 3, 2, 0), NY_PREFS, SCHEDULE)
    assert draft.due_at == utc(2026, 12, 3, 15, 0)


def test_follow_through_without_a_date_is_a_week_later() -> None:
    draft = plan.follow_through(WEDNESDAY_1500_UTC, None, False, UTC_PREFS, SCHEDULE)
    assert (draft.kind, draft.due_at) == (FollowUpKind.CHECK_IN, utc(2026, 12, 2, 10, 0))


def test_follow_through_on_a_heard_day_uses_the_default_hour_and_skips_weekends() -> None:
    saturday = utc(2026, 12, 5, 0, 0)
    draft = plan.follow_through(WEDNESDAY_1500_UTC, saturday, False, UTC_PREFS, SCHEDULE)
    assert draft.due_at == utc(2026, 12, 7, 10, 0)


def test_follow_through_keeps_a_heard_time() -> None:
    draft = plan.follow_through(WEDNESDAY_1500_UTC, utc(2026, 12, 3, 14, 30), True, UTC_PREFS, SCHEDULE)
    assert draft.due_at == utc(2026, 12, 3, 14, 30)
    sunday = plan.follow_through(WEDNESDAY_1500_UTC, utc(2026, 12, 6, 14, 30), True, UTC_PREFS, SCHEDULE)
    assert sunday.due_at == utc(2026, 12, 7, 14, 30)


def test_follow_through_keeps_a_local_time_in_another_zone() -> None:
    draft = plan.follow_through(WEDNESDAY_1500_UTC, ny(2026, 12, 3, 14, 30), True, NY_PREFS, SCHEDULE)
    assert draft.due_at == utc(2026, 12, 3, 19, 30)


def test_a_call_agreed_inside_quiet_hours_is_notified_in_the_morning() -> None:
    draft = plan.follow_through(WEDNESDAY_1500_UTC, utc(2026, 12, 3, 22, 0), True, UTC_PREFS, SCHEDULE)
    assert (draft.due_at, draft.notify_at) == (utc(2026, 12, 3, 22, 0), utc(2026, 12, 4, 8, 0))


# after a rejection


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 11, 25, 15, 0), utc(2026, 11, 26, 10, 0)),  # Wednesday -> Thursday
        (utc(2026, 11, 27, 15, 0), utc(2026, 11, 30, 10, 0)),  # Friday -> Monday
        (utc(2026, 11, 28, 15, 0), utc(2026, 11, 30, 10, 0)),  # Saturday -> Monday
        (utc(2026, 11, 29, 15, 0), utc(2026, 11, 30, 10, 0)),  # Sunday -> Monday
    ],
)
def test_feedback_request_is_the_next_business_day_at_ten(now: datetime, expected: datetime) -> None:
    draft = plan.feedback_request(now, UTC_PREFS, SCHEDULE)
    assert (draft.kind, draft.due_at, draft.notify_at, draft.deadline_at) == (
        FollowUpKind.FEEDBACK_REQUEST,
        expected,
        expected,
        None,
    )


def test_feedback_request_counts_from_the_local_day() -> None:
    # Thursday 03:00 UTC is Wednesday 22:00 in New York: the next business day there is Thursday.
    draft = plan.feedback_request(utc(2026, 11, 26, 3, 0), NY_PREFS, SCHEDULE)
    assert draft.due_at == utc(2026, 11, 26, 15, 0)


# snooze


def test_snooze_by_a_day() -> None:
    moved = plan.snooze(FollowUpKind.THANK_YOU_EMAIL, WEDNESDAY_1500_UTC, timedelta(days=1), None, UTC_PREFS)
    assert moved == plan.Snoozed(utc(2026, 11, 26, 15, 0), utc(2026, 11, 26, 15, 0), past_deadline=False)


def test_snooze_past_the_deadline_says_so() -> None:
    def snoozed(deadline: datetime) -> plan.Snoozed:
        return plan.snooze(FollowUpKind.THANK_YOU_EMAIL, WEDNESDAY_1500_UTC, timedelta(days=1), deadline, UTC_PREFS)

    before, at, after = (
        snoozed(utc(2026, 11, 26, 16, 0)),
        snoozed(utc(2026, 11, 26, 15, 0)),
        snoozed(utc(2026, 11, 26, 14, 59)),
    )
    assert (before.past_deadline, at.past_deadline, after.past_deadline) == (False, False, True)


def test_snooze_into_quiet_hours_notifies_when_they_end() -> None:
    moved = plan.snooze(FollowUpKind.THANK_YOU_EMAIL, WEDNESDAY_1500_UTC, timedelta(hours=7), None, UTC_PREFS)
    assert (moved.due_at, moved.notify_at) == (utc(2026, 11, 25, 22, 0), utc(2026, 11, 26, 8, 0))


@pytest.mark.parametrize("kind", [FollowUpKind.CHECK_IN, FollowUpKind.FEEDBACK_REQUEST])
def test_a_call_snoozed_onto_a_weekend_moves_to_monday_at_the_same_time(kind: FollowUpKind) -> None:
    friday_10 = utc(2026, 11, 27, 10, 0)
    moved = plan.snooze(kind, friday_10, timedelta(days=1), None, UTC_PREFS)
    assert moved.due_at == utc(2026, 11, 30, 10, 0)
    stays = plan.snooze(FollowUpKind.THANK_YOU_EMAIL, friday_10, timedelta(days=1), None, UTC_PREFS)
    assert stays.due_at == utc(2026, 11, 28, 10, 0)  # an email can be sent on a Saturday


def test_local_at_is_stored_in_utc() -> None:
    at = plan.local_at(date(2026, 7, 1), time(10, 0), NEW_YORK)
    assert at == datetime(2026, 7, 1, 14, 0, tzinfo=UTC)
    assert at.tzinfo is UTC


def test_thank_yous_long_overdue_when_logged_are_not_planned() -> None:
    """Deadline (24 h after) passed more than a day before logging: no burst of thank-you and note DMs."""
    lapsed = by_kind(plan.interview_follow_ups(utc(2026, 11, 23, 14, 59), WEDNESDAY_1500_UTC, UTC_PREFS, SCHEDULE))
    assert FollowUpKind.THANK_YOU_EMAIL not in lapsed and FollowUpKind.HANDWRITTEN_NOTE not in lapsed
    assert FollowUpKind.NEXT_STEPS in lapsed and FollowUpKind.CHECK_IN in lapsed
    recent = by_kind(plan.interview_follow_ups(utc(2026, 11, 23, 15, 0), WEDNESDAY_1500_UTC, UTC_PREFS, SCHEDULE))
    assert FollowUpKind.THANK_YOU_EMAIL in recent and FollowUpKind.HANDWRITTEN_NOTE in recent


def test_a_moved_interview_says_why_each_follow_up_still_to_do_is_not_planned_again() -> None:
    kinds = frozenset()
    quiet = plan.replanned(utc(2026, 11, 26, 8, 0), WEDNESDAY_1500_UTC, UTC_PREFS, SCHEDULE, kinds, True)
    assert quiet.dropped == [(FollowUpKind.PREP, plan.Dropped.QUIET)]
    weeks_ago = plan.replanned(utc(2026, 11, 10, 10), WEDNESDAY_1500_UTC, UTC_PREFS, SCHEDULE, kinds, False)
    assert weeks_ago.dropped == [
        (FollowUpKind.PREP, plan.Dropped.STARTED),
        (FollowUpKind.THANK_YOU_EMAIL, plan.Dropped.LAPSED),
        (FollowUpKind.HANDWRITTEN_NOTE, plan.Dropped.LAPSED),
    ]
    assert {d.kind for d in weeks_ago.drafts} == {FollowUpKind.NEXT_STEPS}  # no call: `default_call` was False
    done = frozenset({FollowUpKind.PREP})
    assert plan.replanned(utc(2026, 11, 10, 10), WEDNESDAY_1500_UTC, UTC_PREFS, SCHEDULE, done, True).dropped[0] == (
        FollowUpKind.THANK_YOU_EMAIL,
        plan.Dropped.LAPSED,
    )  # done is done, not dropped

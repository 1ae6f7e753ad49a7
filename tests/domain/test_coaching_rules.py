"""The pure coaching rules: follow-up states, roster lines and order, reports, the digest, its slots, the CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.content.roster_csv import HEADER, roster_csv
from bot.domain import coaching
from bot.domain.coaching import FollowUpState, GroupRoster, RosterLine, Stage
from bot.domain.models import CheckIn, CoachGroup, DigestPlan, FollowUpKind, FollowUpStatus, NextSteps, Outcome
from tests.coach_support import NOW, follow_up, history, interview, seeker
from tests.support import utc

K = FollowUpKind
S = FollowUpStatus


# Follow-up states and interview stages


@pytest.mark.parametrize(
    ("status", "due", "snoozes", "expected"),
    [
        (S.DONE, NOW - timedelta(days=3), 0, FollowUpState.DONE),
        (S.UNDELIVERABLE, NOW - timedelta(days=3), 0, FollowUpState.UNDELIVERABLE),  # explains the overdue
        (S.SENT, NOW - timedelta(minutes=1), 0, FollowUpState.OVERDUE),
        (S.PENDING, NOW, 2, FollowUpState.OVERDUE),  # a snooze that ran out is overdue again
        (S.PENDING, NOW + timedelta(hours=1), 1, FollowUpState.SNOOZED),
        (S.PENDING, NOW + timedelta(hours=1), 0, FollowUpState.DUE),
        (S.FAILED, NOW + timedelta(hours=1), 0, FollowUpState.DUE),
    ],
)
def test_follow_up_state(status: FollowUpStatus, due: datetime, snoozes: int, expected: FollowUpState) -> None:
    item = follow_up(1, K.CHECK_IN, due, status=status, snoozes=snoozes)
    assert coaching.follow_up_state(item, NOW) is expected


def test_stage() -> None:
    past, future = interview(1), interview(2, at=NOW + timedelta(days=1))
    steps = NextSteps(1, NOW + timedelta(days=7), None, None, None, None, NOW)
    assert coaching.stage(future, None, 0, NOW) is Stage.UPCOMING
    assert coaching.stage(past, None, 0, NOW) is Stage.INTERVIEWED
    assert coaching.stage(past, steps, 0, NOW) is Stage.FOLLOWING_UP
    assert coaching.stage(past, None, 1, NOW) is Stage.FOLLOWING_UP
    closed = replace(past, outcome=Outcome.REJECTED, outcome_at=NOW)
    assert coaching.stage(closed, steps, 2, NOW) is Stage.REJECTED


# Roster lines and their order


def test_roster_line_counts_open_interviews_overdue_items_and_last_activity() -> None:
    seen = history(
        interviews=[
            interview(1, created=utc(2026, 11, 20)),
            interview(2, created=utc(2026, 11, 21), outcome=Outcome.OFFER, outcome_at=utc(2026, 11, 23)),
        ],
        follow_ups=[
            follow_up(1, K.THANK_YOU_EMAIL, utc(2026, 11, 21, 9), status=S.SENT),
            follow_up(2, K.HANDWRITTEN_NOTE, utc(2026, 11, 22, 9), status=S.UNDELIVERABLE),
            follow_up(3, K.CHECK_IN, utc(2026, 11, 22, 9), status=S.DONE, done_at=utc(2026, 11, 24, 8)),
            follow_up(4, K.CHECK_IN, NOW + timedelta(days=2), status=S.PENDING),
        ],
        check_ins=[CheckIn(1, 1, "Delayed", None, utc(2026, 11, 22, 10))],
    )
    line = coaching.roster_line(seeker(), seen, NOW)
    assert (line.open_interviews, line.overdue, line.oldest_overdue) == (1, 2, utc(2026, 11, 21, 9))
    assert line.last_activity == utc(2026, 11, 24, 8)  # the check-in call marked done


def test_no_activity_at_all() -> None:
    line = coaching.roster_line(seeker(), history(), NOW)
    assert (line.open_interviews, line.overdue, line.oldest_overdue, line.last_activity) == (0, 0, None, None)


def line(name: str, overdue: int, oldest: datetime | None, active: datetime | None, user_id: int) -> RosterLine:
    return RosterLine(seeker(user_id, name), 1, overdue, oldest, active)


def test_roster_order_most_overdue_first_then_longest_overdue_then_longest_quiet_then_name() -> None:
    lines = [
        line("Quiet recently", 0, None, utc(2026, 11, 24), 1),
        line("One overdue, recent", 1, utc(2026, 11, 24), utc(2026, 11, 20), 2),
        line("Three overdue", 3, utc(2026, 11, 24), utc(2026, 11, 24), 3),
        line("Never active", 0, None, None, 4),
        line("One overdue, old", 1, utc(2026, 11, 10), utc(2026, 11, 24), 5),
        line("bea", 0, None, utc(2026, 11, 1), 6),
        line("Ann", 0, None, utc(2026, 11, 1), 7),
    ]
    assert [x.seeker.name for x in coaching.roster_order(lines)] == [
        "Three overdue",
        "One overdue, old",
        "One overdue, recent",
        "Never active",
        "Ann",
        "bea",
        "Quiet recently",
    ]


def test_roster_order_is_stable_with_fifty_seekers() -> None:
    lines = [line(f"S{i:02}", i % 4, utc(2026, 11, 1 + i % 7), utc(2026, 11, 20), i) for i in range(50)]
    ordered = coaching.roster_order(lines)
    overdue = [x.overdue for x in ordered]
    assert overdue == sorted(overdue, reverse=True)
    assert coaching.roster_order(list(reversed(lines))) == ordered


# A seeker's report: private notes stay private unless shared


def test_report_withholds_private_notes_unless_shared() -> None:
    closed = interview(
        2, outcome=Outcome.REJECTED, outcome_at=NOW, notes="salary 80k", outcome_notes="they liked Bob better"
    )
    seen = history(interviews=[interview(1, notes="nervous about SQL"), closed])
    steps = NextSteps(1, NOW + timedelta(days=7), 3, None, "panel", "the manager seemed keen", NOW)
    seen.next_steps[1] = steps

    private = coaching.seeker_report(seeker(), seen, NOW)
    assert not private.notes_shared
    assert [r.interview.id for r in private.interviews] == [1, 2]  # open first, then closed
    assert all(r.interview.notes is None and r.interview.outcome_notes is None for r in private.interviews)
    kept = private.interviews[0].next_steps
    assert kept is not None and kept.notes is None and kept.rounds == "panel" and kept.candidates == 3

    shared = coaching.seeker_report(seeker(), replace(seen, share_notes=True), NOW)
    assert shared.notes_shared
    assert shared.interviews[0].interview.notes == "nervous about SQL"
    assert shared.interviews[1].interview.outcome_notes == "they liked Bob better"
    assert shared.interviews[0].next_steps == steps


def test_report_tracks_each_follow_up_and_call_under_its_interview() -> None:
    seen = history(
        interviews=[interview(1), interview(2)],
        follow_ups=[
            follow_up(1, K.THANK_YOU_EMAIL, NOW - timedelta(hours=1), interview_id=1),
            follow_up(2, K.CHECK_IN, NOW + timedelta(days=1), interview_id=2, status=S.PENDING, snoozes=1),
        ],
        check_ins=[CheckIn(1, 2, "Still deciding", None, NOW - timedelta(days=1))],
    )
    report = coaching.seeker_report(seeker(), seen, NOW)
    first, second = report.interviews
    assert [t.state for t in first.follow_ups] == [FollowUpState.OVERDUE]
    assert [t.state for t in second.follow_ups] == [FollowUpState.SNOOZED]
    assert [c.heard for c in second.check_ins] == ["Still deciding"]
    assert (first.stage, second.stage) == (Stage.INTERVIEWED, Stage.FOLLOWING_UP)
    assert report.line.overdue == 1


# The weekly digest's content


def test_digest_reports_what_happened_since_the_last_one() -> None:
    since, until = utc(2026, 11, 16, 9), utc(2026, 11, 23, 9)
    maya = history(
        interviews=[
            interview(1, created=utc(2026, 11, 16, 9)),  # exactly at `since`: in the last digest
            interview(2, created=utc(2026, 11, 18)),
            interview(3, created=utc(2026, 11, 1), outcome=Outcome.OFFER, outcome_at=utc(2026, 11, 20)),
            interview(4, created=utc(2026, 11, 1), outcome=Outcome.REJECTED, outcome_at=utc(2026, 11, 10)),
        ],
        follow_ups=[
            follow_up(1, K.THANK_YOU_EMAIL, utc(2026, 11, 18, 16), interview_id=2),  # overdue, in window
            follow_up(2, K.HANDWRITTEN_NOTE, utc(2026, 11, 18, 18), interview_id=2, status=S.UNDELIVERABLE),
            follow_up(3, K.THANK_YOU_EMAIL, utc(2026, 11, 18, 16), interview_id=1, status=S.DONE),  # done
            follow_up(4, K.THANK_YOU_EMAIL, utc(2026, 11, 10), interview_id=1),  # overdue, but reported before
            follow_up(5, K.CHECK_IN, utc(2026, 11, 23, 9), interview_id=1),  # due exactly now: missed
            follow_up(6, K.CHECK_IN, utc(2026, 11, 23, 10), interview_id=2, status=S.PENDING),  # not yet due
            follow_up(7, K.NEXT_STEPS, utc(2026, 11, 18, 16), interview_id=2),  # not a thank-you or a call
        ],
    )
    omar = history(user_id=2, dms_closed_at=utc(2026, 11, 1))
    reports = [
        coaching.seeker_report(seeker(1, "Maya"), maya, until),
        coaching.seeker_report(seeker(2, "Omar", dms_closed_at=utc(2026, 11, 1)), omar, until),
    ]
    digest = coaching.build_digest(reports, since, until, until)
    assert (digest.since, digest.until, digest.seekers, digest.quiet) == (since, until, 2, False)
    assert [i.interview.id for i in digest.new_interviews] == [2]
    assert [i.follow_up.id for i in digest.overdue_thank_yous if i.follow_up] == [1, 2]
    assert [i.follow_up.id for i in digest.missed_check_ins if i.follow_up] == [5]
    assert [(i.interview.id, i.at) for i in digest.outcomes] == [(3, utc(2026, 11, 20))]
    assert [s.name for s in digest.unreachable] == ["Omar"]


def test_a_quiet_week() -> None:
    report = coaching.seeker_report(seeker(), history(), NOW)
    digest = coaching.build_digest([report], NOW - timedelta(days=7), NOW, NOW)
    assert digest.quiet
    assert digest.seekers == 1


# The digest's slots, in the coach's zone


def plan(zone: str = "UTC", **changes: object) -> DigestPlan:
    base = DigestPlan(
        coach_id=1,
        timezone=zone,
        weekday=0,
        at=time(9, 0),
        enabled=True,
        started_at=NOW,
        schedule_set_at=NOW,
        last_sent_at=None,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_slots_in_utc() -> None:
    weekly = plan()
    assert coaching.slot_at_or_before(weekly, NOW) == utc(2026, 11, 23, 9)  # the Monday before
    assert coaching.next_slot(weekly, NOW) == utc(2026, 11, 30, 9)
    assert coaching.slot_at_or_before(weekly, utc(2026, 11, 30, 9)) == utc(2026, 11, 30, 9)  # at the slot
    assert coaching.slot_at_or_before(weekly, utc(2026, 11, 30, 8, 59)) == utc(2026, 11, 23, 9)


def test_slots_keep_local_time_across_a_daylight_saving_change() -> None:
    new_york = plan("America/New_York")  # clocks go back on Sunday 1 November 2026
    assert coaching.slot_at_or_before(new_york, utc(2026, 11, 2, 13, 30)) == utc(2026, 10, 26, 13)  # 09:00 EDT
    assert coaching.next_slot(new_york, utc(2026, 11, 2, 13, 30)) == utc(2026, 11, 2, 14)  # 09:00 EST
    friday = plan("Asia/Tokyo", weekday=4, at=time(8, 30))
    assert coaching.next_slot(friday, NOW) == datetime(2026, 11, 26, 23, 30, tzinfo=UTC)  # Fri 08:30 JST


def test_digest_due_only_for_a_slot_promised_and_not_yet_sent() -> None:
    fresh = plan()  # started on Wednesday: last Monday's slot was never promised
    assert not coaching.digest_due(fresh, NOW)
    monday = utc(2026, 11, 30, 9)
    assert not coaching.digest_due(fresh, monday - timedelta(minutes=1))
    assert coaching.digest_due(fresh, monday)
    assert coaching.digest_due(fresh, monday + timedelta(days=3))  # missed while the bot was down
    assert not coaching.digest_due(replace(fresh, last_sent_at=monday), monday + timedelta(days=3))
    assert not coaching.digest_due(replace(fresh, enabled=False), monday)
    assert not coaching.digest_due(
        replace(fresh, schedule_set_at=monday + timedelta(hours=1)), monday + timedelta(days=1)
    )
    assert coaching.digest_since(fresh) == NOW
    assert coaching.digest_since(replace(fresh, last_sent_at=monday)) == monday


# The CSV export


def test_roster_csv() -> None:
    group = CoachGroup(1, "Spring, Club", "ABCDEFGHJKMN", NOW)
    lines = [
        RosterLine(seeker(1, '=HYPERLINK("http://x")'), 2, 3, utc(2026, 11, 20, 9), utc(2026, 11, 24)),
        RosterLine(seeker(2, "Omar", dms_closed_at=NOW), 0, 0, None, None),
    ]
    rows = list(csv.reader(io.StringIO(roster_csv([GroupRoster(group, lines)]).decode("utf-8-sig"))))
    assert tuple(rows[0]) == HEADER
    assert rows[1] == [
        "Spring, Club",
        '\'=HYPERLINK("http://x")',  # a spreadsheet shows it as text instead of running it
        "u1",
        "2",
        "3",
        "2026-11-20T09:00:00+00:00",
        "2026-11-24T00:00:00+00:00",
        "no",
        "test",  # the platform seeker_id belongs to: a group may span Discord and Slack
    ]
    assert rows[2] == ["Spring, Club", "Omar", "u2", "0", "0", "", "", "yes", "test"]
    assert roster_csv([]).decode("utf-8-sig") == ",".join(HEADER) + "\r\n"


def test_csv_files_carry_a_utf8_byte_order_mark_for_excel() -> None:
    """Excel reads a CSV without a BOM in the local code page: José and عمر would come out garbled."""
    group = CoachGroup(1, "Club", "ABCDEFGHJKMN", NOW)
    lines = [RosterLine(seeker(1, "José"), 0, 0, None, None), RosterLine(seeker(2, "عمر"), 0, 0, None, None)]
    data = roster_csv([GroupRoster(group, lines)])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\xef\xbb\xbf") == 1
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["José", "عمر"]
    assert tuple(rows[0]) == HEADER  # the mark is not part of the first column's name


# A follow-up with a deadline is judged against it, however often it was snoozed


def snoozed_all_week() -> tuple[datetime, coaching.SeekerReport]:
    """A thank-you for an interview 8 days ago, due within 24 hours, snoozed daily ever since."""
    interviewed = NOW - timedelta(days=8)
    deadline = interviewed + timedelta(hours=24)
    late = replace(
        follow_up(1, K.THANK_YOU_EMAIL, NOW + timedelta(hours=5), status=S.PENDING, snoozes=7),
        deadline_at=deadline,
    )
    seen = history(interviews=[interview(1, at=interviewed)], follow_ups=[late])
    return deadline, coaching.seeker_report(seeker(), seen, NOW)


def test_a_thank_you_snoozed_past_its_deadline_is_overdue_for_the_coach() -> None:
    deadline, report = snoozed_all_week()
    [tracked] = report.interviews[0].follow_ups
    assert tracked.state is FollowUpState.OVERDUE
    assert tracked.follow_up.overdue_from == deadline
    assert (report.line.overdue, report.line.oldest_overdue) == (1, deadline)


def test_a_snooze_before_the_deadline_is_still_only_snoozed() -> None:
    item = replace(
        follow_up(1, K.THANK_YOU_EMAIL, NOW + timedelta(hours=2), status=S.PENDING, snoozes=1),
        deadline_at=NOW + timedelta(hours=5),
    )
    assert coaching.follow_up_state(item, NOW) is FollowUpState.SNOOZED
    assert coaching.follow_up_state(item, NOW + timedelta(hours=5)) is FollowUpState.OVERDUE


def test_the_digest_lists_a_snoozed_thank_you_in_the_week_its_deadline_passed() -> None:
    deadline, report = snoozed_all_week()
    that_week = coaching.build_digest([report], deadline - timedelta(days=1), deadline + timedelta(days=6), NOW)
    assert [(d.follow_up and d.follow_up.id, d.at) for d in that_week.overdue_thank_yous] == [(1, deadline)]
    this_week = coaching.build_digest([report], NOW - timedelta(days=7), NOW, NOW)
    assert this_week.overdue_thank_yous == []  # reported once, when it went overdue; not "due" a week later


def test_a_thank_you_past_its_due_time_is_late_only_at_its_deadline_and_listed_that_week() -> None:
    due, deadline = utc(2026, 11, 29, 18, 30), utc(2026, 11, 30, 16, 30)
    item = replace(follow_up(1, K.THANK_YOU_EMAIL, due, status=S.SENT), deadline_at=deadline)
    assert coaching.follow_up_state(item, deadline - timedelta(minutes=1)) is FollowUpState.DUE
    assert coaching.follow_up_state(item, deadline) is FollowUpState.OVERDUE
    seen = history(interviews=[interview(1, at=utc(2026, 11, 29, 16, 30))], follow_ups=[item])
    report = coaching.seeker_report(seeker(), seen, utc(2026, 12, 7, 9))
    week = coaching.build_digest([report], utc(2026, 11, 30, 15), utc(2026, 12, 7, 9), utc(2026, 12, 7, 9))
    assert [(d.follow_up and d.follow_up.id, d.at) for d in week.overdue_thank_yous] == [(1, deadline)]

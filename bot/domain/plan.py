"""The follow-up rules as pure functions: (interview, answers, preferences, now) -> follow-ups."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.models import FollowUpDraft, FollowUpKind, QuietHours
from bot.domain.rules import FollowUpRules

SATURDAY = 5


@dataclass(frozen=True, slots=True)
class Prefs:
    """The seeker's local context that every rule needs."""

    zone: ZoneInfo
    quiet_hours: QuietHours


def business_day(day: date) -> date:
    """Calls fall on business days: a Saturday or Sunday moves to the Monday after."""
    if day.weekday() >= SATURDAY:
        return day + timedelta(days=7 - day.weekday())
    return day


def local_at(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def outside_quiet_hours(moment: datetime, prefs: Prefs) -> datetime:
    """The first instant at or after `moment` that is outside the seeker's quiet hours."""
    local = moment.astimezone(prefs.zone)
    quiet = prefs.quiet_hours
    if not quiet.contains(local.timetz().replace(tzinfo=None)):
        return moment
    end_day = local.date()
    if quiet.start > quiet.end and local.time() >= quiet.start:
        end_day += timedelta(days=1)
    return local_at(end_day, quiet.end, prefs.zone)


# Follow-ups set for a time of day in the seeker's zone ("10:00 on the agreed day"), rather than an offset from
# the interview: when the seeker changes zone they keep their wall-clock time.
WALL_CLOCK_KINDS = frozenset({FollowUpKind.CHECK_IN, FollowUpKind.FEEDBACK_REQUEST})


def same_wall_clock(moment: datetime, old: ZoneInfo, new: ZoneInfo) -> datetime:
    """The instant showing in `new` the date and time `moment` showed in `old`."""
    return moment.astimezone(old).replace(tzinfo=new).astimezone(UTC)


def draft(kind: FollowUpKind, due: datetime, prefs: Prefs, deadline: datetime | None = None) -> FollowUpDraft:
    due = due.astimezone(UTC)
    return FollowUpDraft(kind=kind, due_at=due, notify_at=outside_quiet_hours(due, prefs), deadline_at=deadline)


def check_in_call(day: date, prefs: Prefs, schedule: FollowUpRules, at: time | None = None) -> FollowUpDraft:
    """A call on `day` (moved off weekends) at the time agreed with the employer, else at the default hour."""
    due = local_at(business_day(day), at or schedule.check_in_hour, prefs.zone)
    return replace(draft(FollowUpKind.CHECK_IN, due, prefs), time_agreed=at is not None)


def default_check_in(
    interview_at: datetime, decision_by: datetime | None, prefs: Prefs, schedule: FollowUpRules
) -> FollowUpDraft:
    """No check-back date was agreed: the day after the expected decision, else a week after."""
    if decision_by is not None:
        day = decision_by.astimezone(prefs.zone).date() + timedelta(days=1)
    else:
        day = interview_at.astimezone(prefs.zone).date() + timedelta(days=schedule.default_check_in_after_days)
    return check_in_call(day, prefs, schedule)


LONG_OVERDUE = timedelta(days=1)


def thank_yous_lapsed(interview_at: datetime, now: datetime, schedule: FollowUpRules) -> bool:
    """The thank-yous' deadline passed more than LONG_OVERDUE before now: nudging for them would be noise
    (an interview logged weeks late, or a date read months off), so they are not planned."""
    return now - (interview_at + schedule.thank_you_deadline) > LONG_OVERDUE


def interview_follow_ups(
    interview_at: datetime, now: datetime, prefs: Prefs, schedule: FollowUpRules
) -> list[FollowUpDraft]:
    """What a newly logged interview needs: prep (if still ahead), thank-yous (unless long overdue), next
    steps, a check-in."""
    deadline = interview_at + schedule.thank_you_deadline
    drafts = []
    if interview_at > now:
        prep = draft(FollowUpKind.PREP, max(now, interview_at - schedule.prep_before), prefs)
        # Quiet hours could push the prep nudge past the interview itself; then it is no use.
        if prep.notify_at < interview_at:
            drafts.append(prep)
    if not thank_yous_lapsed(interview_at, now, schedule):
        drafts += [
            draft(FollowUpKind.THANK_YOU_EMAIL, interview_at + schedule.thank_you_email_after, prefs, deadline),
            draft(FollowUpKind.HANDWRITTEN_NOTE, interview_at + schedule.handwritten_note_after, prefs, deadline),
        ]
    drafts += [
        draft(FollowUpKind.NEXT_STEPS, interview_at + schedule.next_steps_after, prefs),
        default_check_in(interview_at, None, prefs, schedule),
    ]
    # An interview logged after the fact has follow-ups already due: they are sent now, not "late".
    return [replace(d, notify_at=max(d.notify_at, now)) for d in drafts]


def follow_through(
    called_at: datetime,
    next_check_back: datetime | None,
    has_time: bool,
    prefs: Prefs,
    schedule: FollowUpRules,
) -> FollowUpDraft:
    """After a check-in call: the next call on the date heard, else a week later."""
    if next_check_back is None:
        day = called_at.astimezone(prefs.zone).date() + timedelta(days=schedule.follow_through_after_days)
        return check_in_call(day, prefs, schedule)
    local = next_check_back.astimezone(prefs.zone)
    return check_in_call(local.date(), prefs, schedule, local.timetz().replace(tzinfo=None) if has_time else None)


def feedback_request(now: datetime, prefs: Prefs, schedule: FollowUpRules) -> FollowUpDraft:
    """After a rejection: ask for feedback on the next business day at the check-in hour."""
    day = business_day(now.astimezone(prefs.zone).date() + timedelta(days=1))
    return draft(FollowUpKind.FEEDBACK_REQUEST, local_at(day, schedule.check_in_hour, prefs.zone), prefs)


@dataclass(frozen=True, slots=True)
class Snoozed:
    due_at: datetime
    notify_at: datetime
    past_deadline: bool


def snooze(kind: FollowUpKind, now: datetime, by: timedelta, deadline: datetime | None, prefs: Prefs) -> Snoozed:
    """Later by `by`; a call (or feedback request) that would land on a weekend moves to Monday."""
    due = now + by
    if kind in WALL_CLOCK_KINDS:
        local = due.astimezone(prefs.zone)
        due = local_at(business_day(local.date()), local.timetz().replace(tzinfo=None), prefs.zone)
    return Snoozed(
        due_at=due,
        notify_at=outside_quiet_hours(due, prefs),
        past_deadline=deadline is not None and due > deadline,
    )


# Follow-ups timed from the interview itself: they move when the interview does.
INTERVIEW_TIMED_KINDS = frozenset(
    {FollowUpKind.PREP, FollowUpKind.THANK_YOU_EMAIL, FollowUpKind.HANDWRITTEN_NOTE, FollowUpKind.NEXT_STEPS}
)


class Dropped(enum.StrEnum):
    """Why a follow-up timed from the interview is not planned again for its new time."""

    STARTED = "started"  # a prep, once the interview has started
    QUIET = "quiet"  # a prep whose nudge quiet hours would hold back until the interview
    LAPSED = "lapsed"  # thank-yous whose deadline passed more than LONG_OVERDUE ago


@dataclass(frozen=True, slots=True)
class Replan:
    drafts: list[FollowUpDraft]
    dropped: list[tuple[FollowUpKind, Dropped]]  # wanted again, but no use at the new time


def replanned(
    interview_at: datetime,
    now: datetime,
    prefs: Prefs,
    schedule: FollowUpRules,
    done: frozenset[FollowUpKind],
    default_call: bool,
) -> Replan:
    """The plan of an interview moved to `interview_at`: each follow-up timed from it and not done yet, planned
    afresh (or dropped, with why), and the default check-in call after it when `default_call`."""
    wanted = (INTERVIEW_TIMED_KINDS - done) | ({FollowUpKind.CHECK_IN} if default_call else set())
    drafts = [d for d in interview_follow_ups(interview_at, now, prefs, schedule) if d.kind in wanted]
    planned = {d.kind for d in drafts}
    prep_dropped = Dropped.STARTED if interview_at <= now else Dropped.QUIET
    missing = sorted(wanted - planned - {FollowUpKind.CHECK_IN}, key=list(FollowUpKind).index)
    dropped = [(kind, prep_dropped if kind is FollowUpKind.PREP else Dropped.LAPSED) for kind in missing]
    return Replan(drafts, dropped)

"""What a coach sees, as pure functions of the seekers' stored histories and the time: follow-up states,
roster lines and their order, a seeker's report with private notes withheld, the weekly digest and its slots."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from bot.domain.models import (
    CheckIn,
    CoachGroup,
    DigestPlan,
    Feedback,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Interview,
    NextSteps,
    SeekerHistory,
)
from bot.domain.plan import local_at

THANK_YOUS = frozenset({FollowUpKind.THANK_YOU_EMAIL, FollowUpKind.HANDWRITTEN_NOTE})


class FollowUpState(enum.StrEnum):
    DONE = "done"
    DUE = "due"
    OVERDUE = "overdue"
    SNOOZED = "snoozed"
    UNDELIVERABLE = "undeliverable"  # the bot could not DM the seeker


def follow_up_state(item: FollowUp, now: datetime) -> FollowUpState:
    """The one state a coach sees; a closed DM explains an overdue item, so it wins."""
    if item.status is FollowUpStatus.DONE:
        return FollowUpState.DONE
    if item.status is FollowUpStatus.UNDELIVERABLE:
        return FollowUpState.UNDELIVERABLE
    if item.is_overdue(now):
        return FollowUpState.OVERDUE
    if item.snoozes:
        return FollowUpState.SNOOZED
    return FollowUpState.DUE


class Stage(enum.StrEnum):
    UPCOMING = "upcoming"
    INTERVIEWED = "interviewed"  # no answers yet to "what happens next?"
    FOLLOWING_UP = "following up"  # answers recorded or calls made: waiting on a decision
    OFFER = "offer"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


def stage(interview: Interview, steps: NextSteps | None, calls: int, now: datetime) -> Stage:
    if interview.outcome is not None:
        return Stage(interview.outcome.value)
    if interview.scheduled_at > now:
        return Stage.UPCOMING
    return Stage.FOLLOWING_UP if steps is not None or calls else Stage.INTERVIEWED


@dataclass(frozen=True, slots=True)
class Seeker:
    """A consenting seeker as their coaches know them: the name they joined with and their groups."""

    user_id: int
    external_id: str
    name: str
    groups: tuple[str, ...]
    dms_closed_at: datetime | None
    platform: str  # where they use the bot: a coach on another platform shows them by name, DMs go there


@dataclass(frozen=True, slots=True)
class TrackedFollowUp:
    follow_up: FollowUp
    state: FollowUpState


@dataclass(frozen=True, slots=True)
class InterviewReport:
    interview: Interview
    stage: Stage
    next_steps: NextSteps | None
    follow_ups: list[TrackedFollowUp]
    check_ins: list[CheckIn]
    feedback: list[Feedback]


@dataclass(frozen=True, slots=True)
class RosterLine:
    seeker: Seeker
    open_interviews: int
    overdue: int
    oldest_overdue: datetime | None
    last_activity: datetime | None


@dataclass(frozen=True, slots=True)
class SeekerReport:
    """One seeker's job hunt as a coach may see it: private notes are already gone unless shared."""

    seeker: Seeker
    notes_shared: bool
    line: RosterLine
    interviews: list[InterviewReport]


@dataclass(frozen=True, slots=True)
class GroupRoster:
    group: CoachGroup
    lines: list[RosterLine]  # most overdue first


def last_activity(history: SeekerHistory) -> datetime | None:
    """The latest thing the seeker did: logged an interview, answers, a call, an outcome, feedback, a done."""
    moments = [i.created_at for i in history.interviews]
    moments += [i.outcome_at for i in history.interviews if i.outcome_at is not None]
    moments += [s.recorded_at for s in history.next_steps.values()]
    moments += [c.called_at for c in history.check_ins]
    moments += [f.recorded_at for f in history.feedback]
    moments += [f.done_at for f in history.follow_ups if f.done_at is not None]
    return max(moments, default=None)


def roster_line(seeker: Seeker, history: SeekerHistory, now: datetime) -> RosterLine:
    overdue = [f.overdue_from for f in history.current_follow_ups(now) if f.is_overdue(now)]
    return RosterLine(
        seeker=seeker,
        open_interviews=sum(i.is_open for i in history.interviews),
        overdue=len(overdue),
        oldest_overdue=min(overdue, default=None),
        last_activity=last_activity(history),
    )


def roster_order(lines: list[RosterLine]) -> list[RosterLine]:
    """Most overdue follow-ups first, then the longest overdue, then the longest quiet, then by name."""
    never, long_ago = datetime.max.replace(tzinfo=UTC), datetime.min.replace(tzinfo=UTC)

    def key(line: RosterLine) -> tuple[int, datetime, datetime, str, int]:
        oldest = line.oldest_overdue or never
        quiet_since = line.last_activity or long_ago
        return (-line.overdue, oldest, quiet_since, line.seeker.name.casefold(), line.seeker.user_id)

    return sorted(lines, key=key)


def seeker_report(seeker: Seeker, history: SeekerHistory, now: datetime) -> SeekerReport:
    """Open interviews first (soonest first), then closed ones (latest outcome first)."""
    shared = history.share_notes
    by_interview: dict[int, list[TrackedFollowUp]] = {}
    for item in history.current_follow_ups(now):
        by_interview.setdefault(item.interview_id, []).append(TrackedFollowUp(item, follow_up_state(item, now)))
    reports = []
    for interview in history.interviews:
        steps = history.next_steps.get(interview.id)
        calls = [c for c in history.check_ins if c.interview_id == interview.id]
        current = stage(interview, steps, len(calls), now)
        if not shared:
            interview = replace(interview, notes=None, outcome_notes=None)
            steps = None if steps is None else replace(steps, notes=None)
        reports.append(
            InterviewReport(
                interview=interview,
                stage=current,
                next_steps=steps,
                follow_ups=by_interview.get(interview.id, []),
                check_ins=calls,
                feedback=[f for f in history.feedback if f.interview_id == interview.id],
            )
        )
    open_first = sorted((r for r in reports if r.interview.is_open), key=lambda r: r.interview.scheduled_at)
    closed = sorted(
        (r for r in reports if not r.interview.is_open),
        key=lambda r: r.interview.outcome_at or r.interview.created_at,
        reverse=True,
    )
    return SeekerReport(seeker, shared, roster_line(seeker, history, now), open_first + closed)


# The weekly digest


@dataclass(frozen=True, slots=True)
class DigestItem:
    seeker: Seeker
    interview: Interview
    at: datetime  # when it happened or fell due
    follow_up: FollowUp | None = None


@dataclass(frozen=True, slots=True)
class Digest:
    since: datetime
    until: datetime
    slot: datetime  # the weekly slot it is for: the same however late (or how often) it is built
    seekers: int
    new_interviews: list[DigestItem]
    overdue_thank_yous: list[DigestItem]
    missed_check_ins: list[DigestItem]
    outcomes: list[DigestItem]
    unreachable: list[Seeker]

    @property
    def quiet(self) -> bool:
        return not (
            self.new_interviews or self.overdue_thank_yous or self.missed_check_ins or self.outcomes or self.unreachable
        )


def build_digest(reports: list[SeekerReport], since: datetime, until: datetime, slot: datetime) -> Digest:
    """The digest for `slot`, of what happened in (since, until]: new interviews, thank-yous and check-in calls
    that fell due and are still not done, outcomes; and every seeker the bot cannot DM right now."""

    def within(moment: datetime) -> bool:
        return since < moment <= until

    new, thank_yous, calls, outcomes = [], [], [], []
    for report in reports:
        for item in report.interviews:
            interview = item.interview
            if within(interview.created_at):
                new.append(DigestItem(report.seeker, interview, interview.created_at))
            if interview.outcome_at is not None and within(interview.outcome_at):
                outcomes.append(DigestItem(report.seeker, interview, interview.outcome_at))
            for tracked in item.follow_ups:
                follow_up = tracked.follow_up
                if not (follow_up.is_overdue(until) and within(follow_up.overdue_from)):
                    continue
                entry = DigestItem(report.seeker, interview, follow_up.overdue_from, follow_up)
                if follow_up.kind in THANK_YOUS:
                    thank_yous.append(entry)
                elif follow_up.kind is FollowUpKind.CHECK_IN:
                    calls.append(entry)
    unreachable = sorted((r.seeker for r in reports if r.seeker.dms_closed_at is not None), key=lambda s: s.name)

    def by_time(items: list[DigestItem]) -> list[DigestItem]:
        return sorted(items, key=lambda d: (d.at, d.seeker.name.casefold()))

    return Digest(
        since=since,
        until=until,
        slot=slot,
        seekers=len(reports),
        new_interviews=by_time(new),
        overdue_thank_yous=by_time(thank_yous),
        missed_check_ins=by_time(calls),
        outcomes=by_time(outcomes),
        unreachable=unreachable,
    )


def slot_at_or_before(plan: DigestPlan, moment: datetime) -> datetime:
    """The latest digest slot (weekday and time in the coach's zone) at or before `moment`, in UTC."""
    zone = plan.zone
    local = moment.astimezone(zone)
    day = local.date() - timedelta(days=(local.weekday() - plan.weekday) % 7)
    slot = local_at(day, plan.at, zone)
    return slot if slot <= moment else local_at(day - timedelta(days=7), plan.at, zone)


def next_slot(plan: DigestPlan, moment: datetime) -> datetime:
    """The first digest slot after `moment`."""
    previous = slot_at_or_before(plan, moment).astimezone(plan.zone)
    return local_at(previous.date() + timedelta(days=7), plan.at, plan.zone)


def digest_due(plan: DigestPlan, now: datetime) -> bool:
    """A slot has passed that was promised (after the schedule was set) and not yet sent for."""
    if not plan.enabled:
        return False
    reference = max(plan.schedule_set_at, plan.last_sent_at or plan.schedule_set_at)
    return slot_at_or_before(plan, now) > reference


def next_digest_at(plan: DigestPlan, now: datetime) -> datetime | None:
    """When the coach's digest row is next due: the first slot after the last digest sent (or the schedule set)
    and after `now`, so a slot that passed unsent (no group to report on) is not sent late. None: it is off."""
    if not plan.enabled:
        return None
    reference = max(plan.schedule_set_at, plan.last_sent_at or plan.schedule_set_at)
    return next_slot(plan, max(reference, now))


def digest_since(plan: DigestPlan) -> datetime:
    """A digest covers what happened since the last one, or since the coach started."""
    return plan.last_sent_at or plan.started_at


@dataclass(frozen=True, slots=True)
class Encouragement:
    """A coach's message to a seeker, sent by the bot as a DM."""

    coach_name: str
    groups: tuple[str, ...]
    text: str


@dataclass(frozen=True, slots=True)
class CoachAdded:
    """News for a group's members: a co-coach now sees what they share with it."""

    coach_name: str
    group: str


@dataclass(frozen=True, slots=True)
class GroupDeleted:
    """News for a deleted group's members and co-coaches: it is gone, and nothing is shared through it."""

    group: str
    owner_name: str

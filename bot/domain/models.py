"""Typed domain objects. Every datetime is timezone-aware and in UTC unless a name says otherwise."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo


class FollowUpKind(enum.StrEnum):
    PREP = "prep"
    THANK_YOU_EMAIL = "thank_you_email"
    HANDWRITTEN_NOTE = "handwritten_note"
    NEXT_STEPS = "next_steps"
    CHECK_IN = "check_in"
    FEEDBACK_REQUEST = "feedback_request"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    FollowUpKind.PREP: "Prepare your closing questions",
    FollowUpKind.THANK_YOU_EMAIL: "Send a thank-you email",
    FollowUpKind.HANDWRITTEN_NOTE: "Send a handwritten note",
    FollowUpKind.NEXT_STEPS: "Record what happens next",
    FollowUpKind.CHECK_IN: "Make the check-in call",
    FollowUpKind.FEEDBACK_REQUEST: "Ask for feedback",
}


class FollowUpStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for notify_at
    CLAIMED = "claimed"  # leased by a dispatcher pass that is sending it
    SENT = "sent"  # the nudge was delivered; waiting for the seeker to act
    DONE = "done"
    CANCELLED = "cancelled"  # made moot: an outcome, or newer answers replaced it
    UNDELIVERABLE = "undeliverable"  # the seeker's DMs are closed
    FAILED = "failed"  # delivery kept failing; last_error says why

    @property
    def is_open(self) -> bool:
        return self in _OPEN_STATUSES


_OPEN_STATUSES = frozenset(
    {
        FollowUpStatus.PENDING,
        FollowUpStatus.CLAIMED,
        FollowUpStatus.SENT,
        FollowUpStatus.UNDELIVERABLE,
        FollowUpStatus.FAILED,
    }
)


class Outcome(enum.StrEnum):
    OFFER = "offer"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A daily window in local time when no nudge is sent; it may wrap past midnight."""

    start: time
    end: time

    def contains(self, local: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end


@dataclass(frozen=True, slots=True)
class User:
    id: int
    platform: str
    external_id: str
    timezone: str
    quiet_hours: QuietHours
    dm_channel: str | None
    dms_closed_at: datetime | None
    dms_closed_notice_pending: bool
    timezone_chosen: bool = False  # False: still the default zone, never confirmed by the user
    workspace: str | None = None  # where the platform has them (a Slack workspace); None: global (Discord)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class Interview:
    id: int
    user_id: int
    company: str
    role: str
    scheduled_at: datetime
    interviewer: str | None
    contact: str | None
    notes: str | None
    outcome: Outcome | None
    outcome_notes: str | None
    outcome_at: datetime | None
    created_at: datetime

    @property
    def is_open(self) -> bool:
        return self.outcome is None

    @property
    def title(self) -> str:
        return f"{self.company}: {self.role}"


@dataclass(frozen=True, slots=True)
class NextSteps:
    """The answers to "what happens next?", asked at the end of the interview."""

    interview_id: int
    check_back_at: datetime
    candidates: int | None
    decision_by: datetime | None
    rounds: str | None
    notes: str | None
    recorded_at: datetime
    check_back_agreed: bool = True  # False: they named no date, and check_back_at is the planned call


@dataclass(frozen=True, slots=True)
class FollowUp:
    id: int
    interview_id: int
    user_id: int
    kind: FollowUpKind
    due_at: datetime
    notify_at: datetime  # due_at moved out of the seeker's quiet hours
    deadline_at: datetime | None
    status: FollowUpStatus
    attempts: int
    snoozes: int
    sent_at: datetime | None
    done_at: datetime | None
    last_error: str | None
    created_at: datetime
    unreachable_since: datetime | None = None  # its first send that failed because Discord was unreachable
    time_agreed: bool = False  # agreed with the employer: keeps its instant when the seeker changes zone

    @property
    def overdue_from(self) -> datetime:
        """When it is late: its deadline if it has one (a thank-you is due at 2 hours but late only after 24,
        however far a snooze moved it), else its due time."""
        return self.due_at if self.deadline_at is None else self.deadline_at

    def is_overdue(self, now: datetime) -> bool:
        return self.status.is_open and self.overdue_from <= now

    @property
    def may_have_been_sent(self) -> bool:
        """Claimed before with a send that may have reached the platform: one that failed (it may have arrived
        all the same), or one whose lease ran out (the process died mid-send), each counted as an attempt."""
        return self.attempts > 0 or self.unreachable_since is not None

    def expired(self, interview_at: datetime, now: datetime) -> bool:
        """A prep that is still open when its interview starts is no use any more: no longer open, nor overdue."""
        return self.kind is FollowUpKind.PREP and self.status.is_open and interview_at <= now


@dataclass(frozen=True, slots=True)
class FollowUpDraft:
    """A follow-up the plan wants, before it is stored."""

    kind: FollowUpKind
    due_at: datetime
    notify_at: datetime
    deadline_at: datetime | None = None
    time_agreed: bool = False


@dataclass(frozen=True, slots=True)
class CheckIn:
    id: int
    interview_id: int
    heard: str
    next_check_back_at: datetime | None
    called_at: datetime


@dataclass(frozen=True, slots=True)
class Feedback:
    id: int
    interview_id: int
    text: str
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class Nudge:
    """Everything a notifier needs to show one due follow-up, without another query."""

    follow_up: FollowUp
    interview: Interview
    next_steps: NextSteps | None
    last_check_in: CheckIn | None
    user: User
    late: bool


@dataclass(frozen=True, slots=True)
class InterviewSummary:
    interview: Interview
    next_follow_up: FollowUp | None


class MembershipStatus(enum.StrEnum):
    PENDING = "pending"  # joined with the invite code; nothing is shared until they accept
    ACTIVE = "active"  # consented: the group's coaches see them
    DECLINED = "declined"
    LEFT = "left"
    REMOVED = "removed"  # by a coach


@dataclass(frozen=True, slots=True)
class CoachGroup:
    id: int
    name: str
    invite_code: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Membership:
    """A seeker's place in a coach's group; `display_name` is the name they had when they joined."""

    id: int
    group_id: int
    group_name: str
    user_id: int
    display_name: str
    status: MembershipStatus
    requested_at: datetime
    decided_at: datetime | None
    ended_at: datetime | None


@dataclass(frozen=True, slots=True)
class DigestPlan:
    """When a coach gets their weekly digest: `weekday` (Monday is 0) at `at`, in their time zone."""

    coach_id: int
    timezone: str
    weekday: int
    at: time
    enabled: bool
    started_at: datetime
    schedule_set_at: datetime
    last_sent_at: datetime | None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class SeekerHistory:
    """Everything stored about one seeker's job hunt, as read for their coaches."""

    user: User
    share_notes: bool
    interviews: list[Interview]
    next_steps: dict[int, NextSteps]
    follow_ups: list[FollowUp]
    check_ins: list[CheckIn]
    feedback: list[Feedback]

    def current_follow_ups(self, now: datetime) -> list[FollowUp]:
        """Its follow-ups without the preps that expired when their interview started (like cancelled ones)."""
        starts = {i.id: i.scheduled_at for i in self.interviews}
        return [
            f for f in self.follow_ups if f.interview_id not in starts or not f.expired(starts[f.interview_id], now)
        ]

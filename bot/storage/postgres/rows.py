"""Conversions between PostgreSQL rows and domain values. asyncpg reads timestamptz as aware UTC datetimes;
what goes in is checked here, as the SQLite backend does: a naive datetime is refused, never guessed."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from bot.domain.models import (
    CheckIn,
    Feedback,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Interview,
    NextSteps,
    Outcome,
    QuietHours,
    User,
)

Row = Any  # an asyncpg Record: columns by name or position


def ts(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("refusing to store a naive datetime")
    return value


def opt_ts(value: datetime | None) -> datetime | None:
    return None if value is None else ts(value)


def clock(value: time) -> time:
    """A local wall-clock time, to the minute. One with a zone or offset has no meaning in the user's zone."""
    if value.tzinfo is not None:
        raise ValueError("refusing to store a wall-clock time with a time zone")
    return value.replace(second=0, microsecond=0)


def count(status: str) -> int:
    """The rows a statement changed, from its command tag ("UPDATE 3", "INSERT 0 1")."""
    return int(status.rsplit(" ", 1)[-1])


def user(row: Row) -> User:
    return User(
        id=row["id"],
        platform=row["platform"],
        external_id=row["external_id"],
        timezone=row["timezone"],
        quiet_hours=QuietHours(row["quiet_start"], row["quiet_end"]),
        dm_channel=row["dm_channel"],
        dms_closed_at=row["dms_closed_at"],
        dms_closed_notice_pending=row["dms_closed_notice_pending"],
        timezone_chosen=row["timezone_set_at"] is not None,
        workspace=row["workspace"],
    )


def interview(row: Row) -> Interview:
    return Interview(
        id=row["id"],
        user_id=row["user_id"],
        company=row["company"],
        role=row["role"],
        scheduled_at=row["scheduled_at"],
        interviewer=row["interviewer"],
        contact=row["contact"],
        notes=row["notes"],
        outcome=None if row["outcome"] is None else Outcome(row["outcome"]),
        outcome_notes=row["outcome_notes"],
        outcome_at=row["outcome_at"],
        created_at=row["created_at"],
    )


def next_steps(row: Row) -> NextSteps:
    return NextSteps(
        interview_id=row["interview_id"],
        check_back_at=row["check_back_at"],
        candidates=row["candidates"],
        decision_by=row["decision_by"],
        rounds=row["rounds"],
        notes=row["notes"],
        recorded_at=row["recorded_at"],
        check_back_agreed=row["check_back_agreed"],
    )


def follow_up(row: Row) -> FollowUp:
    return FollowUp(
        id=row["id"],
        interview_id=row["interview_id"],
        user_id=row["user_id"],
        kind=FollowUpKind(row["kind"]),
        due_at=row["due_at"],
        notify_at=row["notify_at"],
        deadline_at=row["deadline_at"],
        status=FollowUpStatus(row["status"]),
        attempts=row["attempts"],
        snoozes=row["snoozes"],
        sent_at=row["sent_at"],
        done_at=row["done_at"],
        last_error=row["last_error"],
        created_at=row["created_at"],
        unreachable_since=row["unreachable_since"],
        time_agreed=row["time_agreed"],
    )


def check_in(row: Row) -> CheckIn:
    return CheckIn(
        id=row["id"],
        interview_id=row["interview_id"],
        heard=row["heard"],
        next_check_back_at=row["next_check_back_at"],
        called_at=row["called_at"],
    )


def feedback(row: Row) -> Feedback:
    return Feedback(id=row["id"], interview_id=row["interview_id"], text=row["text"], recorded_at=row["recorded_at"])

"""Conversions between SQLite values and domain values; every datetime is stored as UTC ISO text."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import UTC, datetime, time

import aiosqlite

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

log = logging.getLogger(__name__)


def ts(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("refusing to store a naive datetime")
    return value.astimezone(UTC).isoformat()


def opt_ts(value: datetime | None) -> str | None:
    return None if value is None else ts(value)


def dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def opt_dt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def clock(value: time) -> str:
    """A local wall-clock time ("21:00:00"). One with a zone or offset has no meaning in the user's zone."""
    if value.tzinfo is not None:
        raise ValueError("refusing to store a wall-clock time with a time zone")
    return value.replace(second=0, microsecond=0).isoformat()


def read_clock(text: str) -> time:
    """A stored wall-clock time; one written with an offset by an older build keeps its wall-clock part."""
    return time.fromisoformat(text).replace(tzinfo=None, second=0, microsecond=0)


def quiet_hours(start: str, end: str) -> QuietHours:
    """The stored quiet hours; a value no build could have written reads as none rather than stop the user."""
    try:
        return QuietHours(read_clock(start), read_clock(end))
    except ValueError:
        log.warning("unreadable quiet hours %r–%r: treated as none", start[:20], end[:20])
        return QuietHours(time(0, 0), time(0, 0))


def json_list(values: Iterable[int | str]) -> str:
    """A JSON array for `IN (SELECT value FROM json_each(?))`: one parameter, any number of values."""
    return json.dumps(list(values))


def user(row: aiosqlite.Row) -> User:
    return User(
        id=row["id"],
        platform=row["platform"],
        external_id=row["external_id"],
        timezone=row["timezone"],
        quiet_hours=quiet_hours(row["quiet_start"], row["quiet_end"]),
        dm_channel=row["dm_channel"],
        dms_closed_at=opt_dt(row["dms_closed_at"]),
        dms_closed_notice_pending=bool(row["dms_closed_notice_pending"]),
        timezone_chosen=row["timezone_set_at"] is not None,
        workspace=row["workspace"],
    )


def interview(row: aiosqlite.Row) -> Interview:
    return Interview(
        id=row["id"],
        user_id=row["user_id"],
        company=row["company"],
        role=row["role"],
        scheduled_at=dt(row["scheduled_at"]),
        interviewer=row["interviewer"],
        contact=row["contact"],
        notes=row["notes"],
        outcome=None if row["outcome"] is None else Outcome(row["outcome"]),
        outcome_notes=row["outcome_notes"],
        outcome_at=opt_dt(row["outcome_at"]),
        created_at=dt(row["created_at"]),
    )


def next_steps(row: aiosqlite.Row) -> NextSteps:
    return NextSteps(
        interview_id=row["interview_id"],
        check_back_at=dt(row["check_back_at"]),
        candidates=row["candidates"],
        decision_by=opt_dt(row["decision_by"]),
        rounds=row["rounds"],
        notes=row["notes"],
        recorded_at=dt(row["recorded_at"]),
        check_back_agreed=bool(row["check_back_agreed"]),
    )


def follow_up(row: aiosqlite.Row) -> FollowUp:
    return FollowUp(
        id=row["id"],
        interview_id=row["interview_id"],
        user_id=row["user_id"],
        kind=FollowUpKind(row["kind"]),
        due_at=dt(row["due_at"]),
        notify_at=dt(row["notify_at"]),
        deadline_at=opt_dt(row["deadline_at"]),
        status=FollowUpStatus(row["status"]),
        attempts=row["attempts"],
        snoozes=row["snoozes"],
        sent_at=opt_dt(row["sent_at"]),
        done_at=opt_dt(row["done_at"]),
        last_error=row["last_error"],
        created_at=dt(row["created_at"]),
        unreachable_since=opt_dt(row["unreachable_since"]),
        time_agreed=bool(row["time_agreed"]),
    )


def check_in(row: aiosqlite.Row) -> CheckIn:
    return CheckIn(
        id=row["id"],
        interview_id=row["interview_id"],
        heard=row["heard"],
        next_check_back_at=opt_dt(row["next_check_back_at"]),
        called_at=dt(row["called_at"]),
    )


def feedback(row: aiosqlite.Row) -> Feedback:
    return Feedback(
        id=row["id"], interview_id=row["interview_id"], text=row["text"], recorded_at=dt(row["recorded_at"])
    )

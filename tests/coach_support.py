"""Helpers for the coaching tests: hand-built histories and a messenger that records what it was asked to send."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from bot.domain.coaching import CoachAdded, Digest, Encouragement, GroupDeleted, Seeker
from bot.domain.models import (
    CheckIn,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Interview,
    Outcome,
    QuietHours,
    SeekerHistory,
    User,
)
from bot.ports.senders import Delivery, DeliveryStatus
from bot.storage.sqlite.database import Database
from tests.support import WEDNESDAY_1500_UTC

NOW = WEDNESDAY_1500_UTC


def user(user_id: int = 1, *, dms_closed_at: datetime | None = None) -> User:
    return User(
        id=user_id,
        platform="test",
        external_id=f"u{user_id}",
        timezone="UTC",
        quiet_hours=QuietHours(time(21), time(8)),
        dm_channel=None,
        dms_closed_at=dms_closed_at,
        dms_closed_notice_pending=False,
    )


def seeker(user_id: int = 1, name: str = "Maya", *, dms_closed_at: datetime | None = None) -> Seeker:
    return Seeker(user_id, f"u{user_id}", name, ("Job Club",), dms_closed_at, "test")


def interview(
    interview_id: int,
    *,
    user_id: int = 1,
    at: datetime = NOW - timedelta(days=1),
    created: datetime | None = None,
    outcome: Outcome | None = None,
    outcome_at: datetime | None = None,
    notes: str | None = None,
    outcome_notes: str | None = None,
) -> Interview:
    return Interview(
        id=interview_id,
        user_id=user_id,
        company=f"Company{interview_id}",
        role="Analyst",
        scheduled_at=at,
        interviewer=None,
        contact=None,
        notes=notes,
        outcome=outcome,
        outcome_notes=outcome_notes,
        outcome_at=outcome_at,
        created_at=created or at,
    )


def follow_up(
    follow_up_id: int,
    kind: FollowUpKind,
    due: datetime,
    *,
    interview_id: int = 1,
    user_id: int = 1,
    status: FollowUpStatus = FollowUpStatus.SENT,
    snoozes: int = 0,
    done_at: datetime | None = None,
) -> FollowUp:
    return FollowUp(
        id=follow_up_id,
        interview_id=interview_id,
        user_id=user_id,
        kind=kind,
        due_at=due,
        notify_at=due,
        deadline_at=None,
        status=status,
        attempts=0,
        snoozes=snoozes,
        sent_at=None,
        done_at=done_at,
        last_error=None,
        created_at=due - timedelta(days=1),
    )


def history(
    *,
    user_id: int = 1,
    interviews: list[Interview] | None = None,
    follow_ups: list[FollowUp] | None = None,
    check_ins: list[CheckIn] | None = None,
    share_notes: bool = False,
    dms_closed_at: datetime | None = None,
) -> SeekerHistory:
    return SeekerHistory(
        user=user(user_id, dms_closed_at=dms_closed_at),
        share_notes=share_notes,
        interviews=interviews or [],
        next_steps={},
        follow_ups=follow_ups or [],
        check_ins=check_ins or [],
        feedback=[],
    )


class RecordingMessenger:
    """A Messenger that records every DM and answers with `status` (default: delivered)."""

    def __init__(self) -> None:
        self.digests: list[tuple[User, Digest]] = []
        self.notes: list[tuple[User, Encouragement]] = []
        self.notices: list[tuple[User, CoachAdded]] = []
        self.deletions: list[tuple[User, GroupDeleted]] = []
        self.status = DeliveryStatus.SENT

    def _delivery(self) -> Delivery:
        if self.status is DeliveryStatus.SENT:
            return Delivery(DeliveryStatus.SENT, message_ref="msg", dm_channel="dm-7")
        return Delivery(self.status, error="refused")

    async def send_digest(self, coach: User, digest: Digest) -> Delivery:
        self.digests.append((coach, digest))
        return self._delivery()

    async def send_encouragement(self, seeker: User, note: Encouragement) -> Delivery:
        self.notes.append((seeker, note))
        return self._delivery()

    async def send_coach_added(self, seeker: User, notice: CoachAdded) -> Delivery:
        self.notices.append((seeker, notice))
        return self._delivery()

    async def send_group_deleted(self, user: User, notice: GroupDeleted) -> Delivery:
        self.deletions.append((user, notice))
        return self._delivery()


async def dump_all(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, coaching tables included: equal before and after proves nothing was written."""
    async with db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") as cursor:
        tables = [row[0] for row in await cursor.fetchall()]
    dumped = {}
    for table in tables:
        async with db.conn.execute(f"SELECT * FROM {table} ORDER BY rowid") as cursor:
            dumped[table] = [tuple(row) for row in await cursor.fetchall()]
    return dumped

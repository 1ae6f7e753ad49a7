"""Domain objects for the adapter tests, with every text at its longest."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.models import FollowUp, FollowUpKind, FollowUpStatus, Interview, NextSteps, QuietHours, User
from tests.support import utc

NOW = utc(2026, 11, 25, 15)
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
LONG = "x" * 1000
SHORT = "y" * 100


def user(zone: str = "UTC") -> User:
    return User(1, "test", "u1", zone, QuietHours(time(21), time(8)), None, None, False)


def interview(interview_id: int = 1, name: str = "Acme") -> Interview:
    return Interview(interview_id, 1, name, SHORT, NOW, SHORT, SHORT, LONG, None, None, None, NOW)


def follow_up(kind: FollowUpKind) -> FollowUp:
    return FollowUp(
        1, 1, 1, kind, NOW, NOW, NOW + timedelta(hours=22), FollowUpStatus.PENDING, 0, 0, None, None, None, NOW
    )


def steps(check_back: datetime = NOW + timedelta(days=7)) -> NextSteps:
    return NextSteps(1, check_back, 9999, NOW + timedelta(days=10), SHORT, LONG, NOW)

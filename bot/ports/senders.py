"""What the use cases and delivery need to reach people: nudges and coaching's DMs, each reporting a Delivery."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from bot.domain.coaching import CoachAdded, Digest, Encouragement, GroupDeleted
from bot.domain.models import Nudge, User


class DeliveryStatus(enum.Enum):
    SENT = "sent"
    DMS_CLOSED = "dms_closed"  # permanent until the seeker opens their DMs
    RETRY = "retry"  # a transient failure: try again later
    REJECTED = "rejected"  # Discord refused this very message (4xx): sending it again cannot help


@dataclass(frozen=True, slots=True)
class Delivery:
    status: DeliveryStatus
    message_ref: str | None = None
    dm_channel: str | None = None  # the DM channel opened on the way, stored for the next nudge
    error: str | None = None
    unreachable: bool = False  # RETRY because the platform could not be reached (5xx, 429, network): not this message
    retry_after: timedelta | None = None  # how long the platform asked us to wait (a 429's Retry-After)
    duplicate: bool = False  # SENT: found already shown (sent before a crash), not shown again


class Notifier(Protocol):
    async def send(self, nudge: Nudge) -> Delivery:
        """Deliver one nudge. Must not raise for delivery failures: report them in the Delivery."""
        ...


class Messenger(Protocol):
    """Coaching's DMs: a coach's weekly digest, a coach's note to a seeker, news of a co-coach or a deleted group.

    No method may raise for a delivery failure: each reports it in the Delivery."""

    async def send_digest(self, coach: User, digest: Digest) -> Delivery: ...

    async def send_encouragement(self, seeker: User, note: Encouragement) -> Delivery: ...

    async def send_coach_added(self, seeker: User, notice: CoachAdded) -> Delivery: ...

    async def send_group_deleted(self, user: User, notice: GroupDeleted) -> Delivery: ...

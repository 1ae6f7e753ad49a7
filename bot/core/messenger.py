"""What coaching needs from the outside world: a way to DM a coach their digest and a seeker a coach's note."""

from __future__ import annotations

from typing import Protocol

from bot.core.coaching import Digest, Encouragement
from bot.core.models import User
from bot.core.ports import Delivery


class Messenger(Protocol):
    async def send_digest(self, coach: User, digest: Digest) -> Delivery:
        """Must not raise for delivery failures: report them in the Delivery."""
        ...

    async def send_encouragement(self, seeker: User, note: Encouragement) -> Delivery:
        """Must not raise for delivery failures: report them in the Delivery."""
        ...

"""What several processes sharing one database coordinate through it: wake-ups when another process schedules
a row, and one send budget per bot. With one process (SQLite) there is nothing to share: no wake-up source,
and the send budget is an in-process token bucket (bot/platforms/pacing.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

Wake = Callable[[datetime | None], None]  # a loop's wake(at): at that time (None: now), if sooner than planned


class WakeUps(Protocol):
    """Tells this process when any process scheduled a follow-up or a digest row for a time."""

    def on_follow_ups(self, wake: Wake) -> None: ...

    def on_digests(self, wake: Wake) -> None: ...


class SendBudget(Protocol):
    async def take(self) -> None:
        """Return when one more message may be sent (at once, or when the next token is due)."""
        ...

"""Waiting until discord.py has read the response that made a message (see Settlement)."""

from __future__ import annotations

import asyncio
import time

from bot.sandbox.changes import Changes, SandboxTimeout

__all__ = ["Changes", "SandboxTimeout", "Settlement"]


class Settlement:
    """Tracks when the REST response that last created or edited a message has been written out.

    discord.py attaches a View to a message only after it has read that response; a component click dispatched
    sooner could reach the bot before the View exists and be dropped. Clicks therefore wait for the response to
    be written, then give the client ``delay`` seconds to process it.
    """

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self._written: dict[int, asyncio.Event] = {}
        self._written_at: dict[int, float] = {}

    def writing(self, message_id: int) -> None:
        self._written.setdefault(message_id, asyncio.Event()).clear()

    def written(self, message_id: int) -> None:
        self._written.setdefault(message_id, asyncio.Event()).set()
        self._written_at[message_id] = time.monotonic()

    async def settled(self, message_id: int, timeout: float) -> None:
        event = self._written.get(message_id)
        if event is None:
            return
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            raise SandboxTimeout(f"the response for message {message_id} was never written") from None
        pause = self._written_at[message_id] + self.delay - time.monotonic()
        await asyncio.sleep(max(0.0, pause))

"""How long the event loop is blocked: a task meant to tick every millisecond records its longest gap."""

from __future__ import annotations

import asyncio
import time

INTERVAL = 0.001


class Heartbeat:
    def __init__(self) -> None:
        self.longest = 0.0  # seconds between two ticks; a free loop shows about INTERVAL
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._beat())

    def reset(self) -> None:
        self.longest = 0.0

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _beat(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(INTERVAL)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last)
            last = now

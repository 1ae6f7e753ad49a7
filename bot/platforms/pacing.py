"""A token bucket that keeps sends under a rate, so a burst drains steadily instead of meeting 429s."""

from __future__ import annotations

import asyncio


class TokenBucket:
    def __init__(self, rate: float, burst: int | None = None) -> None:
        """`rate` tokens a second (0 means unlimited), at most `burst` saved up. The default burst, an eighth
        of a second's worth, keeps any one-second window under rate * 1.125 (45 for 40/s, below Discord's 50)."""
        self.rate = rate
        self.capacity = float(burst if burst is not None else max(1, int(rate / 8)))
        self._tokens = self.capacity
        self._updated: float | None = None
        self._lock = asyncio.Lock()

    async def take(self) -> None:
        if self.rate <= 0:
            return
        async with self._lock:
            loop = asyncio.get_running_loop()
            now = loop.time()
            if self._updated is not None:
                self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
            self._updated = now
            if self._tokens < 1:
                wait = (1 - self._tokens) / self.rate
                await asyncio.sleep(wait)
                self._updated = loop.time()
                self._tokens = 1
            self._tokens -= 1

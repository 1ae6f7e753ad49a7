"""Waiting on the local Slack's state without polling or fixed sleeps."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class SlackTimeout(TimeoutError):
    """The app did not do what the test waited for in time."""


class Changes:
    """Wakes waiters whenever the world changes (a Web API call, an ack, a socket event), so they re-check."""

    def __init__(self) -> None:
        self._event = asyncio.Event()
        self.last_change = time.monotonic()

    def notify(self) -> None:
        self.last_change = time.monotonic()
        self._event.set()
        self._event = asyncio.Event()

    async def wait_until(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SlackTimeout(f"timed out after {timeout}s waiting for {what}")
            try:
                await asyncio.wait_for(self._event.wait(), remaining)
            except TimeoutError:
                continue

    async def wait_quiet(self, quiet: float, timeout: float, what: str) -> None:
        """Until nothing has changed for ``quiet`` seconds: the app has finished what it does after an ack."""
        deadline = time.monotonic() + timeout
        while (idle := time.monotonic() - self.last_change) < quiet:
            if time.monotonic() >= deadline:
                raise SlackTimeout(f"timed out after {timeout}s waiting for {what} to settle")
            try:
                await asyncio.wait_for(self._event.wait(), quiet - idle)
            except TimeoutError:
                continue

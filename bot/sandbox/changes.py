"""Waiting on a local platform's state without polling or fixed sleeps (shared by the local Discord and Slack)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class SandboxTimeout(TimeoutError):
    """The bot did not do what the test waited for in time."""


class Changes:
    """Wakes waiters whenever the world changes (a request, an ack, a socket event), so they re-check."""

    def __init__(self, timeout_error: type[SandboxTimeout] = SandboxTimeout) -> None:
        self._event = asyncio.Event()
        self._timeout_error = timeout_error
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
                raise self._timeout_error(f"timed out after {timeout}s waiting for {what}")
            try:
                await asyncio.wait_for(self._event.wait(), remaining)
            except TimeoutError:
                continue

    async def wait_quiet(self, quiet: float, timeout: float, what: str) -> None:
        """Until nothing has changed for ``quiet`` seconds: the bot has finished what it does after an answer."""
        deadline = time.monotonic() + timeout
        while (idle := time.monotonic() - self.last_change) < quiet:
            if time.monotonic() >= deadline:
                raise self._timeout_error(f"timed out after {timeout}s waiting for {what} to settle")
            try:
                await asyncio.wait_for(self._event.wait(), quiet - idle)
            except TimeoutError:
                continue

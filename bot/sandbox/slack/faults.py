"""Failure injection for Web API methods, and chat.postMessage's per-channel pacing.

Faults are consumed in this order: queued 429s (``rate_limit_next``), then queued errors (``fail_next``).
Undeliverable DMs are part of the world rather than a fault: set ``SlackUser.dm_error``.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

POST_MESSAGE = "chat.postMessage"


@dataclass(frozen=True)
class RateLimited:
    retry_after: int
    """Whole seconds, as Slack sends them (slack_sdk does ``int(Retry-After)``)."""


@dataclass(frozen=True)
class Failed:
    error: str
    status: int = 200
    """Slack answers most errors with 200 and ``ok: false``; 5xx for outages."""


Fault = RateLimited | Failed


class Faults:
    def __init__(self) -> None:
        self.injected: list[tuple[str, Fault]] = []
        self._queued: dict[str, deque[Fault]] = {}

    def rate_limit_next(self, method: str = POST_MESSAGE, count: int = 1, *, retry_after: int = 1) -> None:
        """Answer the next ``count`` calls of ``method`` with 429 ``ratelimited`` and ``Retry-After``."""
        self._queued.setdefault(method, deque()).extendleft([RateLimited(retry_after)] * count)

    def fail_next(
        self, method: str = POST_MESSAGE, error: str = "internal_error", count: int = 1, *, status: int = 200
    ) -> None:
        """Answer the next ``count`` calls of ``method`` with ``{"ok": false, "error": error}``."""
        self._queued.setdefault(method, deque()).extend([Failed(error, status)] * count)

    def clear(self) -> None:
        self._queued.clear()

    @property
    def rate_limited(self) -> int:
        return sum(isinstance(f, RateLimited) for _, f in self.injected)

    def draw(self, method: str) -> Fault | None:
        queue = self._queued.get(method)
        if not queue:
            return None
        fault = queue.popleft()
        self.injected.append((method, fault))
        return fault


class ChannelPacing:
    """chat.postMessage's "about 1 message per second per channel": a token bucket per channel.

    ``burst`` messages may go at once; then one more per ``interval`` seconds. Past that Slack answers 429
    with the whole seconds until the next token in ``Retry-After``.
    """

    def __init__(self, *, interval: float, burst: int, clock: Callable[[], float]) -> None:
        self.interval = interval
        self.burst = burst
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        """Per channel: tokens left and when they were counted."""

    def take(self, channel: str) -> int | None:
        """Spend a token; None when allowed, else the Retry-After in whole seconds."""
        now = self._clock()
        tokens, counted = self._buckets.get(channel, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - counted) / self.interval)
        if tokens >= 1.0:
            self._buckets[channel] = (tokens - 1.0, now)
            return None
        self._buckets[channel] = (tokens, now)
        return max(1, math.ceil((1.0 - tokens) * self.interval))

"""Failure injection for Web API methods, and chat.postMessage's pacing.

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


class TokenBucket:
    """``burst`` requests at once, then one more per ``interval`` seconds (by ``clock``)."""

    def __init__(self, *, interval: float, burst: int, clock: Callable[[], float]) -> None:
        self.interval = interval
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._counted = clock()

    def take(self) -> int | None:
        """Spend a token; None when allowed, else the Retry-After in whole seconds (at least 1)."""
        now = self._clock()
        self._tokens = min(float(self.burst), self._tokens + (now - self._counted) / self.interval)
        self._counted = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return None
        return max(1, math.ceil((1.0 - self._tokens) * self.interval))

    def refund(self) -> None:
        self._tokens = min(float(self.burst), self._tokens + 1.0)


class PostPacing:
    """chat.postMessage's limits: about 1 message per second per channel, and a workspace-wide cap.

    Past either, Slack answers 429 ``ratelimited`` with the whole seconds to wait in ``Retry-After``.
    """

    def __init__(
        self,
        *,
        channel_interval: float,
        channel_burst: int,
        workspace_interval: float,
        workspace_burst: int,
        clock: Callable[[], float],
    ) -> None:
        self._clock = clock
        self._channel = (channel_interval, channel_burst)
        self._channels: dict[str, TokenBucket] = {}
        self._workspace = TokenBucket(interval=workspace_interval, burst=workspace_burst, clock=clock)

    def take(self, channel: str) -> int | None:
        interval, burst = self._channel
        bucket = self._channels.setdefault(channel, TokenBucket(interval=interval, burst=burst, clock=self._clock))
        wait = bucket.take()
        if wait is not None:
            return wait
        wait = self._workspace.take()
        if wait is not None:
            bucket.refund()
        return wait

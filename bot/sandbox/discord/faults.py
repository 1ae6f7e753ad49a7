"""Failure injection for the routes the bot sends messages through.

Closed DMs are part of the world rather than a fault: set ``SandboxUser.dms_open = False``.
Faults are consumed in this order: queued 429s (``rate_limit_next``), queued errors (``fail_next``),
then the seeded random share of 429s (``rate_limit_share``).
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass

SEND_MESSAGE = "POST /channels/{channel_id}/messages"
"""The channel message route (DMs included), named like discord.py's ``Route.key``."""


@dataclass(frozen=True)
class RateLimitFault:
    retry_after: float
    is_global: bool


@dataclass(frozen=True)
class ErrorFault:
    status: int
    code: int
    message: str


Fault = RateLimitFault | ErrorFault

_REASONS = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 500: "Internal Server Error"}


class Faults:
    def __init__(self, *, seed: int = 0, retry_after: float = 0.05) -> None:
        self.routes: set[str] = {SEND_MESSAGE}
        """Route keys (``"METHOD /path/{param}"``) that faults apply to."""
        self.retry_after = retry_after
        self.injected: list[Fault] = []
        self._random = random.Random(seed)
        self._rate_limits: deque[RateLimitFault] = deque()
        self._errors: deque[ErrorFault] = deque()
        self._share = 0.0
        self._share_global = False

    def rate_limit_next(self, count: int = 1, *, is_global: bool = False, retry_after: float | None = None) -> None:
        """Answer the next ``count`` matching requests with 429."""
        fault = RateLimitFault(self.retry_after if retry_after is None else retry_after, is_global)
        self._rate_limits.extend([fault] * count)

    def rate_limit_share(self, ratio: float, *, is_global: bool = False) -> None:
        """Answer about ``ratio`` of matching requests with 429, drawn from the seeded generator."""
        if not 0.0 <= ratio < 1.0:
            raise ValueError("ratio must be in [0, 1): at 1 every retry would be rate limited too")
        self._share, self._share_global = ratio, is_global

    def fail_next(self, count: int = 1, status: int = 500, *, code: int = 0, message: str | None = None) -> None:
        """Answer the next ``count`` matching requests with ``status`` and a Discord error body."""
        text = message or f"{status}: {_REASONS.get(status, 'Error')}"
        self._errors.extend([ErrorFault(status, code, text)] * count)

    def clear(self) -> None:
        self._rate_limits.clear()
        self._errors.clear()
        self._share = 0.0

    @property
    def rate_limited(self) -> int:
        return sum(isinstance(f, RateLimitFault) for f in self.injected)

    @property
    def errors(self) -> int:
        return sum(isinstance(f, ErrorFault) for f in self.injected)

    def draw(self, route: str) -> Fault | None:
        """The fault to answer this request with, if any (consuming it)."""
        if route not in self.routes:
            return None
        fault: Fault | None = None
        if self._rate_limits:
            fault = self._rate_limits.popleft()
        elif self._errors:
            fault = self._errors.popleft()
        elif self._share and self._random.random() < self._share:
            fault = RateLimitFault(self.retry_after, self._share_global)
        if fault is not None:
            self.injected.append(fault)
        return fault

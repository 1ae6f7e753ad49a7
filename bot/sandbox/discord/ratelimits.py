"""Per-route rate-limit buckets and the X-RateLimit-* headers Discord sends with every response.

discord.py reads these headers to pre-emptively wait when a bucket is empty, and retries a 429 only if the
response carries a ``Via`` header (otherwise it assumes a Cloudflare ban) and a JSON body with ``retry_after``.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from aiohttp import web

from .responses import json_response


@dataclass(frozen=True)
class RateLimitPolicy:
    """Every bucket allows ``limit`` requests per ``window`` seconds (generous by default, so tests stay fast)."""

    limit: int = 50
    window: float = 1.0


@dataclass(frozen=True)
class BucketState:
    bucket: str
    limit: int
    remaining: int
    reset_after: float

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": f"{time.time() + self.reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{self.reset_after:.3f}",
            "X-RateLimit-Bucket": self.bucket,
        }


class _Window:
    def __init__(self) -> None:
        self.started = -math.inf
        self.used = 0


class RateLimiter:
    """Fixed-window buckets keyed like Discord's: route template plus its major parameter."""

    def __init__(self, policy: RateLimitPolicy) -> None:
        self.policy = policy
        self._windows: dict[str, _Window] = {}

    def take(self, route: str, major: str) -> tuple[bool, BucketState]:
        """Spend one request from the bucket; False means the bucket was already empty."""
        now = time.monotonic()
        window = self._windows.setdefault(f"{route}:{major}", _Window())
        if now - window.started >= self.policy.window:
            window.started, window.used = now, 0
        allowed = window.used < self.policy.limit
        if allowed:
            window.used += 1
        state = BucketState(
            bucket=hashlib.sha1(route.encode()).hexdigest()[:16],
            limit=self.policy.limit,
            remaining=self.policy.limit - window.used,
            reset_after=max(0.0, window.started + self.policy.window - now),
        )
        return allowed, state


def too_many_requests(retry_after: float, *, scope: str, is_global: bool, bucket: BucketState) -> web.Response:
    """A 429 exactly as Discord sends it behind its proxy (``Via``), so discord.py sleeps and retries."""
    headers = {
        **bucket.headers(),
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Scope": scope,
        "Retry-After": str(max(1, math.ceil(retry_after))),
        "Via": "1.1 google",
    }
    if is_global:
        headers["X-RateLimit-Global"] = "true"
    body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": is_global, "code": 0}
    return json_response(body, status=429, headers=headers)

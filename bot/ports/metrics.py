"""What delivery tells the operator: sends by result, lateness, claim latency, lease expiries, digests.

Delivery counts through this port and never imports a metrics library; the composition root plugs in an adapter
(bot/operations/metrics.py: Prometheus) when METRICS_PORT is set, else NoMetrics. No method may raise or block.
"""

from __future__ import annotations

import enum
from datetime import timedelta
from typing import Protocol


class SendResult(enum.Enum):
    """How one nudge's send went, as counted (each platform apart)."""

    SENT = "sent"
    RETRY = "retry"  # a transient failure: tried again with back-off
    FAILED = "failed"  # refused, out of attempts, or could not be built
    UNREACHABLE = "unreachable"  # the platform could not be reached: tried again, no attempt used
    UNDELIVERABLE = "undeliverable"  # the seeker's DMs are closed
    SUPPRESSED_DUPLICATE = "suppressed_duplicate"  # already shown (a resend after a crash): not shown twice


class Metrics(Protocol):
    def send_result(self, platform: str, result: SendResult) -> None: ...

    def nudge_lateness(self, platform: str, lateness: timedelta) -> None:
        """A nudge shown: how long after its notify_at."""
        ...

    def claim_latency(self, seconds: float) -> None:
        """One claim's transaction, start to commit (wall time)."""
        ...

    def leases_expired(self, count: int) -> None:
        """Claims found with their lease run out (their process died or stalled) and handed back."""
        ...

    def digest_sent(self, platform: str) -> None: ...


class NoMetrics:
    """Counts nothing: the default without METRICS_PORT."""

    def send_result(self, platform: str, result: SendResult) -> None:
        pass

    def nudge_lateness(self, platform: str, lateness: timedelta) -> None:
        pass

    def claim_latency(self, seconds: float) -> None:
        pass

    def leases_expired(self, count: int) -> None:
        pass

    def digest_sent(self, platform: str) -> None:
        pass

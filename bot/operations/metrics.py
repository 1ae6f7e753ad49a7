"""The metrics port in Prometheus' terms (prometheus_client), each process with its own registry.

Counters and histograms are kept as delivery reports them; the queue's gauges (pending and due per platform)
are read from the database when /metrics is scraped, so they are never stale and cost nothing between scrapes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from bot.ports.metrics import SendResult
from bot.ports.repositories import QueueCounts

PREFIX = "followthrough_"
# Lateness runs from milliseconds (a nudge on time) to days (downtime, quiet hours): buckets over that span.
LATENESS_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 86400)
CLAIM_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)


class PrometheusMetrics:
    """Implements bot.ports.metrics.Metrics."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.pending = Gauge(f"{PREFIX}follow_ups_pending", "Follow-ups waiting to be sent", ["platform"], registry=r)
        self.due = Gauge(f"{PREFIX}follow_ups_due", "Pending follow-ups already due", ["platform"], registry=r)
        self.sends = Counter(
            f"{PREFIX}sends", "Nudge sends by result (sent, retry, failed, ...)", ["platform", "result"], registry=r
        )
        self.lateness = Histogram(
            f"{PREFIX}nudge_lateness_seconds",
            "Time from a nudge's notify_at to its send",
            ["platform"],
            buckets=LATENESS_BUCKETS,
            registry=r,
        )
        self.claims = Histogram(
            f"{PREFIX}claim_seconds", "One claim of due follow-ups, start to commit", buckets=CLAIM_BUCKETS, registry=r
        )
        self.expiries = Counter(
            f"{PREFIX}lease_expiries", "Claims found with their lease run out, handed back", registry=r
        )
        self.digests = Counter(f"{PREFIX}digests_sent", "Coaches' weekly digests sent", ["platform"], registry=r)
        self._queued: set[str] = set()  # platforms the gauges have shown: one emptied since shows 0, not its last

    def send_result(self, platform: str, result: SendResult) -> None:
        self.sends.labels(platform, result.value).inc()

    def nudge_lateness(self, platform: str, lateness: timedelta) -> None:
        self.lateness.labels(platform).observe(max(lateness.total_seconds(), 0.0))

    def claim_latency(self, seconds: float) -> None:
        self.claims.observe(seconds)

    def leases_expired(self, count: int) -> None:
        self.expiries.inc(count)

    def digest_sent(self, platform: str) -> None:
        self.digests.labels(platform).inc()

    def exposition(self, counts: Mapping[str, QueueCounts], platforms: Iterable[str]) -> bytes:
        """The text format, with the queue as just counted (a platform this process runs shows 0 when empty)."""
        self._queued |= {*counts, *platforms}
        for platform in self._queued:
            found = counts.get(platform, QueueCounts(0, 0))
            self.pending.labels(platform).set(found.pending)
            self.due.labels(platform).set(found.due)
        return generate_latest(self.registry)

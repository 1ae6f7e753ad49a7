"""When the benchmark's pending follow-ups (and the alternative's jobs) fall due: shared by both sides, and
free of the bot's imports so that the APScheduler side's process loads only what that design needs."""

from __future__ import annotations

from datetime import timedelta

FIRST = timedelta(days=1)  # after the build: nothing in the big files falls due while the benchmarks run
SPREAD = timedelta(days=60)
HASH = 2654435761  # Knuth's multiplicative hash: n * HASH % seconds scatters n evenly over the spread


def offset(n: int) -> int:
    """Seconds after FIRST at which the n-th follow-up falls due."""
    return n * HASH % int(SPREAD.total_seconds())

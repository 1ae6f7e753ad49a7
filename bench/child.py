"""One side of the scheduler comparison in a process of its own, so its memory is its own:

    python -m bench.child {followthrough,jobstore} PATH DUE_AT COUNT

Starts the side on PATH, prints "ready", waits until the COUNT follow-ups due at DUE_AT (a time.time())
have been handled while a heartbeat watches the event loop, then prints one line of JSON results.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Protocol

from bench import procstat
from bench.heartbeat import Heartbeat

READY = "ready"
TIMEOUT = 120.0


class Side(Protocol):
    @property
    def handled(self) -> list[float]: ...

    def jobs_held(self) -> int: ...

    async def settle(self) -> None: ...

    async def close(self) -> None: ...


async def start(kind: str, path: Path) -> Side:
    if kind == "followthrough":
        from bench.dispatcher_burst import DispatcherSide

        return await DispatcherSide.start(path)
    from bench.apscheduler_jobstore import JobStoreSide  # imports SQLAlchemy only on this side

    return await JobStoreSide.start(path)


async def main(kind: str, path: Path, due_at: float, count: int) -> dict[str, float]:
    heartbeat = Heartbeat()
    heartbeat.start()
    await asyncio.sleep(0.01)  # the heartbeat's first ticks, so a blocking start-up shows as a gap
    side = await start(kind, path)
    print(READY, flush=True)
    results = {"startup_block_ms": heartbeat.longest * 1000, "ready_rss_mb": procstat.memory_mb(key="VmRSS")}
    heartbeat.reset()
    deadline = due_at + TIMEOUT
    while len(side.handled) < count and time.time() < deadline:  # noqa: ASYNC110 - the sides only append
        await asyncio.sleep(0.01)
    await side.settle()
    results |= {
        "handled": len(side.handled),
        "all_handled_s": max(side.handled) - due_at,
        "burst_block_ms": heartbeat.longest * 1000,
        "peak_rss_mb": procstat.memory_mb(),
        "jobs_held": side.jobs_held(),
    }
    await heartbeat.stop()
    await side.close()
    return results


if __name__ == "__main__":
    kind, path, due_at, count = sys.argv[1:]
    print(json.dumps(asyncio.run(main(kind, Path(path), float(due_at), int(count)))))

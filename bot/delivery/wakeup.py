"""The one wake-up mechanism of delivery: an APScheduler job per loop, which holds nothing but the time of its
next run. The rows are the schedule: a loop's pass sends what is due in them, then plans the next wake from
them (capped by the safety poll), and `wake()` moves it earlier for something sooner. The only module of the
delivery layer that imports APScheduler."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.ports.clock import Clock

# A row a finished pass left due was held by another transaction (a claim in flight elsewhere, or a session
# left open): look again after this, not at once and again and again until that transaction ends.
HELD_RETRY = timedelta(seconds=1)


class Wakeup:
    def __init__(
        self,
        scheduler: AsyncIOScheduler,
        job_id: str,
        clock: Clock,
        safety_poll: timedelta,
        work: Callable[[], Awaitable[None]],
        next_due: Callable[[], Awaitable[datetime | None]],
    ) -> None:
        """`work` runs a pass; `next_due` says when the rows want the next one (clock time, None: nothing)."""
        self.scheduler = scheduler
        self.job_id = job_id
        self.clock = clock
        self.safety_poll = safety_poll
        self._work = work
        self._next_due = next_due
        self.running: asyncio.Task[None] | None = None
        self.stopping = asyncio.Event()  # set by halt(): a pass in flight ends early, no new one starts
        self.runs = 0  # runs of the job ended so far
        self._run_ended = asyncio.Condition()
        self._woken_while_running = False

    def start(self) -> None:
        """Arm the job; its first run is at once (what fell due while the process was down)."""
        self.stopping.clear()
        self.scheduler.add_job(
            self._job,
            IntervalTrigger(seconds=self.safety_poll.total_seconds()),
            id=self.job_id,
            name=self.job_id,  # what APScheduler logs for each run (bench/botproc.py reads it)
            next_run_time=datetime.now(UTC),
            # APScheduler counts a run as running until a moment after it has returned; a wake in that
            # moment must not be skipped. A second instance never overlaps a run: see _job.
            max_instances=2,
            coalesce=True,
            misfire_grace_time=None,
            replace_existing=True,
        )
        if not self.scheduler.running:
            self.scheduler.start()

    def halt(self) -> asyncio.Task[None] | None:
        """Remove the job and tell a run in flight to end; returns that run, if any."""
        self.stopping.set()  # an instance already submitted but not yet started must not run
        if self.scheduler.get_job(self.job_id) is not None:
            self.scheduler.remove_job(self.job_id)
        return self.running

    def wake(self, at: datetime | None = None) -> None:
        """Run at `at` (clock time; None: now) if that is sooner than the next planned run."""
        if self.running is not None:
            self._woken_while_running = True
            return
        job = self.scheduler.get_job(self.job_id)
        if job is None:
            return
        delay = timedelta(0) if at is None else max(timedelta(0), at - self.clock.now())
        run_at = datetime.now(UTC) + delay
        if job.next_run_time is None or run_at < job.next_run_time:
            job.modify(next_run_time=run_at)

    async def wait_for_runs(self, count: int) -> None:
        """Until `count` runs of the job (each with every pass it loops through) have ended in all."""
        async with self._run_ended:
            await self._run_ended.wait_for(lambda: self.runs >= count)

    async def wait_idle(self) -> None:
        """Until no run is going, so what it sent is also recorded."""
        while self.running is not None:
            await asyncio.shield(self.running)

    async def _job(self) -> None:
        if self.stopping.is_set():
            return
        if self.running is not None:  # started while a run is still going: that run passes once more
            self._woken_while_running = True
            return
        self.running = asyncio.current_task()
        try:
            while True:
                self._woken_while_running = False
                started = self.clock.now()
                await self._work()
                if self.stopping.is_set():
                    break
                if self._woken_while_running:
                    continue
                await self._plan(started)
                # A wake heard while planning may be for a row the plan did not see yet.
                if not self._woken_while_running:
                    break
        finally:
            self.running = None
            async with self._run_ended:
                self.runs += 1
                self._run_ended.notify_all()

    async def _plan(self, pass_started: datetime) -> None:
        """The next run: when the rows want it, capped by the safety poll. A row due before the pass began was
        there for its every claim, so another transaction holds it: HELD_RETRY later."""
        due = await self._next_due()
        if due is None:
            delay = self.safety_poll
        else:
            delay = max(timedelta(0), due - self.clock.now())
            if due <= pass_started:
                delay = max(delay, HELD_RETRY)
            delay = min(self.safety_poll, delay)
        job = self.scheduler.get_job(self.job_id)  # looked up after the await: halt() may have removed it meanwhile
        if job is not None:
            job.modify(next_run_time=datetime.now(UTC) + delay)

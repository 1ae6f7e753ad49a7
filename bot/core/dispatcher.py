"""The one scheduler job that sends due follow-ups: claim a batch with a lease, deliver, mark.

The database is the source of truth: the APScheduler job holds only the time of its next wake-up,
so a restart loses nothing. A sooner follow-up wakes it early (`wake`).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.core import plan
from bot.core.models import FollowUp, Nudge
from bot.core.pacing import TokenBucket
from bot.core.ports import Clock, Delivery, DeliveryStatus, Notifier
from bot.settings import DispatchSettings
from bot.storage.database import Database
from bot.storage.follow_ups import FollowUpRepo, Retry, Sent
from bot.storage.interviews import InterviewRepo
from bot.storage.users import UserRepo

log = logging.getLogger(__name__)

JOB_ID = "follow-up-dispatcher"
MAX_BACKOFF = timedelta(hours=1)


@dataclass(slots=True)
class PassReport:
    """What one dispatcher pass did; the numbers behind logs, tests and benchmarks."""

    sent: int = 0
    late: int = 0
    undeliverable: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0
    released: int = 0
    errors: list[str] = field(default_factory=list)


class Dispatcher:
    def __init__(
        self,
        db: Database,
        notifier: Notifier,
        clock: Clock,
        settings: DispatchSettings,
        scheduler: AsyncIOScheduler,
    ) -> None:
        self.db = db
        self.notifier = notifier
        self.clock = clock
        self.settings = settings
        self.scheduler = scheduler
        self.follow_ups = FollowUpRepo(db)
        self.users = UserRepo(db)
        self.interviews = InterviewRepo(db)
        self._bucket = TokenBucket(settings.send_rate)
        self._sending = asyncio.Semaphore(settings.concurrency)
        self._running: asyncio.Task[PassReport] | None = None
        self._woken_while_running = False
        self._stopped = False
        self.started_at = clock.now()  # reset by start(): what fell due before it was missed
        self.runs = 0  # runs of the job ended so far
        self._run_ended = asyncio.Condition()
        self.last_pass: PassReport | None = None

    def start(self) -> None:
        """Arm the job; its first pass runs at once, sending what fell due while the bot was down."""
        self._stopped = False
        self.started_at = self.clock.now()
        self.scheduler.add_job(
            self._job,
            IntervalTrigger(seconds=self.settings.safety_poll.total_seconds()),
            id=JOB_ID,
            next_run_time=datetime.now(UTC),
            # APScheduler counts a run as running until a moment after it has returned; a wake in that
            # moment must not be skipped. A second instance never overlaps a pass: see _job.
            max_instances=2,
            coalesce=True,
            misfire_grace_time=None,
            replace_existing=True,
        )
        if not self.scheduler.running:
            self.scheduler.start()

    async def stop(self) -> None:
        """Remove the job and let a pass in flight finish, so nothing is left claimed."""
        self._stopped = True  # an instance already submitted but not yet started must not run a pass
        if self.scheduler.get_job(JOB_ID) is not None:
            self.scheduler.remove_job(JOB_ID)
        if self._running is not None:
            await asyncio.shield(self._running)

    async def wait_for_runs(self, count: int) -> None:
        """Until `count` runs of the job (each with every pass it loops through) have ended in all."""
        async with self._run_ended:
            await self._run_ended.wait_for(lambda: self.runs >= count)

    async def wait_idle(self) -> None:
        """Until no pass is running, so what it sent is also recorded (tests and benchmarks read that)."""
        while self._running is not None:
            await asyncio.shield(self._running)

    def wake(self, notify_at: datetime | None = None) -> None:
        """Run a pass at `notify_at` (clock time) if that is sooner than the next planned one."""
        if self._running is not None:
            self._woken_while_running = True
            return
        job = self.scheduler.get_job(JOB_ID)
        if job is None:
            return
        delay = timedelta(0) if notify_at is None else max(timedelta(0), notify_at - self.clock.now())
        run_at = datetime.now(UTC) + delay
        if job.next_run_time is None or run_at < job.next_run_time:
            job.modify(next_run_time=run_at)

    async def _job(self) -> None:
        if self._stopped:
            return
        if self._running is not None:  # started while a run is still going: that run passes once more
            self._woken_while_running = True
            return
        self._running = asyncio.current_task()
        try:
            while True:
                self._woken_while_running = False
                self.last_pass = await self.run_pass()
                self._log(self.last_pass)
                if self._woken_while_running:
                    continue
                await self._plan_next_wake()
                # A wake heard while planning may be for a follow-up the plan did not see yet.
                if not self._woken_while_running:
                    break
        finally:
            self._running = None
            async with self._run_ended:
                self.runs += 1
                self._run_ended.notify_all()

    @staticmethod
    def _log(report: PassReport) -> None:
        if report.sent or report.undeliverable or report.retried or report.failed:
            log.info(
                "dispatch pass: %d sent (%d late), %d undeliverable, %d to retry, %d failed, %d deferred",
                report.sent,
                report.late,
                report.undeliverable,
                report.retried,
                report.failed,
                report.deferred,
            )

    async def _plan_next_wake(self) -> None:
        poll = self.settings.safety_poll
        moments = [m for m in (await self.follow_ups.next_notify_at(), await self.follow_ups.next_lease_expiry()) if m]
        delay = poll if not moments else min(poll, max(timedelta(0), min(moments) - self.clock.now()))
        job = self.scheduler.get_job(JOB_ID)  # looked up after the await: stop() may have removed it meanwhile
        if job is not None:
            job.modify(next_run_time=datetime.now(UTC) + delay)

    async def run_pass(self) -> PassReport:
        """Send everything due now, a batch at a time."""
        report = PassReport()
        now = self.clock.now()
        async with self.db.transaction() as tx:
            report.released = await self.follow_ups.release_expired(tx, now)
        while True:
            now = self.clock.now()
            async with self.db.transaction() as tx:
                claimed = await self.follow_ups.claim_due(tx, now, now + self.settings.lease, self.settings.batch_size)
            if not claimed:
                return report
            nudges, deferred = await self._nudges(claimed, now)
            if deferred:
                async with self.db.transaction() as tx:
                    await self.follow_ups.set_notify_at(tx, deferred)
                report.deferred += len(deferred)
            deliveries = await asyncio.gather(*(self._deliver(n) for n in nudges))
            await self._record(list(zip(nudges, deliveries, strict=True)), report)

    async def _nudges(self, claimed: list[FollowUp], now: datetime) -> tuple[list[Nudge], dict[int, datetime]]:
        """The context for each claimed follow-up; those inside the seeker's quiet hours wait instead."""
        users = await self.users.by_ids(sorted({f.user_id for f in claimed}))
        interview_ids = sorted({f.interview_id for f in claimed})
        interviews = await self.interviews.by_ids(interview_ids)
        steps = await self.interviews.next_steps(interview_ids)
        calls = await self.interviews.latest_check_ins(interview_ids)
        nudges, deferred = [], {}
        for follow_up in claimed:
            user, interview = users.get(follow_up.user_id), interviews.get(follow_up.interview_id)
            if user is None or interview is None:
                continue  # deleted (/mydata delete) since it was claimed: its row went with it
            prefs = plan.Prefs(user.zone, user.quiet_hours)
            quiet_end = plan.outside_quiet_hours(now, prefs)
            if quiet_end > now:
                deferred[follow_up.id] = quiet_end
                continue
            nudges.append(
                Nudge(
                    follow_up=follow_up,
                    interview=interview,
                    next_steps=steps.get(interview.id),
                    last_check_in=calls.get(interview.id),
                    user=user,
                    late=self._fell_due_while_down(follow_up, now),
                )
            )
        return nudges, deferred

    def _fell_due_while_down(self, follow_up: FollowUp, now: datetime) -> bool:
        """Late means it fell due before this process started, and is noticeably overdue: a burst that
        takes a while to drain, or a wait for quiet hours to end, is not lateness."""
        return follow_up.notify_at < self.started_at and now - follow_up.notify_at > self.settings.late_after

    async def _deliver(self, nudge: Nudge) -> Delivery:
        async with self._sending:
            await self._bucket.take()
            try:
                return await self.notifier.send(nudge)
            except Exception as exc:  # a notifier bug must not lose the follow-up: log it, retry it
                log.exception("notifier raised for follow-up %s", nudge.follow_up.id)
                return Delivery(DeliveryStatus.RETRY, error=f"{type(exc).__name__}: {exc}")

    async def _record(self, results: list[tuple[Nudge, Delivery]], report: PassReport) -> None:
        now = self.clock.now()
        sent: list[Sent] = []
        channels: dict[int, str] = {}
        closed: list[Nudge] = []
        retries: list[Retry] = []
        failures: list[Retry] = []
        for nudge, delivery in results:
            follow_up = nudge.follow_up
            if delivery.status is DeliveryStatus.SENT:
                sent.append(Sent(follow_up.id, delivery.message_ref))
                report.late += nudge.late
                if delivery.dm_channel is not None and (
                    delivery.dm_channel != nudge.user.dm_channel or nudge.user.dms_closed_at is not None
                ):
                    channels[nudge.user.id] = delivery.dm_channel
            elif delivery.status is DeliveryStatus.DMS_CLOSED:
                closed.append(nudge)
            else:
                error = delivery.error or "unknown error"
                report.errors.append(error)
                backoff = min(MAX_BACKOFF, self.settings.retry_base * 2**follow_up.attempts)
                item = Retry(follow_up.id, now + backoff, error)
                hopeless = delivery.status is DeliveryStatus.REJECTED
                (failures if hopeless or follow_up.attempts + 1 >= self.settings.max_attempts else retries).append(item)
        async with self.db.transaction() as tx:
            await self.follow_ups.mark_sent(tx, sent, now)
            await self.users.record_dm_channels(tx, channels)
            if closed:
                await self.follow_ups.mark_undeliverable(
                    tx, [n.follow_up.id for n in closed], "The seeker's DMs are closed to the bot."
                )
                await self.users.mark_dms_closed(tx, sorted({n.user.id for n in closed}), now)
            await self.follow_ups.mark_retry(tx, retries)
            await self.follow_ups.mark_failed(tx, failures)
        for item in failures:
            log.error("follow-up %s failed for good: %s", item.follow_up_id, item.error)
        report.sent += len(sent)
        report.undeliverable += len(closed)
        report.retried += len(retries)
        report.failed += len(failures)

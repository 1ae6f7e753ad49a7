"""The one scheduler job that sends due follow-ups: claim a batch with a lease, deliver, mark.

The database is the source of truth: the wake-up job (bot/delivery/wakeup.py) holds only the time of its next
run, so a restart loses nothing. A sooner follow-up wakes it early (`wake`). Each nudge goes to the sender of
its seeker's platform, which paces its own sends; a process claims only the follow-ups of the platforms it runs.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.delivery.wakeup import Wakeup
from bot.domain import plan
from bot.domain.models import FollowUp, Nudge
from bot.domain.rules import DeliveryPolicy
from bot.ports.clock import Clock
from bot.ports.metrics import Metrics, NoMetrics, SendResult
from bot.ports.repositories import Lease, Retry, Sent, Unreachable
from bot.ports.senders import Delivery, DeliveryStatus, Notifier
from bot.ports.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)

JOB_ID = "follow-up-dispatcher"
MAX_BACKOFF = timedelta(hours=1)
# While Discord cannot be reached, a nudge waits as long as the outage has lasted so far (at least retry_base),
# but at most 5 minutes, so it goes out soon after Discord is back; it is given up a day after its first such
# failure, or at its deadline if that comes first.
OUTAGE_MAX_BACKOFF = timedelta(minutes=5)
OUTAGE_PATIENCE = timedelta(days=1)
UNKNOWN_PLATFORM = "unknown"  # a follow-up whose seeker could not be read: counted failed under this platform
BROKEN = "follow-up %s failed for good: its nudge could not be built or sent"  # logged once, with the traceback


def outage_gives_up_at(since: datetime, deadline: datetime | None) -> datetime:
    """When to fail a nudge whose sends have found Discord unreachable since `since`: a day later, or at its
    deadline if that comes sooner (a deadline already past when the outage began does not count)."""
    limit = since + OUTAGE_PATIENCE
    return deadline if deadline is not None and since < deadline < limit else limit


@dataclass(slots=True)
class PassReport:
    """What one dispatcher pass did; the numbers behind logs, tests and benchmarks."""

    sent: int = 0
    late: int = 0
    undeliverable: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0
    expired: int = 0  # preps claimed after their interview started: cancelled, not sent
    released: int = 0  # expired leases taken back, and claims handed back by a stopping dispatcher
    errors: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Batch:
    """What became of each follow-up of one claim, stored in one transaction at its end, under the claim's
    lease: if it ran out meanwhile (the rows may be another pass's or process's now), none of it is stored."""

    lease: Lease
    sent: list[Sent] = field(default_factory=list)
    late: int = 0
    channels: dict[int, str] = field(default_factory=dict)
    closed: list[Nudge] = field(default_factory=list)
    retries: list[Retry] = field(default_factory=list)
    unreachable: list[Unreachable] = field(default_factory=list)
    failures: list[Retry] = field(default_factory=list)
    broken: list[Retry] = field(default_factory=list)  # could not be built or sent: failed, logged where raised
    deferred: dict[int, datetime] = field(default_factory=dict)
    expired: list[int] = field(default_factory=list)
    released: list[int] = field(default_factory=list)
    interrupted: list[int] = field(default_factory=list)  # sends cancelled in flight: they may have arrived


class Dispatcher:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        senders: Mapping[str, Notifier],
        clock: Clock,
        settings: DeliveryPolicy,
        scheduler: AsyncIOScheduler,
        metrics: Metrics | None = None,
        *,
        claimant: str,
    ) -> None:
        """`senders`: each running platform's nudge sender, by platform name; only their follow-ups are claimed.
        `claimant`: this process's id (from the composition root), held by every row it claims."""
        self.uow = uow
        self.metrics: Metrics = metrics or NoMetrics()
        self.claimant = claimant
        self.senders = dict(senders)
        self.platforms = sorted(senders)
        self.clock = clock
        self.settings = settings
        self.scheduler = scheduler
        self._sending = asyncio.Semaphore(settings.concurrency)
        self._sends: set[asyncio.Task[Delivery | Retry | None]] = set()
        self.wakeup = Wakeup(scheduler, JOB_ID, clock, settings.safety_poll, self._pass, self._next_due)
        self._stopping = self.wakeup.stopping  # set by stop() and hurry()
        self.started_at = clock.now()  # reset by start(): what fell due before it was missed
        self.last_pass: PassReport | None = None

    @property
    def runs(self) -> int:
        """Runs of the job ended so far."""
        return self.wakeup.runs

    def start(self) -> None:
        """Arm the job; its first pass runs at once, sending what fell due while the bot was down."""
        self.started_at = self.clock.now()
        self.wakeup.start()

    async def stop(self, grace: timedelta | None = None) -> None:
        """Remove the job; a pass in flight finishes the sends already under way, hands the rest of its claim
        back (pending, as before) and ends, so nothing is left claimed and a backlog does not delay the exit.
        Sends still in flight after `grace` (real time: Discord hangs) are cancelled as by hurry()."""
        running = self.wakeup.halt()
        if running is None:
            return
        if grace is not None:
            done, _ = await asyncio.wait({running}, timeout=grace.total_seconds())
            if not done:
                log.warning("sends still in flight after %s: cancelling them", grace)
                self.hurry()
        await asyncio.shield(running)

    def hurry(self) -> None:
        """Stop at once (a second signal): cancel the sends in flight too. Their rows are handed back and sent
        after a restart; one Discord had already received is dropped then by its nonce."""
        self._stopping.set()
        for send in self._sends:
            send.cancel()

    async def wait_for_runs(self, count: int) -> None:
        """Until `count` runs of the job (each with every pass it loops through) have ended in all."""
        await self.wakeup.wait_for_runs(count)

    async def wait_idle(self) -> None:
        """Until no pass is running, so what it sent is also recorded (tests and benchmarks read that)."""
        await self.wakeup.wait_idle()

    def wake(self, notify_at: datetime | None = None) -> None:
        """Run a pass at `notify_at` (clock time) if that is sooner than the next planned one."""
        self.wakeup.wake(notify_at)

    async def _pass(self) -> None:
        self.last_pass = await self.run_pass()
        self._log(self.last_pass)

    @staticmethod
    def _log(report: PassReport) -> None:
        if report.sent or report.undeliverable or report.retried or report.failed or report.expired:
            log.info(
                "dispatch pass: %d sent (%d late), %d undeliverable, %d to retry, %d failed, %d deferred, %d expired",
                report.sent,
                report.late,
                report.undeliverable,
                report.retried,
                report.failed,
                report.deferred,
                report.expired,
            )

    async def _next_due(self) -> datetime | None:
        """The soonest of this process's platforms' follow-ups, or the soonest lease to run out."""
        async with self.uow.reading() as uow:
            due = await uow.follow_ups.next_notify_at(self.platforms)
            moments = [m for m in (due, await uow.follow_ups.next_lease_expiry()) if m]
        return min(moments, default=None)

    async def run_pass(self) -> PassReport:
        """Send everything due now, a batch at a time, until done or stopped."""
        report = PassReport()
        while not self._stopping.is_set():
            now = self.clock.now()
            batch = _Batch(Lease(self.claimant, now + self.settings.lease))
            started = time.perf_counter()
            async with self.uow.transaction() as uow:
                # Expired leases are taken back before every batch, not once a pass: claims left by a process
                # that died while this one drains a long backlog must not wait for the whole backlog.
                expired = await uow.follow_ups.release_expired(now)
                claimed = await uow.follow_ups.claim_due(now, batch.lease, self.settings.batch_size, self.platforms)
            self.metrics.claim_latency(time.perf_counter() - started)
            if expired:
                report.released += expired
                self.metrics.leases_expired(expired)
            if not claimed:
                break
            nudges = await self._nudges(claimed, now, batch)
            sends = [asyncio.create_task(self._deliver(n, batch.lease)) for n in nudges]
            self._sends.update(sends)
            try:
                if sends:
                    await asyncio.wait(sends)
            finally:
                self._sends.difference_update(sends)
            for nudge, send in zip(nudges, sends, strict=True):
                if send.cancelled():
                    batch.interrupted.append(nudge.follow_up.id)
                else:
                    self._sort(nudge, send.result(), batch)
            await self._record(batch, report)
        return report

    async def _nudges(self, claimed: list[FollowUp], now: datetime, batch: _Batch) -> list[Nudge]:
        """The context for each claimed follow-up. Those inside the seeker's quiet hours wait, preps whose
        interview has started expire, and one whose context cannot be read or built fails alone."""
        try:
            async with self.uow.reading() as uow:
                users = await uow.users.by_ids(sorted({f.user_id for f in claimed}))
                interview_ids = sorted({f.interview_id for f in claimed})
                interviews = await uow.interviews.by_ids(interview_ids)
                steps = await uow.interviews.next_steps(interview_ids)
                calls = await uow.interviews.latest_check_ins(interview_ids)
        except Exception as exc:  # some row cannot be read: read them one by one, so that only that one fails
            if len(claimed) == 1:
                log.exception(BROKEN, claimed[0].id)
                batch.broken.append(self._broken(claimed[0], exc))
                self.metrics.send_result(UNKNOWN_PLATFORM, SendResult.FAILED)
                return []
            return [n for follow_up in claimed for n in await self._nudges([follow_up], now, batch)]
        nudges = []
        for follow_up in claimed:
            user, interview = users.get(follow_up.user_id), interviews.get(follow_up.interview_id)
            if user is None or interview is None:
                continue  # the seeker deleted their data since it was claimed: its row went with it
            try:
                if follow_up.expired(interview.scheduled_at, now):
                    batch.expired.append(follow_up.id)
                    continue
                quiet_end = plan.outside_quiet_hours(now, plan.Prefs(user.zone, user.quiet_hours))
                if quiet_end > now:
                    batch.deferred[follow_up.id] = quiet_end
                    continue
                nudges.append(
                    Nudge(
                        follow_up=follow_up,
                        interview=interview,
                        next_steps=steps.get(interview.id),
                        last_check_in=calls.get(interview.id),
                        user=user,
                        late=self._late(follow_up, now),
                    )
                )
            except Exception as exc:  # e.g. a stored quiet hour or zone this build cannot use
                log.exception(BROKEN, follow_up.id)
                batch.broken.append(self._broken(follow_up, exc))
                self.metrics.send_result(user.platform, SendResult.FAILED)
        return nudges

    @staticmethod
    def _broken(follow_up: FollowUp, exc: Exception) -> Retry:
        """A follow-up whose nudge could not be built or sent: trying again would fail the same way."""
        return Retry(follow_up.id, follow_up.notify_at, f"{type(exc).__name__}: {exc}"[:500])

    def _late(self, follow_up: FollowUp, now: datetime) -> bool:
        """Late means it fell due before this process started, or Discord could not be reached when it fell
        due, and it is noticeably overdue: a burst that takes a while to drain, or a wait for quiet hours to
        end, is not lateness."""
        if follow_up.unreachable_since is not None and now - follow_up.unreachable_since > self.settings.late_after:
            return True
        return follow_up.notify_at < self.started_at and now - follow_up.notify_at > self.settings.late_after

    async def _deliver(self, nudge: Nudge, lease: Lease) -> Delivery | Retry | None:
        """How the send went; a failure if the notifier raised; None if not tried: the dispatcher stopped, or
        the claim ran out while the nudge waited (a stall), so another process may be sending it now."""
        async with self._sending:
            if self._stopping.is_set() or self.clock.now() >= lease.until:
                return None
            try:
                return await self.senders[nudge.user.platform].send(nudge)
            except Exception as exc:  # a nudge that cannot be rendered or sent: it fails alone
                log.exception(BROKEN, nudge.follow_up.id)
                return self._broken(nudge.follow_up, exc)

    def _sort(self, nudge: Nudge, result: Delivery | Retry | None, batch: _Batch) -> None:
        follow_up = nudge.follow_up
        now = self.clock.now()
        platform = nudge.user.platform
        if result is None:
            batch.released.append(follow_up.id)
            return
        if isinstance(result, Retry):
            batch.broken.append(result)
            self.metrics.send_result(platform, SendResult.FAILED)
            return
        if result.status is DeliveryStatus.SENT:
            batch.sent.append(Sent(follow_up.id, result.message_ref))
            batch.late += nudge.late
            if result.duplicate:
                self.metrics.send_result(platform, SendResult.SUPPRESSED_DUPLICATE)
            else:
                self.metrics.send_result(platform, SendResult.SENT)
                self.metrics.nudge_lateness(platform, now - follow_up.notify_at)
            if result.dm_channel is not None and (
                result.dm_channel != nudge.user.dm_channel or nudge.user.dms_closed_at is not None
            ):
                batch.channels[nudge.user.id] = result.dm_channel
        elif result.status is DeliveryStatus.DMS_CLOSED:
            batch.closed.append(nudge)
            self.metrics.send_result(platform, SendResult.UNDELIVERABLE)
        elif result.status is DeliveryStatus.RETRY and result.unreachable:
            gave_up = self._sort_unreachable(
                follow_up, result.error or "platform unreachable", now, batch, result.retry_after
            )
            self.metrics.send_result(platform, SendResult.FAILED if gave_up else SendResult.UNREACHABLE)
        else:
            error = result.error or "unknown error"
            backoff = min(MAX_BACKOFF, self.settings.retry_base * 2**follow_up.attempts)
            item = Retry(follow_up.id, now + backoff, error)
            hopeless = result.status is DeliveryStatus.REJECTED
            if hopeless or follow_up.attempts + 1 >= self.settings.max_attempts:
                batch.failures.append(item)
                self.metrics.send_result(platform, SendResult.FAILED)
            else:
                batch.retries.append(item)
                self.metrics.send_result(platform, SendResult.RETRY)

    def _sort_unreachable(
        self, follow_up: FollowUp, error: str, now: datetime, batch: _Batch, asked: timedelta | None = None
    ) -> bool:
        """Not this nudge's fault: no attempt is used. Back off (as long as the outage has lasted, capped, and at
        least as long as the platform `asked`: a 429's Retry-After) until its deadline or a day has passed.
        True if it was given up (failed)."""
        since = follow_up.unreachable_since or now
        give_up = outage_gives_up_at(since, follow_up.deadline_at)
        if now >= give_up:
            batch.failures.append(Retry(follow_up.id, now, error))
            return True
        wait = max(min(OUTAGE_MAX_BACKOFF, max(self.settings.retry_base, now - since)), asked or timedelta(0))
        batch.unreachable.append(Unreachable(follow_up.id, min(now + wait, give_up), error, since))
        return False

    async def _record(self, batch: _Batch, report: PassReport) -> None:
        now = self.clock.now()
        failures = batch.failures + batch.broken
        lease = batch.lease
        async with self.uow.transaction() as uow:
            await uow.follow_ups.mark_sent(batch.sent, now, lease)
            await uow.users.record_dm_channels(batch.channels)
            if batch.closed:
                await uow.follow_ups.mark_undeliverable(
                    [n.follow_up.id for n in batch.closed], "The seeker's DMs are closed to the bot.", lease
                )
                await uow.users.mark_dms_closed(sorted({n.user.id for n in batch.closed}), now)
            await uow.follow_ups.mark_retry(batch.retries, lease)
            await uow.follow_ups.mark_unreachable(batch.unreachable, lease)
            await uow.follow_ups.mark_failed(failures, lease)
            if batch.deferred:
                await uow.follow_ups.set_notify_at(batch.deferred, lease)
            if batch.expired:
                await uow.follow_ups.mark_expired(batch.expired, lease)
            if batch.released:
                await uow.follow_ups.release(batch.released, lease)
            if batch.interrupted:
                await uow.follow_ups.release(batch.interrupted, lease, attempted=True)
        for item in batch.failures:
            log.error("follow-up %s failed for good: %s", item.follow_up_id, item.error)
        report.sent += len(batch.sent)
        report.late += batch.late
        report.undeliverable += len(batch.closed)
        report.retried += len(batch.retries) + len(batch.unreachable)
        report.failed += len(failures)
        report.deferred += len(batch.deferred)
        report.expired += len(batch.expired)
        report.released += len(batch.released) + len(batch.interrupted)
        report.errors += [r.error for r in batch.retries + failures] + [u.error for u in batch.unreachable]

"""The coaches' weekly digests, scheduled on their rows and sent by one loop woken like the dispatcher.

Each coach's digest row holds its next due time and a lease (migration 0008). A pass claims the due rows of
the platforms this process runs, builds and sends each digest, and stores the next slot, all under the lease:
any number of processes send each digest once. A row is planned afresh (due at once) when the coach changes
their schedule or zone, and `plan_changed` wakes the loop for it; a digest missed while down is due at start.
Each digest carries a nonce per coach and slot, so a resend after a crash is dropped where the platform can.
"""

from __future__ import annotations

import logging
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.delivery.routing import Messengers
from bot.delivery.wakeup import Wakeup
from bot.domain.models import DigestPlan
from bot.domain.rules import DeliveryPolicy, DigestDefaults
from bot.ports.clock import Clock
from bot.ports.metrics import Metrics, NoMetrics
from bot.ports.senders import Delivery, DeliveryStatus
from bot.usecases.roster import DigestClaim, RosterService

log = logging.getLogger(__name__)

JOB_ID = "coach-digests"
BATCH = 20  # digests claimed at a time: each is sent before the next, so a small lease covers them


class DigestLoop:
    def __init__(
        self,
        coaching_services: RosterService,
        messengers: Messengers,
        clock: Clock,
        settings: DigestDefaults,
        dispatch: DeliveryPolicy,
        scheduler: AsyncIOScheduler,
        metrics: Metrics | None = None,
        *,
        claimant: str,
    ) -> None:
        """`dispatch` gives the lease and the safety poll, shared with the follow-ups' dispatcher; `claimant` is
        this process's id, held by every digest row it claims."""
        self.coaching = coaching_services
        self.metrics: Metrics = metrics or NoMetrics()
        self.messengers = messengers
        self.clock = clock
        self.settings = settings
        self.lease = dispatch.lease
        self.claimant = claimant
        self.scheduler = scheduler
        self.wakeup = Wakeup(scheduler, JOB_ID, clock, dispatch.safety_poll, self._pass, self._next_due)

    def start(self) -> None:
        """Arm the loop; its first pass runs at once and sends the digests that fell due while down."""
        self.wakeup.start()

    async def stop(self) -> None:
        """Remove the job and let the digest being sent finish, so none is sent twice."""
        running = self.wakeup.halt()
        if running is not None:
            await running

    def wake(self, at: datetime | None = None) -> None:
        self.wakeup.wake(at)

    def plan_changed(self, plan: DigestPlan) -> None:
        """A coach's schedule or zone changed (their row is to be planned afresh): look at once."""
        self.wakeup.wake()

    async def _pass(self) -> None:
        await self.run_pass()

    async def _next_due(self) -> datetime | None:
        return await self.coaching.next_digest_due(self.messengers.platforms)

    async def run_pass(self) -> list[Delivery | None]:
        """Send every digest due now; returns how each claimed one went (None: not due, planned anew)."""
        results: list[Delivery | None] = []
        while not self.wakeup.stopping.is_set():
            claims = await self.coaching.claim_digests(self.messengers.platforms, self.claimant, self.lease, BATCH)
            if not claims:
                break
            for claim in claims:
                if self.wakeup.stopping.is_set():  # hand the rest back, due at once after a restart
                    await self.coaching.reschedule_digest(claim, self.clock.now())
                    continue
                try:
                    results.append(await self.send(claim))
                except Exception:  # e.g. the database: the lease runs out and the row is claimed again
                    log.exception("the digest of coach %s could not be handled", claim.coach_id)
        return results

    async def send(self, claim: DigestClaim) -> Delivery | None:
        """Send the coach's digest if one is due, else store when it will be; a failure to build or send it
        is retried a little later."""
        coach_id = claim.coach_id
        try:
            pending = await self.coaching.due_digest(coach_id)
        except Exception as exc:  # a bug or a database error must not lose the digest for a week: retry it
            log.exception("building the digest of coach %s failed", coach_id)
            return await self._retry(claim, _raised(exc))
        if pending is None:
            await self.coaching.reschedule_digest(claim)
            return None
        if self.clock.now() >= claim.lease.until:  # stalled past the lease: another process may hold the row now
            log.warning("the claim on the digest of coach %s ran out before it was sent: left to the next", coach_id)
            return None
        try:
            delivery = await self.messengers.send_digest(pending.coach, pending.digest)
        except Exception as exc:  # a messenger bug must not lose the digest: log it, retry it
            log.exception("messenger raised for the digest of coach %s", coach_id)
            delivery = _raised(exc)
        if delivery.status is DeliveryStatus.RETRY:
            return await self._retry(claim, delivery)
        await self.coaching.digest_delivered(pending, delivery, claim)
        if delivery.status is DeliveryStatus.SENT:
            self.metrics.digest_sent(pending.coach.platform)
        return delivery

    async def _retry(self, claim: DigestClaim, delivery: Delivery) -> Delivery:
        await self.coaching.reschedule_digest(claim, self.clock.now() + self.settings.retry)
        log.warning("digest for coach %s not delivered, retrying: %s", claim.coach_id, delivery.error)
        return delivery


def _raised(exc: Exception) -> Delivery:
    return Delivery(DeliveryStatus.RETRY, error=f"{type(exc).__name__}: {exc}")

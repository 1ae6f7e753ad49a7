"""The coaches' weekly digests: one APScheduler cron job per coach, rebuilt from the database at start.

The database is the source of truth (each coach's day, time, on/off and when the last digest went out);
the jobs only say when to look. A run sends only if a slot has passed since the last digest, so a run
at the wrong moment, twice, or at start after downtime sends each digest exactly once.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.domain import coaching
from bot.domain.models import DigestPlan
from bot.domain.rules import DigestDefaults
from bot.ports.clock import Clock
from bot.ports.senders import Delivery, DeliveryStatus, Messenger
from bot.usecases.roster import RosterService

log = logging.getLogger(__name__)

JOB_PREFIX = "coach-digest:"


def job_id(coach_id: int) -> str:
    return f"{JOB_PREFIX}{coach_id}"


def trigger(plan: DigestPlan) -> CronTrigger:
    return CronTrigger(day_of_week=plan.weekday, hour=plan.at.hour, minute=plan.at.minute, timezone=plan.zone)


class DigestScheduler:
    def __init__(
        self,
        coaching_services: RosterService,
        messenger: Messenger,
        clock: Clock,
        settings: DigestDefaults,
        scheduler: AsyncIOScheduler,
    ) -> None:
        self.coaching = coaching_services
        self.messenger = messenger
        self.clock = clock
        self.settings = settings
        self.scheduler = scheduler
        self._sending: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        """Arm a job per coach; a digest whose slot passed while the bot was down runs at once. A coach whose
        plan cannot be armed (a stored zone this build does not know) is logged and skipped, not everyone."""
        now = self.clock.now()
        for plan in await self.coaching.digest_plans():
            try:
                self.arm(plan, catch_up=coaching.digest_due(plan, now))
            except Exception:
                log.exception("the digest of coach %s cannot be scheduled", plan.coach_id)
        if not self.scheduler.running:
            self.scheduler.start()

    def arm(self, plan: DigestPlan, *, catch_up: bool = False) -> None:
        """(Re)build the coach's cron job from their plan; a disabled digest has no job."""
        if not plan.enabled:
            self.disarm(plan.coach_id)
            return
        self.scheduler.add_job(
            self._job,
            trigger(plan),
            args=(plan.coach_id,),
            id=job_id(plan.coach_id),
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=None,
            **({"next_run_time": datetime.now(UTC)} if catch_up else {}),
        )

    def disarm(self, coach_id: int) -> None:
        """Drop the coach's job: they deleted their data."""
        if self.scheduler.get_job(job_id(coach_id)) is not None:
            self.scheduler.remove_job(job_id(coach_id))

    async def stop(self) -> None:
        """Remove the jobs and let digests being sent finish, so none is sent twice."""
        for job in self.scheduler.get_jobs():
            if job.id.startswith(JOB_PREFIX):
                job.remove()
        if self._sending:
            await asyncio.gather(*self._sending, return_exceptions=True)

    async def _job(self, coach_id: int) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._sending.add(task)
        try:
            await self.send_due(coach_id)
        except Exception:
            log.exception("digest for coach %s failed", coach_id)
        finally:
            self._sending.discard(task)

    async def send_due(self, coach_id: int) -> Delivery | None:
        """Send the coach's digest if one is due; a failure to build or send it is retried a little later."""
        try:
            pending = await self.coaching.due_digest(coach_id)
        except Exception as exc:  # a bug or a database error must not lose the digest for a week: retry it
            log.exception("building the digest of coach %s failed", coach_id)
            return self._retry(coach_id, _raised(exc))
        if pending is None:
            return None
        try:
            delivery = await self.messenger.send_digest(pending.coach, pending.digest)
        except Exception as exc:  # a messenger bug must not lose the digest: log it, retry it
            log.exception("messenger raised for the digest of coach %s", coach_id)
            delivery = _raised(exc)
        if delivery.status is DeliveryStatus.RETRY:
            return self._retry(coach_id, delivery)
        await self.coaching.digest_delivered(pending, delivery)
        return delivery

    def _retry(self, coach_id: int, delivery: Delivery) -> Delivery:
        job = self.scheduler.get_job(job_id(coach_id))
        if job is not None:
            job.modify(next_run_time=datetime.now(UTC) + self.settings.retry)
        log.warning("digest for coach %s not delivered, retrying: %s", coach_id, delivery.error)
        return delivery


def _raised(exc: Exception) -> Delivery:
    return Delivery(DeliveryStatus.RETRY, error=f"{type(exc).__name__}: {exc}")

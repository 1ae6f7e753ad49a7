"""The weekly digest jobs with the real APScheduler AsyncIOScheduler, a real database and a recording messenger.

Nothing here waits on the time of day: what is due comes from a ManualClock, a job is made to run by
moving its next run time to now, and the tests await the run (with a timeout) instead of sleeping.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clocks import ManualClock
from bot.delivery.digests import DigestScheduler, job_id
from bot.domain.models import CoachGroup
from bot.ports.senders import Delivery, DeliveryStatus
from bot.settings import Settings
from bot.usecases.actors import Actor
from tests.coach_support import RecordingMessenger
from tests.support import ALICE, UseCases, utc

COACH = Actor("test", "coach")
MONDAY_0900 = utc(2026, 11, 30, 9)
TIMEOUT = 5  # seconds; every wait is expected to end in milliseconds


class Runs:
    """Hears the end of every digest run, whatever started it."""

    def __init__(self, digests: DigestScheduler) -> None:
        self.results: list[Delivery | None] = []
        self._changed = asyncio.Condition()
        send_due = digests.send_due

        async def recorded(coach_id: int) -> Delivery | None:
            result = await send_due(coach_id)
            async with self._changed:
                self.results.append(result)
                self._changed.notify_all()
            return result

        digests.send_due = recorded  # type: ignore[method-assign]

    async def wait(self, count: int) -> list[Delivery | None]:
        async def waiting() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.results) >= count)

        await asyncio.wait_for(waiting(), TIMEOUT)
        return self.results


@pytest.fixture
async def digests(
    coaching: UseCases,
    messenger: RecordingMessenger,
    clock: ManualClock,
    settings: Settings,
    scheduler: AsyncIOScheduler,
) -> AsyncIterator[DigestScheduler]:
    made = DigestScheduler(coaching.roster, messenger, clock, settings.coach.defaults(), scheduler)
    coaching.access.on_digest_changed(made.arm)
    yield made
    await asyncio.wait_for(made.stop(), TIMEOUT)


@pytest.fixture
def runs(digests: DigestScheduler) -> Runs:
    return Runs(digests)


@pytest.fixture
async def club(coaching: UseCases, services: UseCases, clock: ManualClock) -> CoachGroup:
    """Kim's group, created on Wednesday 25 November; Alice shares with it and logs an interview an hour later."""
    group = await coaching.groups.create_group(COACH, "Job Club", "Kim")
    request = await coaching.groups.join(ALICE, group.invite_code, "Alice")
    await coaching.groups.decide(ALICE, request.membership.id, True)
    clock.advance(timedelta(hours=1))
    await services.interviews.record_interview(ALICE, "Acme", "Analyst", "today 2pm")
    return group


async def coach_id(coaching: UseCases) -> int:
    return (await coaching.roster.digest_plan(COACH)).coach_id


def run_now(scheduler: AsyncIOScheduler, coach: int) -> None:
    job = scheduler.get_job(job_id(coach))
    assert job is not None
    job.modify(next_run_time=datetime.now(UTC))


def on_slot(moment: datetime, zone: str, weekday: int, hour: int, minute: int = 0) -> bool:
    """A cron-computed run time lands exactly on the slot; a catch-up run would be 'now'."""
    local = moment.astimezone(ZoneInfo(zone))
    return (local.weekday(), local.hour, local.minute, local.second, local.microsecond) == (weekday, hour, minute, 0, 0)


async def test_start_arms_one_cron_job_per_coach_in_their_zone(
    coaching: UseCases, services: UseCases, digests: DigestScheduler, scheduler: AsyncIOScheduler
) -> None:
    await services.preferences.set_timezone(COACH, "America/New_York")
    await coaching.groups.create_group(COACH, "Job Club", "Kim")
    await coaching.groups.create_group(COACH, "Evening Club", "Kim")
    await digests.start()
    coach = await coach_id(coaching)
    [job] = [j for j in scheduler.get_jobs() if j.id.startswith("coach-digest:")]
    assert job.id == job_id(coach)
    assert job.trigger.timezone == ZoneInfo("America/New_York")
    assert job.trigger.get_next_fire_time(None, utc(2026, 11, 25, 15)) == utc(2026, 11, 30, 14)  # Mon 09:00 EST
    assert job.next_run_time is not None and on_slot(job.next_run_time, "America/New_York", 0, 9)  # no catch-up


async def test_the_cron_job_sends_the_digest_once_per_slot(
    coaching: UseCases,
    digests: DigestScheduler,
    runs: Runs,
    scheduler: AsyncIOScheduler,
    messenger: RecordingMessenger,
    clock: ManualClock,
    club: CoachGroup,
) -> None:
    await digests.start()
    coach = await coach_id(coaching)
    clock.set(MONDAY_0900)
    run_now(scheduler, coach)
    await runs.wait(1)
    [(to, digest)] = messenger.digests
    assert to.external_id == "coach"
    assert (digest.since, digest.until, digest.seekers) == (utc(2026, 11, 25, 15), MONDAY_0900, 1)
    assert [i.interview.company for i in digest.new_interviews] == ["Acme"]
    assert len(digest.overdue_thank_yous) == 2
    assert (await coaching.roster.digest_plan(COACH)).last_sent_at == MONDAY_0900
    job = scheduler.get_job(job_id(coach))
    assert job is not None and job.next_run_time is not None and on_slot(job.next_run_time, "UTC", 0, 9)

    clock.advance(timedelta(hours=2))
    run_now(scheduler, coach)  # a second run for the same slot sends nothing
    assert (await runs.wait(2))[1] is None
    assert len(messenger.digests) == 1

    clock.set(MONDAY_0900 + timedelta(days=7))
    run_now(scheduler, coach)
    await runs.wait(3)
    [_, (_, next_week)] = messenger.digests
    assert next_week.since == MONDAY_0900
    assert next_week.new_interviews == []


async def test_a_digest_missed_while_the_bot_was_down_is_sent_at_start(
    coaching: UseCases,
    digests: DigestScheduler,
    runs: Runs,
    messenger: RecordingMessenger,
    clock: ManualClock,
    club: CoachGroup,
    scheduler: AsyncIOScheduler,
    settings: Settings,
) -> None:
    clock.set(MONDAY_0900 + timedelta(days=2))  # the bot was down over Monday morning
    await digests.start()
    await runs.wait(1)
    [(_, digest)] = messenger.digests
    assert digest.until == MONDAY_0900 + timedelta(days=2)

    await digests.stop()  # a restart: the digest is not sent again
    again = DigestScheduler(coaching.roster, messenger, clock, settings.coach.defaults(), scheduler)
    again_runs = Runs(again)
    await again.start()
    run_now(scheduler, await coach_id(coaching))
    assert await again_runs.wait(1) == [None]
    assert len(messenger.digests) == 1
    await again.stop()


async def test_changing_the_setting_rearms_the_job(
    coaching: UseCases, services: UseCases, digests: DigestScheduler, scheduler: AsyncIOScheduler
) -> None:
    await coaching.groups.create_group(COACH, "Job Club", "Kim")
    await digests.start()
    coach = await coach_id(coaching)

    await coaching.roster.set_digest(COACH, "friday", "17:30")
    job = scheduler.get_job(job_id(coach))
    assert job is not None
    assert job.trigger.get_next_fire_time(None, utc(2026, 11, 25, 15)) == utc(2026, 11, 27, 17, 30)

    await services.preferences.set_timezone(COACH, "Europe/Berlin")
    await coaching.roster.refresh_digest(COACH)
    job = scheduler.get_job(job_id(coach))
    assert job is not None
    assert job.trigger.get_next_fire_time(None, utc(2026, 11, 25, 15)) == utc(2026, 11, 27, 16, 30)  # 17:30 CET

    await coaching.roster.set_digest(COACH, "off")
    assert scheduler.get_job(job_id(coach)) is None
    await coaching.roster.set_digest(COACH, "monday")
    assert scheduler.get_job(job_id(coach)) is not None


async def test_a_disabled_digest_is_not_armed_at_start(
    coaching: UseCases, digests: DigestScheduler, scheduler: AsyncIOScheduler, clock: ManualClock
) -> None:
    await coaching.groups.create_group(COACH, "Job Club", "Kim")
    await coaching.roster.set_digest(COACH, "off")
    clock.set(MONDAY_0900 + timedelta(days=1))
    await digests.start()
    assert scheduler.get_job(job_id(await coach_id(coaching))) is None


async def test_a_failed_send_is_retried_and_closed_dms_are_not(
    coaching: UseCases,
    services: UseCases,
    digests: DigestScheduler,
    runs: Runs,
    scheduler: AsyncIOScheduler,
    messenger: RecordingMessenger,
    clock: ManualClock,
    club: CoachGroup,
) -> None:
    await digests.start()
    coach = await coach_id(coaching)
    clock.set(MONDAY_0900)
    messenger.status = DeliveryStatus.RETRY
    before = datetime.now(UTC)
    run_now(scheduler, coach)
    [result] = await runs.wait(1)
    assert result is not None and result.status is DeliveryStatus.RETRY
    assert (await coaching.roster.digest_plan(COACH)).last_sent_at is None
    job = scheduler.get_job(job_id(coach))
    assert job is not None and job.next_run_time is not None
    assert before + timedelta(minutes=10) <= job.next_run_time <= datetime.now(UTC) + timedelta(minutes=10)

    messenger.status = DeliveryStatus.DMS_CLOSED
    run_now(scheduler, coach)
    [_, closed] = await runs.wait(2)
    assert closed is not None and closed.status is DeliveryStatus.DMS_CLOSED
    assert (await coaching.roster.digest_plan(COACH)).last_sent_at == MONDAY_0900  # done with, not retried all week
    assert (await services.preferences.user(COACH)).dms_closed_at == MONDAY_0900


async def test_stop_removes_the_jobs(coaching: UseCases, digests: DigestScheduler, scheduler: AsyncIOScheduler) -> None:
    await coaching.groups.create_group(COACH, "Job Club", "Kim")
    await digests.start()
    await digests.stop()
    assert [j for j in scheduler.get_jobs() if j.id.startswith("coach-digest:")] == []


async def test_a_digest_that_fails_to_build_is_retried_soon(
    coaching: UseCases,
    digests: DigestScheduler,
    runs: Runs,
    scheduler: AsyncIOScheduler,
    messenger: RecordingMessenger,
    clock: ManualClock,
    club: CoachGroup,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await digests.start()
    coach = await coach_id(coaching)
    clock.set(MONDAY_0900)

    async def broken(_: int) -> None:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(coaching.roster, "due_digest", broken)
    before = datetime.now(UTC)
    run_now(scheduler, coach)
    [result] = await runs.wait(1)
    assert result is not None and result.status is DeliveryStatus.RETRY
    assert result.error == "RuntimeError: database is locked"
    job = scheduler.get_job(job_id(coach))
    assert job is not None and job.next_run_time is not None
    assert before + timedelta(minutes=10) <= job.next_run_time <= datetime.now(UTC) + timedelta(minutes=10)

    monkeypatch.undo()
    run_now(scheduler, coach)  # the retry
    await runs.wait(2)
    assert len(messenger.digests) == 1
    assert (await coaching.roster.digest_plan(COACH)).last_sent_at == MONDAY_0900


async def test_one_coach_whose_digest_cannot_be_armed_does_not_stop_the_others(
    coaching: UseCases,
    services: UseCases,
    digests: DigestScheduler,
    scheduler: AsyncIOScheduler,
    caplog: pytest.LogCaptureFixture,
) -> None:
    broken_coach = Actor("test", "broken-coach")
    await coaching.groups.create_group(broken_coach, "Night Club", "Lee")
    await coaching.groups.create_group(COACH, "Job Club", "Kim")
    # A zone this build's time-zone database does not know, written straight into SQLite.
    await services.db.conn.execute("UPDATE users SET timezone = 'Mars/Olympus' WHERE external_id = 'broken-coach'")
    await services.db.conn.commit()
    broken = (await services.accounts.find(Actor("test", "broken-coach"))).id  # type: ignore[union-attr]

    await digests.stop()  # a restart: the jobs armed when the groups were made are gone
    await digests.start()  # must not raise: that would stop the bot from starting at all
    armed = {j.id for j in scheduler.get_jobs() if j.id.startswith("coach-digest:")}
    assert armed == {job_id(await coach_id(coaching))}
    assert f"digest of coach {broken} cannot be scheduled" in caplog.text

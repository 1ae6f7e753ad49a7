"""The weekly digests on their rows: the real APScheduler AsyncIOScheduler wakes the digest loop, a real database
file holds the due times and leases, and a recording messenger stands in for the platform.

Nothing here waits on the time of day: what is due comes from a ManualClock (whose changes wake the loop), and
the tests await the loop's passes (with a timeout) instead of sleeping.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clocks import ManualClock
from bot.delivery.digests import JOB_ID, DigestLoop
from bot.delivery.routing import Messengers
from bot.domain.models import CoachGroup
from bot.ports.metrics import NoMetrics
from bot.ports.senders import Delivery, DeliveryStatus
from bot.settings import Settings
from bot.storage.sqlite import rows
from bot.storage.sqlite.database import Database
from bot.usecases.actors import Actor
from tests.coach_support import RecordingMessenger
from tests.support import ALICE, UseCases, use_cases, utc

COACH = Actor("test", "coach")
MONDAY_0900 = utc(2026, 11, 30, 9)
TIMEOUT = 5  # seconds; every wait is expected to end in milliseconds


class Passes:
    """Hears the end of every pass of a digest loop, with what it sent."""

    def __init__(self, loop: DigestLoop) -> None:
        self.results: list[list[Delivery | None]] = []
        self._changed = asyncio.Condition()
        run_pass = loop.run_pass

        async def recorded() -> list[Delivery | None]:
            result = await run_pass()
            async with self._changed:
                self.results.append(result)
                self._changed.notify_all()
            return result

        loop.run_pass = recorded  # type: ignore[method-assign]

    async def until(self, count: int) -> list[Delivery | None]:
        """Until `count` digests have been handled in all (sent, retried or planned anew); returns them."""

        async def waiting() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.handled) >= count)

        await asyncio.wait_for(waiting(), TIMEOUT)
        return self.handled

    async def after(self, seen: int) -> list[Delivery | None]:
        """What the first pass after the first `seen` handled (take `seen` from `len(results)` before acting)."""

        async def waiting() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.results) > seen)

        await asyncio.wait_for(waiting(), TIMEOUT)
        return self.results[seen]

    @property
    def handled(self) -> list[Delivery | None]:
        return [r for result in self.results for r in result]


def make_loop(
    coaching: UseCases,
    messenger: RecordingMessenger,
    clock: ManualClock,
    settings: Settings,
    scheduler: AsyncIOScheduler,
) -> DigestLoop:
    messengers = Messengers({"test": messenger})
    policy = settings.dispatch.policy()
    loop = DigestLoop(
        coaching.roster, messengers, clock, settings.coach.defaults(), policy, scheduler, claimant="t:1:a"
    )
    coaching.access.on_digest_changed(loop.plan_changed)
    clock.on_change(loop.wake)
    return loop


@pytest.fixture
async def digests(
    coaching: UseCases,
    messenger: RecordingMessenger,
    clock: ManualClock,
    settings: Settings,
    scheduler: AsyncIOScheduler,
) -> AsyncIterator[DigestLoop]:
    made = make_loop(coaching, messenger, clock, settings, scheduler)
    yield made
    await asyncio.wait_for(made.stop(), TIMEOUT)


@pytest.fixture
def passes(digests: DigestLoop) -> Passes:
    return Passes(digests)


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


async def due_at(db: Database, coach: int) -> datetime | None:
    [(due, lease)] = await db.conn.execute_fetchall(
        "SELECT due_at, lease_until FROM coach_digests WHERE user_id = ?", (coach,)
    )
    assert lease is None  # nothing left leased once a pass is over
    return rows.opt_dt(due)


async def test_a_new_coachs_row_is_planned_for_their_first_slot(
    coaching: UseCases, db: Database, digests: DigestLoop, passes: Passes, messenger: RecordingMessenger
) -> None:
    digests.start()
    assert await passes.after(0) == []
    seen = len(passes.results)
    await coaching.groups.create_group(COACH, "Job Club", "Kim")  # Wednesday: the first digest is Monday's
    assert await due_at(db, await coach_id(coaching)) == MONDAY_0900
    assert await passes.after(seen) == []  # woken, nothing due
    assert messenger.digests == []


async def test_a_row_left_to_plan_is_planned_by_the_loop(
    coaching: UseCases, db: Database, digests: DigestLoop, passes: Passes, messenger: RecordingMessenger
) -> None:
    """What a crash between a schedule change and its planning, or migration 0008, leaves: due_at NULL."""
    await coaching.groups.create_group(COACH, "Job Club", "Kim")
    await db.conn.execute("UPDATE coach_digests SET due_at = NULL")
    await db.conn.commit()
    digests.start()
    assert await passes.until(1) == [None]  # claimed, not due: planned
    assert await due_at(db, await coach_id(coaching)) == MONDAY_0900
    assert messenger.digests == []


async def test_the_digest_is_sent_once_per_slot(
    coaching: UseCases,
    db: Database,
    digests: DigestLoop,
    passes: Passes,
    messenger: RecordingMessenger,
    clock: ManualClock,
    club: CoachGroup,
) -> None:
    digests.start()
    await passes.after(0)
    coach = await coach_id(coaching)
    clock.set(MONDAY_0900)  # wakes the loop
    await passes.until(1)
    [(to, digest)] = messenger.digests
    assert to.external_id == "coach"
    assert (digest.since, digest.until, digest.seekers) == (utc(2026, 11, 25, 15), MONDAY_0900, 1)
    assert [i.interview.company for i in digest.new_interviews] == ["Acme"]
    assert len(digest.overdue_thank_yous) == 2
    assert (await coaching.roster.digest_plan(COACH)).last_sent_at == MONDAY_0900
    assert await due_at(db, coach) == MONDAY_0900 + timedelta(days=7)

    seen = len(passes.results)
    clock.advance(timedelta(hours=2))
    assert await passes.after(seen) == []  # nothing due: nothing claimed
    assert len(messenger.digests) == 1

    clock.set(MONDAY_0900 + timedelta(days=7))
    await passes.until(2)
    [_, (_, next_week)] = messenger.digests
    assert next_week.since == MONDAY_0900
    assert next_week.new_interviews == []


async def test_a_digest_missed_while_down_is_sent_at_start_and_not_again_after_a_restart(
    coaching: UseCases,
    messenger: RecordingMessenger,
    clock: ManualClock,
    club: CoachGroup,
    scheduler: AsyncIOScheduler,
    settings: Settings,
) -> None:
    clock.set(MONDAY_0900 + timedelta(days=2))  # the bot was down over Monday morning
    first = make_loop(coaching, messenger, clock, settings, scheduler)
    first_passes = Passes(first)
    first.start()
    await first_passes.until(1)
    [(_, digest)] = messenger.digests
    assert digest.until == MONDAY_0900 + timedelta(days=2)
    await first.stop()

    again = make_loop(coaching, messenger, clock, settings, scheduler)  # a restart
    again_passes = Passes(again)
    again.start()
    assert await again_passes.after(0) == []
    assert len(messenger.digests) == 1
    await again.stop()


async def test_changing_the_digest_time_or_zone_moves_the_row(
    coaching: UseCases, services: UseCases, db: Database, digests: DigestLoop, passes: Passes
) -> None:
    await coaching.groups.create_group(COACH, "Job Club", "Kim")
    digests.start()
    await passes.after(0)
    coach = await coach_id(coaching)
    assert await due_at(db, coach) == MONDAY_0900

    await coaching.roster.set_digest(COACH, "friday", "17:30")
    assert await due_at(db, coach) == utc(2026, 11, 27, 17, 30)

    await services.preferences.set_timezone(COACH, "Europe/Berlin")
    await coaching.roster.refresh_digest(COACH)
    assert await due_at(db, coach) == utc(2026, 11, 27, 16, 30)  # 17:30 CET

    seen = len(passes.results)
    await coaching.roster.set_digest(COACH, "off")
    assert await passes.after(seen) == []  # woken; off: never claimed
    assert [tuple(r) for r in await db.conn.execute_fetchall("SELECT enabled, due_at FROM coach_digests")] == [
        (0, None)
    ]
    await coaching.roster.set_digest(COACH, "monday")
    assert await due_at(db, coach) == utc(2026, 11, 30, 16, 30)  # Monday, still 17:30 CET


async def test_a_disabled_digest_is_not_sent(
    coaching: UseCases,
    digests: DigestLoop,
    passes: Passes,
    messenger: RecordingMessenger,
    clock: ManualClock,
    club: CoachGroup,
) -> None:
    await coaching.roster.set_digest(COACH, "off")
    clock.set(MONDAY_0900 + timedelta(days=1))
    digests.start()
    assert await passes.after(0) == []
    assert messenger.digests == []


async def test_a_failed_send_is_retried_and_closed_dms_are_not(
    coaching: UseCases,
    services: UseCases,
    db: Database,
    digests: DigestLoop,
    passes: Passes,
    messenger: RecordingMessenger,
    clock: ManualClock,
    club: CoachGroup,
) -> None:
    clock.set(MONDAY_0900)
    messenger.status = DeliveryStatus.RETRY
    digests.start()
    [result] = await passes.until(1)
    assert result is not None and result.status is DeliveryStatus.RETRY
    coach = await coach_id(coaching)
    assert (await coaching.roster.digest_plan(COACH)).last_sent_at is None
    assert await due_at(db, coach) == MONDAY_0900 + timedelta(minutes=10)

    messenger.status = DeliveryStatus.DMS_CLOSED
    clock.advance(timedelta(minutes=10))
    [_, closed] = await passes.until(2)
    assert closed is not None and closed.status is DeliveryStatus.DMS_CLOSED
    assert (await coaching.roster.digest_plan(COACH)).last_sent_at == MONDAY_0900 + timedelta(minutes=10)  # done with
    assert (await services.preferences.user(COACH)).dms_closed_at == MONDAY_0900 + timedelta(minutes=10)
    assert await due_at(db, coach) == MONDAY_0900 + timedelta(days=7)  # not retried all week


async def test_stop_removes_the_job(digests: DigestLoop, scheduler: AsyncIOScheduler) -> None:
    digests.start()
    assert scheduler.get_job(JOB_ID) is not None
    await digests.stop()
    assert scheduler.get_job(JOB_ID) is None


async def test_a_digest_that_fails_to_build_is_retried_soon(
    coaching: UseCases,
    db: Database,
    digests: DigestLoop,
    passes: Passes,
    messenger: RecordingMessenger,
    clock: ManualClock,
    club: CoachGroup,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock.set(MONDAY_0900)

    async def broken(_: int) -> None:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(coaching.roster, "due_digest", broken)
    digests.start()
    [result] = await passes.until(1)
    assert result is not None and result.status is DeliveryStatus.RETRY
    assert result.error == "RuntimeError: database is locked"
    assert await due_at(db, await coach_id(coaching)) == MONDAY_0900 + timedelta(minutes=10)

    monkeypatch.undo()
    clock.advance(timedelta(minutes=10))  # the retry
    await passes.until(2)
    assert len(messenger.digests) == 1
    assert (await coaching.roster.digest_plan(COACH)).last_sent_at == MONDAY_0900 + timedelta(minutes=10)


async def test_one_coach_whose_digest_cannot_be_built_does_not_stop_the_others(
    coaching: UseCases,
    services: UseCases,
    db: Database,
    digests: DigestLoop,
    passes: Passes,
    messenger: RecordingMessenger,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    broken_coach = Actor("test", "broken-coach")
    await coaching.groups.create_group(broken_coach, "Night Club", "Lee")
    await coaching.groups.create_group(COACH, "Job Club", "Kim")
    # A zone this build's time-zone database does not know, written straight into SQLite.
    await services.db.conn.execute("UPDATE users SET timezone = 'Mars/Olympus' WHERE external_id = 'broken-coach'")
    await services.db.conn.commit()
    broken = (await services.accounts.find(broken_coach)).id  # type: ignore[union-attr]
    clock.set(MONDAY_0900)
    digests.start()
    await passes.until(2)
    assert [to.external_id for to, _ in messenger.digests] == ["coach"]
    assert f"building the digest of coach {broken} failed" in caplog.text
    assert await due_at(db, broken) == MONDAY_0900 + timedelta(minutes=10)  # tried again, not lost


async def test_a_digest_due_is_sent_once_by_two_processes_sharing_the_database_file(
    settings: Settings, clock: ManualClock, club: CoachGroup, coaching: UseCases
) -> None:
    """Two delivery stacks as two processes would have them: each its own connection to the file, its own
    services, scheduler and loop; both woken at the slot."""
    clock.set(MONDAY_0900)
    stacks = []
    for _ in range(2):
        db = await Database.open(settings.database_path)
        messenger = RecordingMessenger()
        scheduler = AsyncIOScheduler(timezone=UTC)
        loop = make_loop(use_cases(db, clock, settings, messenger), messenger, clock, settings, scheduler)
        stacks.append((db, scheduler, loop, Passes(loop), messenger))
    try:
        for _, _, loop, _, _ in stacks:
            loop.start()
        for _, _, _, passes, _ in stacks:
            await passes.after(0)
        clock.advance(timedelta(minutes=1))  # wakes both again: nothing left to send
        for _, _, _, passes, _ in stacks:
            await passes.after(1)
        sent = [digest for *_, messenger in stacks for digest in messenger.digests]
        assert len(sent) == 1
        assert (await coaching.roster.digest_plan(COACH)).last_sent_at == MONDAY_0900
    finally:
        for db, scheduler, loop, _, _ in stacks:
            await asyncio.wait_for(loop.stop(), TIMEOUT)
            scheduler.shutdown(wait=False)
            await db.close()
        await asyncio.sleep(0)


async def test_only_a_digest_delivered_is_counted_sent(
    coaching: UseCases,
    messenger: RecordingMessenger,
    clock: ManualClock,
    settings: Settings,
    scheduler: AsyncIOScheduler,
    club: CoachGroup,
) -> None:
    counted: list[str] = []

    class Counting(NoMetrics):
        def digest_sent(self, platform: str) -> None:
            counted.append(platform)

    loop = DigestLoop(
        coaching.roster,
        Messengers({"test": messenger}),
        clock,
        settings.coach.defaults(),
        settings.dispatch.policy(),
        scheduler,
        Counting(),
        claimant="t:1:a",
    )
    clock.set(MONDAY_0900)
    messenger.status = DeliveryStatus.RETRY
    await loop.run_pass()
    messenger.status = DeliveryStatus.DMS_CLOSED
    clock.advance(timedelta(minutes=10))
    await loop.run_pass()
    assert counted == []
    messenger.status = DeliveryStatus.SENT
    clock.set(MONDAY_0900 + timedelta(days=7))
    await loop.run_pass()
    assert counted == ["test"]


async def test_a_claim_whose_lease_ran_out_before_the_send_sends_nothing(
    coaching: UseCases, digests: DigestLoop, messenger: RecordingMessenger, clock: ManualClock, club: CoachGroup
) -> None:
    """A process that claimed the row, then stalled past its lease before sending, may have lost the row to
    another process, which sends it: the stalled one must not send it too."""
    clock.set(MONDAY_0900)
    [claim] = await coaching.roster.claim_digests(["test"], "stalled:1:a", timedelta(minutes=2), 10)
    clock.advance(timedelta(minutes=3))  # stalled past the lease
    [fresh] = await coaching.roster.claim_digests(["test"], "other:2:b", timedelta(minutes=2), 10)
    assert await digests.send(claim) is None
    assert messenger.digests == []
    assert await digests.send(fresh) is not None  # the process holding the row now sends it, once
    assert len(messenger.digests) == 1

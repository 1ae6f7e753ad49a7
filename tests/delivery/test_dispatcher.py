"""The dispatcher with the real APScheduler AsyncIOScheduler, a real database and a recording notifier.

Nothing here waits on the time of day: the follow-ups' times come from a ManualClock, and the tests
await events (with timeouts) instead of sleeping.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clocks import ManualClock, SystemClock
from bot.delivery.dispatcher import JOB_ID, Dispatcher, PassReport, outage_gives_up_at
from bot.domain.models import FollowUp, FollowUpDraft, FollowUpKind, FollowUpStatus, Nudge, QuietHours
from bot.platforms.discord.notifier import nonce
from bot.platforms.pacing import TokenBucket
from bot.ports.metrics import SendResult
from bot.ports.repositories import Lease
from bot.ports.senders import Delivery, DeliveryStatus
from bot.settings import Settings
from bot.storage.sqlite import rows as convert
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.follow_ups import FollowUpRepo
from bot.storage.sqlite.interviews import InterviewRepo, NewInterview
from bot.storage.sqlite.unit_of_work import SqliteUnitOfWorkFactory
from bot.storage.sqlite.users import UserRepo
from bot.usecases.actors import Actor
from tests.support import ALICE, BOB, WEDNESDAY_1500_UTC, UseCases, utc

K = FollowUpKind
S = FollowUpStatus
NOW = WEDNESDAY_1500_UTC
TIMEOUT = 5  # seconds; every await below is expected to finish in milliseconds

Answer = Delivery | Exception


class RecordingNotifier:
    """A Notifier that records every nudge and answers from a script (default: delivered)."""

    def __init__(self) -> None:
        self.nudges: list[Nudge] = []
        self.script: list[Answer] = []
        self.default: Answer = Delivery(DeliveryStatus.SENT, message_ref="msg", dm_channel="dm-1")
        self.gate: asyncio.Event | None = None  # when set to an unset Event, sends wait for it
        self._waiters: list[tuple[int, asyncio.Event]] = []

    async def send(self, nudge: Nudge) -> Delivery:
        self.nudges.append(nudge)
        for count, event in self._waiters:
            if len(self.nudges) >= count:
                event.set()
        if self.gate is not None:
            await self.gate.wait()
        answer = self.script.pop(0) if self.script else self.default
        if isinstance(answer, Exception):
            raise answer
        if answer.status is DeliveryStatus.SENT:
            return Delivery(
                DeliveryStatus.SENT, f"msg-{nudge.follow_up.id}", answer.dm_channel, duplicate=answer.duplicate
            )
        return answer

    def received(self, count: int) -> asyncio.Event:
        """An event set once `count` nudges have arrived in all."""
        event = asyncio.Event()
        if len(self.nudges) >= count:
            event.set()
        self._waiters.append((count, event))
        return event

    async def wait_for(self, count: int) -> None:
        await asyncio.wait_for(self.received(count).wait(), TIMEOUT)

    def kinds(self) -> list[FollowUpKind]:
        """The kinds nudged so far, in alphabetical order."""
        return sorted(n.follow_up.kind for n in self.nudges)


class Passes:
    """Hears the end of every dispatcher pass (after its results are stored)."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self.reports: list[PassReport] = []
        self._changed = asyncio.Condition()
        run_pass = dispatcher.run_pass

        async def recorded() -> PassReport:
            report = await run_pass()
            async with self._changed:
                self.reports.append(report)
                self._changed.notify_all()
            return report

        dispatcher.run_pass = recorded  # type: ignore[method-assign]

    async def wait(self, count: int) -> list[PassReport]:
        await self.until(lambda reports: len(reports) >= count)
        return self.reports

    async def until(self, done: Callable[[list[PassReport]], bool]) -> None:
        async def waiting() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: done(self.reports))

        await asyncio.wait_for(waiting(), TIMEOUT)

    def total(self, field: str) -> int:
        return sum(getattr(r, field) for r in self.reports)


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
async def make_dispatcher(
    db: Database,
    clock: ManualClock,
    settings: Settings,
    scheduler: AsyncIOScheduler,
    notifier: RecordingNotifier,
    services: UseCases,
) -> AsyncIterator[Callable[..., Dispatcher]]:
    """Builds the dispatcher (dispatch settings overridable), wired to the services and the manual clock."""
    made: list[Dispatcher] = []

    def make(**dispatch: object) -> Dispatcher:
        dispatcher = Dispatcher(
            services.uow,
            {"test": notifier},
            clock,
            settings.dispatch.model_copy(update=dispatch).policy(),
            scheduler,
            claimant="test:1:a",
        )
        services.accounts.on_follow_up_scheduled(dispatcher.wake)
        clock.on_change(dispatcher.wake)
        made.append(dispatcher)
        return dispatcher

    yield make
    for dispatcher in made:
        await asyncio.wait_for(dispatcher.stop(), TIMEOUT)


@pytest.fixture
def dispatcher(make_dispatcher: Callable[..., Dispatcher]) -> Dispatcher:
    return make_dispatcher()


@pytest.fixture
def passes(dispatcher: Dispatcher) -> Passes:
    return Passes(dispatcher)


async def rows(db: Database) -> dict[int, FollowUp]:
    """Every stored follow-up by id."""
    async with db.conn.execute("SELECT * FROM follow_ups ORDER BY id") as cursor:
        return {row["id"]: convert.follow_up(row) for row in await cursor.fetchall()}


async def claimed(db: Database) -> int:
    async with db.conn.execute("SELECT count(*) FROM follow_ups WHERE status = 'claimed'") as cursor:
        row = await cursor.fetchone()
    assert row is not None
    return int(row[0])


async def test_due_follow_ups_are_sent_once_and_marked_sent(
    services: UseCases, db: Database, dispatcher: Dispatcher, passes: Passes, notifier: RecordingNotifier
) -> None:
    made = await services.interviews.record_interview(
        ALICE, "Acme", "Engineer", "today 1pm"
    )  # due now: email, next steps
    dispatcher.start()
    await notifier.wait_for(2)
    [report] = await passes.wait(1)
    assert (report.sent, report.late, report.retried, report.failed, report.deferred) == (2, 0, 0, 0, 0)
    assert notifier.kinds() == [K.NEXT_STEPS, K.THANK_YOU_EMAIL]
    nudge = notifier.nudges[0]
    assert (nudge.user.id, nudge.interview.id, nudge.late, nudge.next_steps) == (
        made.user.id,
        made.interview.id,
        False,
        None,
    )
    assert nudge.follow_up.status is S.CLAIMED

    stored = {f.kind: f for f in (await rows(db)).values()}
    for kind in (K.THANK_YOU_EMAIL, K.NEXT_STEPS):
        assert (stored[kind].status, stored[kind].sent_at, stored[kind].attempts) == (S.SENT, NOW, 0)
    assert stored[K.HANDWRITTEN_NOTE].status is S.PENDING
    async with db.conn.execute("SELECT message_ref FROM follow_ups WHERE status = 'sent' ORDER BY id") as cursor:
        assert [r[0] for r in await cursor.fetchall()] == [
            f"msg-{stored[K.THANK_YOU_EMAIL].id}",
            f"msg-{stored[K.NEXT_STEPS].id}",
        ]
    assert (await services.preferences.user(ALICE)).dm_channel == "dm-1"

    dispatcher.wake()  # another pass finds nothing new to send
    await passes.wait(2)
    assert len(notifier.nudges) == 2
    assert passes.reports[1].sent == 0


async def test_moving_the_clock_sends_what_falls_due(
    services: UseCases,
    clock: ManualClock,
    db: Database,
    dispatcher: Dispatcher,
    passes: Passes,
    notifier: RecordingNotifier,
) -> None:
    await services.interviews.record_interview(ALICE, "Acme", "Engineer", "2026-11-26 11:00")  # tomorrow
    dispatcher.start()
    await passes.wait(1)
    assert notifier.nudges == []

    clock.set(utc(2026, 11, 26, 10, 0))  # the prep nudge, an hour before
    await notifier.wait_for(1)
    assert notifier.kinds() == [K.PREP]
    clock.set(utc(2026, 11, 26, 13, 0))  # thank-you email and next steps
    await notifier.wait_for(3)
    clock.set(utc(2026, 11, 26, 15, 0))  # the handwritten note
    await notifier.wait_for(4)
    await passes.until(lambda reports: sum(r.sent for r in reports) == 4)
    assert notifier.kinds() == [K.HANDWRITTEN_NOTE, K.NEXT_STEPS, K.PREP, K.THANK_YOU_EMAIL]
    assert [n.late for n in notifier.nudges] == [False] * 4
    assert sorted(f.status for f in (await rows(db)).values()) == [S.PENDING] + [S.SENT] * 4


async def test_a_nudge_carries_the_answers_and_the_last_call(
    services: UseCases,
    clock: ManualClock,
    dispatcher: Dispatcher,
    passes: Passes,
    notifier: RecordingNotifier,
) -> None:
    made = await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")
    ref = str(made.interview.id)
    for follow_up in made.follow_ups:
        if follow_up.kind in (K.THANK_YOU_EMAIL, K.HANDWRITTEN_NOTE):
            await services.follow_ups.complete(ALICE, follow_up.id)
    steps = await services.interviews.record_next_steps(ALICE, ref, "Dec 3", candidates=3)
    logged = await services.interviews.log_check_in(ALICE, ref, "Still deciding", "Dec 1")
    dispatcher.start()
    await passes.wait(1)
    assert notifier.nudges == []

    clock.set(utc(2026, 12, 1, 10, 0))
    await notifier.wait_for(1)
    [nudge] = notifier.nudges
    assert (nudge.follow_up.kind, nudge.follow_up.due_at) == (K.CHECK_IN, utc(2026, 12, 1, 10, 0))
    assert nudge.next_steps == steps.next_steps
    assert nudge.last_check_in == logged.check_in


async def test_a_follow_up_due_sooner_wakes_the_dispatcher_at_once(
    services: UseCases,
    dispatcher: Dispatcher,
    passes: Passes,
    notifier: RecordingNotifier,
    scheduler: AsyncIOScheduler,
) -> None:
    dispatcher.start()
    await passes.wait(1)  # nothing stored: the next planned pass is the safety poll, an hour away
    job = scheduler.get_job(JOB_ID)
    assert job is not None
    assert job.next_run_time - datetime.now(UTC) > timedelta(minutes=30)

    await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")  # due now
    await notifier.wait_for(2)
    assert notifier.kinds() == [K.NEXT_STEPS, K.THANK_YOU_EMAIL]


async def test_follow_ups_due_while_down_are_sent_on_start_and_flagged_late(
    services: UseCases,
    clock: ManualClock,
    dispatcher: Dispatcher,
    passes: Passes,
    notifier: RecordingNotifier,
) -> None:
    clock.set(NOW - timedelta(hours=6))  # 09:00: the bot is down from here
    old = await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 9am")  # due 11:00 and 13:00
    clock.set(NOW)
    logged_late = await services.interviews.record_interview(BOB, "Globex", "Analyst", "today 1pm")  # due 15:00: now
    dispatcher.start()
    await notifier.wait_for(5)
    await passes.until(lambda reports: sum(r.sent for r in reports) == 5)
    late = {(n.interview.id, n.follow_up.kind): n.late for n in notifier.nudges}
    assert late == {
        (old.interview.id, K.THANK_YOU_EMAIL): True,
        (old.interview.id, K.HANDWRITTEN_NOTE): True,
        (old.interview.id, K.NEXT_STEPS): True,
        (logged_late.interview.id, K.THANK_YOU_EMAIL): False,  # logged after the fact: not the bot's fault
        (logged_late.interview.id, K.NEXT_STEPS): False,
    }
    assert passes.total("late") == 3
    assert [n.follow_up.notify_at for n in notifier.nudges] == sorted(n.follow_up.notify_at for n in notifier.nudges)


async def test_a_burst_that_falls_due_while_running_is_not_late(
    services: UseCases, clock: ManualClock, dispatcher: Dispatcher, passes: Passes, notifier: RecordingNotifier
) -> None:
    await services.interviews.record_interview(
        ALICE, "Acme", "Engineer", "2026-11-25 16:00"
    )  # prep now; more at 18, 20
    dispatcher.start()
    await notifier.wait_for(1)
    clock.set(utc(2026, 11, 25, 20, 30))  # the pass comes long after they fell due: a slow drain, not downtime
    await notifier.wait_for(4)
    assert [n.late for n in notifier.nudges] == [False, False, False, False]


async def test_a_follow_up_whose_user_was_deleted_after_the_claim_is_skipped(
    services: UseCases,
    db: Database,
    dispatcher: Dispatcher,
    passes: Passes,
    notifier: RecordingNotifier,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")  # two due now
    claim = FollowUpRepo.claim_due

    async def claim_then_delete(self: FollowUpRepo, *args: Any, **kwargs: Any) -> list[FollowUp]:
        claimed = await claim(self, *args, **kwargs)
        if claimed:  # /mydata delete lands between the claim and the send
            await db.conn.execute("DELETE FROM users WHERE id = ?", (claimed[0].user_id,))
        return claimed

    monkeypatch.setattr(FollowUpRepo, "claim_due", claim_then_delete)
    dispatcher.start()
    [report, *_] = await passes.wait(1)
    await dispatcher.wait_idle()
    assert (report.sent, notifier.nudges) == (0, [])
    assert dispatcher.scheduler.get_job(JOB_ID) is not None  # the run ended normally and planned its wake


async def test_expired_leases_are_released_and_resent(
    services: UseCases,
    clock: ManualClock,
    db: Database,
    dispatcher: Dispatcher,
    passes: Passes,
    notifier: RecordingNotifier,
) -> None:
    await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")
    async with services.uow.transaction() as uow:  # a previous process claimed them, then died
        lost = await uow.follow_ups.claim_due(NOW, Lease("dead:1:a", NOW + timedelta(minutes=2)), 10, ["test"])
    assert len(lost) == 2
    clock.set(NOW + timedelta(minutes=1))
    dispatcher.start()
    [first] = await passes.wait(1)
    assert (first.released, first.sent, notifier.nudges) == (0, 0, [])  # the lease still runs
    assert await claimed(db) == 2

    clock.set(NOW + timedelta(minutes=2))  # the lease ends
    await notifier.wait_for(2)
    await passes.until(lambda reports: sum(r.sent for r in reports) == 2)
    assert passes.total("released") == 2
    assert sorted(n.follow_up.id for n in notifier.nudges) == sorted(f.id for f in lost)
    assert await claimed(db) == 0


async def test_claims_whose_lease_runs_out_during_a_long_drain_are_taken_back_by_the_pass_under_way(
    services: UseCases,
    clock: ManualClock,
    make_dispatcher: Callable[..., Dispatcher],
    notifier: RecordingNotifier,
) -> None:
    """Another process died holding claims while this one drains a backlog: they are released before the next
    batch, not after the whole backlog (with several processes, a backlog of thousands would hold them for long)."""
    await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")  # two due now
    await services.interviews.record_interview(BOB, "Globex", "Engineer", "today 1pm")  # two more
    async with services.uow.transaction() as uow:  # a process claimed two, then died
        lost = await uow.follow_ups.claim_due(NOW, Lease("dead:1:a", NOW + timedelta(minutes=2)), 2, ["test"])
    dispatcher = make_dispatcher(batch_size=1)
    passes = Passes(dispatcher)
    notifier.gate = asyncio.Event()  # the first send hangs while the dead process's lease runs out
    dispatcher.start()
    await notifier.wait_for(1)
    clock.set(NOW + timedelta(minutes=3))
    notifier.gate.set()
    [first, *_] = await passes.wait(1)
    assert (first.released, first.sent) == (2, 4)
    assert {f.id for f in lost} <= {n.follow_up.id for n in notifier.nudges}


async def test_a_lease_left_by_a_dead_process_plans_the_next_wake_for_its_expiry(
    services: UseCases, clock: ManualClock, db: Database, dispatcher: Dispatcher, passes: Passes
) -> None:
    await services.interviews.record_interview(ALICE, "Acme", "Engineer", "2026-11-26 11:00")  # nothing due for hours
    async with services.uow.transaction() as uow:  # a previous process claimed one, then died
        await uow.follow_ups.claim_due(
            utc(2026, 11, 26, 10), Lease("dead:1:a", NOW + timedelta(seconds=30)), 1, ["test"]
        )
    dispatcher.start()  # its safety poll is an hour
    await passes.wait(1)
    await dispatcher.wait_idle()
    job = dispatcher.scheduler.get_job(JOB_ID)
    assert job is not None
    assert job.next_run_time - datetime.now(UTC) <= timedelta(seconds=30)


async def test_closed_dms_make_follow_ups_undeliverable_and_flag_the_user(
    services: UseCases,
    clock: ManualClock,
    db: Database,
    dispatcher: Dispatcher,
    passes: Passes,
    notifier: RecordingNotifier,
) -> None:
    await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")
    notifier.default = Delivery(DeliveryStatus.DMS_CLOSED, error="50007")
    dispatcher.start()
    await notifier.wait_for(2)
    await passes.until(lambda reports: sum(r.undeliverable for r in reports) == 2)
    stored = [f for f in (await rows(db)).values() if f.kind in (K.THANK_YOU_EMAIL, K.NEXT_STEPS)]
    assert [(f.status, f.last_error) for f in stored] == [
        (S.UNDELIVERABLE, "The seeker's DMs are closed to the bot.")
    ] * 2
    user = await services.preferences.user(ALICE)
    assert (user.dms_closed_at, user.dms_closed_notice_pending) == (NOW, True)
    assert await services.preferences.take_dms_closed_notice(ALICE) is True
    assert await services.preferences.take_dms_closed_notice(ALICE) is False

    # The seeker opens their DMs again: the next delivery clears the flag.
    notifier.default = Delivery(DeliveryStatus.SENT, dm_channel="dm-7")
    clock.set(NOW + timedelta(hours=2))
    await notifier.wait_for(3)
    await passes.until(lambda reports: sum(r.sent for r in reports) == 1)
    user = await services.preferences.user(ALICE)
    assert (user.dms_closed_at, user.dms_closed_notice_pending, user.dm_channel) == (None, False, "dm-7")


async def test_transient_failures_back_off_then_fail_after_max_attempts(
    services: UseCases,
    clock: ManualClock,
    db: Database,
    make_dispatcher: Callable[..., Dispatcher],
    notifier: RecordingNotifier,
    caplog: pytest.LogCaptureFixture,
) -> None:
    dispatcher = make_dispatcher(max_attempts=3, retry_base=timedelta(seconds=30))
    passes = Passes(dispatcher)
    made = await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")
    await services.follow_ups.complete(ALICE, next(f.id for f in made.follow_ups if f.kind is K.NEXT_STEPS))
    [email] = [f for f in made.follow_ups if f.kind is K.THANK_YOU_EMAIL]
    notifier.default = Delivery(DeliveryStatus.RETRY, error="HTTP 503")

    dispatcher.start()
    await passes.until(lambda reports: sum(r.retried for r in reports) == 1)
    first = (await rows(db))[email.id]
    assert (first.status, first.attempts, first.notify_at, first.last_error) == (
        S.PENDING,
        1,
        NOW + timedelta(seconds=30),
        "HTTP 503",
    )

    clock.set(NOW + timedelta(seconds=30))
    await passes.until(lambda reports: sum(r.retried for r in reports) == 2)
    second = (await rows(db))[email.id]
    assert (second.status, second.attempts, second.notify_at) == (S.PENDING, 2, NOW + timedelta(seconds=90))

    with caplog.at_level(logging.ERROR, logger="bot.delivery.dispatcher"):
        clock.set(NOW + timedelta(seconds=90))
        await passes.until(lambda reports: sum(r.failed for r in reports) == 1)
    final = (await rows(db))[email.id]
    assert (final.status, final.attempts, final.last_error) == (S.FAILED, 3, "HTTP 503")
    assert len(notifier.nudges) == 3
    assert f"follow-up {email.id} failed for good: HTTP 503" in caplog.text
    assert passes.total("sent") == 0


async def test_a_notifier_exception_fails_that_follow_up_alone_and_is_logged_once(
    services: UseCases,
    db: Database,
    dispatcher: Dispatcher,
    passes: Passes,
    notifier: RecordingNotifier,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An exception is a bug in building or rendering that nudge: sending it again would raise again."""
    made = await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")
    await services.interviews.record_interview(BOB, "Globex", "Analyst", "today 1pm")
    [email] = [f for f in made.follow_ups if f.kind is K.THANK_YOU_EMAIL]
    real_send = notifier.send

    async def broken_for_one(nudge: Nudge) -> Delivery:
        if nudge.follow_up.id == email.id:
            raise ValueError("embed field too long")
        return await real_send(nudge)

    notifier.send = broken_for_one  # type: ignore[method-assign]
    with caplog.at_level(logging.ERROR, logger="bot.delivery.dispatcher"):
        dispatcher.start()
        [report] = await passes.wait(1)
    assert (report.sent, report.failed, report.retried) == (3, 1, 0)
    assert report.errors == ["ValueError: embed field too long"]
    failed = (await rows(db))[email.id]
    assert (failed.status, failed.attempts, failed.last_error) == (S.FAILED, 1, "ValueError: embed field too long")
    assert caplog.text.count(f"follow-up {email.id}") == 1
    assert "Traceback" in caplog.text
    assert await claimed(db) == 0


async def plant(db: Database, sql: str) -> None:
    """A row an older build or a hand edit left behind: written straight into SQLite, past every check."""
    await db.conn.execute(sql)
    await db.conn.commit()


@pytest.mark.parametrize(
    ("bad_row", "error"),
    [
        # A zone this build's tz database does not know: every instant for the user is unreadable.
        (
            "UPDATE users SET timezone = 'Mars/Olympus' WHERE external_id = 'bob'",
            "ZoneInfoNotFoundError: 'No time zone found with key Mars/Olympus'",
        ),
        # The interview row cannot even be read.
        (
            "UPDATE interviews SET scheduled_at = 'soon'"
            " WHERE user_id = (SELECT id FROM users WHERE external_id = 'bob')",
            "ValueError: Invalid isoformat string: 'soon'",
        ),
    ],
)
async def test_a_row_whose_nudge_cannot_be_built_fails_alone_and_the_rest_go_out_in_the_same_pass(
    services: UseCases,
    db: Database,
    make_dispatcher: Callable[..., Dispatcher],
    notifier: RecordingNotifier,
    caplog: pytest.LogCaptureFixture,
    bad_row: str,
    error: str,
) -> None:
    for actor in (ALICE, BOB):
        await services.interviews.record_interview(actor, "Acme", "Engineer", "today 1pm")
    await services.interviews.record_interview(Actor("test", "carol"), "Globex", "Analyst", "today 1pm")
    await plant(db, bad_row)
    dispatcher = make_dispatcher(batch_size=3)  # the bad rows share a claim with good ones
    passes = Passes(dispatcher)

    with caplog.at_level(logging.ERROR, logger="bot.delivery.dispatcher"):
        dispatcher.start()
        [report] = await passes.wait(1)
    assert (report.sent, report.failed, report.retried) == (4, 2, 0)
    assert sorted(n.user.external_id for n in notifier.nudges) == ["alice", "alice", "carol", "carol"]
    stored = list((await rows(db)).values())
    async with db.conn.execute("SELECT id FROM users WHERE external_id = 'bob'") as cursor:
        [bob] = await cursor.fetchone()  # type: ignore[misc]
    bad = [f for f in stored if f.user_id == bob and f.due_at <= NOW]
    assert [(f.status, f.last_error) for f in bad] == [(S.FAILED, error)] * 2
    assert sorted(f.status for f in stored if f.user_id != bob and f.due_at <= NOW) == [S.SENT] * 4
    assert await claimed(db) == 0
    for follow_up in bad:
        assert caplog.text.count(f"follow-up {follow_up.id}") == 1  # logged once, with its traceback

    dispatcher.wake()  # the next pass does not try them again
    await passes.wait(2)
    assert len(notifier.nudges) == 4


async def test_quiet_hours_at_send_time_defer_instead_of_sending(
    services: UseCases,
    clock: ManualClock,
    db: Database,
    dispatcher: Dispatcher,
    passes: Passes,
    notifier: RecordingNotifier,
) -> None:
    await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")  # due 15:00, 15:00 and 17:00
    clock.set(utc(2026, 11, 25, 23, 0))  # the bot was down all evening; now it is quiet time in UTC
    dispatcher.start()
    await passes.until(lambda reports: sum(r.deferred for r in reports) == 3)
    assert notifier.nudges == []
    waiting = [f for f in (await rows(db)).values() if f.kind is not K.CHECK_IN]
    assert [(f.status, f.notify_at) for f in waiting] == [(S.PENDING, utc(2026, 11, 26, 8, 0))] * 3
    assert await claimed(db) == 0

    clock.set(utc(2026, 11, 26, 8, 0))
    await notifier.wait_for(3)
    await passes.until(lambda reports: sum(r.sent for r in reports) == 3)
    assert notifier.kinds() == [K.HANDWRITTEN_NOTE, K.NEXT_STEPS, K.THANK_YOU_EMAIL]
    assert [n.late for n in notifier.nudges] == [False] * 3


async def test_quiet_hours_are_the_seekers_own(
    services: UseCases, clock: ManualClock, dispatcher: Dispatcher, passes: Passes, notifier: RecordingNotifier
) -> None:
    await services.preferences.set_timezone(BOB, "America/New_York")
    await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")
    await services.interviews.record_interview(BOB, "Globex", "Analyst", "today 8am")  # 13:00 UTC
    clock.set(utc(2026, 11, 25, 23, 0))  # quiet in UTC; 18:00 in New York
    dispatcher.start()
    await notifier.wait_for(3)
    await passes.until(lambda reports: sum(r.deferred for r in reports) == 3)
    assert {n.user.external_id for n in notifier.nudges} == {"bob"}


async def test_a_wake_while_a_pass_runs_is_not_lost(
    services: UseCases, db: Database, dispatcher: Dispatcher, passes: Passes, notifier: RecordingNotifier
) -> None:
    await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")
    notifier.gate = asyncio.Event()
    dispatcher.start()
    await notifier.wait_for(2)  # the pass is now stuck sending

    await services.interviews.record_interview(BOB, "Globex", "Analyst", "today 1pm")  # due now: wakes the running job
    notifier.gate.set()
    await notifier.wait_for(4)
    await passes.until(lambda reports: sum(r.sent for r in reports) == 4)
    assert sorted(n.user.external_id for n in notifier.nudges) == ["alice", "alice", "bob", "bob"]
    assert await claimed(db) == 0


async def test_a_wake_while_the_next_pass_is_planned_is_not_lost(
    services: UseCases,
    dispatcher: Dispatcher,
    passes: Passes,
    notifier: RecordingNotifier,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A follow-up stored between reading the soonest due time and arming the job must still go out."""
    read_soonest = FollowUpRepo.next_notify_at
    raced = False

    async def racing_read(self: FollowUpRepo, platforms: Sequence[str]) -> datetime | None:
        nonlocal raced
        soonest = await read_soonest(self, platforms)
        if not raced:
            raced = True
            await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")  # due now; calls wake
        return soonest

    monkeypatch.setattr(FollowUpRepo, "next_notify_at", racing_read)
    dispatcher.start()
    await notifier.wait_for(2)
    assert raced
    assert notifier.kinds() == [K.NEXT_STEPS, K.THANK_YOU_EMAIL]


async def test_a_wake_as_a_run_ends_is_not_skipped(
    services: UseCases,
    db: Database,
    dispatcher: Dispatcher,
    passes: Passes,
    notifier: RecordingNotifier,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A wake after the job returned, but before APScheduler noted that it had, must still start a pass."""
    read_soonest = FollowUpRepo.next_notify_at
    user = await services.preferences.user(ALICE)
    raced = False

    async def racing_read(self: FollowUpRepo, platforms: Sequence[str]) -> datetime | None:
        nonlocal raced
        soonest = await read_soonest(self, platforms)
        if not raced:
            raced = True
            async with services.uow.transaction() as uow:  # stored behind the services' back: no wake yet
                interview = await uow.interviews.insert(
                    user.id, NewInterview("Acme", "Engineer", NOW + timedelta(hours=1), None, None, None), NOW
                )
                await uow.follow_ups.insert(interview.id, user.id, [FollowUpDraft(K.PREP, NOW, NOW)], NOW)
            # Runs once this run has returned, before APScheduler's own done-callback for it.
            asyncio.get_running_loop().call_soon(dispatcher.wake)
        return soonest

    monkeypatch.setattr(FollowUpRepo, "next_notify_at", racing_read)
    dispatcher.start()
    await notifier.wait_for(1)
    assert raced
    assert notifier.kinds() == [K.PREP]


async def test_stop_lets_the_pass_finish_and_leaves_nothing_claimed(
    services: UseCases,
    db: Database,
    dispatcher: Dispatcher,
    passes: Passes,
    notifier: RecordingNotifier,
    scheduler: AsyncIOScheduler,
) -> None:
    await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")
    notifier.gate = asyncio.Event()
    dispatcher.start()
    await notifier.wait_for(2)
    assert await claimed(db) == 2

    stopping = asyncio.create_task(dispatcher.stop())
    await asyncio.sleep(0)
    assert not stopping.done()  # it waits for the pass in flight
    notifier.gate.set()
    await asyncio.wait_for(stopping, TIMEOUT)
    assert await claimed(db) == 0
    assert sorted(f.status for f in (await rows(db)).values() if f.kind is not K.CHECK_IN) == [
        S.PENDING,
        S.SENT,
        S.SENT,
    ]
    assert scheduler.get_job(JOB_ID) is None

    await services.interviews.record_interview(BOB, "Globex", "Analyst", "today 1pm")  # a wake after stop is a no-op
    assert len(notifier.nudges) == 2
    assert await claimed(db) == 0


async def test_stop_sends_no_more_than_the_sends_in_flight_and_releases_the_rest(
    services: UseCases, db: Database, make_dispatcher: Callable[..., Dispatcher], notifier: RecordingNotifier
) -> None:
    for company in ("Acme", "Globex", "Initech", "Hooli", "Umbrella"):
        await services.interviews.record_interview(ALICE, company, "Engineer", "today 1pm")  # ten due now
    dispatcher = make_dispatcher(concurrency=2, batch_size=4)
    notifier.gate = asyncio.Event()
    dispatcher.start()
    await notifier.wait_for(2)  # two sends in flight, two more of the batch waiting for a slot, six unclaimed
    assert await claimed(db) == 4

    stopping = asyncio.create_task(dispatcher.stop())
    await asyncio.sleep(0)
    notifier.gate.set()
    await asyncio.wait_for(stopping, TIMEOUT)
    assert len(notifier.nudges) == 2
    statuses = sorted(f.status for f in (await rows(db)).values() if f.kind is not K.CHECK_IN)
    assert statuses == [S.PENDING] * 13 + [S.SENT] * 2  # the note of each interview was never due
    released = [f for f in (await rows(db)).values() if f.status is S.PENDING and f.notify_at <= NOW]
    assert all(f.attempts == 0 and f.last_error is None for f in released)


async def test_nudges_still_waiting_when_the_claim_runs_out_are_not_sent_by_the_stalled_process(
    services: UseCases,
    make_dispatcher: Callable[..., Dispatcher],
    notifier: RecordingNotifier,
    clock: ManualClock,
) -> None:
    """A process that stalls past its lease (here: the clock jumps while its first send hangs) loses its claim
    to another process, which sends those nudges: the ones still waiting for a slot are not sent here too."""
    for company in ("Acme", "Globex"):
        await services.interviews.record_interview(ALICE, company, "Engineer", "today 1pm")  # four due now
    dispatcher = make_dispatcher(concurrency=1, batch_size=4)
    passes = Passes(dispatcher)
    notifier.gate = asyncio.Event()
    dispatcher.start()
    await notifier.wait_for(1)  # one in flight, three waiting for the one slot
    clock.advance(timedelta(minutes=3))  # past the 2-minute lease: another process takes the rows
    async with services.uow.transaction() as tx:
        await tx.follow_ups.release_expired(clock.now())
        other = Lease("other:2:b", clock.now() + timedelta(minutes=2))
        assert len(await tx.follow_ups.claim_due(clock.now(), other, 10, ["test"])) == 4
    notifier.gate.set()
    await asyncio.wait_for(passes.wait(1), TIMEOUT)
    assert len(notifier.nudges) == 1  # only the one already in flight went out from the stalled process


async def test_hurry_cancels_the_sends_in_flight_and_releases_their_rows(
    services: UseCases, db: Database, dispatcher: Dispatcher, notifier: RecordingNotifier
) -> None:
    await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")
    notifier.gate = asyncio.Event()  # never set: Discord does not answer
    dispatcher.start()
    await notifier.wait_for(2)
    stopping = asyncio.create_task(dispatcher.stop())
    await asyncio.sleep(0)
    assert not stopping.done()
    dispatcher.hurry()  # a second signal
    await asyncio.wait_for(stopping, TIMEOUT)
    assert await claimed(db) == 0
    due = [f for f in (await rows(db)).values() if f.notify_at <= NOW]
    # Sent again after the restart, each as one that may have arrived (Slack looks in the DM first).
    assert [(f.status, f.attempts, f.may_have_been_sent) for f in due] == [(S.PENDING, 1, True)] * 2


async def test_stop_cancels_sends_discord_does_not_answer_within_the_grace(
    services: UseCases, db: Database, dispatcher: Dispatcher, notifier: RecordingNotifier
) -> None:
    await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")
    notifier.gate = asyncio.Event()  # never set: the sends hang
    dispatcher.start()
    await notifier.wait_for(2)
    await asyncio.wait_for(dispatcher.stop(grace=timedelta(milliseconds=20)), TIMEOUT)
    assert await claimed(db) == 0
    due = [f for f in (await rows(db)).values() if f.notify_at <= NOW]
    assert [(f.status, f.attempts, f.may_have_been_sent) for f in due] == [(S.PENDING, 1, True)] * 2


async def test_stop_before_start_is_harmless(make_dispatcher: Callable[..., Dispatcher]) -> None:
    dispatcher = make_dispatcher()
    await asyncio.wait_for(dispatcher.stop(), TIMEOUT)
    dispatcher.wake()


# Pacing


async def test_token_bucket_limits_the_rate() -> None:
    loop = asyncio.get_running_loop()
    bucket = TokenBucket(rate=40, burst=1)
    started = loop.time()
    for _ in range(5):
        await bucket.take()
    # One token at once, then one every 1/40 s: at least 4/40 s in all.
    assert loop.time() - started >= 4 / 40 - 0.005


async def test_token_bucket_spends_its_burst_then_paces() -> None:
    loop = asyncio.get_running_loop()
    bucket = TokenBucket(rate=50, burst=3)
    started = loop.time()
    for _ in range(6):
        await bucket.take()
    assert loop.time() - started >= 3 / 50 - 0.005


async def test_token_bucket_with_rate_zero_never_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.platforms.pacing as pacing

    def no_sleeping(_: float) -> None:
        raise AssertionError("an unlimited bucket must not sleep")

    monkeypatch.setattr(pacing.asyncio, "sleep", no_sleeping)
    bucket = TokenBucket(rate=0)
    for _ in range(1000):
        await bucket.take()


# With the real clock: nothing moves time for the dispatcher, so only its own wake-ups can send.


@pytest.fixture
async def real_time(
    db: Database, settings: Settings, scheduler: AsyncIOScheduler, notifier: RecordingNotifier
) -> AsyncIterator[tuple[Dispatcher, Callable[[float], Any]]]:
    """A dispatcher on the system clock with an hour between safety polls, and a way to add a follow-up due
    in `seconds` for a seeker without quiet hours (so the real time of day cannot matter)."""
    clock = SystemClock()
    dispatcher = Dispatcher(
        SqliteUnitOfWorkFactory(db), {"test": notifier}, clock, settings.dispatch.policy(), scheduler, claimant="rt"
    )
    async with db.transaction() as tx:
        user = await UserRepo(tx).create("test", "rt", "UTC", QuietHours(time(0), time(0)), clock.now())
        interview = await InterviewRepo(tx).insert(
            user.id, NewInterview("Acme", "Engineer", clock.now(), None, None, None), clock.now()
        )

    async def due_in(seconds: float) -> FollowUp:
        at = clock.now() + timedelta(seconds=seconds)
        async with db.transaction() as tx:
            [made] = await FollowUpRepo(tx).insert(
                interview.id, user.id, [FollowUpDraft(FollowUpKind.CHECK_IN, at, at)], clock.now()
            )
        return made

    yield dispatcher, due_in
    await asyncio.wait_for(dispatcher.stop(), TIMEOUT)


async def test_real_time_a_follow_up_inserted_later_wakes_the_dispatcher_when_due(
    real_time: tuple[Dispatcher, Callable[[float], Any]], notifier: RecordingNotifier
) -> None:
    dispatcher, due_in = real_time
    dispatcher.start()
    await dispatcher.wait_for_runs(1)  # nothing due: the next wake is an hour away
    made = await due_in(0.3)
    dispatcher.wake(made.notify_at)  # what the services do on every insert
    await notifier.wait_for(1)  # within seconds, not at the hourly poll
    sent_at = datetime.now(UTC)
    assert sent_at >= made.notify_at
    assert notifier.nudges[0].follow_up.id == made.id


async def test_real_time_the_dispatcher_plans_its_next_wake_at_the_soonest_follow_up(
    real_time: tuple[Dispatcher, Callable[[float], Any]], notifier: RecordingNotifier
) -> None:
    dispatcher, due_in = real_time
    made = await due_in(0.5)  # inserted without telling the dispatcher
    dispatcher.start()
    await notifier.wait_for(1)  # its first pass found nothing due, and planned to wake at this one
    assert datetime.now(UTC) >= made.notify_at


# Outages: Discord unreachable


UNREACHABLE = Delivery(DeliveryStatus.RETRY, error="HTTP 503 (0): Service Unavailable", unreachable=True)


async def move_clock(dispatcher: Dispatcher, clock: ManualClock, to: datetime) -> None:
    """Move the clock (which wakes the dispatcher) and wait for the pass that follows."""
    runs = dispatcher.runs
    clock.set(to)
    await asyncio.wait_for(dispatcher.wait_for_runs(runs + 1), TIMEOUT)


async def test_an_outage_uses_up_no_attempts_and_every_nudge_goes_out_late_once_discord_is_back(
    services: UseCases,
    clock: ManualClock,
    db: Database,
    make_dispatcher: Callable[..., Dispatcher],
    notifier: RecordingNotifier,
) -> None:
    dispatcher = make_dispatcher(max_attempts=2)
    passes = Passes(dispatcher)
    await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")  # two due now
    notifier.default = UNREACHABLE
    dispatcher.start()
    await passes.until(lambda reports: sum(r.retried for r in reports) == 2)
    for minute in range(1, 31):  # half an hour of failing sends, far past max_attempts
        await move_clock(dispatcher, clock, NOW + timedelta(minutes=minute))
    assert passes.total("failed") == 0
    waiting = [f for f in (await rows(db)).values() if f.notify_at > NOW and f.kind is not K.CHECK_IN]
    due = [f for f in waiting if f.kind is not K.HANDWRITTEN_NOTE]
    assert [(f.status, f.attempts, f.unreachable_since) for f in due] == [(S.PENDING, 0, NOW)] * 2
    assert all(f.notify_at - clock.now() <= timedelta(minutes=5) for f in due)  # the back-off is capped
    tries = len(notifier.nudges)
    assert 2 * 5 <= tries <= 2 * 10  # 30 s, 1, 2, 4 min, then every 5 min: backing off, not hammering

    notifier.default = Delivery(DeliveryStatus.SENT, dm_channel="dm-1")  # Discord is back
    clock.set(NOW + timedelta(minutes=36))
    await passes.until(lambda reports: sum(r.sent for r in reports) == 2)
    delivered = notifier.nudges[tries:]
    assert [n.late for n in delivered] == [True, True]
    assert passes.total("late") == 2


async def test_an_outage_gives_up_at_the_deadline_or_after_a_day(
    services: UseCases,
    clock: ManualClock,
    db: Database,
    dispatcher: Dispatcher,
    passes: Passes,
    notifier: RecordingNotifier,
    caplog: pytest.LogCaptureFixture,
) -> None:
    made = await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")
    kinds = {f.kind: f for f in made.follow_ups}
    email, note, steps = kinds[K.THANK_YOU_EMAIL], kinds[K.HANDWRITTEN_NOTE], kinds[K.NEXT_STEPS]
    assert email.deadline_at == note.deadline_at == utc(2026, 11, 26, 13) and steps.deadline_at is None
    notifier.default = UNREACHABLE
    dispatcher.start()
    await passes.until(lambda reports: sum(r.retried for r in reports) == 2)

    await move_clock(dispatcher, clock, utc(2026, 11, 26, 12, 59))
    assert {f.status for f in (await rows(db)).values()} == {S.PENDING}
    assert (await rows(db))[email.id].notify_at == utc(2026, 11, 26, 13)  # one last try at its deadline

    with caplog.at_level(logging.ERROR, logger="bot.delivery.dispatcher"):
        clock.set(utc(2026, 11, 26, 13))
        await passes.until(lambda reports: sum(r.failed for r in reports) == 2)
    stored = await rows(db)
    for thank_you in (email, note):
        assert (stored[thank_you.id].status, stored[thank_you.id].last_error) == (S.FAILED, UNREACHABLE.error)
        assert f"follow-up {thank_you.id} failed for good" in caplog.text
    assert stored[steps.id].status is S.PENDING

    clock.set(NOW + timedelta(days=1))  # a day since "what happens next" first failed
    await passes.until(lambda reports: sum(r.failed for r in reports) == 3)
    assert (await rows(db))[steps.id].status is S.FAILED


def test_an_outage_gives_up_at_the_sooner_of_a_day_and_a_deadline_still_ahead() -> None:
    assert outage_gives_up_at(NOW, None) == NOW + timedelta(days=1)
    assert outage_gives_up_at(NOW, NOW + timedelta(hours=3)) == NOW + timedelta(hours=3)
    assert outage_gives_up_at(NOW, NOW + timedelta(days=2)) == NOW + timedelta(days=1)
    assert outage_gives_up_at(NOW, NOW - timedelta(hours=3)) == NOW + timedelta(days=1)  # logged late: no cut


# A prep expires when its interview starts


async def test_a_prep_claimed_after_its_interview_started_is_cancelled_not_sent(
    services: UseCases,
    clock: ManualClock,
    db: Database,
    dispatcher: Dispatcher,
    passes: Passes,
    notifier: RecordingNotifier,
) -> None:
    made = await services.interviews.record_interview(ALICE, "Acme", "Engineer", "2026-11-26 11:00")  # prep at 10:00
    [prep] = [f for f in made.follow_ups if f.kind is K.PREP]
    clock.set(utc(2026, 11, 26, 11, 30))  # the bot was down through the prep and the start
    dispatcher.start()
    await passes.wait(1)
    await dispatcher.wait_idle()
    assert notifier.nudges == []
    assert (await rows(db))[prep.id].status is S.CANCELLED
    assert await claimed(db) == 0


# Platforms


async def test_each_nudge_goes_to_its_platforms_sender_and_other_platforms_are_left_alone(
    db: Database,
    clock: ManualClock,
    settings: Settings,
    scheduler: AsyncIOScheduler,
    services: UseCases,
    notifier: RecordingNotifier,
) -> None:
    elsewhere = RecordingNotifier()
    senders = {"test": notifier, "elsewhere": elsewhere}
    dispatcher = Dispatcher(services.uow, senders, clock, settings.dispatch.policy(), scheduler, claimant="test:1:a")
    passes = Passes(dispatcher)
    for actor in (ALICE, Actor("elsewhere", "carol"), Actor("offline", "dee")):  # offline: not run here
        await services.interviews.record_interview(actor, "Acme", "Engineer", "today 1pm")  # two due now each
    try:
        dispatcher.start()
        await passes.until(lambda reports: sum(r.sent for r in reports) == 4)
        await asyncio.wait_for(dispatcher.wait_idle(), TIMEOUT)  # a pass after pass would never be idle
        assert {n.user.external_id for n in notifier.nudges} == {"alice"} and len(notifier.nudges) == 2
        assert {n.user.external_id for n in elsewhere.nudges} == {"carol"} and len(elsewhere.nudges) == 2
        due_now = await db.conn.execute_fetchall(
            "SELECT f.status FROM follow_ups f JOIN users u ON u.id = f.user_id"
            " WHERE u.platform = 'offline' AND f.notify_at <= ?",
            (convert.ts(NOW),),
        )
        assert [row[0] for row in due_now] == ["pending", "pending"]  # never claimed by this process
        job = scheduler.get_job(JOB_ID)  # and they do not make it pass again and again: it sleeps till the poll
        assert job is not None and job.next_run_time > datetime.now(UTC) + timedelta(minutes=30)
    finally:
        await asyncio.wait_for(dispatcher.stop(), TIMEOUT)


class Screen:
    """What seekers see: each nonce shown once, as Discord's enforce_nonce does (a resend gets the first
    message back)."""

    def __init__(self) -> None:
        self.shown: dict[str, str] = {}  # nonce -> the message showing it
        self.sends = 0


class ScreenNotifier(RecordingNotifier):
    """A recording notifier whose delivered nudges reach a shared Screen, de-duplicated by their nonce."""

    def __init__(self, screen: Screen, name: str) -> None:
        super().__init__()
        self.screen, self.name = screen, name

    async def send(self, nudge: Nudge) -> Delivery:
        answer = await super().send(nudge)
        if answer.status is not DeliveryStatus.SENT:
            return answer
        self.screen.sends += 1
        ref = self.screen.shown.setdefault(nonce(nudge), f"{self.name}-{nudge.follow_up.id}")
        return Delivery(DeliveryStatus.SENT, ref, answer.dm_channel)


async def test_a_pass_that_outlives_its_lease_cannot_mark_rows_another_dispatcher_claimed_since(
    services: UseCases, db: Database, clock: ManualClock, settings: Settings, scheduler: AsyncIOScheduler
) -> None:
    """Two dispatchers on one database: the first stalls in its sends past its lease; the second releases and
    claims the same rows and sends them. The first's results (one sent, one to retry) come while the second's
    claim is live and change nothing: each row is marked once, by its current claimant, and shown once thanks
    to the nonce."""
    screen = Screen()
    slow, fast = ScreenNotifier(screen, "slow"), ScreenNotifier(screen, "fast")
    policy = settings.dispatch.policy()
    stalled = Dispatcher(services.uow, {"test": slow}, clock, policy, scheduler, claimant="host-a:1:a")
    current = Dispatcher(services.uow, {"test": fast}, clock, policy, scheduler, claimant="host-b:2:b")
    await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")  # two due now
    slow.gate, fast.gate = asyncio.Event(), asyncio.Event()
    slow.script = [slow.default, Delivery(DeliveryStatus.RETRY, error="timeout")]
    first = asyncio.create_task(stalled.run_pass())
    await slow.wait_for(2)  # both claimed under lease A; their sends hang

    clock.set(NOW + policy.lease)  # lease A has run out
    second = asyncio.create_task(current.run_pass())
    await fast.wait_for(2)  # released and claimed again under lease B; these sends hang too

    clock.set(NOW + policy.lease + timedelta(seconds=10))
    slow.gate.set()  # the stalled sends end: one delivered, one timed out; its pass records them and ends
    stale = await asyncio.wait_for(first, TIMEOUT)
    assert (stale.sent, stale.retried) == (1, 1)
    assert await claimed(db) == 2  # still under lease B, untouched

    marked_at = NOW + policy.lease + timedelta(seconds=20)
    clock.set(marked_at)
    fast.gate.set()
    assert (await asyncio.wait_for(second, TIMEOUT)).sent == 2

    stored = [f for f in (await rows(db)).values() if f.notify_at <= NOW]
    # Each counts the lapsed lease A as an attempt (its send may have been shown), and none of A's results.
    assert [(f.status, f.sent_at, f.attempts, f.last_error) for f in stored] == [(S.SENT, marked_at, 1, None)] * 2
    async with db.conn.execute("SELECT message_ref FROM follow_ups WHERE status = 'sent'") as cursor:
        assert sorted(r[0] for r in await cursor.fetchall()) == sorted(screen.shown.values())
    assert await claimed(db) == 0
    assert (screen.sends, len(screen.shown)) == (3, 2)  # three deliveries reached the platform, two were shown


async def test_a_rate_limit_s_retry_after_is_waited_out_before_the_next_try(
    services: UseCases,
    clock: ManualClock,
    db: Database,
    dispatcher: Dispatcher,
    passes: Passes,
    notifier: RecordingNotifier,
) -> None:
    await services.interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")  # two due now
    notifier.default = Delivery(
        DeliveryStatus.RETRY, error="ratelimited", unreachable=True, retry_after=timedelta(minutes=7)
    )
    dispatcher.start()
    await passes.until(lambda reports: sum(r.retried for r in reports) == 2)
    waiting = [f for f in (await rows(db)).values() if f.unreachable_since is not None]
    assert len(waiting) == 2
    assert all(f.notify_at == NOW + timedelta(minutes=7) and f.attempts == 0 for f in waiting)


class RecordingMetrics:
    """The metrics port, recording what delivery reports."""

    def __init__(self) -> None:
        self.results: list[tuple[str, SendResult]] = []
        self.lateness: list[timedelta] = []
        self.claims = 0
        self.expired = 0

    def send_result(self, platform: str, result: SendResult) -> None:
        self.results.append((platform, result))

    def nudge_lateness(self, platform: str, lateness: timedelta) -> None:
        self.lateness.append(lateness)

    def claim_latency(self, seconds: float) -> None:
        assert seconds >= 0
        self.claims += 1

    def leases_expired(self, count: int) -> None:
        self.expired += count

    def digest_sent(self, platform: str) -> None:
        raise AssertionError("the dispatcher sends no digests")


async def test_each_send_is_counted_by_its_result_and_platform(
    services: UseCases,
    clock: ManualClock,
    settings: Settings,
    scheduler: AsyncIOScheduler,
    notifier: RecordingNotifier,
) -> None:
    for company in ("Acme", "Globex", "Initech"):  # a thank-you email and "what happens next" each: 6 due
        await services.interviews.record_interview(ALICE, company, "Engineer", "today 1pm")
    clock.set(NOW + timedelta(seconds=90))
    notifier.script = [
        Delivery(DeliveryStatus.SENT),
        Delivery(DeliveryStatus.SENT, duplicate=True),  # found already shown after a crash
        Delivery(DeliveryStatus.RETRY, error="HTTP 400"),
        Delivery(DeliveryStatus.RETRY, error="HTTP 503", unreachable=True),
        Delivery(DeliveryStatus.REJECTED, error="HTTP 400: too long"),
        Delivery(DeliveryStatus.DMS_CLOSED, error="50007"),
    ]
    metrics = RecordingMetrics()
    dispatcher = Dispatcher(
        services.uow, {"test": notifier}, clock, settings.dispatch.policy(), scheduler, metrics, claimant="test:1:a"
    )
    report = await dispatcher.run_pass()
    assert (report.sent, report.retried, report.failed, report.undeliverable) == (2, 2, 1, 1)
    assert sorted(r.value for _, r in metrics.results) == sorted(r.value for r in SendResult)
    assert {platform for platform, _ in metrics.results} == {"test"}
    assert metrics.lateness == [timedelta(seconds=90)]  # only the nudge shown now; the duplicate was shown before
    assert metrics.claims == 2  # the batch, then the claim that found nothing more

    clock.set(NOW + timedelta(hours=3))  # the notes and the two retries are due: a process claims them, then dies
    async with services.uow.transaction() as tx:
        lease = Lease("test:2:b", clock.now() + timedelta(minutes=1))
        claimed = await tx.follow_ups.claim_due(clock.now(), lease, 10, ["test"])
    assert len(claimed) == 5
    clock.set(NOW + timedelta(hours=3, minutes=2))
    notifier.script = []
    await dispatcher.run_pass()
    assert metrics.expired == 5
    assert metrics.results[-5:] == [("test", SendResult.SENT)] * 5

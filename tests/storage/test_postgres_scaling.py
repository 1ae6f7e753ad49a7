"""What lets several processes share one PostgreSQL database: notifications sent only when a schedule commits,
a listening connection that comes back after it is dropped, one send budget that three processes together
never exceed, and claims (and the dispatcher) that a transaction left open elsewhere does not hold up."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import statistics
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import asyncpg
import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clocks import ManualClock
from bot.delivery.dispatcher import Dispatcher
from bot.delivery.wakeup import HELD_RETRY
from bot.domain.models import FollowUpDraft, FollowUpKind, Nudge, QuietHours
from bot.ports.repositories import Lease, NewInterview
from bot.ports.senders import Delivery, DeliveryStatus
from bot.settings import Settings
from bot.storage.postgres.database import PgDatabase
from bot.storage.postgres.follow_ups import FollowUpRepo
from bot.storage.postgres.send_budget import PgSendBudget
from bot.storage.postgres.unit_of_work import PgUnitOfWorkFactory
from bot.storage.postgres.wakeups import DIGESTS, FOLLOW_UPS, PgWakeUps
from tests.support import WEDNESDAY_1500_UTC

NOW = WEDNESDAY_1500_UTC
log = logging.getLogger(__name__)


@pytest.fixture
async def db(postgres_url: str) -> AsyncIterator[PgDatabase]:
    database = await PgDatabase.open(postgres_url)
    yield database
    await database.close()


async def seeker(db: PgDatabase) -> tuple[int, int]:
    """(user id, interview id) of a seeker on the "test" platform without quiet hours."""
    async with PgUnitOfWorkFactory(db).transaction() as tx:
        user = await tx.users.create("test", "alice", "UTC", QuietHours(NOW.time(), NOW.time()), NOW)
        interview = await tx.interviews.insert(user.id, NewInterview("Acme", "Analyst", NOW, None, None, None), NOW)
    return user.id, interview.id


class Heard:
    """What a wake-up source told a loop, with an event per wake."""

    def __init__(self) -> None:
        self.wakes: list[datetime | None] = []
        self.event = asyncio.Event()

    def __call__(self, at: datetime | None) -> None:
        self.wakes.append(at)
        self.event.set()

    async def next(self, timeout: float = 5.0) -> datetime | None:
        await asyncio.wait_for(self.event.wait(), timeout)
        self.event.clear()
        return self.wakes[-1]


# Wake-ups


async def test_a_schedule_notifies_when_it_commits_and_a_rolled_back_one_never(
    db: PgDatabase, postgres_url: str
) -> None:
    user_id, interview_id = await seeker(db)
    wakeups = PgWakeUps(postgres_url)
    follow_ups, digests = Heard(), Heard()
    wakeups.on_follow_ups(follow_ups)
    wakeups.on_digests(digests)
    uow = PgUnitOfWorkFactory(db)
    await wakeups.start()
    try:
        at = NOW + timedelta(hours=1)
        with pytest.raises(ZeroDivisionError):
            async with uow.transaction() as tx:
                await tx.follow_ups.insert(interview_id, user_id, [FollowUpDraft(FollowUpKind.CHECK_IN, at, at)], NOW)
                raise ZeroDivisionError  # rolled back: nothing was scheduled, nobody is told
        async with uow.transaction() as tx:
            drafts = [FollowUpDraft(FollowUpKind.CHECK_IN, at + timedelta(minutes=m), at) for m in (5, 0)]
            await tx.follow_ups.insert(interview_id, user_id, drafts, NOW)
            await tx.digests.ensure(user_id, 0, NOW.time(), NOW)  # a new digest row: due at once
        assert await follow_ups.next() == at  # the soonest of what the transaction scheduled
        assert follow_ups.wakes == [at]
        assert await digests.next() is None
    finally:
        await wakeups.stop()


async def test_the_listener_reconnects_after_its_connection_is_dropped_and_wakes_once_for_what_it_missed(
    postgres_url: str,
) -> None:
    wakeups = PgWakeUps(postgres_url, first_retry=0.05)
    follow_ups, digests = Heard(), Heard()
    wakeups.on_follow_ups(follow_ups)
    wakeups.on_digests(digests)
    conn = await asyncpg.connect(postgres_url)
    await wakeups.start()
    try:
        assert wakeups.listening.is_set() and wakeups.connections == 1
        killed = await conn.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE pid != pg_backend_pid()"
            " AND datname = current_database() AND query LIKE 'LISTEN%'"
        )
        assert killed == 1
        assert await follow_ups.next() is None  # listening again: look now, something may have been missed
        assert await digests.next() is None
        assert wakeups.connections == 2
        at = NOW + timedelta(minutes=3)
        await conn.execute("SELECT pg_notify($1, $2)", FOLLOW_UPS, at.isoformat())
        assert await follow_ups.next() == at
        await conn.execute("SELECT pg_notify($1, '')", DIGESTS)
        assert await digests.next() is None
        assert follow_ups.wakes == [None, at] and digests.wakes == [None, None]
    finally:
        await wakeups.stop()
        await conn.close()


# One send budget for every process of a bot


class VirtualTime:
    """Seconds that pass only when every taker sleeps: then the soonest sleeper wakes, and time is its wake
    time. Deterministic, however slow the machine."""

    def __init__(self, start: datetime, sleepers: int) -> None:
        self.start, self.seconds, self.sleepers = start, 0.0, sleepers
        self._queue: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._changed = asyncio.Event()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.seconds)

    async def sleep(self, seconds: float) -> None:
        waiter = asyncio.get_running_loop().create_future()
        heapq.heappush(self._queue, (self.seconds + seconds, next(self._order), waiter))
        self._changed.set()
        await waiter

    async def run_until(self, end: float) -> None:
        while self.seconds < end:
            while len(self._queue) < self.sleepers:
                self._changed.clear()
                await asyncio.wait_for(self._changed.wait(), 10)
            at, _, waiter = heapq.heappop(self._queue)
            self.seconds = max(self.seconds, at)
            waiter.set_result(None)


async def test_three_processes_sharing_one_budget_never_send_more_than_its_rate_in_any_window(
    postgres_url: str,
) -> None:
    """Three budgets on one row at 40/s, as three processes would hold them, each with eight sends always
    waiting: in any second no more than 40 + the burst (5) go out, and together they do use the rate."""
    rate, burst, duration = 40.0, 5, 10.0
    processes = [await PgDatabase.open(postgres_url) for _ in range(3)]
    clock = VirtualTime(NOW, sleepers=3)  # each budget's hand-out sleeps when the bucket is empty
    budgets = [PgSendBudget(db, "discord:bot", rate, burst, now=clock.now, sleep=clock.sleep) for db in processes]
    sent: list[float] = []

    async def sender(budget: PgSendBudget) -> None:
        while True:
            await budget.take()
            sent.append(clock.seconds)

    senders = [asyncio.create_task(sender(b)) for b in budgets for _ in range(8)]
    try:
        await clock.run_until(duration)
    finally:
        for task in senders:
            task.cancel()
        await asyncio.gather(*senders, return_exceptions=True)
        for db in processes:
            await db.close()
    sent = [t for t in sent if t <= duration]
    window = 1.0
    busiest = max(sum(1 for t in sent if start <= t < start + window) for start in sent)
    assert busiest <= rate * window + burst
    assert len(sent) >= rate * duration  # the burst plus the rate: shared, but not starved


# A transaction left open elsewhere


async def due_rows(db: PgDatabase, user_id: int, interview_id: int, count: int, status: str = "pending") -> None:
    """`count` follow-ups due in the last `count` seconds (claimed ones with their lease run out)."""
    async with db.connection() as conn:
        await conn.execute(
            "INSERT INTO follow_ups (interview_id, user_id, kind, due_at, notify_at, created_at, status, lease_until,"
            " claimant) SELECT $1, $2, 'check_in', t, t, t, $4,"
            " CASE WHEN $4::text = 'claimed' THEN $5::timestamptz END,"
            " CASE WHEN $4::text = 'claimed' THEN 'stuck' END"
            " FROM generate_series(1, $3) AS n, LATERAL (SELECT $6::timestamptz - make_interval(secs => n) AS t) AS s",
            interview_id,
            user_id,
            count,
            status,
            NOW - timedelta(minutes=1),
            NOW,
        )
        await conn.execute("ANALYZE follow_ups")


async def claim_latency(db: PgDatabase, claims: int, locked: set[int]) -> list[float]:
    """Seconds each claim of 100 took; each is rolled back, so every claim finds the same rows."""
    took = []
    async with db.connection() as conn:
        for _ in range(claims):
            transaction = conn.transaction()
            await transaction.start()
            started = time.perf_counter()
            claimed = await asyncio.wait_for(
                FollowUpRepo(conn).claim_due(NOW, Lease("p", NOW + timedelta(minutes=2)), 100, ["test"]), 5
            )
            took.append(time.perf_counter() - started)
            await transaction.rollback()
            assert len(claimed) == 100 and not locked & {f.id for f in claimed}
    return took


@pytest.fixture
async def stuck(postgres_url: str) -> AsyncIterator[Any]:
    """A session of some other program, left inside a transaction."""
    conn = await asyncpg.connect(postgres_url)
    transaction = conn.transaction()
    await transaction.start()
    yield conn
    await transaction.rollback()
    await conn.close()


async def test_rows_locked_by_a_transaction_left_open_elsewhere_do_not_slow_the_claims_of_other_rows(
    db: PgDatabase, stuck: Any
) -> None:
    user_id, interview_id = await seeker(db)
    await due_rows(db, user_id, interview_id, 20_000)
    free = await claim_latency(db, 30, set())
    # The 1,000 soonest due rows, locked by a transaction that stays open: a claim passes over them.
    found = await stuck.fetch(
        "SELECT id FROM follow_ups WHERE status = 'pending' ORDER BY notify_at LIMIT 1000 FOR UPDATE"
    )
    locked = {row[0] for row in found}
    held = await claim_latency(db, 30, locked)
    log.info(
        "claim 100 of 20,000 due, median / max: %.2f / %.2f ms free, %.2f / %.2f ms with 1,000 rows locked elsewhere",
        statistics.median(free) * 1000,
        max(free) * 1000,
        statistics.median(held) * 1000,
        max(held) * 1000,
    )
    assert statistics.median(held) < statistics.median(free) + 0.05  # skipping 1,000 locked rows costs little


class Sent:
    """A notifier that delivers every nudge at once."""

    def __init__(self) -> None:
        self.ids: list[int] = []

    async def send(self, nudge: Nudge) -> Delivery:
        self.ids.append(nudge.follow_up.id)
        return Delivery(DeliveryStatus.SENT, message_ref=f"msg-{nudge.follow_up.id}")


async def test_a_transaction_left_open_elsewhere_does_not_stop_the_dispatcher(
    db: PgDatabase, stuck: Any, settings: Settings, scheduler: AsyncIOScheduler
) -> None:
    """Another session holds locks on some due rows and on some claims whose lease ran out (a stuck process,
    say, in the middle of marking them): the dispatcher's pass sends all the others and hands back the
    expired claims it can, without waiting for that transaction to end."""
    user_id, interview_id = await seeker(db)
    await due_rows(db, user_id, interview_id, 300)
    await due_rows(db, user_id, interview_id, 20, status="claimed")
    found = await stuck.fetch(
        "(SELECT id FROM follow_ups WHERE status = 'pending' ORDER BY notify_at LIMIT 50)"
        " UNION ALL (SELECT id FROM follow_ups WHERE status = 'claimed' ORDER BY id LIMIT 10)"
    )
    await stuck.execute("SELECT 1 FROM follow_ups WHERE id = ANY($1::bigint[]) FOR UPDATE", [r[0] for r in found])
    notifier = Sent()
    dispatcher = Dispatcher(
        PgUnitOfWorkFactory(db),
        {"test": notifier},
        ManualClock(NOW),
        settings.dispatch.policy(),
        scheduler,
        claimant="p1",
    )
    report = await asyncio.wait_for(dispatcher.run_pass(), 10)
    assert report.sent == 300 - 50 + 10  # the free pending rows and the expired claims not locked
    assert report.released == 10
    assert len(set(notifier.ids)) == len(notifier.ids) == report.sent

    # Running, it looks again a second later for the rows held, not at once and again and again: within half
    # of that second it has not run five times.
    dispatcher.start()
    try:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(dispatcher.wait_for_runs(5), HELD_RETRY.total_seconds() / 2)
        assert dispatcher.runs == 1
    finally:
        await dispatcher.stop()


async def test_the_bots_connections_end_a_transaction_left_open_and_the_queue_table_is_vacuumed_often(
    db: PgDatabase,
) -> None:
    async with db.connection() as conn:
        assert await conn.fetchval("SHOW idle_in_transaction_session_timeout") == "1min"
        options = await conn.fetchval("SELECT reloptions FROM pg_class WHERE relname = 'follow_ups'")
    assert {"autovacuum_vacuum_scale_factor=0.01", "autovacuum_analyze_scale_factor=0.02"} <= set(options)


async def test_on_the_servers_clock_a_budget_paces_sends_at_its_rate(db: PgDatabase) -> None:
    """Without a test clock, time is the server's: 45 sends at 200/s with a burst of 5 take at least 0.2 s."""
    budget = PgSendBudget(db, "discord:bot", 200.0, 5)
    started = time.monotonic()
    await asyncio.gather(*(budget.take() for _ in range(45)))
    assert time.monotonic() - started >= (45 - 5) / 200 * 0.9


async def test_a_notification_without_a_readable_aware_instant_wakes_nobody(postgres_url: str) -> None:
    wakeups = PgWakeUps(postgres_url)
    heard = Heard()
    wakeups.on_follow_ups(heard)
    conn = await asyncpg.connect(postgres_url)
    await wakeups.start()
    try:
        for payload in ("soon", "2026-11-25T15:00:00", (NOW + timedelta(minutes=1)).isoformat()):
            await conn.execute("SELECT pg_notify($1, $2)", FOLLOW_UPS, payload)
        assert await heard.next() == NOW + timedelta(minutes=1)  # notifications arrive in order: the first two
        assert heard.wakes == [NOW + timedelta(minutes=1)]  # were dropped
    finally:
        await wakeups.stop()
        await conn.close()

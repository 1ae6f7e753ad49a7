"""Several real `python -m bot` processes on one PostgreSQL and the local Discord (bench/fleet.py starts them: process
i holds gateway shard i, all of them send). What the sandbox SHOWS is counted, and every send request apart:
Discord's nonce suppression hides a resend from the seeker, and the count of resends says whether one happened.

- 3 processes drain a backlog: each nudge shown once, and sent once (no resend at all).
- One of 3 SIGKILLed while it holds claims shown but not marked sent: the others send them after its lease,
  within the lease plus 5 s, and each is still shown once.
- A digest that falls due while 3 processes run is sent once.
- A follow-up created by one process wakes another within a second (LISTEN/NOTIFY).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

import asyncpg
import pytest
from pydantic import SecretStr

from bench.botproc import BotProcess, bot_process
from bench.dataset import Seeker
from bench.fleet import UNLIMITED, NudgeLog, backlog, claimant_pid, claims, fleet, kill, mid_batch
from bench.pg_dataset import add_due, count_by_status
from bot.clocks import ManualClock
from bot.sandbox.discord import SEND_MESSAGE, Sandbox, SandboxUser
from bot.sandbox.local_bot import running_bot, sandbox_settings
from bot.settings import DispatchSettings, ScheduleSettings
from tests.postgres import Server

pytestmark = pytest.mark.e2e

PROCESSES = 3
# The 10,000: about 20 s per test on two cores. A backlog this long is what showed that a dead process's
# claims waited for the others' whole backlog; 3,000 drained too soon to show it.
BACKLOG = 10_000
SEEKERS = 1_000
LEAD = 6.0  # seconds from the spawn until the backlog falls due: every process is ready by then, and claims
LEASE = 3.0  # seconds: DISPATCH__LEASE for the kill, so the others take over its claims soon
DRAIN_TIMEOUT = 120.0


async def seed(sandbox: Sandbox, url: str, notify_at: list[datetime]) -> dict[int, datetime]:
    users = [sandbox.add_user(f"seeker{i}") for i in range(SEEKERS)]
    seekers = [Seeker(u.id, sandbox.dm_channel(u).id) for u in users]
    return await add_due(url, seekers, notify_at)


async def all_sent(url: str, ids: list[int]) -> bool:
    return await count_by_status(url, ids) == {"sent": len(ids)}


async def wait_for(
    condition: object, what: str, timeout: float, bots: Sequence[BotProcess] = (), url: str | None = None
) -> None:
    """Poll an async `condition()` (the database, the sandbox) until it holds; on a timeout, say what the
    unsent rows and the processes' last log lines were."""
    assert callable(condition)
    deadline = time.monotonic() + timeout
    while not await condition():
        if time.monotonic() > deadline:
            unsent = []
            if url is not None:
                conn = await asyncpg.connect(url)
                try:
                    unsent = await conn.fetch(
                        "SELECT id, status, claimant, lease_until, now() FROM follow_ups WHERE status <> 'sent' LIMIT 5"
                    )
                finally:
                    await conn.close()
            logs = "\n".join(f"{b.process.pid} ({b.process.returncode}): " + "\n".join(b.tail) for b in bots)
            raise AssertionError(f"timed out waiting for {what}; unsent: {unsent}\n{logs}")
        await asyncio.sleep(0.05)


async def test_three_processes_drain_a_backlog_each_nudge_shown_once_and_sent_once(
    postgres_server: Server, tmp_path: Path
) -> None:
    async with Sandbox(rate_limit=UNLIMITED, shard_count=PROCESSES) as sandbox, postgres_server.database() as url:
        log = NudgeLog(sandbox)
        created = await seed(sandbox, url, [datetime.now(UTC) + timedelta(seconds=LEAD)] * BACKLOG)
        claimants: set[str] = set()

        async def drained() -> bool:
            claimants.update(await claims(url))  # who held claims meanwhile: every process should have
            return log.reached(BACKLOG)()

        async with fleet(sandbox, url, tmp_path, PROCESSES) as bots:
            await wait_for(drained, f"{BACKLOG} nudges shown", DRAIN_TIMEOUT)
            await wait_for(lambda: all_sent(url, list(created)), "every follow-up marked sent", 30)
        assert [b.process.returncode for b in bots] == [0] * PROCESSES
        assert {claimant_pid(c) for c in claimants} == {b.process.pid for b in bots}  # all three shared the work
        log.update()
        assert set(log.shown) == set(created)
        assert log.shown_twice == 0
        assert log.sent_again == 0  # not even a resend the nonce hid: no two processes ever held one claim
        assert sandbox.duplicates_suppressed == 0


async def test_a_process_killed_mid_batch_leaves_its_claims_to_the_others_after_the_lease(
    postgres_server: Server, tmp_path: Path
) -> None:
    async with Sandbox(rate_limit=UNLIMITED, shard_count=PROCESSES) as sandbox, postgres_server.database() as url:
        log = NudgeLog(sandbox)
        created = await seed(sandbox, url, backlog(datetime.now(UTC) + timedelta(seconds=LEAD), BACKLOG))
        killed: list[tuple[str, BotProcess, float]] = []

        watch = await asyncpg.connect(url)

        async def killed_mid_batch() -> bool:
            """Kill a process the moment it holds claims of which some are shown and most not yet: mid-batch.
            The claims are read first, the DMs shown after: nothing is answered in between (the sandbox runs
            on this loop), so the process cannot have marked the batch and claimed another one unseen."""
            held_now = await claims(url, watch)
            log.update()
            for claimant, held in held_now.items():
                if mid_batch(held, log.shown):
                    [bot] = [b for b in bots if b.process.pid == claimant_pid(claimant)]
                    kill(bot)
                    killed.append((claimant, bot, time.monotonic()))
                    return True
            return False

        async with fleet(sandbox, url, tmp_path, PROCESSES, DISPATCH__LEASE=f"PT{LEASE:g}S") as bots:
            await wait_for(killed_mid_batch, "a batch half shown", DRAIN_TIMEOUT)
            [(claimant, bot, killed_at)] = killed
            await bot.process.wait()
            left = (await claims(url, watch)).get(claimant, set())  # what it held when it died
            await watch.close()
            assert left, "the killed process held no claims when it died"
            log.update()
            shown_before = len(left & log.shown.keys())  # shown, never marked sent: to be sent again
            await wait_for(
                lambda: all_sent(url, sorted(left)), "the killed process's claims sent", DRAIN_TIMEOUT, bots, url
            )
            took_over = time.monotonic() - killed_at
            await wait_for(lambda: all_sent(url, list(created)), "every follow-up marked sent", DRAIN_TIMEOUT)
            await sandbox.wait_until(log.reached(BACKLOG), timeout=10, what="every nudge shown")
        print(  # noqa: T201 - the figures the README quotes; shown with -s
            f"\nscale-out kill: {len(left)} claims left by the killed process ({shown_before} already shown), "
            f"sent by the others {took_over:.2f} s after the kill (lease {LEASE:g} s); resends suppressed by nonce: "
            f"{sandbox.duplicates_suppressed}; shown twice: {log.shown_twice}"
        )
        assert shown_before > 0  # it died mid-batch: some of its claims must be sent again
        assert took_over < LEASE + 5
        assert set(log.shown) == set(created)
        assert log.shown_twice == 0
        assert sandbox.duplicates_suppressed >= shown_before  # each was sent again; its nonce kept it from showing


async def test_a_digest_that_falls_due_while_three_processes_run_is_sent_once(
    postgres_server: Server, tmp_path: Path
) -> None:
    async with Sandbox(shard_count=PROCESSES) as sandbox, postgres_server.database() as url:
        coach, member = sandbox.add_user("coach"), sandbox.add_user("member")
        slot = (datetime.now(UTC) + timedelta(seconds=LEAD)).replace(microsecond=0)
        await seed_coach(url, coach, member, slot)
        async with fleet(sandbox, url, tmp_path, PROCESSES):
            assert sandbox.dms(coach) == []  # the processes are up before the slot
            [digest] = await sandbox.wait_for_dms(coach, 1, timeout=LEAD + 30)
            await asyncio.sleep(2)  # time for a second process to send it too, had it claimed it as well
        to_coach = [r for r in sandbox.requests_to(SEND_MESSAGE) if r.path.endswith(f"/{digest.channel_id}/messages")]
        assert len(sandbox.dms(coach)) == 1
        assert len(to_coach) == 1  # one send request in all: the nonce hid no second one


async def seed_coach(url: str, coach: SandboxUser, member: SandboxUser, slot: datetime) -> None:
    """A coach of one group with one member since over a week, whose weekly digest slot (in UTC) is `slot`, set
    after the last one: the first digest falls due at `slot`."""
    week_ago, set_at = slot - timedelta(days=8), slot - timedelta(days=6)
    conn = await asyncpg.connect(url)
    try:
        async with conn.transaction():
            user = (
                "INSERT INTO users (platform, external_id, timezone, quiet_start, quiet_end, created_at)"
                " VALUES ('discord', $1, 'UTC', '00:00', '00:00', $2) RETURNING id"
            )
            coach_id = await conn.fetchval(user, str(coach.id), week_ago)
            member_id = await conn.fetchval(user, str(member.id), week_ago)
            group_id = await conn.fetchval(
                "INSERT INTO coach_groups (name, invite_code, created_at) VALUES ('Cohort', 'COHORT1', $1)"
                " RETURNING id",
                week_ago,
            )
            await conn.execute(
                "INSERT INTO group_coaches (group_id, user_id, display_name, added_at) VALUES ($1, $2, 'Coach', $3)",
                group_id,
                coach_id,
                week_ago,
            )
            await conn.execute(
                "INSERT INTO memberships (group_id, user_id, display_name, status, requested_at, decided_at)"
                " VALUES ($1, $2, 'Member', 'active', $3, $3)",
                group_id,
                member_id,
                week_ago,
            )
            await conn.execute(
                "INSERT INTO coach_digests (user_id, weekday, at_time, started_at, schedule_set_at)"
                " VALUES ($1, $2, $3, $4, $5)",
                coach_id,
                slot.weekday(),
                slot.time(),
                week_ago,
                set_at,
            )
    finally:
        await conn.close()


async def test_a_follow_up_created_by_one_process_wakes_another_within_a_second(
    postgres_server: Server, tmp_path: Path, clock: ManualClock
) -> None:
    """Process A (the App in this process) takes `/interview add` on a clock five days behind: to A nothing is
    due. To process B (`python -m bot`, no gateway shard, safety poll an hour away, idle) the follow-ups are due
    at once; only a notification from A's transaction can wake it."""
    async with Sandbox() as sandbox, postgres_server.database() as url:
        maya = sandbox.add_user("maya")
        async with bot_process(
            sandbox,
            tmp_path / "unused.db",
            tmp_path,
            DATABASE_URL=url,
            SHARD_IDS="",
            DISPATCH__SEND_RATE="0",
            DISPATCH__SAFETY_POLL="PT1H",
        ) as other:
            await other.ready(sandbox, 60, sessions=0)
            settings = sandbox_settings(
                sandbox,
                tmp_path / "unused.db",
                database_url=SecretStr(url),
                dispatch=DispatchSettings(send_rate=0, safety_poll=timedelta(hours=1)),
                schedule=ScheduleSettings(quiet_hours_start=clock_time(0), quiet_hours_end=clock_time(0)),
                ask_timezone=False,
            )
            async with running_bot(sandbox, settings, clock):
                added = await sandbox.slash(
                    maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"}
                )
                assert added.complete
                committed = time.time()
                [first, *_] = await sandbox.wait_for_dms(maya, 1, timeout=5)
        assert first.created_at - committed < 1.0

"""Two bots (the same App as `python -m bot`) sharing one PostgreSQL database and one local Discord, as two
processes of a scaled-out deployment: one holds the gateway, the other sends over REST only. A follow-up
created through one wakes the other's dispatcher within a second (LISTEN/NOTIFY); a coach's digest due while
both run is sent once; only the process holding shard 0 syncs the commands."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.app import App
from bot.clocks import ManualClock
from bot.delivery.dispatcher import JOB_ID
from bot.platforms.discord.messenger import digest_nonce
from bot.sandbox.discord import Sandbox, SandboxGuild, SandboxUser
from bot.sandbox.discord.faults import SEND_MESSAGE
from bot.sandbox.local_bot import running_bot, sandbox_settings
from bot.settings import DispatchSettings, Settings
from tests.e2e.helpers import actor
from tests.e2e.test_coach import create
from tests.support import utc

pytestmark = pytest.mark.e2e
log = logging.getLogger(__name__)

SAFETY_POLL = timedelta(hours=6)  # far: only a wake-up can bring a pass sooner


def settings(sandbox: Sandbox, url: str, tmp_path: Path, **overrides: object) -> Settings:
    return sandbox_settings(
        sandbox,
        tmp_path / "unused.db",
        database_url=SecretStr(url),
        dispatch=DispatchSettings(send_rate=0, safety_poll=SAFETY_POLL),
        ask_timezone=False,
        **overrides,
    )


@pytest.fixture
def kim(sandbox: Sandbox) -> SandboxUser:
    return sandbox.add_user("kim")


@pytest.fixture
def guild(sandbox: Sandbox, kim: SandboxUser, maya: SandboxUser) -> SandboxGuild:
    return sandbox.add_guild("Career Centre", members=[kim, maya])


@pytest.fixture
async def two(
    sandbox: Sandbox, postgres_url: str, tmp_path: Path, clock: ManualClock, guild: SandboxGuild
) -> AsyncIterator[tuple[App, App]]:
    """`gateway` holds the only shard; `rest` none (SHARD_IDS empty): everything users do reaches `gateway`."""
    async with AsyncExitStack() as stack:
        gateway = await stack.enter_async_context(
            running_bot(sandbox, settings(sandbox, postgres_url, tmp_path), clock)
        )
        rest = await stack.enter_async_context(
            running_bot(sandbox, settings(sandbox, postgres_url, tmp_path, shard_ids=[]), clock)
        )
        for app in (gateway, rest):  # logged in (commands synced or not) and dispatching: started through
            await asyncio.wait_for(app.dispatcher.wait_for_runs(1), 10)
        yield gateway, rest


def next_run(app: App) -> datetime:
    job = app.scheduler.get_job(JOB_ID)
    assert job is not None and job.next_run_time is not None
    return job.next_run_time  # type: ignore[no-any-return]


async def test_a_follow_up_created_through_one_process_wakes_the_others_dispatcher_within_a_second(
    two: tuple[App, App], sandbox: Sandbox, maya: SandboxUser
) -> None:
    _, rest = two
    assert next_run(rest) > datetime.now(UTC) + SAFETY_POLL - timedelta(minutes=1)  # planned at the safety poll
    heard = asyncio.Event()
    assert rest.storage.wakeups is not None
    rest.storage.wakeups.on_follow_ups(lambda at: heard.set())  # after the dispatcher's wake: it has run by then

    started = time.monotonic()
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
    replied = time.monotonic()
    await asyncio.wait_for(heard.wait(), 1.0)  # within a second of the reply (the commit came before it)
    woken = time.monotonic()

    # The thank-you email is due at 16:00 on the manual clock, an hour from now: the REST-only process, which
    # created nothing, now plans its pass for then instead of hours later.
    assert next_run(rest) < datetime.now(UTC) + timedelta(hours=1, minutes=1)
    log.info(
        "wake-up across processes: %.0f ms after the reply, %.0f ms after the command was sent",
        (woken - replied) * 1000,
        (woken - started) * 1000,
    )


async def test_a_digest_due_while_two_processes_run_is_sent_once(
    two: tuple[App, App], sandbox: Sandbox, clock: ManualClock, kim: SandboxUser, guild: SandboxGuild
) -> None:
    gateway, _ = two
    await create(sandbox, kim, guild)
    coach = await gateway.preferences.user(actor(kim))
    clock.set(utc(2026, 11, 30, 9, 1))  # Monday, just after the 09:00 slot: wakes both digest loops
    await sandbox.wait_for_dms(kim, 1)
    runs = [app.digests.wakeup.runs for app in two]
    clock.advance(timedelta(minutes=1))  # both look again: nothing is left to send
    for app, ended in zip(two, runs, strict=True):
        await asyncio.wait_for(app.digests.wakeup.wait_for_runs(ended + 1), 10)
    nonce = digest_nonce(coach.id, utc(2026, 11, 30, 9))
    posted = [r for r in sandbox.requests_to(SEND_MESSAGE) if (r.json or {}).get("nonce") == nonce]
    assert len(posted) == 1  # posted once, not twice with Discord dropping the second by its nonce


async def test_only_the_process_holding_shard_0_syncs_the_commands(two: tuple[App, App], sandbox: Sandbox) -> None:
    syncs = [r for r in sandbox.requests if r.method == "PUT" and r.path.endswith("/commands")]
    assert len(syncs) == 1

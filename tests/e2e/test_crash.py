"""The real bot process with 2,000 nudges due: killed (SIGKILL) twice while sending, none is lost and none
shows twice; stopped (SIGTERM, once or twice), it exits cleanly within seconds and leaves nothing claimed."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time as wall
from collections import Counter
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.domain.models import FollowUpDraft, FollowUpKind, QuietHours
from bot.platforms.discord.context import PLATFORM
from bot.sandbox.discord import Message, Sandbox, SandboxUser
from bot.settings import PROJECT_ROOT
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.follow_ups import FollowUpRepo
from bot.storage.sqlite.interviews import InterviewRepo, NewInterview
from bot.storage.sqlite.users import UserRepo

pytestmark = pytest.mark.e2e

USERS = 200
PER_USER = 10
TOTAL = USERS * PER_USER
NO_QUIET_HOURS = QuietHours(time(0), time(0))  # the real time of day must not matter here


async def seed(path: Path, users: list[SandboxUser]) -> None:
    """2,000 follow-ups already due, for 200 seekers."""
    db = await Database.open(path)
    await db.migrate(PROJECT_ROOT / "migrations" / "sqlite")
    now = datetime.now(UTC)
    due = now - timedelta(minutes=5)
    async with db.transaction() as tx:
        for user in users:
            stored = await UserRepo(tx).create(PLATFORM, str(user.id), "UTC", NO_QUIET_HOURS, now)
            for n in range(PER_USER // 2):
                interview = await InterviewRepo(tx).insert(
                    stored.id, NewInterview(f"Company {n}", "Analyst", due, None, None, None), now
                )
                drafts = [
                    FollowUpDraft(FollowUpKind.THANK_YOU_EMAIL, due, due),
                    FollowUpDraft(FollowUpKind.HANDWRITTEN_NOTE, due, due),
                ]
                await FollowUpRepo(tx).insert(interview.id, stored.id, drafts, now)
    await db.close()


def start_bot(sandbox: Sandbox, workdir: Path, database: Path, **overrides: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DISCORD_TOKEN": sandbox.token,
        "DISCORD_API_BASE": sandbox.api_base,
        "DISCORD_GATEWAY_URL": sandbox.gateway_url,
        "DATABASE_PATH": str(database),
        "DISPATCH__SEND_RATE": "0",
        "DISPATCH__LEASE": "PT2S",
        "LOG_LEVEL": "WARNING",
        **overrides,
    }
    log = (workdir / "bot.log").open("ab")
    return subprocess.Popen([sys.executable, "-m", "bot"], cwd=workdir, env=env, stdout=log, stderr=log)


def nudges(sandbox: Sandbox) -> list[Message]:
    return [m for m in sandbox.messages if m.nonce is not None and str(m.nonce).startswith("ft")]


def sent_in_db(database: Path) -> int:
    return in_db(database, "sent")


def shown_but_not_marked(sandbox: Sandbox, database: Path) -> int:
    """Nudges the sandbox has shown whose follow-up is still claimed: a kill now leaves them to be sent again."""
    shown = {int(str(m.nonce)[2:].split("s")[0], 16) for m in nudges(sandbox)}
    with sqlite3.connect(database) as conn:
        claimed = {row[0] for row in conn.execute("SELECT id FROM follow_ups WHERE status = 'claimed'")}
    return len(shown & claimed)


def in_db(database: Path, status: str) -> int:
    with sqlite3.connect(database) as conn:
        return int(conn.execute("SELECT count(*) FROM follow_ups WHERE status = ?", (status,)).fetchone()[0])


async def wait_for(condition: object, what: str, timeout: float = 60.0) -> None:
    """Poll another process's progress (the database, the sandbox) until `condition()` holds."""
    assert callable(condition)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def test_sigkill_twice_while_sending_loses_nothing_and_shows_nothing_twice(tmp_path: Path) -> None:
    async with Sandbox() as sandbox:
        users = [sandbox.add_user(f"seeker{i}") for i in range(USERS)]
        database = tmp_path / "crash.db"
        await seed(database, users)

        kills = []
        for kill_after in (TOTAL // 6, TOTAL // 2):
            bot = start_bot(sandbox, tmp_path, database)
            try:
                # Killed while a batch is half shown (shown, not yet marked sent), so the restart must send some
                # again: a kill between two batches would leave nothing to resend and test nothing.
                await wait_for(
                    lambda n=kill_after: (
                        len(nudges(sandbox)) >= n  # type: ignore[misc]
                        and shown_but_not_marked(sandbox, database) > 0
                    ),
                    f"{kill_after} nudges, some not yet marked sent",
                )
            finally:
                bot.send_signal(signal.SIGKILL)
                bot.wait()
            kills.append(len(nudges(sandbox)))
        assert kills[-1] < TOTAL, "the bot finished before the second kill: nothing was interrupted"

        bot = start_bot(sandbox, tmp_path, database)
        try:
            await wait_for(lambda: sent_in_db(database) == TOTAL, "every follow-up marked sent")
        finally:
            bot.send_signal(signal.SIGTERM)
            code = bot.wait(timeout=30)
        assert code == 0, (tmp_path / "bot.log").read_text()  # SIGTERM is a clean shutdown

        shown = nudges(sandbox)
        per_follow_up = Counter(str(m.nonce) for m in shown)
        assert len(per_follow_up) == TOTAL  # every follow-up delivered at least once
        shown_twice = sum(1 for count in per_follow_up.values() if count > 1)
        print(  # noqa: T201 - the figures the README quotes; shown with -s
            f"\ncrash test: {TOTAL} follow-ups, killed after {kills} shown; resends suppressed by nonce: "
            f"{sandbox.duplicates_suppressed}; shown twice: {shown_twice}"
        )
        assert shown_twice == 0
        assert sandbox.duplicates_suppressed >= 1  # some sends really were repeated after a kill


async def stop_while_sending(
    tmp_path: Path, *signals: signal.Signals, between: float = 0.0
) -> tuple[Sandbox, Path, int, float]:
    """Start the bot on a backlog of 2,000 at its default pace (40 DMs/s, about 50 s in all), send `signals`
    once 100 are shown, `between` seconds apart; returns the exit code and the seconds from the first signal."""
    async with Sandbox() as sandbox:
        users = [sandbox.add_user(f"seeker{i}") for i in range(USERS)]
        database = tmp_path / "shutdown.db"
        await seed(database, users)
        bot = start_bot(sandbox, tmp_path, database, DISPATCH__SEND_RATE="40", DISPATCH__LEASE="PT2M")
        try:
            await wait_for(lambda: len(nudges(sandbox)) >= 100, "100 nudges")
            started = wall.monotonic()
            for n, stop_signal in enumerate(signals):
                if n:
                    await asyncio.sleep(between)
                bot.send_signal(stop_signal)
            with contextlib.suppress(subprocess.TimeoutExpired):  # waited in a thread: the sandbox keeps answering
                await asyncio.to_thread(bot.wait, 20)
            took = wall.monotonic() - started
        finally:
            if bot.poll() is None:
                bot.kill()
            code = bot.wait()
        return sandbox, database, code, took


async def test_sigterm_with_a_backlog_exits_cleanly_within_seconds_and_leaves_nothing_claimed(
    tmp_path: Path,
) -> None:
    sandbox, database, code, took = await stop_while_sending(tmp_path, signal.SIGTERM)
    print(f"\nshutdown with a backlog of {TOTAL}: exit {code} {took:.2f} s after SIGTERM")  # noqa: T201
    assert code == 0, (tmp_path / "bot.log").read_text()
    assert took < 10
    assert in_db(database, "claimed") == 0  # the rest of the claimed batch is pending again, not leased
    assert in_db(database, "sent") + in_db(database, "pending") == TOTAL
    assert in_db(database, "sent") < TOTAL  # it stopped rather than draining the backlog
    assert len({str(m.nonce) for m in nudges(sandbox)}) == in_db(database, "sent")  # what was sent is recorded


@pytest.mark.parametrize("second", [signal.SIGTERM, signal.SIGINT])
async def test_a_second_signal_during_shutdown_never_hangs_and_leaves_nothing_claimed(
    tmp_path: Path, second: signal.Signals
) -> None:
    for between in (0.0, 0.01):
        run = tmp_path / f"after-{between}"
        run.mkdir()
        _, database, code, took = await stop_while_sending(run, signal.SIGTERM, second, between=between)
        print(f"\nSIGTERM then {second.name} {between} s later: exit {code} {took:.2f} s after the first")  # noqa: T201
        assert code == 0, (run / "bot.log").read_text()
        assert took < 10
        assert in_db(database, "claimed") == 0

"""Kill the real bot process (SIGKILL) twice while it sends 2,000 nudges: none is lost, none shows twice."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.core.models import FollowUpDraft, FollowUpKind, QuietHours
from bot.discord_adapter.context import PLATFORM
from bot.sandbox import Message, Sandbox, SandboxUser
from bot.settings import PROJECT_ROOT
from bot.storage.database import Database
from bot.storage.follow_ups import FollowUpRepo
from bot.storage.interviews import InterviewRepo, NewInterview
from bot.storage.users import UserRepo

pytestmark = pytest.mark.e2e

USERS = 200
PER_USER = 10
TOTAL = USERS * PER_USER
NO_QUIET_HOURS = QuietHours(time(0), time(0))  # the real time of day must not matter here


async def seed(path: Path, users: list[SandboxUser]) -> None:
    """2,000 follow-ups already due, for 200 seekers."""
    db = await Database.open(path)
    await db.migrate(PROJECT_ROOT / "migrations")
    now = datetime.now(UTC)
    due = now - timedelta(minutes=5)
    async with db.transaction() as tx:
        for user in users:
            stored = await UserRepo(db).create(tx, PLATFORM, str(user.id), "UTC", NO_QUIET_HOURS, now)
            for n in range(PER_USER // 2):
                interview = await InterviewRepo(db).insert(
                    tx, stored.id, NewInterview(f"Company {n}", "Analyst", due, None, None, None), now
                )
                drafts = [
                    FollowUpDraft(FollowUpKind.THANK_YOU_EMAIL, due, due),
                    FollowUpDraft(FollowUpKind.HANDWRITTEN_NOTE, due, due),
                ]
                await FollowUpRepo(db).insert(tx, interview.id, stored.id, drafts, now)
    await db.close()


def start_bot(sandbox: Sandbox, workdir: Path, database: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DISCORD_TOKEN": sandbox.token,
        "DISCORD_API_BASE": sandbox.api_base,
        "DISCORD_GATEWAY_URL": sandbox.gateway_url,
        "DATABASE_PATH": str(database),
        "DISPATCH__SEND_RATE": "0",
        "DISPATCH__LEASE": "PT2S",
        "LOG_LEVEL": "WARNING",
    }
    log = (workdir / "bot.log").open("ab")
    return subprocess.Popen([sys.executable, "-m", "bot"], cwd=workdir, env=env, stdout=log, stderr=log)


def nudges(sandbox: Sandbox) -> list[Message]:
    return [m for m in sandbox.messages if m.nonce is not None and str(m.nonce).startswith("ft")]


def sent_in_db(database: Path) -> int:
    with sqlite3.connect(database) as conn:
        return int(conn.execute("SELECT count(*) FROM follow_ups WHERE status = 'sent'").fetchone()[0])


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
                await wait_for(lambda n=kill_after: len(nudges(sandbox)) >= n, f"{kill_after} nudges")  # type: ignore[misc]
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

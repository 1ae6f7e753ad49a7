"""Several `python -m bot` processes on one PostgreSQL, as a scaled-out deployment runs them: process i of n holds
gateway shard i (SHARD_COUNT=n, SHARD_IDS=i; DMs arrive on shard 0), and all of them send nudges and digests.

Used by the scale-out benchmark and by tests/e2e/test_scale_out.py; the sandbox runs in the caller's process.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg

from bench.botproc import BotProcess, bot_process, follow_up_id
from bot.sandbox.discord import SEND_MESSAGE, MessageOrigin, RateLimitPolicy, Sandbox

READY_TIMEOUT = 60.0  # several interpreters starting at once on two loaded cores
UNLIMITED = RateLimitPolicy(limit=10**9, window=1.0)


@contextlib.asynccontextmanager
async def fleet(sandbox: Sandbox, url: str, workdir: Path, count: int, **env: str) -> AsyncIterator[list[BotProcess]]:
    """`count` bot processes on the database at `url`, started together and ready (each shard identified, each
    first dispatcher pass done); stopped with SIGINT at the end, those still running. `env`: more settings."""
    async with contextlib.AsyncExitStack() as stack:
        bots = []
        for shard in range(count):
            directory = workdir / f"bot{shard}"
            directory.mkdir(exist_ok=True)
            settings = {
                "DATABASE_URL": url,
                "SHARD_COUNT": str(count),
                "SHARD_IDS": str(shard),
                "DISPATCH__SEND_RATE": "0",
                **env,
            }
            bots.append(
                await stack.enter_async_context(bot_process(sandbox, directory / "unused.db", directory, **settings))
            )
        for bot in bots:
            await bot.ready(sandbox, READY_TIMEOUT, sessions=count)
        yield bots


def backlog(due_at: datetime, count: int, over: timedelta = timedelta(seconds=1)) -> list[datetime]:
    """`count` notify times spread evenly over `over`, the last at `due_at`: a backlog as downtime leaves it,
    oldest first. (Claims go soonest first; among follow-ups due at the very same instant the order is the
    index's, so claims a dead process left would queue behind every other one of them.)"""
    step = over / count
    return [due_at - step * (count - 1 - n) for n in range(count)]


def mid_batch(held: set[int], shown: Iterable[int]) -> bool:
    """A claim of which some nudges are shown and at least half are not: killed now, its process leaves nudges
    shown but not marked sent (at the end of a batch it might mark it before the kill lands)."""
    done = len(held.intersection(shown))
    return 0 < done <= len(held) // 2


def kill(bot: BotProcess) -> None:
    """SIGKILL: the process dies where it stands, its claims left behind (bot_process's exit waits for it)."""
    bot.process.send_signal(signal.SIGKILL)


def claimant_pid(claimant: str) -> int:
    """The process id in a claimant (`host:pid:random`, bot.app.process_claimant)."""
    return int(claimant.split(":")[-2])


class NudgeLog:
    """The sandbox's record of nudges, read incrementally: every send request (a resend that Discord's nonce
    suppressed included) and every DM shown, by follow-up id, and when each was first shown."""

    def __init__(self, sandbox: Sandbox) -> None:
        self._requests = sandbox.requests  # the sandbox's own lists, appended to as the bot works
        self._sandbox = sandbox
        self._seen_requests = 0
        self._seen_messages = 0
        self.sends: dict[int, int] = {}  # follow-up id -> send requests answered 200
        self.shown: dict[int, int] = {}  # follow-up id -> DMs shown
        self.first_shown: dict[int, float] = {}  # follow-up id -> the sandbox's creation time of its first DM

    def update(self) -> None:
        new = self._requests[self._seen_requests :]
        self._seen_requests += len(new)
        for request in new:
            if request.route == SEND_MESSAGE and request.status == 200:
                body = request.json if isinstance(request.json, dict) else {}
                if (number := follow_up_id(body.get("nonce"))) is not None:
                    self.sends[number] = self.sends.get(number, 0) + 1
        messages = self._sandbox.messages
        for message in messages[self._seen_messages :]:
            if message.origin is MessageOrigin.CHANNEL and (number := follow_up_id(message.nonce)) is not None:
                self.shown[number] = self.shown.get(number, 0) + 1
                self.first_shown.setdefault(number, message.created_at)
        self._seen_messages = len(messages)

    def reached(self, count: int) -> Callable[[], bool]:
        def check() -> bool:
            self.update()
            return len(self.shown) >= count

        return check

    @property
    def shown_twice(self) -> int:
        return sum(1 for n in self.shown.values() if n > 1)

    @property
    def sent_again(self) -> int:
        """Send requests beyond the first per follow-up: resends, shown or not."""
        return sum(n - 1 for n in self.sends.values() if n > 1)


async def claims(url: str, conn: Any = None) -> dict[str, set[int]]:
    """The follow-ups claimed right now, by claimant; on `conn` if given (polling often: a connection per look
    costs the server a backend start each time), else on a connection of its own."""
    own = conn is None
    if own:
        conn = await asyncpg.connect(url)
    try:
        found = await conn.fetch("SELECT claimant, id FROM follow_ups WHERE status = 'claimed'")
    finally:
        if own:
            await conn.close()
    held: dict[str, set[int]] = {}
    for row in found:
        held.setdefault(row["claimant"], set()).add(row["id"])
    return held

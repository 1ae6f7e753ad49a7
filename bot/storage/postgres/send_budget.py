"""One send budget per bot, shared by every process on the database (bot/ports/coordination.py's SendBudget).

A token bucket in a row of `send_budgets`. One UPDATE refills it by the time elapsed since it was last taken
from (times the rate, capped at the burst) and grants up to `grant` tokens, atomically: the row lock
serializes the processes, and each sees what the one before it took. A process asks for as many tokens as it
has senders waiting (never more than `grant`), hands them out at once and keeps none, so no process hoards
tokens another could have used; granted none, it sleeps until the next token is due. Time is the server's
(`statement_timestamp()`), one clock for every process, unless a test passes its own.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.storage.postgres.database import PgDatabase

log = logging.getLogger(__name__)

GRANT = 5  # tokens one request may take at most
RETRY = 1.0  # seconds before asking again after the database failed

# $1 name, $2 rate (tokens a second), $3 burst (most tokens saved up), $4 now (NULL: the server's), $5 grant.
# Every SET expression reads the row as it was (refilled = tokens + rate * elapsed, capped at the burst), and
# after waiting for another process's lock, the row that process left: so the grant and what is left agree.
_TAKE = (
    "UPDATE send_budgets SET"
    " last_grant = least($5::int, floor(REFILLED))::int,"
    " tokens = REFILLED - least($5::int, floor(REFILLED)),"
    " refreshed_at = greatest(refreshed_at, coalesce($4::timestamptz, statement_timestamp()))"
    " WHERE name = $1 RETURNING last_grant, tokens"
).replace(
    "REFILLED",
    "least($3::float8, tokens + $2::float8 * greatest(0, extract(epoch FROM"
    " coalesce($4::timestamptz, statement_timestamp()) - refreshed_at)))",
)


class PgSendBudget:
    def __init__(
        self,
        db: PgDatabase,
        name: str,
        rate: float,
        burst: int | None = None,
        *,
        grant: int = GRANT,
        now: Callable[[], datetime] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """`rate` tokens a second (0: unlimited), at most `burst` saved up (by default an eighth of a second's
        worth, as the in-process TokenBucket). `now` and `sleep` are for tests; by default the server's clock."""
        self.db = db
        self.name = name
        self.rate = rate
        self.burst = burst if burst is not None else max(1, int(rate / 8))
        self.grant = max(1, min(grant, self.burst))
        self._now = now
        self._sleep = sleep
        self._waiting: deque[asyncio.Future[None]] = deque()
        self._pump: asyncio.Task[None] | None = None
        self._row_made = False

    async def take(self) -> None:
        if self.rate <= 0:
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._hand_out(), name=f"send-budget-{self.name}")
        await waiter

    async def _hand_out(self) -> None:
        """Ask for tokens while senders wait, and give each one its token."""
        while True:
            while self._waiting and self._waiting[0].done():  # cancelled meanwhile (a send given up on)
                self._waiting.popleft()
            if not self._waiting:
                return
            try:
                granted, tokens = await self._ask(min(self.grant, len(self._waiting)))
            except Exception:  # the database: the sends wait for it, none goes out unbudgeted
                log.exception("the send budget %s could not be taken from; asking again in %s s", self.name, RETRY)
                await self._sleep(RETRY)
                continue
            while granted and self._waiting:
                waiter = self._waiting.popleft()
                if not waiter.done():
                    waiter.set_result(None)
                    granted -= 1
            if granted == 0 and self._waiting:
                await self._sleep(max(0.0, (1 - tokens) / self.rate))

    async def _ask(self, want: int) -> tuple[int, float]:
        """(tokens granted, tokens left in the bucket)."""
        now = None if self._now is None else self._now()
        async with self.db.connection() as conn:
            if not self._row_made:
                await conn.execute(
                    "INSERT INTO send_budgets (name, tokens, refreshed_at)"
                    " VALUES ($1, $2, coalesce($3::timestamptz, statement_timestamp())) ON CONFLICT (name) DO NOTHING",
                    self.name,
                    float(self.burst),
                    now,
                )
                self._row_made = True
            row = await conn.fetchrow(_TAKE, self.name, self.rate, float(self.burst), now, want)
        return int(row[0]), float(row[1])

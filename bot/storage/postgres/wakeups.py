"""Wake-ups across processes: LISTEN/NOTIFY.

A transaction that makes a follow-up (or a digest row) due at some time sends `pg_notify` on its channel with
that time, inside the transaction, so the notification is delivered only if it commits. Each process holds ONE
dedicated connection listening on both channels and calls the loops' `wake(at)`. If that connection drops, it
connects again with back-off and then wakes the loops once: a notification sent meanwhile was lost. The loops'
safety poll stays, for anything else that slips through.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any

import asyncpg

from bot.ports.coordination import Wake
from bot.storage.postgres.database import CONNECT_TIMEOUT, SERVER_SETTINGS, redacted

log = logging.getLogger(__name__)

FOLLOW_UPS = "follow_through_due"
DIGESTS = "follow_through_digests_due"
FIRST_RETRY, LAST_RETRY = 0.5, 30.0  # seconds between reconnection attempts, doubling
KEEPALIVE = 10.0  # seconds: a query on the quiet connection, so a silently dead one is noticed
_FAILURES = (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError)


async def notify(conn: Any, channel: str, at: datetime | None) -> None:
    """Tell every process something on `channel` is due at `at` (None: now), when this transaction commits."""
    await conn.execute("SELECT pg_notify($1, $2)", channel, "" if at is None else at.isoformat())


class PgWakeUps:
    """The listening connection of one process (bot/ports/coordination.py's WakeUps)."""

    def __init__(self, url: str, first_retry: float = FIRST_RETRY, keepalive: float = KEEPALIVE) -> None:
        self.url = url
        self.first_retry = first_retry
        self.keepalive = keepalive
        self._wakes: dict[str, list[Wake]] = {FOLLOW_UPS: [], DIGESTS: []}
        self._task: asyncio.Task[None] | None = None
        self._tried = asyncio.Event()  # the first connection attempt has ended, either way
        self.listening = asyncio.Event()  # set while the connection listens
        self.connections = 0  # connections made so far (the second and later are reconnections)

    def on_follow_ups(self, wake: Wake) -> None:
        self._wakes[FOLLOW_UPS].append(wake)

    def on_digests(self, wake: Wake) -> None:
        self._wakes[DIGESTS].append(wake)

    async def start(self) -> None:
        """Listen from now on; returns once the first attempt to connect has succeeded or failed (and then
        keeps trying in the background)."""
        if self._task is None:
            self._task = asyncio.create_task(self._hold(), name="follow-through-listener")
        await self._tried.wait()

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    def _heard(self, _conn: Any, _pid: int, channel: str, payload: str) -> None:
        at: datetime | None = None  # an empty payload: now
        if payload:
            try:
                at = datetime.fromisoformat(payload)
            except ValueError:
                at = None
            if at is None or at.tzinfo is None:  # not one of ours: an instant always carries its offset
                log.warning("ignoring a notification on %s with payload %r", channel, payload)
                return
        for wake in self._wakes.get(channel, ()):
            wake(at)

    def _wake_all(self) -> None:
        for wakes in self._wakes.values():
            for wake in wakes:
                wake(None)

    async def _hold(self) -> None:
        retry, attempt = self.first_retry, 0
        while True:
            try:
                conn = await asyncpg.connect(self.url, timeout=CONNECT_TIMEOUT, server_settings=SERVER_SETTINGS)
            except _FAILURES as exc:
                log.warning("cannot listen on %s (retrying in %.1f s): %s", redacted(self.url), retry, exc)
            else:
                try:
                    await self._listen(conn, missed=attempt > 0)
                    retry = self.first_retry  # it listened: the next loss starts the back-off afresh
                except _FAILURES as exc:
                    log.warning("the listening connection failed (reconnecting in %.1f s): %s", retry, exc)
                finally:
                    self.listening.clear()
                    conn.terminate()
            attempt += 1
            self._tried.set()
            await asyncio.sleep(retry)
            retry = min(retry * 2, LAST_RETRY)

    async def _listen(self, conn: Any, *, missed: bool) -> None:
        """Listen until the connection is lost. `missed`: not the first attempt, so a notification may have been
        sent while nobody listened: wake the loops once."""
        lost = asyncio.Event()
        conn.add_termination_listener(lambda _conn: lost.set())
        for channel in self._wakes:
            await conn.add_listener(channel, self._heard)
        self.connections += 1
        self.listening.set()
        self._tried.set()
        if missed:
            log.info("listening again: waking the loops for what may have been missed")
            self._wake_all()
        while not lost.is_set():
            try:
                await asyncio.wait_for(lost.wait(), self.keepalive)
            except TimeoutError:
                await asyncio.wait_for(conn.execute("SELECT 1"), self.keepalive)
        log.warning("the listening connection was closed")

"""Follow-Through's side of the comparison: the real Dispatcher (one APScheduler job holding the next
wake-up) on the big database, with a notifier that only counts, so both sides do the same non-work."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bench.dataset import MIGRATIONS
from bot.clocks import SystemClock
from bot.delivery.dispatcher import Dispatcher
from bot.domain.models import Nudge
from bot.ports.senders import Delivery, DeliveryStatus
from bot.settings import DispatchSettings
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.unit_of_work import SqliteUnitOfWorkFactory


@dataclass
class CountingNotifier:
    sent_at: list[float] = field(default_factory=list)  # time.time() of every send

    async def send(self, nudge: Nudge) -> Delivery:
        self.sent_at.append(time.time())
        return Delivery(DeliveryStatus.SENT, message_ref="bench")


@dataclass
class DispatcherSide:
    db: Database
    scheduler: AsyncIOScheduler
    dispatcher: Dispatcher
    notifier: CountingNotifier

    @classmethod
    async def start(cls, path: Path) -> DispatcherSide:
        """As App.build and App.start do it: open, migrate, arm the dispatcher; ready after its first pass."""
        db = await Database.open(path)
        await db.migrate(MIGRATIONS)
        scheduler = AsyncIOScheduler(timezone=UTC)
        notifier = CountingNotifier()
        # No pacing (the Discord sender paces, this counter does not), like the job store side; everything else
        # at its production default.
        dispatcher = Dispatcher(
            SqliteUnitOfWorkFactory(db),
            {"discord": notifier},
            SystemClock(),
            DispatchSettings().policy(),
            scheduler,
            claimant="bench",
        )
        dispatcher.start()
        while dispatcher.last_pass is None:  # noqa: ASYNC110 - the dispatcher offers no event for it
            await asyncio.sleep(0.001)
        await dispatcher.wait_idle()
        return cls(db, scheduler, dispatcher, notifier)

    @property
    def handled(self) -> list[float]:
        return self.notifier.sent_at

    def jobs_held(self) -> int:
        return len(self.scheduler.get_jobs())

    async def settle(self) -> None:
        """Until the pass that sent them has also marked them sent."""
        await self.dispatcher.wait_idle()

    async def close(self) -> None:
        await self.dispatcher.stop()
        self.scheduler.shutdown(wait=False)
        await self.db.close()

"""The composition root: settings -> database -> migrations -> services -> dispatcher -> Discord client."""

from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clocks import SystemClock
from bot.delivery.digests import DigestScheduler
from bot.delivery.dispatcher import Dispatcher
from bot.domain import timeparse
from bot.platforms.discord import endpoints
from bot.platforms.discord.client import FollowThroughBot
from bot.platforms.discord.direct_messages import DirectMessages
from bot.platforms.discord.messenger import DiscordMessenger
from bot.platforms.discord.notifier import DiscordNotifier
from bot.ports.clock import Clock
from bot.settings import Settings
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.unit_of_work import SqliteUnitOfWorkFactory
from bot.usecases.actors import Accounts
from bot.usecases.coach_access import CoachAccess
from bot.usecases.follow_ups import FollowUpService
from bot.usecases.groups import GroupService
from bot.usecases.interviews import InterviewService
from bot.usecases.preferences import Preferences
from bot.usecases.roster import RosterService
from bot.usecases.your_data import YourData

log = logging.getLogger(__name__)

SEND_GRACE = timedelta(seconds=5)  # half of what Docker allows between SIGTERM and SIGKILL


@dataclass
class App:
    settings: Settings
    db: Database
    accounts: Accounts
    interviews: InterviewService
    follow_ups: FollowUpService
    preferences: Preferences
    scheduler: AsyncIOScheduler
    dispatcher: Dispatcher
    bot: FollowThroughBot
    groups: GroupService
    roster: RosterService
    digests: DigestScheduler

    @classmethod
    async def build(cls, settings: Settings, clock: Clock | None = None, **client_options: Any) -> App:
        """`client_options` go to discord.py's client (the sandbox runs use a short guild_ready_timeout)."""
        clock = clock or SystemClock()
        db = await Database.open(settings.database_path)
        try:
            return await cls._build(settings, clock, db, client_options)
        except BaseException:
            await db.close()  # its worker thread would otherwise keep the failed process alive
            raise

    @classmethod
    async def _build(cls, settings: Settings, clock: Clock, db: Database, client_options: dict[str, Any]) -> App:
        applied = await db.migrate(settings.migrations_dir)
        if applied:
            log.info("database %s migrated to version %s", settings.database_path, applied[-1])
        timeparse.warm_up()
        uow = SqliteUnitOfWorkFactory(db)
        accounts = Accounts(uow, clock, settings.rules(), settings.user_defaults())
        interviews, follow_ups, preferences = (
            InterviewService(accounts),
            FollowUpService(accounts),
            Preferences(accounts),
        )
        your_data = YourData(accounts)
        bot = FollowThroughBot(settings, clock, interviews, follow_ups, preferences, your_data, **client_options)
        scheduler = AsyncIOScheduler(timezone=UTC)
        dms = DirectMessages(bot)
        notifier = DiscordNotifier(dms, settings.schedule.snooze)
        dispatcher = Dispatcher(uow, notifier, clock, settings.dispatch.policy(), scheduler)
        accounts.on_follow_up_scheduled(dispatcher.wake)
        messenger = DiscordMessenger(dms)
        access = CoachAccess(accounts, messenger, settings.coach.defaults())
        bot.groups, bot.roster = groups, roster = GroupService(access), RosterService(access)
        digests = DigestScheduler(roster, messenger, clock, settings.coach.defaults(), scheduler)
        access.on_digest_changed(digests.arm)
        your_data.on_user_deleted(digests.disarm)
        return cls(
            settings,
            db,
            accounts,
            interviews,
            follow_ups,
            preferences,
            scheduler,
            dispatcher,
            bot,
            groups,
            roster,
            digests,
        )

    async def start(self) -> None:
        """Log in (which syncs the commands), arm the dispatcher and the digests, then hold the gateway connection."""
        token = self.settings.discord_token
        if token is None:
            raise RuntimeError("DISCORD_TOKEN is not set")
        endpoints.configure(self.settings)
        await self.bot.login(token.get_secret_value())
        self.dispatcher.start()
        await self.digests.start()
        await self.bot.connect()

    async def close(self) -> None:
        """Finish the sends in flight (cancelling any Discord has not answered within SEND_GRACE), hand the rest
        of the dispatcher's claim back, then close everything."""
        await self.dispatcher.stop(SEND_GRACE)
        await self.digests.stop()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        await self.bot.close()
        await self.db.close()

    def hurry(self) -> None:
        """A second signal during close(): cancel the sends in flight too (their rows are handed back)."""
        self.dispatcher.hurry()


async def run(settings: Settings) -> None:
    """Run until SIGTERM or SIGINT, then close cleanly: within seconds, whatever the backlog. A second signal
    while closing cancels the sends in flight; the close itself is never interrupted, so nothing is left
    claimed and the process always exits."""
    app = await App.build(settings)
    main = asyncio.current_task()
    assert main is not None
    loop = asyncio.get_running_loop()
    closing = False

    def on_signal() -> None:
        nonlocal closing
        if closing:
            log.warning("signalled again: cancelling the sends in flight")
            app.hurry()
        else:
            closing = True
            main.cancel()

    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(stop_signal, on_signal)
    try:
        await app.start()
    except asyncio.CancelledError:
        log.info("shutting down: finishing the sends in flight (signal again to cancel them)")
    finally:
        closing = True
        await app.close()
        # Closed: a signal from now until exit (asyncio.run's own teardown) must not raise KeyboardInterrupt.
        for stop_signal in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(stop_signal)
            signal.signal(stop_signal, signal.SIG_IGN)

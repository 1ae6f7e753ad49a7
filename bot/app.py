"""The composition root: settings -> database -> migrations -> services -> platforms -> dispatcher and digests.

A platform is a plug-in (bot/ports/platforms.py): built here when its settings are present, started, run and
stopped with the rest. Adding one is a new package under bot/platforms and a few lines in `_build`.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import secrets
import signal
import socket
from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clocks import SystemClock
from bot.delivery.digests import DigestLoop
from bot.delivery.dispatcher import Dispatcher
from bot.delivery.routing import Messengers
from bot.domain import timeparse
from bot.operations.metrics import PrometheusMetrics
from bot.operations.server import OperationsServer
from bot.platforms.discord.client import FollowThroughBot
from bot.platforms.discord.platform import DiscordPlatform
from bot.platforms.slack.listeners import Core
from bot.platforms.slack.platform import SlackPlatform
from bot.ports.clock import Clock
from bot.ports.platforms import Platform
from bot.ports.repositories import QueueCounts
from bot.ports.unit_of_work import UnitOfWorkFactory
from bot.settings import Settings
from bot.storage.backends import Storage, open_storage
from bot.storage.postgres.database import PgDatabase
from bot.storage.sqlite.database import Database
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


def process_claimant() -> str:
    """This process's id in every claim it makes (host:pid:random): unique across machines and restarts."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass
class App:
    settings: Settings
    storage: Storage
    accounts: Accounts
    interviews: InterviewService
    follow_ups: FollowUpService
    preferences: Preferences
    scheduler: AsyncIOScheduler
    dispatcher: Dispatcher
    groups: GroupService
    roster: RosterService
    digests: DigestLoop
    platforms: list[Platform]
    discord: DiscordPlatform | None
    slack: SlackPlatform | None = None
    operations: OperationsServer | None = None  # /healthz and /metrics, when METRICS_PORT is set

    @property
    def db(self) -> Database | PgDatabase:
        """The database behind the unit of work (tests read the SQLite file's rows through it)."""
        return self.storage.db

    @property
    def bot(self) -> FollowThroughBot:
        """The Discord client (the sandbox runs and their tests drive it)."""
        if self.discord is None:
            raise RuntimeError("DISCORD_TOKEN is not set")
        return self.discord.client

    @classmethod
    async def build(cls, settings: Settings, clock: Clock | None = None, **client_options: Any) -> App:
        """`client_options` go to discord.py's client (the sandbox runs use a short guild_ready_timeout)."""
        clock = clock or SystemClock()
        url = None if settings.database_url is None else settings.database_url.get_secret_value()
        storage = await open_storage(url, settings.database_path, settings.migrations)
        try:
            return await cls._build(settings, clock, storage, client_options)
        except BaseException:
            await storage.close()  # an SQLite worker thread would otherwise keep the failed process alive
            raise

    @classmethod
    async def _build(cls, settings: Settings, clock: Clock, storage: Storage, client_options: dict[str, Any]) -> App:
        timeparse.warm_up()
        uow = storage.uow
        claimant = process_claimant()
        accounts = Accounts(uow, clock, settings.rules(), settings.user_defaults())
        interviews, follow_ups, preferences = (
            InterviewService(accounts),
            FollowUpService(accounts),
            Preferences(accounts),
        )
        your_data = YourData(accounts)
        discord = (
            DiscordPlatform(
                settings,
                clock,
                interviews,
                follow_ups,
                preferences,
                your_data,
                storage.shared_budget(
                    _budget_name("discord", settings.discord_token.get_secret_value()), settings.dispatch.send_rate
                ),
                **client_options,
            )
            if settings.discord_token
            else None
        )
        slack = (
            SlackPlatform(settings, Core(accounts, interviews, follow_ups, preferences, clock, your_data))
            if settings.slack_bot_token and settings.slack_app_token
            else None
        )
        platforms: list[Platform] = [p for p in (discord, slack) if p is not None]
        scheduler = AsyncIOScheduler(timezone=UTC)
        policy = settings.dispatch.policy()
        metrics = PrometheusMetrics() if settings.metrics_port is not None else None
        dispatcher = Dispatcher(
            uow, {p.name: p.notifier for p in platforms}, clock, policy, scheduler, metrics, claimant=claimant
        )
        accounts.on_follow_up_scheduled(dispatcher.wake)
        messengers = Messengers({p.name: p.messenger for p in platforms})
        access = CoachAccess(accounts, messengers, settings.coach.defaults())
        groups, roster = GroupService(access), RosterService(access)
        if discord is not None:
            discord.client.groups, discord.client.roster = groups, roster
        if slack is not None:
            slack.use_coaching(groups, roster)
        digests = DigestLoop(
            roster, messengers, clock, settings.coach.defaults(), policy, scheduler, metrics, claimant=claimant
        )
        access.on_digest_changed(digests.plan_changed)
        if storage.wakeups is not None:  # another process scheduled something: wake at its time
            storage.wakeups.on_follow_ups(dispatcher.wake)
            storage.wakeups.on_digests(digests.wake)
        operations = None
        if metrics is not None and settings.metrics_port is not None:
            operations = _operations(settings.metrics_host, settings.metrics_port, uow, clock, platforms, metrics)
        return cls(
            settings,
            storage,
            accounts,
            interviews,
            follow_ups,
            preferences,
            scheduler,
            dispatcher,
            groups,
            roster,
            digests,
            platforms,
            discord,
            slack,
            operations,
        )

    async def start(self) -> None:
        """Serve /healthz (not ready yet) and /metrics, log in to every platform, arm the dispatcher and the
        digests, then hold the platforms' connections."""
        if not self.platforms:
            raise RuntimeError("neither DISCORD_TOKEN nor SLACK_BOT_TOKEN and SLACK_APP_TOKEN are set")
        if self.operations is not None:
            await self.operations.start()
        for platform in self.platforms:
            await platform.start()
        if self.storage.wakeups is not None:  # listening before the first passes plan their next runs
            await self.storage.wakeups.start()
        self.dispatcher.start()
        self.digests.start()
        await asyncio.gather(*(platform.run() for platform in self.platforms))

    async def close(self) -> None:
        """Finish the sends in flight (cancelling any Discord has not answered within SEND_GRACE), hand the rest
        of the dispatcher's claim back, then close everything. /healthz goes first: a closing process takes no work."""
        if self.operations is not None:
            await self.operations.stop()
        await self.dispatcher.stop(SEND_GRACE)
        await self.digests.stop()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        for platform in self.platforms:
            await platform.stop()
        await self.storage.close()

    def hurry(self) -> None:
        """A second signal during close(): cancel the sends in flight too (their rows are handed back)."""
        self.dispatcher.hurry()


def _budget_name(platform: str, token: str) -> str:
    """One send budget per bot, named by a digest of its token (never the token itself)."""
    return f"{platform}:{hashlib.sha256(token.encode()).hexdigest()[:16]}"


def _operations(
    host: str, port: int, uow: UnitOfWorkFactory, clock: Clock, platforms: list[Platform], metrics: PrometheusMetrics
) -> OperationsServer:
    """/healthz is ready when the database answers (a cheap indexed read) and every platform is connected."""

    async def database() -> bool:
        async with uow.reading() as reading:
            await reading.follow_ups.next_lease_expiry()
        return True

    async def queue() -> dict[str, QueueCounts]:
        async with uow.reading() as reading:
            return await reading.follow_ups.queue_counts(clock.now())

    checks = {"database": database, **{p.name: p.connected for p in platforms}}
    return OperationsServer(host, port, checks, metrics, queue, [p.name for p in platforms])


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

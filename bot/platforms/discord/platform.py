"""Discord as a platform plug-in: the discord.py client, the nudge sender and coaching's messenger, sharing one
send budget (one bot token: every DM counts against the same limit, under Discord's 50 requests a second). The
composition root hands in the budget every process of the bot shares (PostgreSQL), else it is this process's
own token bucket.

The client holds the gateway shards SHARD_IDS names (all of them if unset). With SHARD_IDS empty it holds none:
it logs in over REST only, which is all nudges, digests and coaches' notes need."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.platforms.discord import endpoints
from bot.platforms.discord.client import FollowThroughBot
from bot.platforms.discord.context import PLATFORM
from bot.platforms.discord.direct_messages import DirectMessages
from bot.platforms.discord.messenger import DiscordMessenger
from bot.platforms.discord.notifier import DiscordNotifier
from bot.platforms.pacing import TokenBucket
from bot.ports.clock import Clock
from bot.ports.coordination import SendBudget
from bot.settings import Settings
from bot.usecases.follow_ups import FollowUpService
from bot.usecases.interviews import InterviewService
from bot.usecases.preferences import Preferences
from bot.usecases.your_data import YourData


class DiscordPlatform:
    name = PLATFORM
    suppresses_duplicates = True  # every send carries a nonce fixed per message: Discord drops a resend

    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        interviews: InterviewService,
        follow_ups: FollowUpService,
        preferences: Preferences,
        your_data: YourData,
        budget: SendBudget | None = None,
        **client_options: Any,
    ) -> None:
        """`client_options` go to discord.py's client (the sandbox runs use a short guild_ready_timeout)."""
        token = settings.discord_token
        if token is None:
            raise RuntimeError("DISCORD_TOKEN is not set")
        self.settings = settings
        self._token = token
        self.client = FollowThroughBot(
            settings, clock, interviews, follow_ups, preferences, your_data, **client_options
        )
        dms = DirectMessages(self.client, budget or TokenBucket(settings.dispatch.send_rate))
        self.notifier = DiscordNotifier(dms, settings.schedule.snooze)
        self.messenger = DiscordMessenger(dms)
        self.gateway = settings.shard_ids != []  # [] is no shards at all; None, every shard
        self._stopped = asyncio.Event()
        self._logging_in = False

    async def start(self) -> None:
        """Log in, which syncs the commands."""
        endpoints.configure(self.settings)
        self._logging_in = True
        await self.client.login(self._token.get_secret_value())

    async def connected(self) -> bool:
        """Logged in and, with shards, every one of them connected (and its guilds received)."""
        client = self.client
        if client.is_closed() or client.user is None:
            return False
        if not self.gateway:
            return True
        shards = client.shards
        return client.is_ready() and bool(shards) and not any(shard.is_closed() for shard in shards.values())

    async def run(self) -> None:
        """Hold the gateway shards until stop(); without shards, only wait for stop()."""
        if self.gateway:
            await self.client.connect()
        else:
            await self._stopped.wait()

    async def stop(self) -> None:
        """Also when start() never ran (another part failed first): the sharded client closes only once it
        has begun logging in."""
        self._stopped.set()
        if self._logging_in:
            await self.client.close()

"""The discord.py Bot: loads the cogs, registers the persistent buttons, syncs the commands."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.content import notices
from bot.content.message import Text, bold
from bot.domain.errors import UserError
from bot.platforms.discord import render
from bot.platforms.discord.coach_views import COACH_ITEMS
from bot.platforms.discord.context import actor
from bot.platforms.discord.interview_views import INTERVIEW_ITEMS
from bot.platforms.discord.replies import private
from bot.platforms.discord.views import DYNAMIC_ITEMS
from bot.platforms.discord.your_data_views import ConfirmDeleteButton
from bot.platforms.discord.zone_prompt import ZONE_ITEMS
from bot.ports.clock import Clock
from bot.settings import Settings
from bot.usecases.follow_ups import FollowUpService
from bot.usecases.groups import GroupService
from bot.usecases.interviews import InterviewService
from bot.usecases.preferences import Preferences
from bot.usecases.roster import RosterService
from bot.usecases.your_data import YourData

log = logging.getLogger(__name__)

COGS = (
    "bot.platforms.discord.cogs.interviews",
    "bot.platforms.discord.cogs.followups",
    "bot.platforms.discord.cogs.preferences",
    "bot.platforms.discord.cogs.your_data",
    "bot.platforms.discord.cogs.coach",
)

# Names discord.py gives the tasks that run our handlers: commands, events, buttons and modals.
HANDLER_TASKS = ("CommandTree-invoker", "discord.py: ", "discord-ui-")
HANDLER_GRACE = 10.0  # seconds

# Where Discord lets a user allow the bot's DMs.
HOW_TO_OPEN_DMS: Text = (
    "open ",
    bold("User Settings → Privacy & Safety"),
    " and allow direct messages (or, in a server, the server's ",
    bold("Privacy Settings → Direct Messages"),
    ").",
)


class Tree(app_commands.CommandTree["FollowThroughBot"]):
    """Every command works in servers and in DMs, installed to a server or to the user."""

    def __init__(self, client: FollowThroughBot) -> None:
        super().__init__(
            client,
            allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True),
            allowed_installs=app_commands.AppInstallationType(guild=True, user=True),
        )

    async def on_error(
        self, interaction: discord.Interaction[FollowThroughBot], error: app_commands.AppCommandError
    ) -> None:
        cause = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        await interaction.client.report_error(interaction, cause)


class FollowThroughBot(commands.AutoShardedBot):
    # Set by the composition root: their messenger needs this client to send DMs.
    groups: GroupService
    roster: RosterService

    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        interviews: InterviewService,
        follow_ups: FollowUpService,
        preferences: Preferences,
        your_data: YourData,
        **options: Any,
    ) -> None:
        if settings.shard_count is not None:
            options.setdefault("shard_count", settings.shard_count)
        if settings.shard_ids:
            options.setdefault("shard_ids", settings.shard_ids)
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            tree_cls=Tree,
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            **options,
        )
        self.settings = settings
        self.clock = clock
        self.interviews = interviews
        self.follow_ups = follow_ups
        self.preferences = preferences
        self.your_data = your_data

    async def setup_hook(self) -> None:
        for cog in COGS:
            await self.load_extension(cog)
        self.add_dynamic_items(*DYNAMIC_ITEMS, *COACH_ITEMS, *INTERVIEW_ITEMS, ConfirmDeleteButton, *ZONE_ITEMS)
        guild = discord.Object(self.settings.dev_guild_id) if self.settings.dev_guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        if self.holds_shard_zero:
            await self.tree.sync(guild=guild)

    @property
    def holds_shard_zero(self) -> bool:
        """Only the process holding shard 0 syncs the commands: exactly one process holds it, and in a rolling
        deploy it is the newest build's (an advisory-lock leader would be the oldest process, with the old
        commands). DMs and user-installed commands arrive on shard 0 too."""
        shard_ids = self.settings.shard_ids
        return shard_ids is None or 0 in shard_ids

    async def on_app_command_completion(
        self, interaction: discord.Interaction[FollowThroughBot], command: app_commands.Command[Any, Any, Any]
    ) -> None:
        await self._tell_about_closed_dms(interaction)

    async def _tell_about_closed_dms(self, interaction: discord.Interaction[FollowThroughBot]) -> None:
        """The first command after a nudge bounced off closed DMs, done or refused, says how to open them."""
        if await self.preferences.take_dms_closed_notice(actor(interaction)):
            notice = render.embed(notices.dms_closed(HOW_TO_OPEN_DMS))
            await interaction.followup.send(embed=notice, ephemeral=True)

    async def close(self) -> None:
        """Stop taking events, then let the handlers already running finish before the database closes."""
        await super().close()
        me = asyncio.current_task()
        running = [t for t in asyncio.all_tasks() if t.get_name().startswith(HANDLER_TASKS) and t is not me]
        if running:
            await asyncio.wait(running, timeout=HANDLER_GRACE)

    async def report_error(self, interaction: discord.Interaction[FollowThroughBot], error: Exception) -> None:
        """A UserError's message goes privately to the user; anything else is logged as the bug it is."""
        message: str | Text
        if isinstance(error, UserError):
            message = notices.refusal(error)
        elif isinstance(error, app_commands.TransformerError | app_commands.CommandSignatureMismatch):
            message = notices.BAD_OPTION
        else:
            log.error(
                "unexpected error in %s", interaction.command and interaction.command.qualified_name, exc_info=error
            )
            message = notices.UNEXPECTED
        await private(interaction, render.embed(notices.error(message)))
        if isinstance(error, UserError) and interaction.type is discord.InteractionType.application_command:
            await self._tell_about_closed_dms(interaction)

"""/settings: the user's time zone, quiet hours, and whether coaches see their private notes."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.content import coaching, preferences
from bot.platforms.discord import autocomplete, render
from bot.platforms.discord.client import FollowThroughBot
from bot.platforms.discord.context import actor
from bot.platforms.discord.replies import private, thinking
from bot.platforms.discord.zone_prompt import zone_first

Interaction = discord.Interaction[FollowThroughBot]


class Preferences(commands.GroupCog, group_name="settings", group_description="Your time zone and quiet hours"):
    def __init__(self, bot: FollowThroughBot) -> None:
        self.bot = bot

    @app_commands.command(name="timezone", description="Show or set your time zone")
    @app_commands.describe(zone="Your city's zone, e.g. Europe/London (any case); leave empty to see yours")
    @app_commands.autocomplete(zone=autocomplete.timezone)
    async def timezone(self, interaction: Interaction, zone: app_commands.Range[str, 1, 64] | None = None) -> None:
        await thinking(interaction)  # a change re-plans every pending follow-up and the coach's digest
        if zone is None:
            await private(
                interaction,
                render.embed(preferences.user_settings(await self.bot.preferences.user(actor(interaction)))),
            )
            return
        change = await self.bot.preferences.set_timezone(actor(interaction), zone)
        await self.bot.roster.refresh_digest(actor(interaction))
        await private(interaction, render.embed(preferences.zone_changed(change)))

    @app_commands.command(name="quiet-hours", description="When I must not nudge you (24-hour HH:MM, local time)")
    @app_commands.describe(start="When quiet starts, e.g. 21:00", end="When quiet ends, e.g. 08:00")
    async def quiet_hours(
        self, interaction: Interaction, start: app_commands.Range[str, 1, 5], end: app_commands.Range[str, 1, 5]
    ) -> None:
        if await zone_first(interaction):
            return
        user = await self.bot.preferences.set_quiet_hours(actor(interaction), start, end)
        await private(interaction, render.embed(preferences.user_settings(user)))

    @app_commands.command(name="share-notes", description="Whether your coaches see your private notes")
    @app_commands.describe(share="on: coaches see your interview, answer and outcome notes; off: they stay private")
    async def share_notes(self, interaction: Interaction, share: Literal["on", "off"]) -> None:
        shared = await self.bot.preferences.set_share_notes(actor(interaction), share == "on")
        await interaction.response.send_message(embed=render.embed(coaching.share_notes(shared)), ephemeral=True)


async def setup(bot: FollowThroughBot) -> None:
    await bot.add_cog(Preferences(bot))

"""/mydata: the seeker's own data, as a calendar file."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_adapter.client import FollowThroughBot
from bot.discord_adapter.context import actor
from bot.discord_adapter.views import ics_file

Interaction = discord.Interaction[FollowThroughBot]


class MyData(commands.GroupCog, group_name="mydata", group_description="Your own data: calendar, export, delete"):
    def __init__(self, bot: FollowThroughBot) -> None:
        self.bot = bot
        self.services = bot.services

    @app_commands.command(name="calendar", description="Your pending follow-ups as a calendar file (.ics)")
    async def calendar(self, interaction: Interaction) -> None:
        data = await self.services.calendar(actor(interaction))
        await interaction.response.send_message(
            "Open the file to add your follow-ups to your calendar. Run this again after changes.",
            file=ics_file(data, "follow-through.ics"),
            ephemeral=True,
        )


async def setup(bot: FollowThroughBot) -> None:
    await bot.add_cog(MyData(bot))

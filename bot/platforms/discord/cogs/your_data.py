"""/mydata: the seeker's own data: a calendar file, an export, and deleting everything."""

from __future__ import annotations

import io

import discord
from discord import app_commands
from discord.ext import commands

from bot.content import your_data
from bot.platforms.discord import components, render
from bot.platforms.discord.client import FollowThroughBot
from bot.platforms.discord.context import actor
from bot.platforms.discord.replies import thinking
from bot.platforms.discord.views import ics_file

Interaction = discord.Interaction[FollowThroughBot]


class MyData(commands.GroupCog, group_name="mydata", group_description="Your own data: calendar, export, delete"):
    def __init__(self, bot: FollowThroughBot) -> None:
        self.bot = bot

    @app_commands.command(name="calendar", description="Your pending follow-ups as a calendar file (.ics)")
    async def calendar(self, interaction: Interaction) -> None:
        await thinking(interaction)
        data = await self.bot.follow_ups.calendar(actor(interaction))
        await interaction.followup.send(
            your_data.CALENDAR,
            file=ics_file(data, "follow-through.ics"),
            ephemeral=True,
        )

    @app_commands.command(name="export", description="Everything stored about you, as JSON, and your interviews as CSV")
    async def export(self, interaction: Interaction) -> None:
        await thinking(interaction)
        export = await self.bot.your_data.export(actor(interaction))
        files = [
            discord.File(io.BytesIO(export.record_json), filename="follow-through-data.json"),
            discord.File(io.BytesIO(export.interviews_csv), filename="interviews.csv"),
        ]
        await interaction.followup.send(your_data.EXPORT, files=files, ephemeral=True)

    @app_commands.command(name="delete", description="Delete everything stored about you (asks to confirm)")
    async def delete(self, interaction: Interaction) -> None:
        warning = your_data.delete_prompt(self.bot.clock.now())
        view = components.view(warning.actions)
        assert view is not None
        await interaction.response.send_message(embed=render.embed(warning), view=view, ephemeral=True)


async def setup(bot: FollowThroughBot) -> None:
    await bot.add_cog(MyData(bot))

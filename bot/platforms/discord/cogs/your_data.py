"""/mydata: the seeker's own data: a calendar file, an export, and deleting everything."""

from __future__ import annotations

import io

import discord
from discord import app_commands
from discord.ext import commands

from bot.platforms.discord import embeds
from bot.platforms.discord.client import FollowThroughBot
from bot.platforms.discord.context import actor
from bot.platforms.discord.replies import thinking
from bot.platforms.discord.views import ics_file
from bot.platforms.discord.your_data_views import ConfirmDeleteButton

Interaction = discord.Interaction[FollowThroughBot]


class MyData(commands.GroupCog, group_name="mydata", group_description="Your own data: calendar, export, delete"):
    def __init__(self, bot: FollowThroughBot) -> None:
        self.bot = bot

    @app_commands.command(name="calendar", description="Your pending follow-ups as a calendar file (.ics)")
    async def calendar(self, interaction: Interaction) -> None:
        await thinking(interaction)
        data = await self.bot.follow_ups.calendar(actor(interaction))
        await interaction.followup.send(
            "Open the file to add your follow-ups to your calendar. Run this again after changes.",
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
        await interaction.followup.send("Here is everything I store about you.", files=files, ephemeral=True)

    @app_commands.command(name="delete", description="Delete everything stored about you (asks to confirm)")
    async def delete(self, interaction: Interaction) -> None:
        asked_at = self.bot.clock.now()
        view = discord.ui.View(timeout=None)
        view.add_item(ConfirmDeleteButton(asked_at))
        warning = discord.Embed(
            title="Delete all your data?",
            description="This deletes your interviews, follow-ups, calls, feedback and settings, and takes you "
            "out of every coach's group. It cannot be undone. Consider `/mydata export` first. "
            "The button works for 10 minutes.",
            colour=embeds.BAD,
        )
        await interaction.response.send_message(embed=warning, view=view, ephemeral=True)


async def setup(bot: FollowThroughBot) -> None:
    await bot.add_cog(MyData(bot))

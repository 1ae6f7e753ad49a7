"""/mydata: the seeker's own data: a calendar file, an export, and deleting everything."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_adapter import embeds
from bot.discord_adapter.client import FollowThroughBot
from bot.discord_adapter.context import actor
from bot.discord_adapter.views import guarded, ics_file

Interaction = discord.Interaction[FollowThroughBot]


class ConfirmDeleteButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=r"ft:forget:(?P<asked>\d{1,12})"
):
    """Deletes the clicker's own data; the custom_id carries when they asked, so an old prompt does nothing."""

    def __init__(self, asked_at: datetime) -> None:
        super().__init__(
            discord.ui.Button(
                label="Delete everything",
                style=discord.ButtonStyle.danger,
                custom_id=f"ft:forget:{int(asked_at.timestamp())}",
            )
        )
        self.asked_at = asked_at

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ConfirmDeleteButton:
        return cls(datetime.fromtimestamp(int(match["asked"]), UTC))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self.delete(interaction))

    async def delete(self, interaction: Interaction) -> None:
        await interaction.client.mydata.delete(actor(interaction), self.asked_at)
        done = discord.Embed(
            title="Deleted",
            description="Everything I stored about you is gone, including your place in any coach's group.",
            colour=embeds.GOOD,
        )
        await interaction.response.edit_message(embed=done, view=None)


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

    @app_commands.command(name="export", description="Everything stored about you, as JSON, and your interviews as CSV")
    async def export(self, interaction: Interaction) -> None:
        export = await self.bot.mydata.export(actor(interaction))
        files = [
            discord.File(io.BytesIO(export.record_json), filename="follow-through-data.json"),
            discord.File(io.BytesIO(export.interviews_csv), filename="interviews.csv"),
        ]
        await interaction.response.send_message("Here is everything I store about you.", files=files, ephemeral=True)

    @app_commands.command(name="delete", description="Delete everything stored about you (asks to confirm)")
    async def delete(self, interaction: Interaction) -> None:
        asked_at = self.services.clock.now()
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
    bot.add_dynamic_items(ConfirmDeleteButton)
    await bot.add_cog(MyData(bot))

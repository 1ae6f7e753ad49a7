"""/followups: what is overdue and what is coming, soonest first."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.platforms.discord.client import FollowThroughBot
from bot.platforms.discord.interview_views import list_page


class FollowUps(commands.Cog):
    def __init__(self, bot: FollowThroughBot) -> None:
        self.bot = bot

    @app_commands.command(name="followups", description="Your overdue and upcoming follow-ups, soonest first")
    async def followups(self, interaction: discord.Interaction[FollowThroughBot]) -> None:
        embed, view = await list_page(interaction, "followups", 0)
        if view is None:
            await interaction.response.send_message(embed=embed, ephemeral=True)
        else:
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True)


async def setup(bot: FollowThroughBot) -> None:
    await bot.add_cog(FollowUps(bot))

"""The confirmation button of /mydata delete."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import discord

from bot.content import your_data
from bot.platforms.discord import render
from bot.platforms.discord.context import actor
from bot.platforms.discord.views import guarded

if TYPE_CHECKING:
    from bot.platforms.discord.client import FollowThroughBot


class ConfirmDeleteButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=r"ft:forget:(?P<asked>\d{1,12})"
):
    """Deletes the clicker's own data; the custom_id carries when they asked, so an old prompt does nothing."""

    def __init__(self, asked_at: datetime) -> None:
        super().__init__(discord.ui.Button(custom_id=f"ft:forget:{int(asked_at.timestamp())}"))
        self.asked_at = asked_at

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ConfirmDeleteButton:
        return cls(datetime.fromtimestamp(int(match["asked"]), UTC))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self.delete(interaction))

    async def delete(self, interaction: discord.Interaction[FollowThroughBot]) -> None:
        await interaction.client.your_data.delete(actor(interaction), self.asked_at)
        await interaction.response.edit_message(embed=render.embed(your_data.deleted()), view=None)

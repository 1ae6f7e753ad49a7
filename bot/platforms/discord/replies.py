"""Private replies that work whether or not the command deferred first."""

from __future__ import annotations

from typing import Any

import discord


async def thinking(interaction: discord.Interaction[Any]) -> None:
    """Acknowledge at once (Discord allows 3 s), before parsing dates and writing: the answer follows.
    A command run again after the zone prompt has answered already (it updated the prompt)."""
    if not interaction.response.is_done():
        await interaction.response.defer(ephemeral=True, thinking=True)


async def private(
    interaction: discord.Interaction[Any],
    embed: discord.Embed,
    file: discord.File | None = None,
    view: discord.ui.View | None = None,
) -> None:
    extra: dict[str, Any] = {}
    if file is not None:
        extra["file"] = file
    if view is not None:
        extra["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(embed=embed, ephemeral=True, **extra)
    else:
        await interaction.response.send_message(embed=embed, ephemeral=True, **extra)

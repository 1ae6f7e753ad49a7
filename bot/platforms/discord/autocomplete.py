"""Autocomplete for options that name one of the user's own things."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.domain import dates, zones
from bot.platforms.discord.context import actor

if TYPE_CHECKING:
    from bot.platforms.discord.client import FollowThroughBot

MAX_CHOICE_NAME = 100
AUTOCOMPLETE_LIMIT = 25  # Discord shows at most 25 choices


async def interview(interaction: discord.Interaction[FollowThroughBot], current: str) -> list[app_commands.Choice[str]]:
    """The user's open interviews ("Acme: Data Analyst, Fri 20 Nov 14:00"); the value is the interview id."""
    return await _interviews(interaction, current, include_closed=False)


async def any_interview(
    interaction: discord.Interaction[FollowThroughBot], current: str
) -> list[app_commands.Choice[str]]:
    """The user's interviews, closed ones too (feedback comes after the outcome; edits and outcomes fix them)."""
    return await _interviews(interaction, current, include_closed=True)


async def _interviews(
    interaction: discord.Interaction[FollowThroughBot], current: str, *, include_closed: bool
) -> list[app_commands.Choice[str]]:
    client = interaction.client
    zone = await client.preferences.zone(actor(interaction))
    choices = []
    for item in await client.interviews.interview_choices(
        actor(interaction), current, AUTOCOMPLETE_LIMIT, include_closed=include_closed
    ):
        suffix = f", {dates.day_time(item.scheduled_at, zone)}"  # two rounds on one day differ by their time
        name = item.title[: MAX_CHOICE_NAME - len(suffix)] + suffix
        choices.append(app_commands.Choice(name=name, value=str(item.id)))
    return choices


async def timezone(interaction: discord.Interaction[FollowThroughBot], current: str) -> list[app_commands.Choice[str]]:
    """Zones by any part of their name, in any case; an abbreviation ("EST") offers the zones it stands for."""
    return [app_commands.Choice(name=z, value=z) for z in zones.suggestions(current, 25)]

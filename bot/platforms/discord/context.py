"""Getting from a discord.py interaction to the core: who is acting, and the services to act on."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.usecases.actors import Actor

if TYPE_CHECKING:
    from bot.platforms.discord.client import FollowThroughBot

PLATFORM = "discord"
TYPED_AT = "typed_at"  # in Interaction.extras: when a command held for the zone prompt was typed


def actor(interaction: discord.Interaction[FollowThroughBot]) -> Actor:
    """The user who clicked or typed."""
    return actor_of(interaction.user)


def month_first(interaction: discord.Interaction[FollowThroughBot]) -> bool:
    """Whether the user writes numeric dates month first ("12/03" for 3 Dec), as Discord's en-US locale does;
    every other locale Discord offers writes the day first (or the year, which the parser reads anyway)."""
    return interaction.locale is discord.Locale.american_english


def typed_at(interaction: discord.Interaction[FollowThroughBot]) -> datetime | None:
    """When the user typed the command, if it waited for their zone; None: just now. Relative words
    ("today", "tomorrow") are read as of then."""
    value = interaction.extras.get(TYPED_AT)
    return value if isinstance(value, datetime) else None


def actor_of(user: discord.abc.Snowflake) -> Actor:
    """Any Discord user, e.g. a member named in a command's option."""
    return Actor(PLATFORM, str(user.id))

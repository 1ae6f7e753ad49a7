"""Getting from a discord.py interaction to the core: who is acting, and the services to act on."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.core.services import Actor

if TYPE_CHECKING:
    from bot.discord_adapter.client import FollowThroughBot

PLATFORM = "discord"


def actor(interaction: discord.Interaction[FollowThroughBot]) -> Actor:
    """The user who clicked or typed."""
    return actor_of(interaction.user)


def actor_of(user: discord.abc.Snowflake) -> Actor:
    """Any Discord user, e.g. a member named in a command's option."""
    return Actor(PLATFORM, str(user.id))

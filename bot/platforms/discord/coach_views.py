"""Coaching buttons. Each custom_id carries what the click needs (the pending consent's id, the roster's
group and page, or the group to delete and when that was asked), so they work after a restart; every click
is checked against the clicker by the core."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeAlias

import discord

from bot.content import coaching
from bot.content.message import ActionKind
from bot.platforms.discord import render
from bot.platforms.discord.context import actor
from bot.platforms.discord.views import guarded

if TYPE_CHECKING:
    from bot.platforms.discord.client import FollowThroughBot

Interaction: TypeAlias = "discord.Interaction[FollowThroughBot]"


class ConsentButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"ft:consent:(?P<choice>accept|decline):(?P<id>\d{1,18})",
):
    """Accept or Decline sharing with a group; `id` is the pending membership's."""

    def __init__(self, membership_id: int, accept: bool) -> None:
        choice = "accept" if accept else "decline"
        super().__init__(discord.ui.Button(custom_id=f"ft:consent:{choice}:{membership_id}"))
        self.membership_id = membership_id
        self.accept = accept

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ConsentButton:
        return cls(int(match["id"]), match["choice"] == "accept")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._decide(interaction))

    async def _decide(self, interaction: Interaction) -> None:
        decided = await interaction.client.groups.decide(actor(interaction), self.membership_id, self.accept)
        await interaction.response.edit_message(embeds=[render.embed(coaching.consent_decided(decided))], view=None)


class RosterPageButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"ft:roster:(?P<group>\d{1,18}):(?P<page>\d{1,4})",
):
    """Shows page `page` of a group's roster, rebuilt from the database at the click."""

    def __init__(self, group_id: int, page: int) -> None:
        super().__init__(discord.ui.Button(custom_id=f"ft:roster:{group_id}:{page}"))
        self.group_id = group_id
        self.page = page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> RosterPageButton:
        return cls(int(match["group"]), int(match["page"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._turn(interaction))

    async def _turn(self, interaction: Interaction) -> None:
        roster = await interaction.client.roster.roster(actor(interaction), self.group_id)
        page = coaching.roster_page(roster, self.page)
        turns = {ActionKind.ROSTER_PAGE: lambda a: RosterPageButton(a.target, a.page)}
        await interaction.response.edit_message(embed=render.embed(page), view=render.view(page.actions, turns))


class DeleteGroupButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"ft:delgroup:(?P<group>\d{1,18}):(?P<asked>\d{1,12})",
):
    """Deletes a group its owner asked to delete; the custom_id carries when they asked, so an old prompt
    does nothing, and the core checks the clicker owns the group."""

    def __init__(self, group_id: int, asked_at: datetime) -> None:
        super().__init__(discord.ui.Button(custom_id=f"ft:delgroup:{group_id}:{int(asked_at.timestamp())}"))
        self.group_id = group_id
        self.asked_at = asked_at

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> DeleteGroupButton:
        return cls(int(match["group"]), datetime.fromtimestamp(int(match["asked"]), UTC))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._delete(interaction))

    async def _delete(self, interaction: Interaction) -> None:
        await interaction.response.defer()  # the members are told by DM before the answer
        gone = await interaction.client.groups.delete_group(actor(interaction), self.group_id, self.asked_at)
        await interaction.edit_original_response(embed=render.embed(coaching.group_deleted(gone)), view=None)


COACH_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (ConsentButton, RosterPageButton, DeleteGroupButton)

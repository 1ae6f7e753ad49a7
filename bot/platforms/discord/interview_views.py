"""Buttons for fixing one interview and paging the seeker's lists. Each custom_id carries what the click
needs (the interview's id, a time, a page), so they work after a restart; the core checks the clicker owns
the interview, and a page is rebuilt from the clicker's own data."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeAlias

import discord

from bot.content import follow_ups, interviews
from bot.content.follow_ups import Pager
from bot.content.message import ActionKind, Message
from bot.platforms.discord import render
from bot.platforms.discord.context import actor
from bot.platforms.discord.views import guarded

if TYPE_CHECKING:
    from bot.platforms.discord.client import FollowThroughBot

Interaction: TypeAlias = "discord.Interaction[FollowThroughBot]"


class MoveInterviewButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"ft:ivmove:(?P<id>\d{1,18}):(?P<at>\d{1,12})(?::(?P<was>\d{1,12}))?",
):
    """ "Use Fri 20 Nov instead": moves the interview to the other reading of a bare weekday (Unix seconds),
    only while it is still at the time the button was offered for (`was`; buttons sent before it carry none)."""

    def __init__(self, interview_id: int, at: datetime, was: datetime | None) -> None:
        was_part = "" if was is None else f":{int(was.timestamp())}"
        super().__init__(discord.ui.Button(custom_id=f"ft:ivmove:{interview_id}:{int(at.timestamp())}{was_part}"))
        self.interview_id = interview_id
        self.at = at
        self.was = was

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> MoveInterviewButton:
        was = None if match["was"] is None else datetime.fromtimestamp(int(match["was"]), UTC)
        return cls(int(match["id"]), datetime.fromtimestamp(int(match["at"]), UTC), was)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._move(interaction))

    async def _move(self, interaction: Interaction) -> None:
        client = interaction.client
        moved = await client.interviews.move_interview(actor(interaction), self.interview_id, self.at, self.was)
        embed = render.embed(interviews.interview_edited(moved, client.clock.now()))
        await interaction.response.edit_message(embed=embed, view=None)


class DeleteInterviewButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"ft:ivdelete:(?P<choice>yes|no):(?P<id>\d{1,18})",
):
    """Confirm or call off deleting an interview."""

    def __init__(self, interview_id: int, confirm: bool) -> None:
        super().__init__(discord.ui.Button(custom_id=f"ft:ivdelete:{'yes' if confirm else 'no'}:{interview_id}"))
        self.interview_id = interview_id
        self.confirm = confirm

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> DeleteInterviewButton:
        return cls(int(match["id"]), match["choice"] == "yes")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._decide(interaction))

    async def _decide(self, interaction: Interaction) -> None:
        client = interaction.client
        if self.confirm:
            deleted = await client.interviews.delete_interview(actor(interaction), self.interview_id)
            said = interviews.interview_deleted(deleted.interview, deleted.follow_ups)
        else:
            kept = await client.interviews.find_interview(actor(interaction), str(self.interview_id), open_only=False)
            said = interviews.delete_kept(kept.title)
        await interaction.response.edit_message(embed=render.embed(said), view=None)


class ListPageButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"ft:page:(?P<list>followups|interviews|everything):(?P<page>\d{1,4})",
):
    """A page of the clicker's /followups or /interview list (`everything`: closed interviews too)."""

    def __init__(self, listing: str, page: int) -> None:
        super().__init__(discord.ui.Button(custom_id=f"ft:page:{listing}:{page}"))
        self.listing = listing
        self.page = page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ListPageButton:
        return cls(match["list"], int(match["page"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._turn(interaction))

    async def _turn(self, interaction: Interaction) -> None:
        embed, view = await list_page(interaction, self.listing, self.page)
        await interaction.response.edit_message(embed=embed, view=view)


PAGER = Pager(render.measure, render.PAGE_ROOM)


async def list_page(interaction: Interaction, listing: str, page: int) -> tuple[discord.Embed, discord.ui.View | None]:
    """One page of a list, built from the user's data now, with Previous and Next when there is more."""
    client = interaction.client
    now = client.clock.now()
    shown: Message
    if listing == "followups":
        items = await client.follow_ups.open_follow_ups(actor(interaction))
        shown = follow_ups.follow_up_list(items, now, page, PAGER)
    else:
        summaries = await client.interviews.list_interviews(actor(interaction), include_closed=listing == "everything")
        shown = interviews.interview_list(summaries, now, page, PAGER, listing)
    turns = {ActionKind.PAGE: lambda a: ListPageButton(a.choice, a.page)}
    return render.embed(shown), render.view(shown.actions, turns)


INTERVIEW_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    MoveInterviewButton,
    DeleteInterviewButton,
    ListPageButton,
)

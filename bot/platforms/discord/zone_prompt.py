"""Asking a user for their time zone before the first command that reads or plans a time, then running it.

Discord tells a bot nothing about a user's zone, so a command that needs one calls `zone_first` before
anything else. For a user who never chose a zone it holds the command with its options in the database
(pending_commands: notes can be 1,000 characters, far more than a custom_id holds) and answers with a
private prompt: a select of common zones, a button for the zone the user's Discord language suggests, and
"Type another" for a modal. The prompt's custom_ids carry the held command's id, so a choice made after a
restart still works. The choice is a new interaction: it sets the zone, then runs the held command with its
options on that interaction, so the reply lands where the user is looking.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, TypeAlias

import discord
from discord import app_commands

from bot.content import preferences
from bot.content.message import ActionKind
from bot.domain import zones
from bot.domain.errors import InvalidInput
from bot.platforms.discord import render
from bot.platforms.discord.context import TYPED_AT, actor
from bot.platforms.discord.replies import thinking
from bot.platforms.discord.views import FormModal, guarded

if TYPE_CHECKING:
    from bot.platforms.discord.client import FollowThroughBot

Interaction: TypeAlias = "discord.Interaction[FollowThroughBot]"
OptionValue: TypeAlias = "str | int | float | bool"


async def zone_first(interaction: Interaction) -> bool:
    """Call first in a command that reads or plans a time. True: the user was asked for their zone instead,
    and the command stops here; it runs, with the same options, once they choose. For commands whose options
    are plain values (text, numbers, choices): those are passed back as Discord sent them."""
    await thinking(interaction)  # acknowledge before the database: 200 new users at once must not wait on writes
    client = interaction.client
    who = actor(interaction)
    if await client.preferences.zone_chosen(who):
        return False
    command = interaction.command
    assert command is not None  # only slash commands call this
    options = _options(interaction.data or {})
    pending_id = await client.preferences.hold_command(who, command.qualified_name, json.dumps(options))
    guess = zones.guess(str(interaction.locale))
    question = preferences.zone_question(f"/{command.qualified_name}", pending_id, guess, client.clock.now())
    embed = render.embed(question)
    view = render.view(question.actions, MAKERS)
    assert view is not None
    if interaction.response.is_done():
        await interaction.followup.send(embed=embed, view=view, ephemeral=True)
    else:
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)
    return True


def _options(data: Any) -> dict[str, OptionValue]:
    """The options of the (sub)command the user ran, by name, as Discord sent them."""
    found: dict[str, OptionValue] = {}
    for option in data.get("options", []):
        if "options" in option:  # a subcommand (group): its own options are the command's
            return _options(option)
        if "value" in option:
            found[option["name"]] = option["value"]
    return found


async def _choose(interaction: Interaction, pending_id: int, typed: str) -> None:
    """Set the zone (a typo is refused and the prompt stays), then run the command that waited for it."""
    client = interaction.client
    who = actor(interaction)
    change = await client.preferences.set_timezone(who, typed)
    await client.roster.refresh_digest(who)
    held = await client.preferences.take_command(who, pending_id)
    command = None if held is None else f"/{held.command}"
    embed = render.embed(preferences.zone_set(change, command, stale=held is not None and held.stale))
    if interaction.message is not None:
        await interaction.response.edit_message(embed=embed, view=None)
    else:
        await interaction.response.send_message(embed=embed, ephemeral=True)
    if held is not None and not held.stale:
        interaction.extras[TYPED_AT] = held.typed_at
        await _run(interaction, held.command, json.loads(held.options))


async def _run(interaction: Interaction, name: str, options: dict[str, OptionValue]) -> None:
    """Call the held command's handler on this interaction, as if the user had just run it (except that
    `typed_at` says when they did)."""
    command = _command(interaction.client.tree, name)
    if command is None:  # renamed or removed by an upgrade in between
        raise InvalidInput(f"`/{name}` no longer exists. See the command list and try again.")
    by_display = {p.display_name: p.name for p in command.parameters}
    arguments = {by_display[key]: value for key, value in options.items() if key in by_display}
    handler: Any = command.callback
    if command.binding is None:
        await handler(interaction, **arguments)
    else:
        await handler(command.binding, interaction, **arguments)


def _command(tree: app_commands.CommandTree[Any], name: str) -> app_commands.Command[Any, Any, Any] | None:
    first, *rest = name.split()
    found: Any = tree.get_command(first)
    for part in rest:
        found = found.get_command(part) if isinstance(found, app_commands.Group) else None
    return found if isinstance(found, app_commands.Command) else None


class ZoneSelect(discord.ui.DynamicItem[discord.ui.Select[discord.ui.View]], template=r"ft:zone:pick:(?P<id>\d{1,18})"):
    """The common zones; the content offers them."""

    def __init__(self, pending_id: int) -> None:
        super().__init__(discord.ui.Select(custom_id=f"ft:zone:pick:{pending_id}"))
        self.pending_id = pending_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ZoneSelect:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(
            interaction, _choose(interaction, self.pending_id, self.item.values[0] if self.item.values else "")
        )


class UseZoneButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"ft:zone:use:(?P<id>\d{1,18}):(?P<zone>[A-Za-z0-9_/+\-]{1,60})",
):
    """One click for the zone the user's Discord language suggests."""

    def __init__(self, pending_id: int, zone: str) -> None:
        super().__init__(discord.ui.Button(custom_id=f"ft:zone:use:{pending_id}:{zone}"))
        self.pending_id = pending_id
        self.zone = zone

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> UseZoneButton:
        return cls(int(match["id"]), match["zone"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, _choose(interaction, self.pending_id, self.zone))


class TypeZoneButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=r"ft:zone:type:(?P<id>\d{1,18})"
):
    def __init__(self, pending_id: int) -> None:
        super().__init__(discord.ui.Button(custom_id=f"ft:zone:type:{pending_id}"))
        self.pending_id = pending_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> TypeZoneButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_modal(ZoneModal(self.pending_id))


class ZoneModal(FormModal):
    def __init__(self, pending_id: int) -> None:
        super().__init__(preferences.zone_form())
        self.pending_id = pending_id

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        await guarded(interaction, _choose(interaction, self.pending_id, self.answer("zone")))


MAKERS: dict[ActionKind, render.Maker] = {
    ActionKind.PICK_ZONE: lambda a: ZoneSelect(a.target),
    ActionKind.USE_ZONE: lambda a: UseZoneButton(a.target, a.choice),
    ActionKind.TYPE_ZONE: lambda a: TypeZoneButton(a.target),
}
ZONE_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (ZoneSelect, UseZoneButton, TypeZoneButton)

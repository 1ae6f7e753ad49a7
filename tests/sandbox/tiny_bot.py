"""A tiny but real discord.py bot exercising what the sandbox must support."""

from __future__ import annotations

import io
import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

COMPANIES = ["Acme", "Acorn", "Globex"]


class NoteModal(discord.ui.Modal, title="How did it go?"):
    """One input in a legacy action row, one in a Label (discord.py 2.7 sends both shapes)."""

    def __init__(self, item_id: int) -> None:
        super().__init__(custom_id=f"note:{item_id}")
        self.item_id = item_id
        self.note: discord.ui.TextInput[NoteModal] = discord.ui.TextInput(label="Note", custom_id="note", min_length=2)
        self.rating: discord.ui.Label[NoteModal] = discord.ui.Label(
            text="Rating", component=discord.ui.TextInput(custom_id="rating", required=False, default="3")
        )
        self.add_item(self.note)
        self.add_item(self.rating)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        rating = self.rating.component
        assert isinstance(rating, discord.ui.TextInput)
        text = f"Noted #{self.item_id}: {self.note.value} ({rating.value}/5)"
        await interaction.response.edit_message(content=text, view=None)


class ConfirmButton(discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=r"confirm:(?P<id>\d+)"):
    """Persistent: works after a restart because the item id travels in the custom_id."""

    def __init__(self, item_id: int) -> None:
        super().__init__(discord.ui.Button(label="Confirm", custom_id=f"confirm:{item_id}"))
        self.item_id = item_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ConfirmButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(NoteModal(self.item_id))


class PingView(discord.ui.View):
    """A classic, non-persistent view: discord.py only knows it once it has read the response that created it."""

    @discord.ui.button(label="Ping", custom_id="ping")
    async def ping(self, interaction: discord.Interaction, button: discord.ui.Button[PingView]) -> None:
        await interaction.response.edit_message(content="pong", view=None)


class PickView(discord.ui.View):
    @discord.ui.select(custom_id="company", options=[discord.SelectOption(label=c) for c in COMPANIES])
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select[PickView]) -> None:
        await interaction.response.edit_message(content=f"Picked {select.values[0]}", view=None)


interview = app_commands.Group(name="interview", description="Track interviews")


@interview.command(description="Add an interview")
async def add(interaction: discord.Interaction, company: str, rounds: int, contact: discord.User) -> None:
    text = f"Added {company} ({rounds} rounds) with {contact.display_name}"
    await interaction.response.send_message(text, ephemeral=True)


@interview.command(description="Check in on an interview")
async def checkin(interaction: discord.Interaction, interview: str) -> None:
    await interaction.response.send_message(f"Checked in on {interview}", ephemeral=True)


@checkin.autocomplete("interview")
async def checkin_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=c, value=c) for c in COMPANIES if c.lower().startswith(current.lower())]


@app_commands.command(description="DM yourself a reminder with a button")
async def remind(interaction: discord.Interaction, item: int) -> None:
    view = discord.ui.View(timeout=None)
    view.add_item(ConfirmButton(item))
    await interaction.user.send(f"Time to follow up on #{item}", view=view)
    await interaction.response.send_message("Sent", ephemeral=True)


@app_commands.command(description="Show a button")
async def menu(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("Press it", view=PingView(timeout=30))


@app_commands.command(description="Pick a company")
async def pick(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("Which one?", view=PickView(timeout=30), ephemeral=True)


@app_commands.command(description="A slow report")
async def report(interaction: discord.Interaction) -> None:
    await interaction.response.defer(thinking=True, ephemeral=True)
    csv = discord.File(io.BytesIO(b"company,rounds\nAcme,3\n"), filename="report.csv")
    await interaction.followup.send("Report ready", file=csv)


@app_commands.command(description="Work in steps")
async def progress(interaction: discord.Interaction) -> None:
    await interaction.response.defer(thinking=True)
    await interaction.edit_original_response(content="Step 1 done")
    original = await interaction.original_response()
    await interaction.followup.send(f"Step 2 after {original.content!r}")


@app_commands.command(description="Where am I?")
@app_commands.guild_only()
async def where(interaction: discord.Interaction) -> None:
    assert interaction.guild is not None
    await interaction.response.send_message(f"in {interaction.guild.name}")


class TinyBot(commands.Bot):
    def __init__(self) -> None:
        # A short guild_ready_timeout: on_ready otherwise waits 2 s after the last GUILD_CREATE.
        super().__init__(
            command_prefix=commands.when_mentioned, intents=discord.Intents.default(), guild_ready_timeout=0.05
        )

    async def setup_hook(self) -> None:
        self.add_dynamic_items(ConfirmButton)
        slash_commands: list[app_commands.Command[Any, Any, None] | app_commands.Group] = [
            interview,
            remind,
            menu,
            pick,
            report,
            progress,
            where,
        ]
        for command in slash_commands:
            self.tree.add_command(command)
        await self.tree.sync()

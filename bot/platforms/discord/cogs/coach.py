"""/coach: groups and invites, joining with consent, rosters, a seeker's detail, notes, digests, export."""

from __future__ import annotations

import io
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.content import coaching, your_data
from bot.content.message import Message, OnPlatform
from bot.content.roster_csv import roster_csv
from bot.domain.coaching import next_slot
from bot.domain.errors import InvalidInput
from bot.platforms.discord import components, render
from bot.platforms.discord.client import FollowThroughBot
from bot.platforms.discord.context import PLATFORM, actor, actor_of
from bot.platforms.discord.replies import private, thinking
from bot.platforms.discord.zone_prompt import zone_first
from bot.ports.senders import DeliveryStatus

Interaction = discord.Interaction[FollowThroughBot]
Short = app_commands.Range[str, 1, 100]
GROUP = "Which of your groups (needed when you have several)"
PICKED = "A seeker on your roster, on any platform: pick as you type"
Day = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "off"]


def _matching(names: list[tuple[str, int]], current: str) -> list[app_commands.Choice[str]]:
    needle = current.strip().casefold()
    return [app_commands.Choice(name=n[:100], value=str(i)) for n, i in names if needle in n.casefold()][:25]


async def coached_group(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
    groups = await interaction.client.groups.coached_groups(actor(interaction))
    return _matching([(g.name, g.id) for g in groups], current)


async def joined_group(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
    return _matching(await interaction.client.groups.leavable(actor(interaction)), current)


def _labelled(name: str, platform: str) -> str:
    return name + OnPlatform(platform).said(PLATFORM)


async def roster_seeker(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
    """The seekers on the coach's rosters, whatever their platform (the value is their user id with us)."""
    seekers = await interaction.client.roster.roster_seekers(actor(interaction))
    return _matching([(_labelled(s.name, s.platform), s.user_id) for s in seekers], current)


async def removable(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Seekers on the coach's rosters, and the co-coaches of the groups they own."""
    client = interaction.client
    seekers = await client.roster.roster_seekers(actor(interaction))
    listed = [(_labelled(s.name, s.platform), s.user_id) for s in seekers]
    known = {s.user_id for s in seekers}
    coaches = await client.groups.removable_coaches(actor(interaction))
    listed += [(f"{c.display_name} ({coaching.CO_COACH})", c.user_id) for c in coaches if c.user_id not in known]
    return _matching(listed, current)


class Coach(commands.GroupCog, group_name="coach", group_description="Career coaches: groups, rosters and digests"):
    invite = app_commands.Group(name="invite", description="Your group's invite code")

    def __init__(self, bot: FollowThroughBot) -> None:
        self.bot = bot

    # Coaches and their groups

    @app_commands.command(name="create", description="Start a group you coach and get its invite code")
    @app_commands.describe(name="The group's name, e.g. Spring Job Club")
    async def create(self, interaction: Interaction, name: Short) -> None:
        if await zone_first(interaction):  # the weekly digest is planned at a local hour
            return
        group = await self.bot.groups.create_group(actor(interaction), name, interaction.user.display_name)
        await _answer(interaction, coaching.group_created(group))

    @invite.command(name="new", description="Replace a group's invite code (the old one stops working)")
    @app_commands.describe(group=GROUP)
    @app_commands.autocomplete(group=coached_group)
    async def new_invite(self, interaction: Interaction, group: Short | None = None) -> None:
        changed = await self.bot.groups.new_invite(actor(interaction), group)
        await _answer(interaction, coaching.new_invite(changed))

    @app_commands.command(name="add-coach", description="Let someone co-coach one of your groups")
    @app_commands.describe(member="Who should co-coach", group=GROUP)
    @app_commands.autocomplete(group=coached_group)
    async def add_coach(self, interaction: Interaction, member: discord.User, group: Short | None = None) -> None:
        await thinking(interaction)  # the group's members are told by DM before the answer
        changed = await self.bot.groups.add_coach(actor(interaction), group, actor_of(member), member.display_name)
        await private(interaction, render.embed(coaching.coach_added(changed, member.display_name)))

    @app_commands.command(name="delete", description="Delete a group you own (asks to confirm; members are told)")
    @app_commands.describe(group=GROUP)
    @app_commands.autocomplete(group=coached_group)
    async def delete(self, interaction: Interaction, group: Short | None = None) -> None:
        asked_at = self.bot.clock.now()
        doomed = await self.bot.groups.group_to_delete(actor(interaction), group)
        await _answer(interaction, coaching.delete_prompt(doomed, asked_at))

    # The seeker's side

    @app_commands.command(name="join", description="Join a coach's group: see what they'd see, then decide")
    @app_commands.describe(code="The invite code your coach gave you, e.g. ABCD-EFGH-JKMN")
    async def join(self, interaction: Interaction, code: app_commands.Range[str, 1, 40]) -> None:
        await thinking(interaction)
        request = await self.bot.groups.join(actor(interaction), code, interaction.user.display_name)
        ask, preview = coaching.consent_prompt(request)
        view = components.view(ask.actions)
        assert view is not None
        await interaction.followup.send(embeds=render.embeds([ask, preview]), view=view, ephemeral=True)

    @app_commands.command(name="leave", description="Stop sharing with a group, or step down as its co-coach")
    @app_commands.describe(group="The group to leave; leave it empty to leave every group (owners delete theirs)")
    @app_commands.autocomplete(group=joined_group)
    async def leave(self, interaction: Interaction, group: Short | None = None) -> None:
        memberships = await self.bot.groups.leave(actor(interaction), group)
        await _answer(interaction, coaching.left(memberships))

    # What coaches see

    @app_commands.command(name="remove", description="Remove a seeker, or a co-coach (owners), from your group")
    @app_commands.describe(
        seeker=PICKED, member="Or the member (a seeker or co-coach here)", group="Which group (all of yours, if empty)"
    )
    @app_commands.autocomplete(seeker=removable, group=coached_group)
    async def remove(
        self,
        interaction: Interaction,
        seeker: Short | None = None,
        member: discord.User | None = None,
        group: Short | None = None,
    ) -> None:
        groups, who = self.bot.groups, actor(interaction)
        if seeker is not None:
            removed = await groups.remove_by_id(who, await self.bot.roster.pick_seeker(who, seeker), group)
        else:
            removed = await groups.remove(who, actor_of(_named(member)), group)
        await _answer(interaction, coaching.removed(removed))

    @app_commands.command(name="roster", description="Who is on track and who is slipping, most overdue first")
    @app_commands.describe(group="One group (every group you coach, if empty)")
    @app_commands.autocomplete(group=coached_group)
    async def roster(self, interaction: Interaction, group: Short | None = None) -> None:
        await thinking(interaction)
        for roster in await self.bot.roster.rosters(actor(interaction), group):
            page = coaching.roster_page(roster, 0)
            view = components.view(page.actions) or discord.ui.View()
            await interaction.followup.send(embed=render.embed(page), view=view, ephemeral=True)

    @app_commands.command(name="seeker", description="One seeker's interviews, follow-ups, calls and outcomes")
    @app_commands.describe(seeker=PICKED, member="Or the member, if they use Discord")
    @app_commands.autocomplete(seeker=roster_seeker)
    async def seeker(
        self, interaction: Interaction, seeker: Short | None = None, member: discord.User | None = None
    ) -> None:
        roster, who = self.bot.roster, actor(interaction)
        if seeker is None and member is None:
            raise InvalidInput(coaching.NAME_A_SEEKER)
        await thinking(interaction)
        if seeker is not None:
            report = await roster.seeker_by_id(who, await roster.pick_seeker(who, seeker))
        else:
            report = await roster.seeker(who, actor_of(_named(member)))
        await private(interaction, render.embed(coaching.seeker_detail(report)))

    @app_commands.command(name="nudge", description="Send a seeker an encouraging DM through the bot")
    @app_commands.describe(message="What to tell them", seeker=PICKED, member="Or the member, if they use Discord")
    @app_commands.autocomplete(seeker=roster_seeker)
    async def nudge(
        self,
        interaction: Interaction,
        message: app_commands.Range[str, 1, 1000],
        seeker: Short | None = None,
        member: discord.User | None = None,
    ) -> None:
        roster, who, name = self.bot.roster, actor(interaction), interaction.user.display_name
        if seeker is None and member is None:
            raise InvalidInput(coaching.NAME_A_SEEKER)
        await thinking(interaction)
        if seeker is not None:
            result = await roster.nudge_by_id(who, await roster.pick_seeker(who, seeker), message, name)
        else:
            result = await roster.nudge(who, actor_of(_named(member)), message, name)
        sent, closed = result.status is DeliveryStatus.SENT, result.status is DeliveryStatus.DMS_CLOSED
        await private(interaction, render.embed(coaching.nudge_result(result.seeker.name, sent, closed)))

    @app_commands.command(name="digest", description="When your weekly digest arrives (your time zone), or off")
    @app_commands.describe(day="The weekday, or off", time="24-hour HH:MM, e.g. 09:00 (unchanged if empty)")
    async def digest(
        self, interaction: Interaction, day: Day, time: app_commands.Range[str, 1, 5] | None = None
    ) -> None:
        if day != "off" and await zone_first(interaction):  # the day and time are read in the coach's zone
            return
        plan = await self.bot.roster.set_digest(actor(interaction), day, time)
        next_at = next_slot(plan, self.bot.clock.now()) if plan.enabled else None
        await _answer(interaction, coaching.digest_plan(plan, next_at))

    @app_commands.command(name="export", description="Your roster as a CSV file")
    @app_commands.describe(group="One group (every group you coach, if empty)")
    @app_commands.autocomplete(group=coached_group)
    async def export(self, interaction: Interaction, group: Short | None = None) -> None:
        await thinking(interaction)
        rosters = await self.bot.roster.rosters(actor(interaction), group)
        day = self.bot.clock.now().date().isoformat()
        data = roster_csv(rosters)
        seekers = sum(len(r.lines) for r in rosters)
        await interaction.followup.send(
            your_data.roster_export(seekers),
            file=discord.File(io.BytesIO(data), filename=f"roster-{day}.csv"),
            ephemeral=True,
        )


def _named(member: discord.User | None) -> discord.User:
    """The member option, when the seeker option was not given."""
    if member is None:
        raise InvalidInput(coaching.NAME_A_SEEKER)
    return member


async def _answer(interaction: Interaction, message: Message) -> None:
    """A private answer (a follow-up when the command ran after the zone prompt, which answered already)."""
    await private(interaction, render.embed(message), view=components.view(message.actions))


async def setup(bot: FollowThroughBot) -> None:
    await bot.add_cog(Coach(bot))

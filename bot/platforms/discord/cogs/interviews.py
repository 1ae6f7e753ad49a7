"""/interview: log an interview, what happens next, check-in calls, the outcome and feedback; fix one."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.content import interviews
from bot.content.message import Message
from bot.platforms.discord import autocomplete, components, render
from bot.platforms.discord.client import FollowThroughBot
from bot.platforms.discord.context import actor, month_first, typed_at
from bot.platforms.discord.interview_views import list_page
from bot.platforms.discord.replies import private, thinking
from bot.platforms.discord.views import ics_file
from bot.platforms.discord.zone_prompt import zone_first

Interaction = discord.Interaction[FollowThroughBot]
Short = app_commands.Range[str, 1, 100]
Long = app_commands.Range[str, 1, 1000]
INTERVIEW = "The interview: start typing the company and pick it from the list"
ANY_INTERVIEW = "The interview (closed ones too): start typing the company and pick it from the list"
KEEP = "empty keeps it"
CLEAR = "empty keeps it, - removes it"


class Interviews(commands.GroupCog, group_name="interview", group_description="Log interviews and follow through"):
    def __init__(self, bot: FollowThroughBot) -> None:
        self.bot = bot

    @app_commands.command(name="add", description="Log an interview and get your follow-up plan")
    @app_commands.describe(
        company="The company you're interviewing with",
        role="The role, e.g. Data Analyst",
        when="When it is or was, e.g. “today 2pm”, “next Tuesday 9am”, “2026-12-03 14:00”",
        interviewer="Who interviewed you (used in your thank-you draft)",
        contact="Who to call for the check-in, and how (e.g. Sam, 555-0100)",
        notes="Anything to remember (private)",
    )
    async def add(
        self,
        interaction: Interaction,
        company: Short,
        role: Short,
        when: Short,
        interviewer: Short | None = None,
        contact: Short | None = None,
        notes: Long | None = None,
    ) -> None:
        if await zone_first(interaction):
            return
        await thinking(interaction)
        result = await self.bot.interviews.record_interview(
            actor(interaction),
            company,
            role,
            when,
            interviewer,
            contact,
            notes,
            month_first=month_first(interaction),
            typed_at=typed_at(interaction),
        )
        await _reply(interaction, interviews.interview_logged(result, self.bot.clock.now()))

    @app_commands.command(name="edit", description="Fix an interview's details; a new time replans its follow-ups")
    @app_commands.describe(
        interview=ANY_INTERVIEW,
        company=f"The company ({KEEP})",
        role=f"The role ({KEEP})",
        when=f"The new time, e.g. “Friday 3pm”, “2026-12-03 14:00” ({KEEP})",
        interviewer=f"Who interviews you ({CLEAR})",
        contact=f"Who to call for the check-in ({CLEAR})",
        notes=f"Anything to remember ({CLEAR})",
    )
    @app_commands.autocomplete(interview=autocomplete.any_interview)
    async def edit(
        self,
        interaction: Interaction,
        interview: Short,
        company: Short | None = None,
        role: Short | None = None,
        when: Short | None = None,
        interviewer: Short | None = None,
        contact: Short | None = None,
        notes: Long | None = None,
    ) -> None:
        await thinking(interaction)
        result = await self.bot.interviews.edit_interview(
            actor(interaction),
            interview,
            company=company,
            role=role,
            when=when,
            interviewer=interviewer,
            contact=contact,
            notes=notes,
            month_first=month_first(interaction),
        )
        await _reply(interaction, interviews.interview_edited(result, self.bot.clock.now()))

    @app_commands.command(name="delete", description="Delete an interview and its follow-ups (asks first)")
    @app_commands.describe(interview=ANY_INTERVIEW)
    @app_commands.autocomplete(interview=autocomplete.any_interview)
    async def delete(self, interaction: Interaction, interview: Short) -> None:
        found = await self.bot.interviews.find_interview(actor(interaction), interview, open_only=False)
        open_items = [
            f for f in await self.bot.follow_ups.open_follow_ups(actor(interaction)) if f.interview.id == found.id
        ]
        await _reply(interaction, interviews.confirm_delete(found, len(open_items)))

    @app_commands.command(name="reopen", description="Take back an outcome recorded by mistake")
    @app_commands.describe(interview="The closed interview: start typing the company and pick it from the list")
    @app_commands.autocomplete(interview=autocomplete.any_interview)
    async def reopen(self, interaction: Interaction, interview: Short) -> None:
        await thinking(interaction)
        result = await self.bot.interviews.reopen_interview(actor(interaction), interview)
        await _reply(interaction, interviews.interview_reopened(result, self.bot.clock.now()))

    @app_commands.command(name="next", description="Record what they said happens next")
    @app_commands.describe(
        interview=INTERVIEW,
        check_back="When they said to check back, e.g. “next Friday”, “Dec 7 3pm” (empty if they named no date)",
        candidates="How many other candidates they are considering",
        decision="When they expect to decide, e.g. “next Friday”, “in 10 days”, “Dec 11”",
        rounds="What further interviews to expect",
        notes="Anything else they said",
    )
    @app_commands.autocomplete(interview=autocomplete.interview)
    async def next_steps(
        self,
        interaction: Interaction,
        interview: Short,
        check_back: Short | None = None,
        candidates: app_commands.Range[int, 0, 10_000] | None = None,
        decision: Short | None = None,
        rounds: Short | None = None,
        notes: Long | None = None,
    ) -> None:
        if await zone_first(interaction):
            return
        await thinking(interaction)
        result = await self.bot.interviews.record_next_steps(
            actor(interaction),
            interview,
            check_back,
            candidates,
            decision,
            rounds,
            notes,
            month_first=month_first(interaction),
            typed_at=typed_at(interaction),
        )
        call = await self.bot.follow_ups.calendar(actor(interaction), result.check_in.id)
        said = render.embed(interviews.next_steps_recorded(result))
        await private(interaction, said, file=ics_file(call, "check-in-call.ics"))

    @app_commands.command(name="checkin", description="Log a check-in call and when to call next")
    @app_commands.describe(
        interview=INTERVIEW,
        update="What you heard, e.g. “delayed, the interviewer was pulled onto a project”",
        next_check_back="When to call next (default: a week from now)",
    )
    @app_commands.autocomplete(interview=autocomplete.interview)
    async def checkin(
        self, interaction: Interaction, interview: Short, update: Long, next_check_back: Short | None = None
    ) -> None:
        if await zone_first(interaction):
            return
        await thinking(interaction)
        result = await self.bot.interviews.log_check_in(
            actor(interaction),
            interview,
            update,
            next_check_back,
            month_first=month_first(interaction),
            typed_at=typed_at(interaction),
        )
        await _reply(interaction, interviews.check_in_logged(result))

    @app_commands.command(name="outcome", description="Record the outcome (offer, rejected, withdrawn) or change it")
    @app_commands.describe(interview=ANY_INTERVIEW, result="What happened", notes="Anything to remember")
    @app_commands.autocomplete(interview=autocomplete.any_interview)
    async def outcome(
        self,
        interaction: Interaction,
        interview: Short,
        result: Literal["offer", "rejected", "withdrawn"],
        notes: Long | None = None,
    ) -> None:
        if result == "rejected" and await zone_first(interaction):  # the feedback request is at a local hour
            return
        await thinking(interaction)
        recorded = await self.bot.interviews.record_outcome(actor(interaction), interview, result, notes)
        await _reply(interaction, interviews.outcome_recorded(recorded))

    @app_commands.command(name="feedback", description="Record the feedback you received")
    @app_commands.describe(interview="The interview (closed ones too)", text="What they told you")
    @app_commands.autocomplete(interview=autocomplete.any_interview)
    async def feedback(self, interaction: Interaction, interview: Short, text: Long) -> None:
        await thinking(interaction)
        saved = await self.bot.interviews.record_feedback(actor(interaction), interview, text)
        await _reply(interaction, interviews.feedback_recorded(saved.interview, saved.feedback))

    @app_commands.command(name="list", description="Your interviews and what's next for each")
    @app_commands.describe(include_closed="Also show interviews with an outcome")
    async def list_(self, interaction: Interaction, include_closed: bool = False) -> None:
        embed, view = await list_page(interaction, "everything" if include_closed else "interviews", 0)
        await private(interaction, embed, view=view)


async def _reply(interaction: Interaction, message: Message) -> None:
    await private(interaction, render.embed(message), view=components.view(message.actions))


async def setup(bot: FollowThroughBot) -> None:
    await bot.add_cog(Interviews(bot))

"""How replies about fixing one interview look: edited, moved, deleted, reopened."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.domain.models import Interview
from bot.platforms.discord.embeds import BRAND, GOOD, WARN, escape, fitted, follow_up_line, other_reading
from bot.platforms.discord.timestamps import full
from bot.usecases.interviews import InterviewDeleted, InterviewEdited, InterviewReopened


@fitted
def interview_edited(result: InterviewEdited, now: datetime) -> discord.Embed:
    interview = result.interview
    embed = discord.Embed(title=f"Interview updated: {escape(interview.title)}", colour=GOOD)
    embed.description = f"Changed: {', '.join(result.changed)}." if result.changed else "Nothing changed."
    embed.add_field(name="Interview", value=full(interview.scheduled_at), inline=False)
    if result.replanned:
        embed.add_field(
            name="Follow-ups planned again for the new time",
            value="\n".join(follow_up_line(f, now) for f in sorted(result.replanned, key=lambda f: f.due_at)),
            inline=False,
        )
        embed.set_footer(text="Follow-ups you already did stay done.")
    elif "time" in result.changed and interview.outcome is not None:
        embed.set_footer(text=f"It's closed ({interview.outcome}), so no follow-ups were planned.")
    if result.alternative is not None:
        embed.add_field(name="Did you mean another day?", value=other_reading(result.alternative), inline=False)
    return embed


@fitted
def confirm_delete(interview: Interview, open_follow_ups: int) -> discord.Embed:
    plural = "s" if open_follow_ups != 1 else ""
    return discord.Embed(
        title=f"Delete {escape(interview.title)}?",
        description=(
            f"The interview on {full(interview.scheduled_at)} goes, with its {open_follow_ups} open "
            f"follow-up{plural}, answers, calls and feedback. Coaches you share with stop seeing it. "
            "This can't be undone."
        ),
        colour=WARN,
    )


@fitted
def interview_deleted(result: InterviewDeleted) -> discord.Embed:
    plural = "s" if result.follow_ups != 1 else ""
    return discord.Embed(
        description=f"🗑️ Deleted {escape(result.interview.title)} and its {result.follow_ups} open follow-up{plural}.",
        colour=GOOD,
    )


@fitted
def delete_kept(title: str) -> discord.Embed:
    return discord.Embed(description=f"Kept {escape(title)}. Nothing was deleted.", colour=BRAND)


@fitted
def interview_reopened(result: InterviewReopened, now: datetime) -> discord.Embed:
    embed = discord.Embed(
        title=f"Reopened: {escape(result.interview.title)}",
        description=f"The outcome ({result.previous}) is taken back. Following through again:",
        colour=GOOD,
    )
    embed.add_field(
        name="Your follow-ups",
        value="\n".join(follow_up_line(f, now) for f in sorted(result.follow_ups, key=lambda f: f.due_at)),
        inline=False,
    )
    embed.set_footer(text="Follow-ups that fell due while it was closed are not sent now; see /followups.")
    return embed

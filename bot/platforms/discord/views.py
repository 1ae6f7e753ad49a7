"""Nudge buttons and the modals they open. Every custom_id carries the follow-up id, so a button
keeps working after a restart; every click is checked against the follow-up's owner by the core. Labels
and styles come from the content's actions (render.view)."""

from __future__ import annotations

import io
import re
from collections.abc import Awaitable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeAlias

import discord

from bot.content import follow_ups, interviews, your_data
from bot.domain.errors import InvalidInput
from bot.platforms.discord import render
from bot.platforms.discord.context import actor, month_first

if TYPE_CHECKING:
    from bot.platforms.discord.client import FollowThroughBot

Interaction: TypeAlias = "discord.Interaction[FollowThroughBot]"


async def guarded(interaction: discord.Interaction[Any], action: Awaitable[None]) -> None:
    """Run a component's action; a UserError goes to the clicker privately, anything else is logged."""
    try:
        await action
    except Exception as exc:  # noqa: BLE001 - reported by report_error, never swallowed
        await interaction.client.report_error(interaction, exc)


async def snooze(interaction: Interaction, follow_up_id: int, by: timedelta | None) -> None:
    change = await interaction.client.services.snooze(actor(interaction), follow_up_id, by)
    await interaction.response.edit_message(embed=render.embed(follow_ups.snoozed(change)), view=None)


class _FollowUpButton(discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=r"(?!)"):
    """A button whose custom_id is `ft:<action>:<follow-up id>`."""

    action = ""

    def __init__(self, follow_up_id: int) -> None:
        super().__init__(discord.ui.Button(custom_id=f"ft:{self.action}:{follow_up_id}"))
        self.follow_up_id = follow_up_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> _FollowUpButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self.act(interaction))

    async def act(self, interaction: Interaction) -> None:
        raise NotImplementedError


class DoneButton(_FollowUpButton, template=r"ft:done:(?P<id>\d{1,18})"):
    action = "done"

    async def act(self, interaction: Interaction) -> None:
        change = await interaction.client.services.complete(actor(interaction), self.follow_up_id)
        await interaction.response.edit_message(embed=render.embed(follow_ups.done(change)), view=None)


class SnoozeButton(_FollowUpButton, template=r"ft:snooze:(?P<id>\d{1,18})"):
    action = "snooze"

    async def act(self, interaction: Interaction) -> None:
        await snooze(interaction, self.follow_up_id, None)


class LogCallButton(_FollowUpButton, template=r"ft:call:(?P<id>\d{1,18})"):
    action = "call"

    async def act(self, interaction: Interaction) -> None:
        change = await interaction.client.services.follow_up_context(actor(interaction), self.follow_up_id)
        await interaction.response.send_modal(LogCallModal(change.interview.id, change.interview.title))


class FeedbackButton(_FollowUpButton, template=r"ft:feedback:(?P<id>\d{1,18})"):
    action = "feedback"

    async def act(self, interaction: Interaction) -> None:
        change = await interaction.client.services.follow_up_context(actor(interaction), self.follow_up_id)
        await interaction.response.send_modal(FeedbackModal(change.interview.id, change.interview.title))


class AnswersButton(_FollowUpButton, template=r"ft:answers:(?P<id>\d{1,18})"):
    action = "answers"

    async def act(self, interaction: Interaction) -> None:
        change = await interaction.client.services.follow_up_context(actor(interaction), self.follow_up_id)
        await interaction.response.send_modal(NextStepsModal(change.interview.id, change.interview.title))


class AddToCalendarButton(_FollowUpButton, template=r"ft:ics:(?P<id>\d{1,18})"):
    action = "ics"

    async def act(self, interaction: Interaction) -> None:
        data = await interaction.client.services.calendar(actor(interaction), self.follow_up_id)
        await interaction.response.send_message(
            your_data.ONE_IN_CALENDAR, file=ics_file(data, "follow-up.ics"), ephemeral=True
        )


def ics_file(data: bytes, name: str) -> discord.File:
    return discord.File(io.BytesIO(data), filename=name, description="iCalendar file")


class SnoozeForSelect(
    discord.ui.DynamicItem[discord.ui.Select[discord.ui.View]], template=r"ft:snoozefor:(?P<id>\d{1,18})"
):
    """Snooze by a chosen amount; the option values are seconds (the content offers them)."""

    def __init__(self, follow_up_id: int) -> None:
        super().__init__(discord.ui.Select(custom_id=f"ft:snoozefor:{follow_up_id}"), row=1)
        self.follow_up_id = follow_up_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> SnoozeForSelect:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self.act(interaction))

    async def act(self, interaction: Interaction) -> None:
        chosen = self.item.values[0] if self.item.values else ""
        if not chosen.isdigit() or len(chosen) > 8:
            raise InvalidInput("Pick how long to snooze from the list.")
        await snooze(interaction, self.follow_up_id, timedelta(seconds=int(chosen)))


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    SnoozeForSelect,
    AddToCalendarButton,
    DoneButton,
    SnoozeButton,
    LogCallButton,
    FeedbackButton,
    AnswersButton,
)


def _input(label: str, placeholder: str, *, long: bool = False, required: bool = True, limit: int = 100) -> Any:
    return discord.ui.Label(
        text=label,
        component=discord.ui.TextInput(
            style=discord.TextStyle.paragraph if long else discord.TextStyle.short,
            placeholder=placeholder,
            required=required,
            max_length=limit,
        ),
    )


def _value(label: Any) -> str:
    component = label.component
    assert isinstance(component, discord.ui.TextInput)
    return component.value


class _InterviewModal(discord.ui.Modal):
    def __init__(self, interview_id: int, title: str, heading: str) -> None:
        super().__init__(title=f"{heading}: {title}"[:45], timeout=15 * 60)
        self.interview_id = interview_id

    async def _reply(self, interaction: Interaction, embed: discord.Embed) -> None:
        if interaction.message is not None:
            await interaction.response.edit_message(embed=embed, view=None)
        else:
            await interaction.response.send_message(embed=embed, ephemeral=True)

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        await self.submit(interaction)

    async def on_error(self, interaction: discord.Interaction[Any], error: Exception, /) -> None:  # type: ignore[override]
        await interaction.client.report_error(interaction, error)

    async def submit(self, interaction: Interaction) -> None:
        raise NotImplementedError


class LogCallModal(_InterviewModal):
    def __init__(self, interview_id: int, title: str) -> None:
        super().__init__(interview_id, title, "Check-in call")
        self.heard = _input(
            "What did you hear?", "Delayed: the interviewer was pulled onto a project", long=True, limit=1000
        )
        self.next_check_back = _input("Next check-back (optional)", "e.g. next Friday, in two weeks", required=False)
        self.add_item(self.heard)
        self.add_item(self.next_check_back)

    async def submit(self, interaction: Interaction) -> None:
        result = await interaction.client.services.log_check_in(
            actor(interaction),
            str(self.interview_id),
            _value(self.heard),
            _value(self.next_check_back) or None,
            month_first=month_first(interaction),
        )
        await self._reply(interaction, render.embed(interviews.check_in_logged(result)))


class FeedbackModal(_InterviewModal):
    def __init__(self, interview_id: int, title: str) -> None:
        super().__init__(interview_id, title, "Feedback")
        self.feedback = _input(
            "What feedback did they give?", "What would have made me stronger…", long=True, limit=1000
        )
        self.add_item(self.feedback)

    async def submit(self, interaction: Interaction) -> None:
        saved = await interaction.client.services.record_feedback(
            actor(interaction), str(self.interview_id), _value(self.feedback)
        )
        await self._reply(interaction, render.embed(interviews.feedback_recorded(saved.interview, saved.feedback)))


class NextStepsModal(_InterviewModal):
    def __init__(self, interview_id: int, title: str) -> None:
        super().__init__(interview_id, title, "What happens next")
        self.check_back = _input(
            "When should you check back?", "e.g. next Tuesday 10am; empty if they named no date", required=False
        )
        self.candidates = _input("How many other candidates?", "a number, if they said", required=False, limit=5)
        self.decision = _input("When will they decide?", "e.g. next Friday, in 10 days", required=False)
        self.rounds = _input("What further interviews?", "e.g. a panel with the team", required=False)
        for item in (self.check_back, self.candidates, self.decision, self.rounds):
            self.add_item(item)

    async def submit(self, interaction: Interaction) -> None:
        candidates_text = _value(self.candidates).strip()
        if candidates_text and not candidates_text.isdigit():
            raise InvalidInput("The number of other candidates must be a whole number, like 3.")
        result = await interaction.client.services.record_next_steps(
            actor(interaction),
            str(self.interview_id),
            _value(self.check_back) or None,
            int(candidates_text) if candidates_text else None,
            _value(self.decision) or None,
            _value(self.rounds) or None,
            month_first=month_first(interaction),
        )
        await self._reply(interaction, render.embed(interviews.next_steps_recorded(result)))

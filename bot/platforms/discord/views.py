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
from bot.content.message import Form, Input
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
    change = await interaction.client.follow_ups.snooze(actor(interaction), follow_up_id, by)
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
        change = await interaction.client.follow_ups.complete(actor(interaction), self.follow_up_id)
        await interaction.response.edit_message(embed=render.embed(follow_ups.done(change)), view=None)


class SnoozeButton(_FollowUpButton, template=r"ft:snooze:(?P<id>\d{1,18})"):
    action = "snooze"

    async def act(self, interaction: Interaction) -> None:
        await snooze(interaction, self.follow_up_id, None)


class LogCallButton(_FollowUpButton, template=r"ft:call:(?P<id>\d{1,18})"):
    action = "call"

    async def act(self, interaction: Interaction) -> None:
        change = await interaction.client.follow_ups.follow_up_context(actor(interaction), self.follow_up_id)
        await interaction.response.send_modal(LogCallModal(change.interview.id, change.interview.title))


class FeedbackButton(_FollowUpButton, template=r"ft:feedback:(?P<id>\d{1,18})"):
    action = "feedback"

    async def act(self, interaction: Interaction) -> None:
        change = await interaction.client.follow_ups.follow_up_context(actor(interaction), self.follow_up_id)
        await interaction.response.send_modal(FeedbackModal(change.interview.id, change.interview.title))


class AnswersButton(_FollowUpButton, template=r"ft:answers:(?P<id>\d{1,18})"):
    action = "answers"

    async def act(self, interaction: Interaction) -> None:
        change = await interaction.client.follow_ups.follow_up_context(actor(interaction), self.follow_up_id)
        await interaction.response.send_modal(NextStepsModal(change.interview.id, change.interview.title))


class AddToCalendarButton(_FollowUpButton, template=r"ft:ics:(?P<id>\d{1,18})"):
    action = "ics"

    async def act(self, interaction: Interaction) -> None:
        data = await interaction.client.follow_ups.calendar(actor(interaction), self.follow_up_id)
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


def _input(question: Input) -> discord.ui.Label[Any]:
    return discord.ui.Label(
        text=question.label,
        component=discord.ui.TextInput(
            style=discord.TextStyle.paragraph if question.long else discord.TextStyle.short,
            placeholder=question.placeholder,
            required=question.required,
            max_length=question.limit,
        ),
    )


class FormModal(discord.ui.Modal):
    """A content Form as a Discord modal (titles are cut to Discord's 45 characters)."""

    def __init__(self, form: Form) -> None:
        super().__init__(title=form.title[:45], timeout=15 * 60)
        self.answers = {question.key: _input(question) for question in form.inputs}
        for label in self.answers.values():
            self.add_item(label)

    def answer(self, key: str) -> str:
        component = self.answers[key].component
        assert isinstance(component, discord.ui.TextInput)
        return component.value

    async def on_error(self, interaction: discord.Interaction[Any], error: Exception, /) -> None:  # type: ignore[override]
        await interaction.client.report_error(interaction, error)


class _InterviewModal(FormModal):
    def __init__(self, interview_id: int, form: Form) -> None:
        super().__init__(form)
        self.interview_id = interview_id

    async def _reply(self, interaction: Interaction, embed: discord.Embed) -> None:
        if interaction.message is not None:
            await interaction.response.edit_message(embed=embed, view=None)
        else:
            await interaction.response.send_message(embed=embed, ephemeral=True)

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        await self.submit(interaction)

    async def submit(self, interaction: Interaction) -> None:
        raise NotImplementedError


class LogCallModal(_InterviewModal):
    def __init__(self, interview_id: int, title: str) -> None:
        super().__init__(interview_id, interviews.log_call_form(title))

    async def submit(self, interaction: Interaction) -> None:
        result = await interaction.client.interviews.log_check_in(
            actor(interaction),
            str(self.interview_id),
            self.answer("heard"),
            self.answer("next_check_back") or None,
            month_first=month_first(interaction),
        )
        await self._reply(interaction, render.embed(interviews.check_in_logged(result)))


class FeedbackModal(_InterviewModal):
    def __init__(self, interview_id: int, title: str) -> None:
        super().__init__(interview_id, interviews.feedback_form(title))

    async def submit(self, interaction: Interaction) -> None:
        saved = await interaction.client.interviews.record_feedback(
            actor(interaction), str(self.interview_id), self.answer("feedback")
        )
        await self._reply(interaction, render.embed(interviews.feedback_recorded(saved.interview, saved.feedback)))


class NextStepsModal(_InterviewModal):
    def __init__(self, interview_id: int, title: str) -> None:
        super().__init__(interview_id, interviews.next_steps_form(title))

    async def submit(self, interaction: Interaction) -> None:
        candidates_text = self.answer("candidates").strip()
        if candidates_text and not candidates_text.isdigit():
            raise InvalidInput(interviews.CANDIDATES_NOT_A_NUMBER)
        result = await interaction.client.interviews.record_next_steps(
            actor(interaction),
            str(self.interview_id),
            self.answer("check_back") or None,
            int(candidates_text) if candidates_text else None,
            self.answer("decision") or None,
            self.answer("rounds") or None,
            month_first=month_first(interaction),
        )
        await self._reply(interaction, render.embed(interviews.next_steps_recorded(result)))

"""Which persistent component offers each of the content's actions. The custom_ids are the items' own
(`ft:…`), unchanged, so buttons in old DMs keep working."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.content.message import Action, ActionKind
from bot.platforms.discord import render, zone_prompt
from bot.platforms.discord.coach_views import ConsentButton, DeleteGroupButton, RosterPageButton
from bot.platforms.discord.interview_views import DeleteInterviewButton, ListPageButton, MoveInterviewButton
from bot.platforms.discord.views import (
    AddToCalendarButton,
    AnswersButton,
    DoneButton,
    FeedbackButton,
    LogCallButton,
    SnoozeButton,
    SnoozeForSelect,
)
from bot.platforms.discord.your_data_views import ConfirmDeleteButton


def _at(action: Action) -> datetime:
    assert action.at is not None, action
    return action.at


MAKERS: dict[ActionKind, render.Maker] = {
    ActionKind.DONE: lambda a: DoneButton(a.target),
    ActionKind.SNOOZE: lambda a: SnoozeButton(a.target),
    ActionKind.SNOOZE_FOR: lambda a: SnoozeForSelect(a.target),
    ActionKind.LOG_CALL: lambda a: LogCallButton(a.target),
    ActionKind.RECORD_FEEDBACK: lambda a: FeedbackButton(a.target),
    ActionKind.RECORD_ANSWERS: lambda a: AnswersButton(a.target),
    ActionKind.ADD_TO_CALENDAR: lambda a: AddToCalendarButton(a.target),
    ActionKind.ACCEPT: lambda a: ConsentButton(a.target, accept=True),
    ActionKind.DECLINE: lambda a: ConsentButton(a.target, accept=False),
    ActionKind.PAGE: lambda a: ListPageButton(a.choice, a.page),
    ActionKind.ROSTER_PAGE: lambda a: RosterPageButton(a.target, a.page),
    ActionKind.MOVE_INTERVIEW: lambda a: MoveInterviewButton(a.target, _at(a), a.offered_for),
    ActionKind.DELETE_INTERVIEW: lambda a: DeleteInterviewButton(a.target, confirm=True),
    ActionKind.KEEP_INTERVIEW: lambda a: DeleteInterviewButton(a.target, confirm=False),
    ActionKind.DELETE_GROUP: lambda a: DeleteGroupButton(a.target, _at(a)),
    ActionKind.DELETE_MY_DATA: lambda a: ConfirmDeleteButton(_at(a)),
    **zone_prompt.MAKERS,
}


def view(actions: tuple[Action, ...]) -> discord.ui.View | None:
    return render.view(actions, MAKERS)

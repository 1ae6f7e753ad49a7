"""The seeker's own data: calendar files, the export, and deleting everything."""

from __future__ import annotations

from datetime import datetime

from bot.content.message import Action, ActionKind, ActionStyle, Ask, Message, Text, Tone, bold
from bot.domain.commands import Command

CALENDAR = "Open the file to add your follow-ups to your calendar. Run this again after changes."
ONE_IN_CALENDAR = "Open the file to add this to your calendar."
EXPORT = "Here is everything I store about you."


def delete_prompt(asked_at: datetime) -> Message:
    return Message(
        ("Delete all your data?",),
        Tone.ERROR,
        body=(
            (
                "This deletes your interviews, follow-ups, calls, feedback and settings, and takes you "
                "out of every coach's group. It cannot be undone. Consider ",
                Ask(Command.MY_DATA_EXPORT, code=True),
                " first. The button works for 10 minutes.",
            ),
        ),
        actions=(Action(ActionKind.DELETE_MY_DATA, 0, "Delete everything", ActionStyle.DANGER, at=asked_at),),
    )


def deleted() -> Message:
    return Message(
        ("Deleted",),
        Tone.SUCCESS,
        body=(("Everything I stored about you is gone, including your place in any coach's group.",),),
    )


def files_in_dm(what: str) -> Message:
    """Where a platform sends files to the user's DM with the bot (its private replies carry none)."""
    return Message(body=((f"I sent {what} to our direct messages.",),))


def files_not_sent(how_to_open: Text) -> Message:
    """The DM with the files could not be sent; `how_to_open` is where the platform lets the user allow it."""
    return Message(
        tone=Tone.WARNING,
        body=(
            (
                "I couldn't send you the file: your direct messages are closed to me. To get it, ",
                *how_to_open,
                " Then ",
                bold("run the command again"),
                ".",
            ),
        ),
    )


def roster_export(rows: int) -> str:
    return f"Roster export: {rows} row{'s' if rows != 1 else ''}."

"""Errors and notices any reply may carry."""

from __future__ import annotations

from bot.content.message import Ask, Message, Text, Tone, UserText
from bot.domain.commands import Command
from bot.domain.errors import Typed, UserError

# A bug can strike after part of a change was written, so this must not say whether anything was saved.
UNEXPECTED: Text = (
    "Something went wrong on my side. Part of what you asked may have been done: check ",
    Ask(Command.FOLLOW_UPS),
    " or ",
    Ask(Command.INTERVIEW_LIST),
    " before you try again.",
)
BAD_OPTION = "I couldn't understand one of the options. Please check them and try again."


def refusal(error: UserError) -> Text:
    """A user error's words, its actions as each platform names them, and what the user typed as user text."""
    return tuple(
        UserText(p.text) if isinstance(p, Typed) else Ask(p) if isinstance(p, Command) else p for p in error.pieces()
    )


def error(message: str | Text) -> Message:
    """A refusal or failure, said privately to the one who asked."""
    said: Text = (message,) if isinstance(message, str) else message
    return Message(tone=Tone.ERROR, body=(("❌ ", *said),))


def dms_closed(how_to_open: Text) -> Message:
    """After a nudge bounced off closed DMs; `how_to_open` is where the platform lets the user allow them."""
    return Message(
        tone=Tone.WARNING,
        body=(
            (
                "I couldn't send you a reminder because your direct messages are closed to me. To get nudges, ",
                *how_to_open,
                " Until then, see what is due with ",
                Ask(Command.FOLLOW_UPS, code=True),
                ".",
            ),
        ),
    )

"""The settings form's words: time zone, quiet hours and whether coaches see private notes, in one place."""

from __future__ import annotations

from bot.content.message import Message, Text, UserText

TITLE = "Your settings"
TIME_ZONE = "Time zone"
QUIET_START = "Quiet hours start (HH:MM)"
QUIET_END = "Quiet hours end (HH:MM)"
QUIET_HINT = "No nudges between these times, in your time zone; the same start and end means none."
SHARE_NOTES = "Share my private notes with my coaches"
SHARE_HINT = "Interview, next-steps and outcome notes; coaches see everything else you agreed to share."


def one_more_word(typed: str, known: tuple[Text, ...]) -> Message:
    """A command typed without the word it needs, and the words it takes."""
    return Message(("Which one?",), body=(("“", UserText(typed, 40), "” takes one more word:"), *known))


def unknown(typed: str, known: tuple[Text, ...]) -> Message:
    """A command the bot does not know, and the ones it does."""
    return Message(
        ("I don't know that one",), body=(("“", UserText(typed, 40), "” isn't a command I know. Try:"), *known)
    )

"""What the bot does and its commands, each named the way the reader's platform names it."""

from __future__ import annotations

from bot.content.message import Ask, Field, Message, Text, bold
from bot.domain.commands import Command

_SEEKER: tuple[tuple[str, Command], ...] = (
    ("Log an interview", Command.INTERVIEW_ADD),
    ("Record what happens next", Command.INTERVIEW_NEXT),
    ("Log a check-in call", Command.INTERVIEW_CHECKIN),
    ("Record the outcome", Command.INTERVIEW_OUTCOME),
    ("Record the feedback you got", Command.INTERVIEW_FEEDBACK),
    ("Fix an interview's details", Command.INTERVIEW_EDIT),
    ("Delete an interview", Command.INTERVIEW_DELETE),
    ("Take back an outcome", Command.INTERVIEW_REOPEN),
    ("Your interviews", Command.INTERVIEW_LIST),
    ("Your follow-ups, with Done and Snooze", Command.FOLLOW_UPS),
    ("Time zone, quiet hours and shared notes", Command.SET_TIMEZONE),
    ("Join a coach's group", Command.COACH_JOIN),
    ("Leave a group", Command.COACH_LEAVE),
    ("Your follow-ups in your calendar", Command.MY_DATA_CALENDAR),
    ("Export your data", Command.MY_DATA_EXPORT),
    ("Delete your data", Command.DELETE_DATA),
)
_COACH: tuple[tuple[str, Command], ...] = (
    ("Start a group", Command.COACH_CREATE),
    ("A new invite code", Command.COACH_INVITE_NEW),
    ("Add a co-coach", Command.COACH_ADD_COACH),
    ("Your groups' rosters", Command.COACH_ROSTER),
    ("One seeker's progress", Command.COACH_SEEKER),
    ("Send a seeker a note", Command.COACH_NUDGE),
    ("Remove someone from a group", Command.COACH_REMOVE),
    ("Your roster as a CSV file", Command.COACH_EXPORT),
    ("Your weekly digest", Command.COACH_DIGEST),
    ("Delete a group", Command.COACH_DELETE),
)


def _lines(commands: tuple[tuple[str, Command], ...], offered: frozenset[Command]) -> tuple[Text, ...]:
    return tuple((bold(what), " — ", Ask(command, code=True)) for what, command in commands if command in offered)


def help_message(
    offered: frozenset[Command], extra: tuple[Text, ...] = (), coach_extra: tuple[Text, ...] = ()
) -> Message:
    """The commands the reader's platform `offered`; `extra`: lines only that platform has (its home page, its
    help command), `coach_extra` likewise for coaches."""
    fields = [
        Field((name,), lines, inline=False)
        for name, lines in (
            ("For you", _lines(_SEEKER, offered)),
            ("For coaches", (*_lines(_COACH, offered), *coach_extra)),
        )
        if lines
    ]
    return Message(
        ("What Follow-Through does",),
        body=(
            (
                "Log each job interview and I plan its follow-ups: a thank-you email within 24 hours, the "
                "questions to ask about next steps, the check-in call you agreed, and asking for feedback. "
                "I nudge you privately when each falls due, outside your quiet hours, in your time zone.",
            ),
            *extra,
        ),
        fields=tuple(fields),
        footer=("Coaches only see what you agree to share when you join their group.",),
    )

"""The product's commands as Slack's slash commands: the one place Slack names them. An app gets few slash
commands, so most actions are words after /followthrough; their arguments are plain text, not named options."""

from __future__ import annotations

from bot.domain.commands import Command

SLASH = {
    Command.INTERVIEW_ADD: "/interview",
    Command.INTERVIEW_NEXT: "/interview next",
    Command.INTERVIEW_EDIT: "/interview edit",
    Command.INTERVIEW_LIST: "/interview list",
    Command.INTERVIEW_REOPEN: "/interview reopen",
    Command.FOLLOW_UPS: "/followups",
    Command.SET_TIMEZONE: "/followthrough settings",
    Command.SET_SHARE_NOTES: "/followthrough settings",
    Command.MY_DATA_EXPORT: "/followthrough data export",
    Command.DELETE_DATA: "/followthrough data delete",
    Command.COACH_CREATE: "/followthrough coach create",
    Command.COACH_JOIN: "/followthrough join",
    Command.COACH_LEAVE: "/followthrough leave",
    Command.COACH_DELETE: "/followthrough coach delete",
    Command.COACH_ROSTER: "/followthrough coach roster",
    Command.COACH_INVITE_NEW: "/followthrough coach new-code",
    Command.COACH_DIGEST: "/followthrough coach digest",
    Command.INTERVIEW_CHECKIN: "/interview call",
    Command.INTERVIEW_OUTCOME: "/interview outcome",
    Command.INTERVIEW_FEEDBACK: "/interview feedback",
    Command.INTERVIEW_DELETE: "/interview delete",
    Command.MY_DATA_CALENDAR: "/followthrough data calendar",
    Command.COACH_ADD_COACH: "/followthrough coach add-coach",
    Command.COACH_SEEKER: "/followthrough coach seeker",
    Command.COACH_NUDGE: "/followthrough coach nudge",
    Command.COACH_REMOVE: "/followthrough coach remove",
    Command.COACH_EXPORT: "/followthrough coach export",
}
# Commands whose example value is typed after them; the others (settings) open a modal that asks.
TAKES_TEXT = frozenset({Command.COACH_JOIN, Command.COACH_DIGEST})


def slash(command: Command) -> str:
    return SLASH[command]


def example(command: Command, hint: str) -> str:
    """The command with the content's example value, as Slack users type it: `code:…` is just `…`."""
    if not hint or command not in TAKES_TEXT:
        return SLASH[command]
    return f"{SLASH[command]} {hint.partition(':')[2] or hint}"

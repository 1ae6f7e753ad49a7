"""The product's actions (domain Command) as Discord's slash commands, for error texts."""

from __future__ import annotations

from bot.domain.errors import Command

SLASH = {
    Command.INTERVIEW_LIST: "/interview list",
    Command.INTERVIEW_REOPEN: "/interview reopen",
    Command.FOLLOW_UPS: "/followups",
    Command.DELETE_DATA: "/mydata delete",
    Command.SET_TIMEZONE: "/settings timezone",
    Command.COACH_CREATE: "/coach create",
    Command.COACH_JOIN: "/coach join",
    Command.COACH_LEAVE: "/coach leave",
    Command.COACH_DELETE: "/coach delete",
}


def slash(command: Command) -> str:
    return SLASH[command]

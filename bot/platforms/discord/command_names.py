"""The product's commands as Discord's slash commands: the one place Discord names them."""

from __future__ import annotations

from bot.domain.commands import Command

SLASH = {
    Command.INTERVIEW_ADD: "/interview add",
    Command.INTERVIEW_NEXT: "/interview next",
    Command.INTERVIEW_EDIT: "/interview edit",
    Command.INTERVIEW_LIST: "/interview list",
    Command.INTERVIEW_REOPEN: "/interview reopen",
    Command.FOLLOW_UPS: "/followups",
    Command.SET_TIMEZONE: "/settings timezone",
    Command.SET_SHARE_NOTES: "/settings share-notes",
    Command.MY_DATA_EXPORT: "/mydata export",
    Command.DELETE_DATA: "/mydata delete",
    Command.COACH_CREATE: "/coach create",
    Command.COACH_JOIN: "/coach join",
    Command.COACH_LEAVE: "/coach leave",
    Command.COACH_DELETE: "/coach delete",
    Command.COACH_ROSTER: "/coach roster",
    Command.COACH_INVITE_NEW: "/coach invite new",
    Command.COACH_DIGEST: "/coach digest",
    Command.INTERVIEW_CHECKIN: "/interview checkin",
    Command.INTERVIEW_OUTCOME: "/interview outcome",
    Command.INTERVIEW_FEEDBACK: "/interview feedback",
    Command.INTERVIEW_DELETE: "/interview delete",
    Command.MY_DATA_CALENDAR: "/mydata calendar",
    Command.COACH_ADD_COACH: "/coach add-coach",
    Command.COACH_SEEKER: "/coach seeker",
    Command.COACH_NUDGE: "/coach nudge",
    Command.COACH_REMOVE: "/coach remove",
    Command.COACH_EXPORT: "/coach export",
}


def slash(command: Command) -> str:
    return SLASH[command]

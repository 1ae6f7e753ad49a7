"""Errors a user caused, carrying the message to show them. Anything else is a bug.

A message names the product's actions, never one platform's command syntax: it is written with a
placeholder per action ("see {interview_list}"), and each platform renders the actions as its own commands.
"""

from __future__ import annotations

import enum
from collections.abc import Callable


class Command(enum.StrEnum):
    """The product's actions an error text may point to; each platform names them its own way."""

    INTERVIEW_LIST = "interview_list"
    INTERVIEW_REOPEN = "interview_reopen"
    FOLLOW_UPS = "follow_ups"
    DELETE_DATA = "delete_data"
    SET_TIMEZONE = "set_timezone"
    COACH_CREATE = "coach_create"
    COACH_JOIN = "coach_join"
    COACH_LEAVE = "coach_leave"
    COACH_DELETE = "coach_delete"


# How an action reads where no platform renders it (logs, tests).
_NEUTRAL = {
    Command.INTERVIEW_LIST: "your interview list",
    Command.INTERVIEW_REOPEN: "reopen interview",
    Command.FOLLOW_UPS: "your follow-ups",
    Command.DELETE_DATA: "delete your data",
    Command.SET_TIMEZONE: "set time zone",
    Command.COACH_CREATE: "create group",
    Command.COACH_JOIN: "join group",
    Command.COACH_LEAVE: "leave group",
    Command.COACH_DELETE: "delete group",
}


def render(template: str, name: Callable[[Command], str]) -> str:
    """`template` with each {action} placeholder replaced by `name(action)`. Plain replacement, not
    str.format: the user's own words in a message may hold braces."""
    for command in Command:
        template = template.replace("{" + command.value + "}", name(command))
    return template


class UserError(Exception):
    """Bad input or a missing thing: shown to the user privately; nothing was written.

    `template` may hold {action} placeholders (Command values); `message` reads them neutrally."""

    def __init__(self, template: str) -> None:
        self.template = template
        self.message = render(template, _NEUTRAL.__getitem__)
        super().__init__(self.message)

    def render(self, name: Callable[[Command], str]) -> str:
        return render(self.template, name)


class InvalidInput(UserError):
    pass


class NotFound(UserError):
    pass

"""Errors a user caused, carrying the message to show them. Anything else is a bug.

A message names the product's actions, never one platform's command syntax: it is written with a
placeholder per action ("see {interview_list}"), and each platform renders the actions as its own commands.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.commands import Command


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
        self.message = render(template, Command.neutral_name)
        super().__init__(self.message)

    def render(self, name: Callable[[Command], str]) -> str:
        return render(self.template, name)


class InvalidInput(UserError):
    pass


class NotFound(UserError):
    pass

"""Errors a user caused, carrying the message to show them. Anything else is a bug.

A message names the product's actions, never one platform's command syntax: it is written with a
placeholder per action ("see {interview_list}"), and each platform renders the actions as its own commands.
What a user typed goes in as a named value ("a group called “{name}”", name=...), never into the template:
each platform escapes it as user text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.domain.commands import Command

_PLACEHOLDER = re.compile(r"\{([a-z_0-9]+)\}")
_COMMANDS = {c.value: c for c in Command}


@dataclass(frozen=True, slots=True)
class Typed:
    """What a user typed, inside an error message."""

    text: str


def pieces(template: str, typed: dict[str, str] | None = None) -> list[str | Command | Typed]:
    """The template split into its words, the actions it names and the user's values. A placeholder that is
    neither stays as written."""
    values = typed or {}
    parts: list[str | Command | Typed] = []
    last = 0
    for match in _PLACEHOLDER.finditer(template):
        name = match.group(1)
        if name not in values and name not in _COMMANDS:
            continue
        parts.append(template[last : match.start()])
        parts.append(Typed(values[name]) if name in values else _COMMANDS[name])
        last = match.end()
    parts.append(template[last:])
    return [p for p in parts if p != ""]


def render(template: str, name: Callable[[Command], str], typed: dict[str, str] | None = None) -> str:
    """`template` as plain text: each {action} as `name(action)`, each typed value as it was typed."""
    return "".join(
        p.text if isinstance(p, Typed) else name(p) if isinstance(p, Command) else p for p in pieces(template, typed)
    )


class UserError(Exception):
    """Bad input or a missing thing: shown to the user privately; nothing was written.

    `template` may hold {action} placeholders (Command values) and {name} placeholders for the user's own
    words, given as keyword arguments; `message` reads it all neutrally, as plain text."""

    about: str | None = None
    """Which of a use case's inputs it refuses (the parameter's name), where several could be at fault and a form
    shows the refusal under the input it is about."""

    def __init__(self, template: str, **typed: str) -> None:
        clash = set(typed) & set(_COMMANDS)
        assert not clash, clash
        self.template = template
        self.typed = typed
        self.message = render(template, Command.neutral_name, typed)
        super().__init__(self.message)

    def pieces(self) -> list[str | Command | Typed]:
        return pieces(self.template, self.typed)


class InvalidInput(UserError):
    pass


class NotFound(UserError):
    pass

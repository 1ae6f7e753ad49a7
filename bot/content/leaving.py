"""Choosing which group to leave, where a platform cannot autocomplete a typed name (Slack's text commands)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.message import Action, ActionKind, Message, Option, UserText, plural

PICK = "Pick the group to leave from the list."


@dataclass(frozen=True, slots=True)
class Leavable:
    """A group the reader can leave: one they share with, or one they co-coach."""

    group_id: int
    name: str
    shared: bool


def leave_which(typed: str, matching: int, groups: list[Leavable]) -> Message:
    """A name that names `matching` groups (several, or none), with a choice of `groups` to leave."""
    named = plural(matching, "group") if matching else "no group"
    return Message(
        ("Which group?",),
        body=(("You share with or co-coach ", named, " called “", UserText(typed, 60), "”. Pick the one to leave."),),
        actions=(
            Action(
                ActionKind.LEAVE_GROUP,
                0,
                "Choose a group to leave",
                options=tuple(
                    Option(
                        g.name, str(g.group_id), "you share your job hunt with it" if g.shared else "you co-coach it"
                    )
                    for g in groups
                ),
            ),
        ),
    )

"""The seeker's settings: time zone and quiet hours, what a change of zone did, and the question for a zone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.content.message import (
    Action,
    ActionKind,
    ActionStyle,
    Ask,
    Code,
    Field,
    Form,
    Input,
    Message,
    Option,
    PlatformName,
    Text,
    UserText,
    bold,
)
from bot.domain import dates, zones
from bot.domain.commands import Command
from bot.domain.models import FollowUp, Interview, User


class Move(Protocol):
    @property
    def follow_up(self) -> FollowUp: ...
    @property
    def interview(self) -> Interview: ...
    @property
    def before(self) -> datetime: ...


class ZoneChange(Protocol):
    @property
    def user(self) -> User: ...
    @property
    def previous(self) -> ZoneInfo: ...
    @property
    def moved(self) -> Sequence[Move]: ...
    @property
    def kept(self) -> Sequence[Move]: ...


def user_settings(user: User) -> Message:
    quiet = user.quiet_hours
    zone = user.timezone if user.timezone_chosen else f"{user.timezone} (not chosen yet)"
    window = f"{quiet.start:%H:%M}–{quiet.end:%H:%M}"
    if quiet.start == quiet.end:
        window += ": none, I may nudge you at any hour"
    return Message(
        ("Your settings",),
        fields=(
            Field(("Time zone",), ((zone,),)),
            Field(("Quiet hours",), ((f"{window}, in your time zone",),)),
        ),
        footer=("Quiet hours are local HH:MM; the same start and end (e.g. 00:00–00:00) means none.",),
    )


def zone_changed(change: ZoneChange) -> Message:
    """The new settings, and what the move did to the pending calls: which moved and which kept their time."""
    settings = user_settings(change.user)
    return replace(settings, fields=(*settings.fields, *_moves(change)))


def _moves(change: ZoneChange) -> list[Field]:
    """What a change of zone did to the pending calls: which moved and which kept their time."""
    old, new = change.previous, change.user.zone
    fields: list[Field] = []
    if change.moved:
        moved: tuple[Text, ...] = tuple(
            (
                bold(m.follow_up.kind.label),
                " · ",
                UserText(m.interview.title),
                f": {dates.day_time(m.before, old)} in {old.key}"
                f" → {dates.day_time(m.follow_up.due_at, new)} in {new.key}",
            )
            for m in change.moved
        )
        name = ("Moved to the same local time (I planned these)",)
        fields.append(Field(name, moved, inline=False, whole_lines=True))
    if change.kept:
        kept: tuple[Text, ...] = tuple(
            (
                bold(m.follow_up.kind.label),
                " · ",
                UserText(m.interview.title),
                f": {dates.day_time(m.before, old)} in {old.key}, now {dates.day_time(m.before, new)} your time",
            )
            for m in change.kept
        )
        fields.append(Field(("Kept their time (agreed with the employer)",), kept, inline=False, whole_lines=True))
    if change.moved or change.kept:
        keep = ("Reminders timed from an interview (thank-yous, prep) keep their time.",)
        fields.append(Field(("Everything else",), (keep,), inline=False))
    return fields


def zone_question(command: str, held: int, guess: str | None, now: datetime) -> Message:
    """Asked before the first command that reads a time; `command` is how the user asked, as the platform shows
    it, `held` the command waiting for the answer, `guess` the zone the user's language suggests. Each common zone
    shows the time there now, so it is easy to recognise."""
    names = list(dict.fromkeys([guess, *zones.COMMON] if guess else zones.COMMON))[:25]
    choices = tuple(Option(z, z, zones.offset_label(z, now)) for z in names)
    offered = [Action(ActionKind.PICK_ZONE, held, "Pick your time zone…", options=choices)]
    if guess is not None:
        offered.append(Action(ActionKind.USE_ZONE, held, f"Use {guess}", ActionStyle.PRIMARY, choice=guess))
    offered.append(Action(ActionKind.TYPE_ZONE, held, "Type another…"))
    return Message(
        ("Which time zone are you in?",),
        body=(
            (
                "Before I read the times in ",
                Code(command),
                ", I need your time zone: ",
                PlatformName(),
                " doesn't tell me. Pick it below and I'll carry on with what you asked. "
                "You can change it any time with ",
                Ask(Command.SET_TIMEZONE),
                ".",
            ),
        ),
        actions=tuple(offered),
    )


def zone_form() -> Form:
    return Form(
        "Your time zone",
        (Input("zone", "Time zone (a city zone, any case)", "e.g. Europe/Lisbon, america/toronto", limit=64),),
    )


def zone_set(change: ZoneChange, command: str | None, *, stale: bool = False) -> Message:
    """The zone chosen at the question, and whether the command that waited for it runs now (`stale`: it
    waited more than a day, so it does not)."""
    if command is None:
        told: Text = ("That command already ran or waited too long; run it again if you still need it.",)
    elif stale:
        told = ("Not doing ", Code(command), ": that command waited more than a day; please run it again.")
    else:
        told = ("Now doing what you asked: ", Code(command), ".")
    return Message((f"Time zone set: {change.user.timezone}",), body=(told,), fields=tuple(_moves(change)))

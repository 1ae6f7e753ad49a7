"""A message as the product says it, for any platform to render: a title, a tone, lines, fields, a footer
and the actions offered. Its text is made of pieces: plain words, what a user typed (each platform escapes
it), an Instant (shown in the reader's own zone), a command (each platform names its own), and emphasis.

Nothing here knows a platform's markup or limits: Discord's renderer turns a Message into an embed and
components, Slack's into Block Kit."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.domain.commands import Command


class Tone(enum.Enum):
    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"


class TimeStyle(enum.Enum):
    FULL = "full"  # the day, date and time
    RELATIVE = "relative"  # "in 3 days", "2 hours ago"


@dataclass(frozen=True, slots=True)
class UserText:
    """What a user typed: each platform escapes it. `limit` clips it (with "…") before escaping."""

    text: str
    limit: int | None = None


@dataclass(frozen=True, slots=True)
class Instant:
    """A moment each platform shows in the reader's own zone and locale."""

    at: datetime
    style: TimeStyle = TimeStyle.FULL


@dataclass(frozen=True, slots=True)
class Ask:
    """A command as the user would give it, optionally with an example value (`hint`) and set off as code."""

    command: Command
    hint: str = ""
    code: bool = False


@dataclass(frozen=True, slots=True)
class Strong:
    pieces: tuple[Piece, ...]


@dataclass(frozen=True, slots=True)
class Emphasis:
    pieces: tuple[Piece, ...]


@dataclass(frozen=True, slots=True)
class Code:
    """Literal text set off as code: an invite code, a command name."""

    text: str


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """Text to copy as it is (a draft email); a platform may clip it to fit."""

    text: str


@dataclass(frozen=True, slots=True)
class Clip:
    """At most `limit` characters of the rendered pieces (e.g. a long list of names)."""

    pieces: tuple[Piece, ...]
    limit: int


@dataclass(frozen=True, slots=True)
class PlatformName:
    """The name of the chat service the reader uses ("Discord")."""


PLATFORM_NAMES = {"discord": "Discord", "slack": "Slack"}


@dataclass(frozen=True, slots=True)
class OnPlatform:
    """Where a person uses the bot (a seeker on a coach's roster), said only to a reader on another platform:
    a group may span platforms, and the reader's own mentions cannot name someone there."""

    platform: str

    def said(self, reader: str) -> str:
        """ " (on Discord)" for a reader on `reader`, or nothing when it is theirs too."""
        return "" if self.platform == reader else f" (on {PLATFORM_NAMES.get(self.platform, self.platform)})"


Piece = PlatformName | OnPlatform | str | UserText | Instant | Ask | Strong | Emphasis | Code | CodeBlock | Clip
Text = tuple[Piece, ...]


def both(at: datetime) -> Text:
    """The moment in full, then how far off it is."""
    return (Instant(at), " (", Instant(at, TimeStyle.RELATIVE), ")")


def bold(*pieces: Piece) -> Strong:
    return Strong(pieces)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def and_more(count: int) -> str:
    """What a platform says after the lines it had no room for."""
    return f"…and {count} more."


@dataclass(frozen=True, slots=True)
class Field:
    """A named value. `whole_lines`: when the lines do not all fit, keep whole ones and say how many were left
    out (otherwise the value is cut)."""

    name: Text
    lines: tuple[Text, ...]
    inline: bool = True
    whole_lines: bool = False


class ActionKind(enum.Enum):
    DONE = "done"
    SNOOZE = "snooze"
    SNOOZE_FOR = "snooze_for"  # a choice of lengths (its options' values are seconds)
    LOG_CALL = "log_call"
    RECORD_FEEDBACK = "record_feedback"
    RECORD_ANSWERS = "record_answers"
    ADD_TO_CALENDAR = "add_to_calendar"
    ACCEPT = "accept"  # sharing with a group; target: the pending membership
    DECLINE = "decline"
    JOIN_GROUP = "join_group"  # an invite posted in a channel; `choice`: its invite code
    LEAVE_GROUP = "leave_group"  # a choice of groups to leave; `choice`: the group's id
    PAGE = "page"  # a page of one of the user's lists; `choice` names the list, `page` is the page
    ROSTER_PAGE = "roster_page"  # target: the group
    MOVE_INTERVIEW = "move_interview"  # to `at`, the other reading of a day
    DELETE_INTERVIEW = "delete_interview"
    KEEP_INTERVIEW = "keep_interview"
    DELETE_GROUP = "delete_group"  # `at`: when its owner asked
    DELETE_MY_DATA = "delete_my_data"  # `at`: when the user asked
    PICK_ZONE = "pick_zone"  # a choice of zones; target: the command waiting for the zone
    USE_ZONE = "use_zone"  # `choice`: the zone
    TYPE_ZONE = "type_zone"


class ActionStyle(enum.Enum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    SUCCESS = "success"
    DANGER = "danger"


@dataclass(frozen=True, slots=True)
class Option:
    label: str
    value: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Action:
    """Something the reader can do from the message. `target` is the id it acts on (0 for the reader's own
    lists and data); `page`, `choice` and `at` travel with the action where it needs them. An action with
    `options` is a choice; its label is the prompt."""

    kind: ActionKind
    target: int
    label: str
    style: ActionStyle = ActionStyle.SECONDARY
    disabled: bool = False
    page: int = 0
    choice: str = ""
    at: datetime | None = None
    offered_for: datetime | None = None  # the state it applies to (an interview's time), refused once changed
    options: tuple[Option, ...] = ()


@dataclass(frozen=True, slots=True)
class Message:
    """`whole_lines`: the body is a list, cut at a whole line with how many more. `heading` is a small line
    above the title. `rest`, when some fields do not fit, names how many were left out."""

    title: Text = ()
    tone: Tone = Tone.INFO
    body: tuple[Text, ...] = ()
    fields: tuple[Field, ...] = ()
    footer: Text = ()
    actions: tuple[Action, ...] = ()
    heading: str = ""
    whole_lines: bool = False
    rest: Callable[[int], Field] | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Input:
    """One answer a form asks for, read back by its `key`."""

    key: str
    label: str
    placeholder: str
    long: bool = False
    required: bool = True
    limit: int = 100


@dataclass(frozen=True, slots=True)
class Form:
    """Questions a platform shows in a dialog; the title is plain text (dialogs show no markup)."""

    title: str
    inputs: tuple[Input, ...]


def duration(span: timedelta) -> str:
    """ "1 day", "3 hours", "1 week": the largest whole unit."""
    seconds = int(span.total_seconds())
    for unit, size in (("week", 604800), ("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            return plural(seconds // size, unit)
    return f"{seconds // 60} minutes"


def paginate(sizes: list[int], most: int, room: int) -> list[range]:
    """Which entries go on each page: at most `most` whole entries and `room` characters (an entry counts
    at most `room`), given each entry's size as the platform shows it. Pages are rebuilt from the data at
    every click, so a page number stays meaningful."""
    pages: list[range] = []
    start, used = 0, 0
    for index, size in enumerate(sizes):
        size = min(size, room) + 1
        if index > start and (index - start >= most or used + size > room):
            pages.append(range(start, index))
            start, used = index, 0
        used += size
    pages.append(range(start, len(sizes)))
    return pages


def join(parts: list[Text], separator: str) -> Text:
    """The parts with `separator` between them."""
    joined: list[Piece] = []
    for index, part in enumerate(parts):
        if index:
            joined.append(separator)
        joined.extend(part)
    return tuple(joined)

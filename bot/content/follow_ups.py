"""The seeker's follow-ups: one line each, the paged list of them, and what a nudge says once acted on."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from bot.content.message import (
    Action,
    ActionKind,
    ActionStyle,
    Ask,
    Clip,
    Field,
    Instant,
    Message,
    Text,
    Tone,
    UserText,
    bold,
    both,
    join,
    paginate,
    plural,
)
from bot.domain.commands import Command
from bot.domain.models import FollowUp, FollowUpStatus, Interview

PAGE_LINES = 10  # entries per page of the seeker's lists


class OfInterview(Protocol):
    """A follow-up with its interview (an open one in a list, or one just acted on)."""

    @property
    def follow_up(self) -> FollowUp: ...

    @property
    def interview(self) -> Interview: ...


class Change(OfInterview, Protocol):
    @property
    def past_deadline(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class Pager:
    """How a platform pages a list: its rendered size of an entry, and the room on one page."""

    measure: Callable[[Text], int]
    room: int
    most: int = PAGE_LINES

    def pages(self, entries: list[Text]) -> list[range]:
        return paginate([self.measure(e) for e in entries], self.most, self.room)


def follow_up_line(item: FollowUp, now: datetime) -> Text:
    status = {
        FollowUpStatus.SENT: "reminded",
        FollowUpStatus.UNDELIVERABLE: "couldn't DM you",
        FollowUpStatus.FAILED: "couldn't send",
    }.get(item.status, "")
    extras: list[Text] = []
    if item.is_overdue(now):
        extras.append(("⚠️ overdue",))
        if item.deadline_at is not None and item.deadline_at <= now:
            extras.append(("deadline ", Instant(item.deadline_at), " passed"))
    extras += [(x,) for x in (status, "snoozed" if item.snoozes else "") if x]
    line: Text = (bold(item.kind.label), " — ", *both(item.due_at))
    return line + ((" · ", *join(extras, ", ")) if extras else ())


def plan_lines(follow_ups: list[FollowUp], now: datetime) -> tuple[Text, ...]:
    return tuple(follow_up_line(f, now) for f in sorted(follow_ups, key=lambda f: f.due_at))


def page_footer(page: int, pages: int, total: int, noun: str) -> Text:
    return (f"Page {page + 1} of {pages} · {plural(total, noun)}",) if pages > 1 else ()


def page_actions(listing: str, page: int, pages: int, target: int = 0) -> tuple[Action, ...]:
    """Previous and Next, when there is more than one page."""
    if pages <= 1:
        return ()
    kind = ActionKind.PAGE if listing else ActionKind.ROSTER_PAGE
    return (
        Action(kind, target, "◀ Previous", disabled=page == 0, page=max(page - 1, 0), choice=listing),
        Action(kind, target, "Next ▶", disabled=page >= pages - 1, page=min(page + 1, pages - 1), choice=listing),
    )


def _entry(item: OfInterview, now: datetime) -> Text:
    return (*follow_up_line(item.follow_up, now), " · ", UserText(item.interview.title))


def follow_up_list(items: Sequence[OfInterview], now: datetime, page: int, pager: Pager) -> Message:
    """Open follow-ups come sorted by due time, so on every page the overdue ones lead."""
    title: Text = ("Your follow-ups",)
    if not items:
        return Message(
            title, body=(("Nothing due. Log an interview with ", Ask(Command.INTERVIEW_ADD, code=True), "."),)
        )
    entries = [_entry(i, now) for i in items]
    pages = pager.pages(entries)
    page = min(max(page, 0), len(pages) - 1)
    shown: list[Text] = []
    heading = ""
    for index in pages[page]:
        section = "Overdue" if items[index].follow_up.is_overdue(now) else "Upcoming"
        if section != heading:
            shown += [(), (bold(section),)] if shown else [(bold(section),)]
            heading = section
        shown.append((Clip(entries[index], pager.room),))
    return Message(
        title,
        body=tuple(shown),
        footer=page_footer(page, len(pages), len(items), "follow-up"),
        actions=page_actions("followups", page, len(pages)),
    )


def with_buttons(item: OfInterview, now: datetime) -> Message:
    """One follow-up with Done and Snooze under it (a home page, a list whose lines each have their buttons)."""
    target = item.follow_up.id
    return Message(
        body=(_entry(item, now),),
        actions=(
            Action(ActionKind.DONE, target, "Done", ActionStyle.SUCCESS),
            Action(ActionKind.SNOOZE, target, "Snooze"),
        ),
    )


def follow_up_page(items: Sequence[OfInterview], now: datetime, page: int, pager: Pager) -> tuple[Message, ...]:
    """follow_up_list's page with Done and Snooze under each follow-up, for platforms whose messages hold that
    many buttons: its title, each follow-up under its heading, then its paging."""
    listed = follow_up_list(items, now, page, pager)
    if not items:
        return (listed,)
    pages = pager.pages([_entry(i, now) for i in items])
    page = min(max(page, 0), len(pages) - 1)
    shown = [replace(listed, body=(), footer=(), actions=())]
    heading = ""
    for index in pages[page]:
        item = with_buttons(items[index], now)
        section = "Overdue" if items[index].follow_up.is_overdue(now) else "Upcoming"
        if section != heading:  # over the first follow-up of its section
            item = replace(item, body=((bold(section),), *item.body))
            heading = section
        shown.append(item)
    if listed.footer or listed.actions:
        shown.append(Message(footer=listed.footer, actions=listed.actions))
    return tuple(shown)


def done(change: Change) -> Message:
    return acted(change, ("✅ Done. Nice follow-through.",))


def snoozed(change: Change) -> Message:
    return acted(change, ("💤 Snoozed. I'll remind you again ", *both(change.follow_up.due_at), "."))


def acted(change: Change, what: Text) -> Message:
    """A nudge message after the seeker acted on it."""
    follow_up = change.follow_up
    title: Text = (f"{follow_up.kind.label}: ", UserText(change.interview.title))
    if not change.past_deadline:
        return Message(title, Tone.SUCCESS, body=(what,))
    late = Field(
        ("⚠️ Past the 24-hour mark",),
        (
            (
                "This is now after its deadline (",
                Instant(follow_up.deadline_at or follow_up.due_at),
                "). A late thank-you still beats none, but send it as soon as you can.",
            ),
        ),
        inline=False,
    )
    return Message(title, Tone.WARNING, body=(what,), fields=(late,))


def calendar_file_for_one() -> str:
    return "Open the file to add this to your calendar."

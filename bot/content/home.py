"""The seeker's and the coach's home page (a platform's home tab): follow-ups with their buttons, open
interviews, a way to log one, and the rosters with a way to look at each seeker."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.content import coaching
from bot.content.follow_ups import OfInterview, with_buttons
from bot.content.message import Message, Text, and_more
from bot.domain.coaching import GroupRoster

FOLLOW_UPS = 12  # follow-ups shown with their buttons; the rest are counted


LOG_INTERVIEW = "Log interview"


def welcome() -> Message:
    """The top of the page; the platform adds its Log interview button."""
    return Message(
        ("Follow-Through",),
        body=(("I remind you to follow up after each interview, and help you do it well.",),),
    )


def follow_ups(items: Sequence[OfInterview], now: datetime) -> list[Message]:
    """Overdue first (they come sorted by due time), each with Done and Snooze; past FOLLOW_UPS, a count."""
    overdue = [i for i in items if i.follow_up.is_overdue(now)]
    upcoming = [i for i in items if not i.follow_up.is_overdue(now)]
    shown: list[Message] = []
    room = FOLLOW_UPS
    for heading, part in (("Overdue follow-ups", overdue), ("Upcoming follow-ups", upcoming)):
        if not part:
            continue
        listed = part[:room]
        room -= len(listed)
        left: tuple[Text, ...] = ((and_more(len(part) - len(listed)),),) if len(part) > len(listed) else ()
        shown.append(Message((heading,), body=left))
        shown += [with_buttons(item, now) for item in listed]
    if not shown:
        shown.append(Message(("Your follow-ups",), body=(("Nothing due.",),)))
    return shown


def roster(group: GroupRoster, page: int) -> tuple[Message, list[tuple[int, str]]]:
    """A page of a group's roster (most overdue first), and for each seeker on it their user id and the label
    of the button that shows them (the platform makes the buttons)."""
    page = min(max(page, 0), coaching.pages(group) - 1)
    shown = group.lines[page * coaching.PAGE_SIZE : (page + 1) * coaching.PAGE_SIZE]
    return coaching.roster_page(group, page), [(line.seeker.user_id, f"View {line.seeker.name}") for line in shown]

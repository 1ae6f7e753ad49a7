"""A coach's weekly digest: who is new, who is slipping, what was decided, and whom the bot cannot reach."""

from __future__ import annotations

from collections.abc import Callable

from bot.content.coaching import CLOSED_DMS
from bot.content.message import Ask, Field, Instant, Message, Text, UserText, bold, plural
from bot.domain.coaching import Digest, DigestItem
from bot.domain.commands import Command


def _new_interview(item: DigestItem) -> Text:
    return (
        bold(UserText(item.seeker.name)),
        ": ",
        UserText(item.interview.title),
        ", ",
        Instant(item.interview.scheduled_at),
    )


def _overdue(item: DigestItem) -> Text:
    label = item.follow_up.kind.label if item.follow_up is not None else "Follow-up"
    return (
        bold(UserText(item.seeker.name)),
        f": {label}, ",
        UserText(item.interview.title),
        " · due ",
        Instant(item.at),
    )


def _outcome(item: DigestItem) -> Text:
    outcome = item.interview.outcome.value if item.interview.outcome else "closed"
    return (bold(UserText(item.seeker.name)), ": ", UserText(item.interview.title), f" · {outcome}")


def digest(item: Digest) -> Message:
    """Each non-empty section is a list, shortened to the room the platform has left."""
    body: list[Text] = [("Since ", Instant(item.since), f" · {plural(item.seekers, 'seeker')} sharing with you.")]
    if item.seekers == 0:
        body.append(("No one has joined yet: share your invite code (see ", Ask(Command.COACH_ROSTER, code=True), ")."))
    elif item.quiet:
        body.append(("A quiet week: nothing new, nothing overdue.",))
    sections: tuple[tuple[str, list[DigestItem], Callable[[DigestItem], Text]], ...] = (
        ("🆕 New interviews", item.new_interviews, _new_interview),
        ("⚠️ Overdue thank-yous", item.overdue_thank_yous, _overdue),
        ("📞 Missed check-in calls", item.missed_check_ins, _overdue),
        ("🏁 Outcomes", item.outcomes, _outcome),
    )
    unreachable: list[Text] = [
        (bold(UserText(s.name)), ", since ", Instant(s.dms_closed_at)) for s in item.unreachable if s.dms_closed_at
    ]
    fields = [(f"{name} ({len(items)})", [show(i) for i in items]) for name, items, show in sections]
    fields.append((f"{CLOSED_DMS} I can't DM ({len(unreachable)})", unreachable))
    return Message(
        ("Your weekly coaching digest",),
        body=tuple(body),
        fields=tuple(Field((name,), tuple(lines), inline=False, whole_lines=True) for name, lines in fields if lines),
        footer=(
            "See everyone with ",
            Ask(Command.COACH_ROSTER),
            ". Change the day or time with ",
            Ask(Command.COACH_DIGEST),
            ".",
        ),
    )

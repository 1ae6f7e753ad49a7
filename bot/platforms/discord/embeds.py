"""How every reply and nudge looks."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import ParamSpec
from zoneinfo import ZoneInfo

import discord

from bot.domain.models import (
    CheckIn,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Interview,
    InterviewSummary,
    NextSteps,
    Nudge,
    Outcome,
    User,
)
from bot.platforms.discord.timestamps import both, full, relative
from bot.usecases.follow_ups import FollowUpChange, OpenFollowUp
from bot.usecases.interviews import (
    CheckInLogged,
    FeedbackRecorded,
    InterviewPlan,
    NextStepsRecorded,
    OutcomeRecorded,
)
from bot.usecases.preferences import ZoneChanged

BRAND = discord.Colour.from_rgb(46, 134, 222)
GOOD = discord.Colour.green()
WARN = discord.Colour.orange()
BAD = discord.Colour.red()
MAX_LINES = 20  # a list longer than this is hard to read at a glance
PAGE_LINES = 10  # entries per page of /followups and /interview list
PAGE_ROOM = 3500  # characters per page, leaving room in the description for headings

# Discord refuses a message whose embed breaks one of these (characters).
TITLE, DESCRIPTION, FIELD_NAME, FIELD_VALUE, FOOTER, TOTAL, FIELDS = 256, 4096, 256, 1024, 2048, 6000, 25

P = ParamSpec("P")

FOUR_QUESTIONS = (
    "1. How many other candidates are you considering?\n"
    "2. How long until you expect to make a decision?\n"
    "3. What further interviews should I expect?\n"
    "4. When would be a good time for me to check back with you?"
)

OPEN_DMS_HELP = (
    "I couldn't send you a reminder because your direct messages are closed to me. To get nudges, "
    "open **User Settings → Privacy & Safety** and allow direct messages (or, in a server, the server's "
    "**Privacy Settings → Direct Messages**). Until then, see what is due with `/followups`."
)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def within(lines: list[str], limit: int, most: int = MAX_LINES) -> str:
    """At most `most` whole lines that fit in `limit` characters, then how many were left out."""
    kept: list[str] = []
    for index, line in enumerate(lines):
        rest = len(lines) - index
        more = f"…and {rest} more."
        candidate = "\n".join([*kept, line])
        needed = len(candidate) if rest == 1 else len(candidate) + 1 + len(more)
        if index >= most or needed > limit:
            return "\n".join([*kept, more])
        kept.append(line)
    return "\n".join(kept)


def paginate(entries: list[str], most: int = PAGE_LINES, room: int = PAGE_ROOM) -> list[range]:
    """Which entries go on each page: at most `most` whole entries and `room` characters (an entry is clipped
    to `room`). Pages are rebuilt from the data at every click, so a page number stays meaningful."""
    pages: list[range] = []
    start, used = 0, 0
    for index, entry in enumerate(entries):
        size = min(len(entry), room) + 1
        if index > start and (index - start >= most or used + size > room):
            pages.append(range(start, index))
            start, used = index, 0
        used += size
    pages.append(range(start, len(entries)))
    return pages


def _page_footer(embed: discord.Embed, page: int, pages: int, total: int, noun: str) -> None:
    if pages > 1:
        embed.set_footer(text=f"Page {page + 1} of {pages} · {total} {noun}{'s' if total != 1 else ''}")


def fit(embed: discord.Embed) -> discord.Embed:
    """Clip every text to Discord's limits, then drop trailing fields until the whole embed fits."""
    if embed.title:
        embed.title = clip(embed.title, TITLE)
    if embed.description:
        embed.description = clip(embed.description, DESCRIPTION)
    if embed.footer.text:
        embed.set_footer(text=clip(embed.footer.text, FOOTER), icon_url=embed.footer.icon_url)
    fields = [(clip(f.name or "", FIELD_NAME), clip(f.value or "", FIELD_VALUE), bool(f.inline)) for f in embed.fields]
    embed.clear_fields()
    for name, value, inline in fields[:FIELDS]:
        if len(embed) + len(name) + len(value) > TOTAL:
            break
        embed.add_field(name=name, value=value, inline=inline)
    return embed


def fitted(build: Callable[P, discord.Embed]) -> Callable[P, discord.Embed]:
    """Every embed this module builds goes out within Discord's limits, however long what users typed."""

    @functools.wraps(build)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> discord.Embed:
        return fit(build(*args, **kwargs))

    return wrapper


def escape(value: str) -> str:
    """User text shown inside our markup: no markdown tricks, no mentions."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(value))


def _context_fields(
    embed: discord.Embed, interview: Interview, steps: NextSteps | None, last_call: CheckIn | None = None
) -> None:
    embed.add_field(name="Company", value=escape(interview.company))
    embed.add_field(name="Role", value=escape(interview.role))
    embed.add_field(name="Interview", value=full(interview.scheduled_at))
    if interview.interviewer:
        embed.add_field(name="Interviewer", value=escape(interview.interviewer))
    if interview.contact:
        embed.add_field(name="Contact", value=escape(interview.contact))
    if interview.outcome is not None:  # closed: every check-in date is history, so only what was heard shows
        when = f", {full(interview.outcome_at)}" if interview.outcome_at is not None else ""
        embed.add_field(name="Outcome", value=f"{interview.outcome.value}{when}", inline=False)
    if steps is not None:
        # A later call's date replaces the first agreed one, and a closed interview has none.
        current = interview.outcome is None and last_call is None
        embed.add_field(name="What happens next", value=next_steps_summary(steps, current), inline=False)
    if last_call is not None:
        embed.add_field(name="Last call", value=f"{full(last_call.called_at)}: {escape(last_call.heard)}", inline=False)
        if last_call.next_check_back_at is not None and interview.outcome is None:
            embed.add_field(name="Agreed check-in", value=both(last_call.next_check_back_at), inline=False)
    elif steps is not None and interview.outcome is None:
        name = "Agreed check-in" if steps.check_back_agreed else "Planned check-in (no date agreed)"
        embed.add_field(name=name, value=both(steps.check_back_at), inline=False)


def next_steps_summary(steps: NextSteps, check_back: bool = True) -> str:
    """The answers to "what happens next?"; `check_back=False` leaves out a check-back date that is no longer
    current (a later call set a new one, or the interview is closed)."""
    parts = []
    if steps.candidates is not None:
        parts.append(f"{steps.candidates} other candidate{'s' if steps.candidates != 1 else ''}")
    if steps.decision_by is not None:
        parts.append(f"decision by {full(steps.decision_by)}")
    if steps.rounds:
        parts.append(f"further interviews: {escape(steps.rounds)}")
    if steps.notes:
        parts.append(escape(steps.notes))
    if check_back and steps.check_back_agreed:
        parts.append(f"check back {full(steps.check_back_at)}")
    elif check_back:
        parts.append("no check-back date named")
    return "; ".join(parts)


def read_in(user: User) -> str:
    """Every reply to a command that read a time names the zone it was read in."""
    return f"🕒 Times read in **{user.timezone}**. Not your zone? Set yours with /settings timezone."


def follow_up_line(item: FollowUp, now: datetime) -> str:
    status = {
        FollowUpStatus.SENT: "reminded",
        FollowUpStatus.UNDELIVERABLE: "couldn't DM you",
        FollowUpStatus.FAILED: "couldn't send",
    }.get(item.status, "")
    flag = "⚠️ overdue" if item.is_overdue(now) else ""
    deadline = ""
    if item.is_overdue(now) and item.deadline_at is not None and item.deadline_at <= now:
        deadline = f"deadline {full(item.deadline_at)} passed"
    extras = ", ".join(x for x in (flag, deadline, status, "snoozed" if item.snoozes else "") if x)
    return f"**{item.kind.label}** — {both(item.due_at)}" + (f" · {extras}" if extras else "")


@fitted
def interview_plan(result: InterviewPlan, now: datetime) -> discord.Embed:
    interview = result.interview
    embed = discord.Embed(title=f"Interview logged: {escape(interview.title)}", colour=BRAND)
    embed.description = read_in(result.user)
    _context_fields(embed, interview, None)
    embed.add_field(
        name="Your follow-up plan",
        value="\n".join(follow_up_line(f, now) for f in sorted(result.follow_ups, key=lambda f: f.due_at)),
        inline=False,
    )
    embed.set_footer(text="At the end of the interview, ask what happens next, then record it with /interview next.")
    if result.alternative is not None:
        embed.add_field(name="Did you mean another day?", value=other_reading(result.alternative), inline=False)
    return embed


def other_reading(at: datetime) -> str:
    return (
        f"I read the day as the one nearest to how interviews are usually logged. If you meant "
        f"{full(at)}, press the button below: the interview moves and its follow-ups are planned again."
    )


@fitted
def next_steps_recorded(result: NextStepsRecorded) -> discord.Embed:
    embed = discord.Embed(title=f"What happens next: {escape(result.interview.title)}", colour=GOOD)
    embed.description = next_steps_summary(result.next_steps)
    if result.next_steps.check_back_agreed or result.next_steps.decision_by is not None:
        embed.description += f"\n{read_in(result.user)}"
    embed.add_field(name="Check-in call", value=both(result.check_in.due_at), inline=False)
    if result.next_steps.check_back_agreed:
        embed.set_footer(text="Mention this check-in date in your thank-you email and handwritten note.")
    else:
        embed.set_footer(
            text="They named no date, so I planned this call. Propose it in your thank-you email and note, "
            "and next time ask: “When would be a good time to check back?”"
        )
    return embed


@fitted
def check_in_logged(result: CheckInLogged) -> discord.Embed:
    embed = discord.Embed(title=f"Call logged: {escape(result.interview.title)}", colour=GOOD)
    embed.description = f"You heard: {escape(result.check_in.heard)}"
    if result.check_in.next_check_back_at is not None:
        embed.description += f"\n{read_in(result.user)}"
    embed.add_field(name="Next check-in call", value=both(result.next_call.due_at), inline=False)
    embed.set_footer(text="Keep following through until you hear an outcome.")
    return embed


@fitted
def outcome_recorded(result: OutcomeRecorded) -> discord.Embed:
    interview = result.interview
    text = {
        Outcome.OFFER: "Congratulations on the offer! 🎉 Your follow-ups for it are closed.",
        Outcome.WITHDRAWN: "Withdrawn. Your follow-ups for it are closed.",
        Outcome.REJECTED: "Sorry to hear it. Asking for feedback turns this into your next advantage.",
    }[interview.outcome or Outcome.WITHDRAWN]
    embed = discord.Embed(title=f"Outcome: {escape(interview.title)}", description=text, colour=BRAND)
    if result.previous is not None and result.previous is not interview.outcome:
        embed.add_field(name="Changed", value=f"from {result.previous} to {interview.outcome}", inline=False)
    if result.cancelled:
        embed.add_field(name="Cancelled", value=f"{result.cancelled} pending follow-up(s)")
    if result.feedback_request is not None:
        embed.add_field(name="Feedback request", value=both(result.feedback_request.due_at), inline=False)
    return embed


@fitted
def feedback_recorded(result: FeedbackRecorded) -> discord.Embed:
    return discord.Embed(
        title=f"Feedback saved: {escape(result.interview.title)}",
        description=escape(result.feedback.text),
        colour=GOOD,
    )


def _interview_entry(summary: InterviewSummary, now: datetime) -> str:
    interview = summary.interview
    status = interview.outcome.value if interview.outcome else "open"
    line = f"**{escape(interview.title)}** · {full(interview.scheduled_at)} · {status}"
    if summary.next_follow_up is not None:
        line += f"\n  next: {follow_up_line(summary.next_follow_up, now)}"
    return line


def interview_pages(items: list[InterviewSummary], now: datetime) -> list[range]:
    return paginate([_interview_entry(s, now) for s in items])


@fitted
def interview_list(items: list[InterviewSummary], now: datetime, page: int = 0) -> discord.Embed:
    embed = discord.Embed(title="Your interviews", colour=BRAND)
    if not items:
        embed.description = "No interviews yet. Log one with `/interview add`."
        return embed
    entries = [_interview_entry(s, now) for s in items]
    pages = paginate(entries)
    page = min(max(page, 0), len(pages) - 1)
    embed.description = "\n".join(clip(entries[i], PAGE_ROOM) for i in pages[page])
    _page_footer(embed, page, len(pages), len(items), "interview")
    return embed


def _follow_up_entry(item: OpenFollowUp, now: datetime) -> str:
    return f"{follow_up_line(item.follow_up, now)} · {escape(item.interview.title)}"


def follow_up_pages(items: list[OpenFollowUp], now: datetime) -> list[range]:
    return paginate([_follow_up_entry(i, now) for i in items])


@fitted
def follow_up_list(items: list[OpenFollowUp], now: datetime, page: int = 0) -> discord.Embed:
    """Open follow-ups come sorted by due time, so on every page the overdue ones lead."""
    embed = discord.Embed(title="Your follow-ups", colour=BRAND)
    if not items:
        embed.description = "Nothing due. Log an interview with `/interview add`."
        return embed
    pages = follow_up_pages(items, now)
    page = min(max(page, 0), len(pages) - 1)
    shown: list[str] = []
    heading = ""
    for index in pages[page]:
        section = "Overdue" if items[index].follow_up.is_overdue(now) else "Upcoming"
        if section != heading:
            shown += ["", f"**{section}**"] if shown else [f"**{section}**"]
            heading = section
        shown.append(clip(_follow_up_entry(items[index], now), PAGE_ROOM))
    embed.description = "\n".join(shown)
    _page_footer(embed, page, len(pages), len(items), "follow-up")
    return embed


@fitted
def user_settings(user: User) -> discord.Embed:
    quiet = user.quiet_hours
    embed = discord.Embed(title="Your settings", colour=BRAND)
    zone = user.timezone if user.timezone_chosen else f"{user.timezone} (not chosen yet)"
    embed.add_field(name="Time zone", value=zone)
    window = f"{quiet.start:%H:%M}–{quiet.end:%H:%M}"
    if quiet.start == quiet.end:
        window += ": none, I may nudge you at any hour"
    embed.add_field(name="Quiet hours", value=f"{window}, in your time zone")
    embed.set_footer(text="Quiet hours are local HH:MM; the same start and end (e.g. 00:00–00:00) means none.")
    return embed


@fitted
def zone_changed(change: ZoneChanged) -> discord.Embed:
    """The new settings, and what the move did to the pending calls: which moved and which kept their time."""
    embed = user_settings(change.user)
    old, new = change.previous, change.user.zone
    if change.moved:
        lines = [
            f"**{m.follow_up.kind.label}** · {escape(m.interview.title)}: {m.before.astimezone(old):%a %d %b %H:%M}"
            f" in {old.key} → {m.follow_up.due_at.astimezone(new):%a %d %b %H:%M} in {new.key}"
            for m in change.moved
        ]
        embed.add_field(
            name="Moved to the same local time (I planned these)", value=within(lines, FIELD_VALUE), inline=False
        )
    if change.kept:
        lines = [
            f"**{m.follow_up.kind.label}** · {escape(m.interview.title)}: {m.before.astimezone(old):%a %d %b %H:%M}"
            f" in {old.key}, now {m.before.astimezone(new):%a %d %b %H:%M} your time"
            for m in change.kept
        ]
        embed.add_field(
            name="Kept their time (agreed with the employer)", value=within(lines, FIELD_VALUE), inline=False
        )
    if change.moved or change.kept:
        embed.add_field(
            name="Everything else",
            value="Reminders timed from an interview (thank-yous, prep) keep their time.",
            inline=False,
        )
    return embed


def thank_you_draft(interview: Interview, steps: NextSteps | None, zone: ZoneInfo) -> str:
    """Plain text to paste into an email: the agreed day as the seeker says it, in their own zone."""
    greeting = f"Dear {interview.interviewer}" if interview.interviewer else "Hello"
    if steps is None:
        check_in = "I look forward to hearing about the next steps."
    else:
        day = f"{steps.check_back_at.astimezone(zone):%A %d %B}"
        check_in = (
            f"As we agreed, I'll call you on {day} to hear how things stand."
            if steps.check_back_agreed
            else f"If it suits you, I'll call you on {day} to hear how things stand."
        )
    return (
        f"{greeting},\n\nThank you for taking the time to talk with me about the {interview.role} role at "
        f"{interview.company}. I enjoyed learning about the team and I'm excited about the chance to "
        f"contribute.\n\n{check_in}\n\nBest regards,"
    )


@fitted
def nudge(item: Nudge) -> discord.Embed:
    follow_up, interview, steps = item.follow_up, item.interview, item.next_steps
    kind = follow_up.kind
    embed = discord.Embed(title=f"{kind.label}: {escape(interview.title)}", colour=BRAND)
    if kind is FollowUpKind.PREP:
        embed.description = (
            f"Your interview starts {relative(interview.scheduled_at)}. Good luck! Before you leave, ask "
            f"what happens next:\n{FOUR_QUESTIONS}"
        )
    elif kind is FollowUpKind.THANK_YOU_EMAIL:
        embed.description = (
            "Send a thank-you email now: it arrives at once and keeps you top of mind. Both the email and "
            "the handwritten note belong within 24 hours of the interview: "
            f"send it before {full(follow_up.deadline_at or follow_up.due_at)}."
        )
        draft = clip(thank_you_draft(interview, steps, item.user.zone).replace("`", "'"), FIELD_VALUE - 8)
        embed.add_field(name="A draft to copy", value=f"```\n{draft}\n```", inline=False)
    elif kind is FollowUpKind.HANDWRITTEN_NOTE:
        reiterate = (
            f"the check-in you agreed: {full(steps.check_back_at)}"
            if steps is not None and steps.check_back_agreed
            else "when you'll call to check back (propose a day)"
        )
        embed.description = (
            "Write and post a handwritten note today: it arrives days later, just as they are deciding, "
            f"and few candidates send one. Reiterate {reiterate}. "
            f"Like the email, it belongs within 24 hours of the interview: post it before "
            f"{full(follow_up.deadline_at or follow_up.due_at)}."
        )
    elif kind is FollowUpKind.NEXT_STEPS:
        embed.description = f"Did you ask what happens next? Record the answers:\n{FOUR_QUESTIONS}"
    elif kind is FollowUpKind.CHECK_IN:
        who = interview.contact or interview.interviewer or "your contact"
        last = item.last_check_in
        nothing_agreed = steps is None or not steps.check_back_agreed
        unagreed = (nothing_agreed and last is None) or (last is not None and last.next_check_back_at is None)
        embed.description = (
            f"Time for your check-in call: call {escape(who)} now, then log what you heard."
            if unagreed
            else f"Time for the check-in call you agreed: call {escape(who)} now, then log what you heard."
        )
        if unagreed:
            embed.description += (
                "\n\nNo check-back date was agreed, so I planned this call for you. On this call, ask: "
                "*“When would be a good time to check back?”*"
            )
    else:
        embed.description = (
            "They went with someone else. Ask with confidence for feedback: *“I'd value your honest view "
            "of what would have made me a stronger candidate.”* People remember who asks well."
        )
    _context_fields(embed, interview, steps, item.last_check_in)
    if item.late:
        if follow_up.unreachable_since is None:
            why = f"This was due {relative(follow_up.notify_at)}, while I was offline."
        else:
            why = f"This was due {relative(follow_up.unreachable_since)}, while Discord could not be reached."
        embed.add_field(name="⏰ Late", value=why, inline=False)
    return embed


@fitted
def acted(change: FollowUpChange, what: str) -> discord.Embed:
    """A nudge message after the seeker acted on it."""
    embed = discord.Embed(
        title=f"{change.follow_up.kind.label}: {escape(change.interview.title)}", description=what, colour=GOOD
    )
    if change.past_deadline:
        embed.colour = WARN
        embed.add_field(
            name="⚠️ Past the 24-hour mark",
            value=f"This is now after its deadline ({full(change.follow_up.deadline_at or change.follow_up.due_at)}). "
            "A late thank-you still beats none, but send it as soon as you can.",
            inline=False,
        )
    return embed


@fitted
def error(message: str) -> discord.Embed:
    return discord.Embed(description=f"❌ {message}", colour=BAD)


@fitted
def notice(message: str) -> discord.Embed:
    return discord.Embed(description=message, colour=WARN)

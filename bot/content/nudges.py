"""Each nudge's words: what to do now and why, the four questions, the thank-you draft, and its actions."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.content.interviews import context_fields
from bot.content.message import (
    Action,
    ActionKind,
    ActionStyle,
    CodeBlock,
    Emphasis,
    Field,
    Instant,
    Message,
    Option,
    PlatformName,
    Text,
    TimeStyle,
    UserText,
    duration,
)
from bot.domain.models import FollowUpKind, Interview, NextSteps, Nudge

FOUR_QUESTIONS = (
    "1. How many other candidates are you considering?\n"
    "2. How long until you expect to make a decision?\n"
    "3. What further interviews should I expect?\n"
    "4. When would be a good time for me to check back with you?"
)

SNOOZE_CHOICES = tuple(timedelta(hours=h) for h in (1, 3, 24, 72, 168))

_ACTIONS: dict[FollowUpKind, tuple[ActionKind, ...]] = {
    FollowUpKind.PREP: (ActionKind.DONE, ActionKind.SNOOZE),
    FollowUpKind.THANK_YOU_EMAIL: (ActionKind.DONE, ActionKind.SNOOZE),
    FollowUpKind.HANDWRITTEN_NOTE: (ActionKind.DONE, ActionKind.SNOOZE),
    FollowUpKind.NEXT_STEPS: (ActionKind.RECORD_ANSWERS, ActionKind.DONE, ActionKind.SNOOZE),
    FollowUpKind.CHECK_IN: (ActionKind.LOG_CALL, ActionKind.DONE, ActionKind.SNOOZE, ActionKind.ADD_TO_CALENDAR),
    FollowUpKind.FEEDBACK_REQUEST: (ActionKind.RECORD_FEEDBACK, ActionKind.DONE, ActionKind.SNOOZE),
}
_LABELS = {
    ActionKind.DONE: ("Done", ActionStyle.SUCCESS),
    ActionKind.LOG_CALL: ("Log the call", ActionStyle.PRIMARY),
    ActionKind.RECORD_FEEDBACK: ("Record feedback", ActionStyle.PRIMARY),
    ActionKind.RECORD_ANSWERS: ("Record answers", ActionStyle.PRIMARY),
    ActionKind.ADD_TO_CALENDAR: ("Add to calendar", ActionStyle.SECONDARY),
}


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


def actions(item: Nudge, snooze_by: timedelta) -> tuple[Action, ...]:
    """The buttons for the nudge's kind, then a choice of snooze lengths."""
    target = item.follow_up.id
    offered = []
    for kind in _ACTIONS[item.follow_up.kind]:
        if kind is ActionKind.SNOOZE:
            offered.append(Action(kind, target, f"Snooze {duration(snooze_by)}"))
        else:
            label, style = _LABELS[kind]
            offered.append(Action(kind, target, label, style))
    choices = tuple(Option(duration(d), str(int(d.total_seconds()))) for d in SNOOZE_CHOICES)
    offered.append(Action(ActionKind.SNOOZE_FOR, target, "Snooze for…", options=choices))
    return tuple(offered)


def _body(item: Nudge) -> tuple[Text, ...]:
    follow_up, interview, steps = item.follow_up, item.interview, item.next_steps
    kind = follow_up.kind
    deadline = Instant(follow_up.deadline_at or follow_up.due_at)
    if kind is FollowUpKind.PREP:
        return (
            (
                "Your interview starts ",
                Instant(interview.scheduled_at, TimeStyle.RELATIVE),
                f". Good luck! Before you leave, ask what happens next:\n{FOUR_QUESTIONS}",
            ),
        )
    if kind is FollowUpKind.THANK_YOU_EMAIL:
        return (
            (
                "Send a thank-you email now: it arrives at once and keeps you top of mind. Both the email and "
                "the handwritten note belong within 24 hours of the interview: send it before ",
                deadline,
                ".",
            ),
        )
    if kind is FollowUpKind.HANDWRITTEN_NOTE:
        reiterate: Text = (
            ("the check-in you agreed: ", Instant(steps.check_back_at))
            if steps is not None and steps.check_back_agreed
            else ("when you'll call to check back (propose a day)",)
        )
        return (
            (
                "Write and post a handwritten note today: it arrives days later, just as they are deciding, "
                "and few candidates send one. Reiterate ",
                *reiterate,
                ". Like the email, it belongs within 24 hours of the interview: post it before ",
                deadline,
                ".",
            ),
        )
    if kind is FollowUpKind.NEXT_STEPS:
        return ((f"Did you ask what happens next? Record the answers:\n{FOUR_QUESTIONS}",),)
    if kind is FollowUpKind.CHECK_IN:
        who = UserText(interview.contact or interview.interviewer or "your contact")
        last = item.last_check_in
        nothing_agreed = steps is None or not steps.check_back_agreed
        unagreed = (nothing_agreed and last is None) or (last is not None and last.next_check_back_at is None)
        if not unagreed:
            return (("Time for the check-in call you agreed: call ", who, " now, then log what you heard."),)
        return (
            ("Time for your check-in call: call ", who, " now, then log what you heard."),
            (),
            (
                "No check-back date was agreed, so I planned this call for you. On this call, ask: ",
                Emphasis(("“When would be a good time to check back?”",)),
            ),
        )
    return (
        (
            "They went with someone else. Ask with confidence for feedback: ",
            Emphasis(("“I'd value your honest view of what would have made me a stronger candidate.”",)),
            " People remember who asks well.",
        ),
    )


def nudge(item: Nudge, snooze_by: timedelta) -> Message:
    follow_up, interview = item.follow_up, item.interview
    fields: list[Field] = []
    if follow_up.kind is FollowUpKind.THANK_YOU_EMAIL:
        draft = thank_you_draft(interview, item.next_steps, item.user.zone)
        fields.append(Field(("A draft to copy",), ((CodeBlock(draft),),), inline=False))
    fields += context_fields(interview, item.next_steps, item.last_check_in)
    if item.late:
        if follow_up.unreachable_since is None:
            why: Text = ("This was due ", Instant(follow_up.notify_at, TimeStyle.RELATIVE), ", while I was offline.")
        else:
            why = (
                "This was due ",
                Instant(follow_up.unreachable_since, TimeStyle.RELATIVE),
                ", while ",
                PlatformName(),
                " could not be reached.",
            )
        fields.append(Field(("⏰ Late",), (why,), inline=False))
    return Message(
        (f"{follow_up.kind.label}: ", UserText(interview.title)),
        body=_body(item),
        fields=tuple(fields),
        actions=actions(item, snooze_by),
    )

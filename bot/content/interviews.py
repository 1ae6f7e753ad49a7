"""Replies about the seeker's interviews: logged, what happens next, calls, outcomes, feedback, fixed, listed."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.content.follow_ups import Pager, follow_up_line, page_actions, page_footer, plan_lines
from bot.content.message import (
    Action,
    ActionKind,
    ActionStyle,
    Ask,
    Clip,
    Field,
    Form,
    Input,
    Instant,
    Message,
    Text,
    Tone,
    UserText,
    bold,
    both,
    join,
    plural,
)
from bot.domain import dates
from bot.domain.commands import Command
from bot.domain.models import (
    CheckIn,
    Feedback,
    FollowUp,
    FollowUpKind,
    Interview,
    InterviewSummary,
    NextSteps,
    Outcome,
    User,
)
from bot.domain.plan import Dropped


class Planned(Protocol):
    @property
    def user(self) -> User: ...
    @property
    def interview(self) -> Interview: ...
    @property
    def follow_ups(self) -> list[FollowUp]: ...
    @property
    def alternative(self) -> datetime | None: ...
    @property
    def stated_zone(self) -> tzinfo | None: ...


class Edited(Protocol):
    @property
    def user(self) -> User: ...
    @property
    def interview(self) -> Interview: ...
    @property
    def changed(self) -> list[str]: ...
    @property
    def replanned(self) -> list[FollowUp]: ...
    @property
    def alternative(self) -> datetime | None: ...
    @property
    def stated_zone(self) -> tzinfo | None: ...
    @property
    def dropped(self) -> list[tuple[FollowUpKind, Dropped]]: ...
    @property
    def kept_call(self) -> FollowUp | None: ...


class StepsRecorded(Protocol):
    @property
    def user(self) -> User: ...
    @property
    def interview(self) -> Interview: ...
    @property
    def next_steps(self) -> NextSteps: ...
    @property
    def check_in(self) -> FollowUp: ...
    @property
    def stated_zone(self) -> tzinfo | None: ...


class CallLogged(Protocol):
    @property
    def user(self) -> User: ...
    @property
    def interview(self) -> Interview: ...
    @property
    def check_in(self) -> CheckIn: ...
    @property
    def next_call(self) -> FollowUp: ...
    @property
    def stated_zone(self) -> tzinfo | None: ...


class OutcomeChange(Protocol):
    @property
    def user(self) -> User: ...
    @property
    def interview(self) -> Interview: ...
    @property
    def cancelled(self) -> int: ...
    @property
    def feedback_request(self) -> FollowUp | None: ...
    @property
    def previous(self) -> Outcome | None: ...


class Reopened(Protocol):
    @property
    def user(self) -> User: ...
    @property
    def interview(self) -> Interview: ...
    @property
    def previous(self) -> Outcome: ...
    @property
    def follow_ups(self) -> list[FollowUp]: ...


CANDIDATES_NOT_A_NUMBER = "The number of other candidates must be a whole number, like 3."


def log_interview_form() -> Form:
    """Logging an interview in a dialog (where a platform has no command options): the same answers."""
    return Form(
        "Log interview",
        (
            Input("company", "Company", "e.g. Acme"),
            Input("role", "Role", "e.g. Data Analyst"),
            Input("when", "When", "e.g. tomorrow 3pm, Tue 10:30, 2026-12-03 14:00"),
            Input("interviewer", "Interviewer (optional)", "who you met", required=False),
            Input("contact", "Contact (optional)", "an email to follow up with", required=False),
            Input("notes", "Notes (optional)", "anything to remember", long=True, required=False, limit=1000),
        ),
    )


def log_call_form(title: str) -> Form:
    return Form(
        f"Check-in call: {title}",
        (
            Input(
                "heard",
                "What did you hear?",
                "Delayed: the interviewer was pulled onto a project",
                long=True,
                limit=1000,
            ),
            Input("next_check_back", "Next check-back (optional)", "e.g. next Friday, in two weeks", required=False),
        ),
    )


def feedback_form(title: str) -> Form:
    return Form(
        f"Feedback: {title}",
        (
            Input(
                "feedback", "What feedback did they give?", "What would have made me stronger…", long=True, limit=1000
            ),
        ),
    )


def next_steps_form(title: str) -> Form:
    """The four questions' answers (the check-back first: it plans the call)."""
    return Form(
        f"What happens next: {title}",
        (
            Input(
                "check_back",
                "When should you check back?",
                "e.g. next Tuesday 10am; empty if they named no date",
                required=False,
            ),
            Input("candidates", "How many other candidates?", "a number, if they said", required=False, limit=5),
            Input("decision", "When will they decide?", "e.g. next Friday, in 10 days", required=False),
            Input("rounds", "What further interviews?", "e.g. a panel with the team", required=False),
        ),
    )


def read_in(user: User, at: datetime | None = None, stated: tzinfo | None = None) -> Text:
    """Every reply to a command that read or planned a time names the zone it was read in; a zone typed with
    the time (`stated`, which `at` was read in) is named too, with what that is in the user's own zone."""
    if at is not None and stated is not None:
        name = stated.key if isinstance(stated, ZoneInfo) else str(stated)
        typed, own = at.astimezone(stated), at.astimezone(user.zone)
        return (
            f"🕒 Read as {typed:%H:%M} {name} = {own:%H:%M} {user.timezone}. Other times read in ",
            bold(user.timezone),
            ". Not your zone? Set yours with ",
            Ask(Command.SET_TIMEZONE),
            ".",
        )
    return (
        "🕒 Times read in ",
        bold(user.timezone),
        ". Not your zone? Set yours with ",
        Ask(Command.SET_TIMEZONE),
        ".",
    )


def next_steps_summary(steps: NextSteps, check_back: bool = True) -> Text:
    """The answers to "what happens next?"; `check_back=False` leaves out a check-back date that is no longer
    current (a later call set a new one, or the interview is closed)."""
    parts: list[Text] = []
    if steps.candidates is not None:
        parts.append((f"{plural(steps.candidates, 'other candidate')}",))
    if steps.decision_by is not None:
        parts.append(("decision by ", Instant(steps.decision_by)))
    if steps.rounds:
        parts.append(("further interviews: ", UserText(steps.rounds)))
    if steps.notes:
        parts.append((UserText(steps.notes),))
    if check_back and steps.check_back_agreed:
        parts.append(("check back ", Instant(steps.check_back_at)))
    elif check_back:
        parts.append(("no check-back date named",))
    return join(parts, "; ")


def context_fields(
    interview: Interview, steps: NextSteps | None, last_call: CheckIn | None = None
) -> tuple[Field, ...]:
    """What a nudge or a reply shows about the interview it is about."""
    fields = [
        Field(("Company",), ((UserText(interview.company),),)),
        Field(("Role",), ((UserText(interview.role),),)),
        Field(("Interview",), ((Instant(interview.scheduled_at),),)),
    ]
    if interview.interviewer:
        fields.append(Field(("Interviewer",), ((UserText(interview.interviewer),),)))
    if interview.contact:
        fields.append(Field(("Contact",), ((UserText(interview.contact),),)))
    if interview.outcome is not None:  # closed: every check-in date is history, so only what was heard shows
        when: Text = (", ", Instant(interview.outcome_at)) if interview.outcome_at is not None else ()
        fields.append(Field(("Outcome",), ((interview.outcome.value, *when),), inline=False))
    if steps is not None and interview.outcome is None:
        # What they said would happen is history once the outcome is in; a later call's date replaces the
        # first agreed one.
        fields.append(Field(("What happens next",), (next_steps_summary(steps, last_call is None),), inline=False))
    if last_call is not None:
        heard: Text = (Instant(last_call.called_at), ": ", UserText(last_call.heard))
        fields.append(Field(("Last call",), (heard,), inline=False))
        if last_call.next_check_back_at is not None and interview.outcome is None:
            fields.append(Field(("Agreed check-in",), (both(last_call.next_check_back_at),), inline=False))
    elif steps is not None and interview.outcome is None:
        name = "Agreed check-in" if steps.check_back_agreed else "Planned check-in (no date agreed)"
        fields.append(Field((name,), (both(steps.check_back_at),), inline=False))
    return tuple(fields)


def _other_day(alternative: datetime | None) -> tuple[Field, ...]:
    if alternative is None:
        return ()
    reading: Text = (
        "I read the day as the one nearest to how interviews are usually logged. If you meant ",
        Instant(alternative),
        ", press the button below: the interview moves and its follow-ups are planned again.",
    )
    return (Field(("Did you mean another day?",), (reading,), inline=False),)


def _move_action(interview: Interview, alternative: datetime | None, user: User) -> tuple[Action, ...]:
    if alternative is None:
        return ()
    label = f"Use {dates.day(alternative, user.zone)} instead"
    move = Action(
        ActionKind.MOVE_INTERVIEW,
        interview.id,
        label,
        ActionStyle.PRIMARY,
        at=alternative,
        offered_for=interview.scheduled_at,
    )
    return (move,)


LOGGED_AS_PAST = timedelta(days=7)  # an interview logged this long after: said plainly, in case the date is misread


def _logged_as_past(interview: Interview, planned: list[FollowUp]) -> Text:
    thanks = {FollowUpKind.THANK_YOU_EMAIL, FollowUpKind.HANDWRITTEN_NOTE}
    lapsed = not any(f.kind in thanks for f in planned)
    return (
        "⚠️ Logged as past: ",
        Instant(interview.scheduled_at),
        " is more than a week ago. If that's not the date you meant, fix it with ",
        Ask(Command.INTERVIEW_EDIT),
        "." + (" I planned no thank-you email or note nudges: their deadline passed long ago." if lapsed else ""),
    )


def interview_logged(result: Planned, now: datetime) -> Message:
    interview = result.interview
    plan = Field(("Your follow-up plan",), plan_lines(result.follow_ups, now), inline=False)
    body: list[Text] = [read_in(result.user, interview.scheduled_at, result.stated_zone)]
    if now - interview.scheduled_at > LOGGED_AS_PAST:
        body.append(_logged_as_past(interview, result.follow_ups))
    return Message(
        ("Interview logged: ", UserText(interview.title)),
        body=tuple(body),
        fields=(*context_fields(interview, None), plan, *_other_day(result.alternative)),
        footer=(
            "At the end of the interview, ask what happens next, then record it with ",
            Ask(Command.INTERVIEW_NEXT),
            ".",
        ),
        actions=_move_action(interview, result.alternative, result.user),
    )


def next_steps_recorded(result: StepsRecorded) -> Message:
    steps = result.next_steps
    body: list[Text] = [next_steps_summary(steps)]
    if steps.check_back_agreed or steps.decision_by is not None:
        body.append(read_in(result.user, steps.check_back_at, result.stated_zone))
    if steps.check_back_agreed:
        footer: Text = ("Mention this check-in date in your thank-you email and handwritten note.",)
    else:
        footer = (
            "They named no date, so I planned this call. Propose it in your thank-you email and note, "
            "and next time ask: “When would be a good time to check back?”",
        )
    return Message(
        ("What happens next: ", UserText(result.interview.title)),
        Tone.SUCCESS,
        body=tuple(body),
        fields=(Field(("Check-in call",), (both(result.check_in.due_at),), inline=False),),
        footer=footer,
    )


def check_in_logged(result: CallLogged) -> Message:
    body: list[Text] = [("You heard: ", UserText(result.check_in.heard))]
    if result.check_in.next_check_back_at is not None:
        body.append(read_in(result.user, result.check_in.next_check_back_at, result.stated_zone))
    return Message(
        ("Call logged: ", UserText(result.interview.title)),
        Tone.SUCCESS,
        body=tuple(body),
        fields=(Field(("Next check-in call",), (both(result.next_call.due_at),), inline=False),),
        footer=("Keep following through until you hear an outcome.",),
    )


def outcome_recorded(result: OutcomeChange) -> Message:
    interview = result.interview
    text = {
        Outcome.OFFER: "Congratulations on the offer! 🎉 Your follow-ups for it are closed.",
        Outcome.WITHDRAWN: "Withdrawn. Your follow-ups for it are closed.",
        Outcome.REJECTED: "Sorry to hear it. Asking for feedback turns this into your next advantage.",
    }[interview.outcome or Outcome.WITHDRAWN]
    fields = []
    if result.previous is not None and result.previous is not interview.outcome:
        fields.append(Field(("Changed",), ((f"from {result.previous} to {interview.outcome}",),), inline=False))
    if result.cancelled:
        fields.append(Field(("Cancelled",), ((plural(result.cancelled, "pending follow-up"),),)))
    if result.feedback_request is not None:
        fields.append(Field(("Feedback request",), (both(result.feedback_request.due_at),), inline=False))
    body: tuple[Text, ...] = ((text,),)
    if result.feedback_request is not None:
        body += (read_in(result.user),)
    return Message(("Outcome: ", UserText(interview.title)), body=body, fields=tuple(fields))


def feedback_recorded(interview: Interview, feedback: Feedback) -> Message:
    return Message(("Feedback saved: ", UserText(interview.title)), Tone.SUCCESS, body=((UserText(feedback.text),),))


DROPPED = {
    Dropped.STARTED: "the interview has already started at the new time",
    Dropped.QUIET: "your quiet hours would hold its reminder back until the interview",
    Dropped.LAPSED: "its deadline passed more than a day ago",
}


def interview_edited(result: Edited, now: datetime) -> Message:
    interview = result.interview
    changed = f"Changed: {', '.join(result.changed)}." if result.changed else "Nothing changed."
    fields = [Field(("Interview",), ((Instant(interview.scheduled_at),),), inline=False)]
    footer: Text = ()
    if result.replanned:
        lines = plan_lines(result.replanned, now)
        fields.append(Field(("Follow-ups planned again for the new time",), lines, inline=False))
    if result.kept_call is not None:
        kept = (bold(result.kept_call.kind.label), " — ", *both(result.kept_call.due_at), " (agreed with them)")
        fields.append(Field(("Kept",), (kept,), inline=False))
    if result.dropped:
        lines = tuple((bold(kind.label), " — ", DROPPED[why]) for kind, why in result.dropped)
        fields.append(Field(("Dropped",), lines, inline=False))
    if result.replanned or result.dropped:
        footer = ("Follow-ups you already did stay done.",)
    elif "time" in result.changed and interview.outcome is not None:
        footer = (f"It's closed ({interview.outcome}), so no follow-ups were planned.",)
    body: tuple[Text, ...] = ((changed,),)
    if "time" in result.changed or result.stated_zone is not None:
        body += (read_in(result.user, interview.scheduled_at, result.stated_zone),)
    return Message(
        ("Interview updated: ", UserText(interview.title)),
        Tone.SUCCESS,
        body=body,
        fields=(*fields, *_other_day(result.alternative)),
        footer=footer,
        actions=_move_action(interview, result.alternative, result.user),
    )


def confirm_delete(interview: Interview, open_follow_ups: int) -> Message:
    return Message(
        ("Delete ", UserText(interview.title), "?"),
        Tone.WARNING,
        body=(
            (
                "The interview on ",
                Instant(interview.scheduled_at),
                f" goes, with its {plural(open_follow_ups, 'open follow-up')}, answers, calls and feedback. "
                "Coaches you share with stop seeing it. This can't be undone.",
            ),
        ),
        actions=(
            Action(ActionKind.DELETE_INTERVIEW, interview.id, "Delete it", ActionStyle.DANGER),
            Action(ActionKind.KEEP_INTERVIEW, interview.id, "Keep it"),
        ),
    )


def interview_deleted(interview: Interview, follow_ups: int) -> Message:
    return Message(
        tone=Tone.SUCCESS,
        body=(("🗑️ Deleted ", UserText(interview.title), f" and its {plural(follow_ups, 'open follow-up')}."),),
    )


def delete_kept(title: str) -> Message:
    return Message(body=(("Kept ", UserText(title), ". Nothing was deleted."),))


def interview_reopened(result: Reopened, now: datetime) -> Message:
    return Message(
        ("Reopened: ", UserText(result.interview.title)),
        Tone.SUCCESS,
        body=((f"The outcome ({result.previous}) is taken back. Following through again:",), read_in(result.user)),
        fields=(Field(("Your follow-ups",), plan_lines(result.follow_ups, now), inline=False),),
        footer=(
            "Follow-ups that fell due while it was closed are not sent now; see ",
            Ask(Command.FOLLOW_UPS),
            ".",
        ),
    )


def _entry(summary: InterviewSummary, now: datetime) -> Text:
    interview = summary.interview
    status = interview.outcome.value if interview.outcome else "open"
    line: Text = (bold(UserText(interview.title)), " · ", Instant(interview.scheduled_at), f" · {status}")
    if summary.next_follow_up is not None:
        line += ("\n  next: ", *follow_up_line(summary.next_follow_up, now))
    return line


def interview_list(items: list[InterviewSummary], now: datetime, page: int, pager: Pager, listing: str) -> Message:
    """`listing` names the list for its page buttons: open interviews, or everything."""
    title: Text = ("Your interviews",)
    if not items:
        return Message(title, body=(("No interviews yet. Log one with ", Ask(Command.INTERVIEW_ADD, code=True), "."),))
    entries = [_entry(s, now) for s in items]
    pages = pager.pages(entries)
    page = min(max(page, 0), len(pages) - 1)
    return Message(
        title,
        body=tuple((Clip(entries[i], pager.room),) for i in pages[page]),
        footer=page_footer(page, len(pages), len(items), "interview"),
        actions=page_actions(listing, page, len(pages)),
    )


OUTCOMES = ("offer", "rejected", "withdrawn")


def outcome_form(title: str) -> Form:
    """The outcome's notes (the result itself is a choice of OUTCOMES, which each platform offers its way)."""
    return Form(
        f"Outcome: {title}",
        (Input("notes", "Notes (optional)", "anything to remember", long=True, required=False, limit=1000),),
    )


def edit_form(title: str) -> Form:
    """Fixing an interview in a dialog: each answer left empty keeps what is stored, "-" removes an optional one."""
    keep, clear = "empty keeps it", "empty keeps it, - removes it"
    return Form(
        f"Edit interview: {title}",
        (
            Input("company", f"Company ({keep})", "e.g. Acme", required=False),
            Input("role", f"Role ({keep})", "e.g. Data Analyst", required=False),
            Input("when", f"When ({keep})", "e.g. Friday 3pm, 2026-12-03 14:00", required=False),
            Input("interviewer", f"Interviewer ({clear})", "who you met", required=False),
            Input("contact", f"Contact ({clear})", "who to call for the check-in", required=False),
            Input("notes", f"Notes ({clear})", "anything to remember", long=True, required=False, limit=1000),
        ),
    )


def delete_form(title: str) -> Form:
    """Which interview to delete (nothing is deleted before the question that follows is answered)."""
    return Form(f"Delete interview: {title}", ())


def reopen_form(title: str) -> Form:
    return Form(f"Reopen interview: {title}", ())


def nothing_to_reopen() -> Message:
    return Message(
        ("Nothing to reopen",),
        body=(
            (
                "None of your interviews has an outcome to take back. See them all with ",
                Ask(Command.INTERVIEW_LIST),
                ".",
            ),
        ),
    )

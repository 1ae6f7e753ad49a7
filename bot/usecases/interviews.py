"""The seeker's interviews: log, edit, move, delete, outcome, next steps, check-in calls, feedback, lookups.

Each use case validates everything first, then writes in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from bot.domain import dates, plan, text
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.models import (
    CheckIn,
    Feedback,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Interview,
    InterviewSummary,
    NextSteps,
    Outcome,
    User,
)
from bot.domain.timeparse import ParsedTime, Prefer, parse_when
from bot.ports.repositories import NewInterview
from bot.ports.unit_of_work import UnitOfWork
from bot.usecases.actors import Accounts, Actor

MAX_CANDIDATES = 10_000
SEVERAL_SHOWN = 5  # interviews listed when a typed name matches more than one
CLEAR = "-"  # typed for an optional detail in an edit: remove it


@dataclass(frozen=True, slots=True)
class InterviewPlan:
    user: User
    interview: Interview
    follow_ups: list[FollowUp]
    alternative: datetime | None = None  # the other reading of a bare weekday, offered to switch to
    stated_zone: tzinfo | None = None  # a zone typed with the time ("2pm PST"), which it was read in


@dataclass(frozen=True, slots=True)
class InterviewEdited:
    user: User
    interview: Interview
    changed: list[str]  # the details that changed, as the command names them
    replanned: list[FollowUp]  # follow-ups planned afresh for a new time
    alternative: datetime | None = None
    stated_zone: tzinfo | None = None
    dropped: list[tuple[FollowUpKind, plan.Dropped]] = field(default_factory=list)  # open ones not planned again
    kept_call: FollowUp | None = None  # the agreed check-in call, still after the new time


@dataclass(frozen=True, slots=True)
class Moved:
    planned: list[FollowUp]
    dropped: list[tuple[FollowUpKind, plan.Dropped]]
    kept_call: FollowUp | None


@dataclass(frozen=True, slots=True)
class InterviewDeleted:
    interview: Interview
    follow_ups: int  # open follow-ups that went with it


@dataclass(frozen=True, slots=True)
class InterviewReopened:
    user: User
    interview: Interview
    previous: Outcome
    follow_ups: list[FollowUp]


@dataclass(frozen=True, slots=True)
class NextStepsRecorded:
    user: User
    interview: Interview
    next_steps: NextSteps
    check_in: FollowUp
    stated_zone: tzinfo | None = None  # a zone typed with the check-back time


@dataclass(frozen=True, slots=True)
class CheckInLogged:
    user: User
    interview: Interview
    check_in: CheckIn
    next_call: FollowUp
    stated_zone: tzinfo | None = None  # a zone typed with the next check-back time


@dataclass(frozen=True, slots=True)
class OutcomeRecorded:
    user: User
    interview: Interview
    cancelled: int
    feedback_request: FollowUp | None
    previous: Outcome | None = None  # the outcome it replaced, when one was changed


@dataclass(frozen=True, slots=True)
class FeedbackRecorded:
    interview: Interview
    feedback: Feedback


class InterviewService:
    def __init__(self, accounts: Accounts) -> None:
        self.accounts = accounts
        self.uow = accounts.uow
        self.clock = accounts.clock
        self.rules = accounts.rules

    async def record_interview(
        self,
        actor: Actor,
        company: str,
        role: str,
        when: str,
        interviewer: str | None = None,
        contact: str | None = None,
        notes: str | None = None,
        *,
        month_first: bool | None = None,
        typed_at: datetime | None = None,
    ) -> InterviewPlan:
        """`month_first`: how the user writes numeric dates (their locale); None refuses ambiguous ones.
        `typed_at`: when the user typed the command, if it waited (for their zone): "today" is that day."""
        company = text.required(company, "company", text.SHORT)
        role = text.required(role, "role", text.SHORT)
        interviewer = text.optional(interviewer, "interviewer", text.SHORT)
        contact = text.optional(contact, "contact", text.SHORT)
        notes = text.optional(notes, "notes", text.LONG, multiline=True)
        existing = await self.accounts.find(actor)
        prefs = self.accounts.default_prefs() if existing is None else self.accounts.prefs(existing)
        now = self.clock.now()
        at, alternative, stated = self._interview_time(when, prefs.zone, typed_at or now, month_first)
        new = NewInterview(company, role, at, interviewer, contact, notes)
        drafts = plan.interview_follow_ups(at, now, prefs, self.rules)
        async with self.uow.transaction() as uow:
            user = existing or await self.accounts.create(uow, actor)
            interview = await uow.interviews.insert(user.id, new, now)
            follow_ups = await uow.follow_ups.insert(interview.id, user.id, drafts, now)
        self.accounts.scheduled(follow_ups)
        return InterviewPlan(user, interview, follow_ups, alternative, stated)

    def _interview_time(
        self, when: str, zone: ZoneInfo, now: datetime, month_first: bool | None
    ) -> tuple[datetime, datetime | None, tzinfo | None]:
        """The interview's instant, the other reading of a bare weekday, and the zone typed with it if any."""
        parsed = parse_when(
            when,
            zone,
            now,
            default_time=self.rules.check_in_hour,
            what="interview time",
            month_first=month_first,
        )
        at = parsed.at.astimezone(now.tzinfo)
        _check_within_a_year(at, now)
        other = None if parsed.alternative is None else parsed.alternative.astimezone(now.tzinfo)
        return at, other, parsed.stated_zone

    async def edit_interview(
        self,
        actor: Actor,
        interview_ref: str,
        *,
        company: str | None = None,
        role: str | None = None,
        when: str | None = None,
        interviewer: str | None = None,
        contact: str | None = None,
        notes: str | None = None,
        month_first: bool | None = None,
    ) -> InterviewEdited:
        """Change any details; CLEAR removes an optional one. A new time replans the follow-ups still to do."""
        if all(v is None for v in (company, role, when, interviewer, contact, notes)):
            raise InvalidInput("Tell me what to change: company, role, when, interviewer, contact or notes.")
        interview = await self.find_interview(actor, interview_ref, open_only=False)
        user = await self.accounts.user(actor)
        now = self.clock.now()
        at, alternative, stated = interview.scheduled_at, None, None
        if when is not None:
            try:
                at, alternative, stated = self._interview_time(when, user.zone, now, month_first)
            except InvalidInput as exc:
                exc.about = "when"
                raise
        fields = NewInterview(
            _kept(interview.company, company, "company"),
            _kept(interview.role, role, "role"),
            at,
            _edited(interview.interviewer, interviewer, "interviewer", text.SHORT),
            _edited(interview.contact, contact, "contact", text.SHORT),
            _edited(interview.notes, notes, "notes", text.LONG, multiline=True),
        )
        return await self._save_interview(user, interview, fields, now, alternative, stated)

    async def move_interview(
        self, actor: Actor, interview_id: int, at: datetime, offered_for: datetime | None = None
    ) -> InterviewEdited:
        """The other reading of a bare weekday, chosen with its button; `offered_for`: the interview's time when
        it was offered. The button only applies to that reading: after a later edit it would undo the edit."""
        interview = await self.find_interview(actor, str(interview_id), open_only=False)
        if offered_for is not None and interview.scheduled_at != offered_for:
            raise InvalidInput("This interview's time was changed since; use {interview_edit} to move it.")
        now = self.clock.now()
        _check_within_a_year(at, now)
        user = await self.accounts.user(actor)
        fields = NewInterview(
            interview.company, interview.role, at, interview.interviewer, interview.contact, interview.notes
        )
        return await self._save_interview(user, interview, fields, now, None)

    async def _save_interview(
        self,
        user: User,
        interview: Interview,
        fields: NewInterview,
        now: datetime,
        alternative: datetime | None,
        stated_zone: tzinfo | None = None,
    ) -> InterviewEdited:
        pairs = {
            "company": (interview.company, fields.company),
            "role": (interview.role, fields.role),
            "time": (interview.scheduled_at, fields.scheduled_at),
            "interviewer": (interview.interviewer, fields.interviewer),
            "contact": (interview.contact, fields.contact),
            "notes": (interview.notes, fields.notes),
        }
        changed = [name for name, (old, new) in pairs.items() if old != new]
        moved = Moved([], [], None)
        async with self.uow.transaction() as uow:
            saved = await uow.interviews.update(interview.id, fields)
            if "time" in changed and saved.is_open:
                moved = await self._move_plan(uow, user, saved, now)
        self.accounts.scheduled(moved.planned)
        return InterviewEdited(
            user, saved, changed, moved.planned, alternative, stated_zone, moved.dropped, moved.kept_call
        )

    async def _move_plan(self, uow: UnitOfWork, user: User, interview: Interview, now: datetime) -> Moved:
        """Plan afresh for the interview's new time what is not done yet: the follow-ups timed from it, and the
        default check-in call after it, unless a call agreed with the employer is still open and after it."""
        existing = await uow.follow_ups.of_interview(interview.id)
        done = frozenset(f.kind for f in existing if f.status is FollowUpStatus.DONE)
        open_now = {f.kind: f for f in existing if f.status.is_open}
        agreed = await uow.interviews.agreed_check_back(interview.id)
        call = open_now.get(FollowUpKind.CHECK_IN)
        kept_call = call if call is not None and agreed is not None and agreed > interview.scheduled_at else None
        replan = plan.replanned(interview.scheduled_at, now, self.accounts.prefs(user), self.rules, done, not kept_call)
        replaced = set(plan.INTERVIEW_TIMED_KINDS - done) | (set() if kept_call else {FollowUpKind.CHECK_IN})
        await uow.follow_ups.cancel_open(interview.id, sorted(replaced))
        planned = await uow.follow_ups.insert(interview.id, user.id, replan.drafts, now)
        return Moved(planned, [(k, why) for k, why in replan.dropped if k in open_now], kept_call)

    async def _reopen_plan(self, uow: UnitOfWork, user: User, interview: Interview, now: datetime) -> list[FollowUp]:
        """Reopening: plan afresh what is not done yet and still ahead, the follow-ups timed from the interview,
        and always a call (the default one while no answers or call were logged, else the agreed one)."""
        existing = await uow.follow_ups.of_interview(interview.id)
        done = frozenset(f.kind for f in existing if f.status is FollowUpStatus.DONE)
        default_call = FollowUpKind.CHECK_IN not in done and not await uow.interviews.has_answers(interview.id)
        prefs = self.accounts.prefs(user)
        replan = plan.replanned(interview.scheduled_at, now, prefs, self.rules, done, default_call)
        drafts = [d for d in replan.drafts if d.due_at > now]
        if not any(d.kind is FollowUpKind.CHECK_IN for d in drafts):
            back = await uow.interviews.agreed_check_back(interview.id)
            ahead = back if back is not None and back > now else None
            drafts.append(plan.follow_through(now, ahead, ahead is not None, prefs, self.rules))
        replaced = plan.INTERVIEW_TIMED_KINDS - done | {FollowUpKind.CHECK_IN, FollowUpKind.FEEDBACK_REQUEST}
        await uow.follow_ups.cancel_open(interview.id, sorted(replaced))
        return await uow.follow_ups.insert(interview.id, user.id, drafts, now)

    async def delete_interview(self, actor: Actor, interview_id: int) -> InterviewDeleted:
        """The interview and all of it: follow-ups, answers, calls and feedback. Coaches no longer see it."""
        interview = await self.find_interview(actor, str(interview_id), open_only=False)
        async with self.uow.transaction() as uow:
            existing = await uow.follow_ups.of_interview(interview.id)
            if not await uow.interviews.delete(interview.user_id, interview.id):
                raise NotFound("That interview was deleted already.")
        return InterviewDeleted(interview, sum(1 for f in existing if f.status.is_open))

    async def reopen_interview(self, actor: Actor, interview_ref: str) -> InterviewReopened:
        """Take back an outcome recorded by mistake: the follow-through resumes."""
        interview = await self.find_interview(actor, interview_ref, open_only=False)
        if interview.outcome is None:
            raise InvalidInput("{title} is open already: it has no outcome to take back.", title=interview.title)
        user = await self.accounts.user(actor)
        now = self.clock.now()
        async with self.uow.transaction() as uow:
            reopened = await uow.interviews.change_outcome(interview.id, interview.outcome, None, None, now)
            if reopened is None:
                raise _changed_meanwhile(interview)
            follow_ups = await self._reopen_plan(uow, user, reopened, now)
        self.accounts.scheduled(follow_ups)
        return InterviewReopened(user, reopened, interview.outcome, follow_ups)

    async def find_interview(self, actor: Actor, ref: str, *, open_only: bool = True) -> Interview:
        """An interview of the actor's by id (what autocomplete fills in) or by a unique name match."""
        user = await self.accounts.find(actor)  # not created: a stranger owns nothing
        cleaned = text.clean(ref)
        interview = None
        if user is not None and cleaned.isdigit() and len(cleaned) < 19:
            async with self.uow.reading() as uow:
                interview = await uow.interviews.get(user.id, int(cleaned))
        elif user is not None and cleaned:
            async with self.uow.reading() as uow:
                matches = await uow.interviews.search(user.id, cleaned, SEVERAL_SHOWN + 1, include_closed=not open_only)
            if len(matches) > 1:
                raise _several(cleaned, matches, user.zone)
            interview = matches[0] if matches else None
        if interview is None:
            raise NotFound(
                "I can't find that interview among yours. Start typing the company name and pick "
                "it from the list, or see {interview_list}."
            )
        if open_only and not interview.is_open:
            raise InvalidInput(
                f"{{title}} is already closed ({interview.outcome}). Nothing more to follow up.", title=interview.title
            )
        return interview

    async def interview_choices(
        self, actor: Actor, typed: str, limit: int, *, include_closed: bool = False
    ) -> list[Interview]:
        """Up to `limit` of the actor's interviews matching what they typed so far, most recent first."""
        user = await self.accounts.find(actor)
        if user is None:
            return []
        async with self.uow.reading() as uow:
            return await uow.interviews.search(
                user.id, text.clean(typed)[: text.SHORT], limit, include_closed=include_closed
            )

    async def record_next_steps(
        self,
        actor: Actor,
        interview_ref: str,
        check_back: str | None = None,
        candidates: int | None = None,
        decision: str | None = None,
        rounds: str | None = None,
        notes: str | None = None,
        *,
        month_first: bool | None = None,
        typed_at: datetime | None = None,
    ) -> NextStepsRecorded:
        if candidates is not None and not 0 <= candidates <= MAX_CANDIDATES:
            raise InvalidInput(f"The number of other candidates must be between 0 and {MAX_CANDIDATES}.")
        rounds = text.optional(rounds, "further interviews", text.SHORT)
        notes = text.optional(notes, "notes", text.LONG, multiline=True)
        interview = await self.find_interview(actor, interview_ref)
        user = await self.accounts.user(actor)
        now = self.clock.now()
        back = None
        if check_back is not None and check_back.strip():
            back = self._future(check_back, user, now, "check-back date", month_first, typed_at, about="check_back")
        decision_by = (
            None
            if decision is None or not decision.strip()
            else self._future(decision, user, now, "decision date", month_first, typed_at, about="decision").at
        )
        if back is None:  # no date agreed: the day after the decision, else a week after the interview
            call = plan.default_check_in(interview.scheduled_at, decision_by, self.accounts.prefs(user), self.rules)
        else:
            local = back.at.astimezone(user.zone)
            call = plan.check_in_call(
                local.date(), self.accounts.prefs(user), self.rules, local.time() if back.has_time else None
            )
        check_back_at = call.due_at if back is None else back.at
        steps = NextSteps(interview.id, check_back_at, candidates, decision_by, rounds, notes, now, back is not None)
        async with self.uow.transaction() as uow:
            if not await uow.interviews.is_open(interview.id):
                raise _closed_meanwhile(interview)
            await uow.interviews.save_next_steps(steps)
            await uow.follow_ups.complete_kind(interview.id, FollowUpKind.NEXT_STEPS, now)
            await uow.follow_ups.cancel_open(interview.id, [FollowUpKind.CHECK_IN])
            [check_in] = await uow.follow_ups.insert(interview.id, user.id, [call], now)
        self.accounts.scheduled([check_in])
        return NextStepsRecorded(user, interview, steps, check_in, None if back is None else back.stated_zone)

    async def log_check_in(
        self,
        actor: Actor,
        interview_ref: str,
        heard: str,
        next_check_back: str | None = None,
        *,
        month_first: bool | None = None,
        typed_at: datetime | None = None,
    ) -> CheckInLogged:
        heard = text.required(heard, "update", text.LONG, multiline=True)
        interview = await self.find_interview(actor, interview_ref)
        user = await self.accounts.user(actor)
        now = self.clock.now()
        back = None
        if next_check_back is not None and next_check_back.strip():
            back = self._future(next_check_back, user, now, "next check-back date", month_first, typed_at)
        call = plan.follow_through(
            now,
            None if back is None else back.at,
            back is not None and back.has_time,
            self.accounts.prefs(user),
            self.rules,
        )
        async with self.uow.transaction() as uow:
            if not await uow.interviews.is_open(interview.id):
                raise _closed_meanwhile(interview)
            check_in = await uow.interviews.add_check_in(interview.id, heard, None if back is None else back.at, now)
            await uow.follow_ups.complete_kind(interview.id, FollowUpKind.CHECK_IN, now)
            [next_call] = await uow.follow_ups.insert(interview.id, user.id, [call], now)
        self.accounts.scheduled([next_call])
        return CheckInLogged(user, interview, check_in, next_call, None if back is None else back.stated_zone)

    async def record_outcome(
        self, actor: Actor, interview_ref: str, result: str, notes: str | None = None
    ) -> OutcomeRecorded:
        try:
            outcome = Outcome(result.strip().lower())
        except ValueError:
            raise InvalidInput("The result must be one of: offer, rejected, withdrawn.") from None
        notes = text.optional(notes, "notes", text.LONG, multiline=True)
        interview = await self.find_interview(actor, interview_ref, open_only=False)
        user = await self.accounts.user(actor)
        if interview.outcome is not None:
            return await self._change_outcome(user, interview, interview.outcome, outcome, notes)
        now = self.clock.now()
        async with self.uow.transaction() as uow:
            closed = await uow.interviews.set_outcome(interview.id, outcome, notes, now)
            if closed is None:
                raise _closed_meanwhile(interview)
            cancelled = await uow.follow_ups.cancel_open(interview.id)
            created = []
            if outcome is Outcome.REJECTED:
                ask = plan.feedback_request(now, self.accounts.prefs(user), self.rules)
                created = await uow.follow_ups.insert(interview.id, user.id, [ask], now)
        self.accounts.scheduled(created)
        return OutcomeRecorded(user, closed, cancelled, created[0] if created else None)

    async def _change_outcome(
        self, user: User, interview: Interview, old: Outcome, new: Outcome, notes: str | None
    ) -> OutcomeRecorded:
        """A mistaken outcome: only the feedback request depends on which closed it."""
        if new is old and notes is None:
            raise InvalidInput(
                f"{{title}} is already recorded as {old}. To take the outcome back, use {{interview_reopen}}.",
                title=interview.title,
            )
        now = self.clock.now()
        async with self.uow.transaction() as uow:
            changed = await uow.interviews.change_outcome(interview.id, old, new, notes, now)
            if changed is None:
                raise _changed_meanwhile(interview)
            cancelled, created = 0, []
            if old is Outcome.REJECTED and new is not Outcome.REJECTED:
                cancelled = await uow.follow_ups.cancel_open(interview.id, [FollowUpKind.FEEDBACK_REQUEST])
            if new is Outcome.REJECTED and old is not Outcome.REJECTED:
                ask = plan.feedback_request(now, self.accounts.prefs(user), self.rules)
                created = await uow.follow_ups.insert(interview.id, user.id, [ask], now)
        self.accounts.scheduled(created)
        return OutcomeRecorded(user, changed, cancelled, created[0] if created else None, previous=old)

    async def record_feedback(self, actor: Actor, interview_ref: str, feedback: str) -> FeedbackRecorded:
        body = text.required(feedback, "feedback", text.LONG, multiline=True)
        interview = await self.find_interview(actor, interview_ref, open_only=False)
        now = self.clock.now()
        async with self.uow.transaction() as uow:
            saved = await uow.interviews.add_feedback(interview.id, body, now)
            await uow.follow_ups.complete_kind(interview.id, FollowUpKind.FEEDBACK_REQUEST, now)
        return FeedbackRecorded(interview, saved)

    async def list_interviews(self, actor: Actor, include_closed: bool = False) -> list[InterviewSummary]:
        user = await self.accounts.user(actor)
        async with self.uow.reading() as uow:
            interviews = await uow.interviews.list_for_user(user.id, include_closed)
            open_items = await uow.follow_ups.open_for_user(user.id)
        starts = {i.id: i.scheduled_at for i in interviews}
        now = self.clock.now()
        soonest: dict[int, FollowUp] = {}
        for item in open_items:  # sorted by due time, so the first seen is the soonest
            if item.interview_id in starts and not item.expired(starts[item.interview_id], now):
                soonest.setdefault(item.interview_id, item)
        return [InterviewSummary(i, soonest.get(i.id)) for i in interviews]

    def _future(
        self,
        value: str,
        user: User,
        now: datetime,
        what: str,
        month_first: bool | None,
        typed_at: datetime | None = None,
        about: str | None = None,
    ) -> ParsedTime:
        """A time to come, its relative words read as of `typed_at` (default: now); a refusal names the input
        it is `about`."""
        try:
            parsed = parse_when(
                value,
                user.zone,
                typed_at or now,
                prefer=Prefer.FUTURE,
                default_time=self.rules.check_in_hour,
                what=what,
                month_first=month_first,
            )
            if parsed.at < now:
                raise InvalidInput(
                    f"The {what} “{{typed}}” is in the past. Give a future date, like “next Friday” or “in two weeks”.",
                    typed=text.clean(value)[:60],
                )
            if parsed.at - now > timedelta(days=366):
                raise InvalidInput(f"The {what} is more than a year away. Check the year.")
        except InvalidInput as exc:
            exc.about = about
            raise
        return parsed


def _closed_meanwhile(interview: Interview) -> InvalidInput:
    return InvalidInput(
        "{title} was closed with an outcome just now. Nothing more to follow up.", title=interview.title
    )


def _changed_meanwhile(interview: Interview) -> InvalidInput:
    return InvalidInput(
        "The outcome of {title} was changed just now. See {interview_list}, then try again.", title=interview.title
    )


def _check_within_a_year(at: datetime, now: datetime) -> None:
    if abs(at - now) > timedelta(days=366):
        raise InvalidInput("That interview date is more than a year away from today. Check the year.")


def _kept(old: str, new: str | None, what: str) -> str:
    """A required detail in an edit: None keeps it; CLEAR can't remove it."""
    if new is None:
        return old
    if new.strip() == CLEAR:
        refused = InvalidInput(
            f"The {what} can't be empty: “{CLEAR}” only removes optional details. It stays “{{old}}”.", old=old
        )
        refused.about = what
        raise refused
    return text.required(new, what, text.SHORT)


def _edited(old: str | None, new: str | None, what: str, limit: int, *, multiline: bool = False) -> str | None:
    """An optional detail in an edit: None (or blank) keeps it, CLEAR removes it."""
    if new is None:
        return old
    if new.strip() == CLEAR:
        return None
    return text.optional(new, what, limit, multiline=multiline) or old


def _several(typed: str, matches: list[Interview], zone: ZoneInfo) -> NotFound:
    shown = matches[:SEVERAL_SHOWN]
    lines = "\n".join(f"• {{title_{n}}}, {dates.day_time(i.scheduled_at, zone)}" for n, i in enumerate(shown))
    more = "\n…and more." if len(matches) > SEVERAL_SHOWN else ""
    return NotFound(
        f"Several of your interviews match “{{typed}}”:\n{lines}{more}\nPick the one you mean from the list "
        "as you type (each shows its date and time), or see {interview_list}.",
        typed=typed[:60],
        **{f"title_{n}": i.title for n, i in enumerate(shown)},
    )

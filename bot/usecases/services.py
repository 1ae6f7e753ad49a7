"""The seeker's use cases. Each validates everything first, then writes in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from aiosqlite import Connection

from bot.content import ics
from bot.domain import plan, text, zones
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
    QuietHours,
    User,
)
from bot.domain.timeparse import ParsedTime, Prefer, parse_when
from bot.ports.clock import Clock
from bot.settings import Settings
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.follow_ups import FollowUpRepo
from bot.storage.sqlite.interviews import InterviewRepo, NewInterview
from bot.storage.sqlite.users import UserRepo

MAX_CANDIDATES = 10_000
AUTOCOMPLETE_LIMIT = 25  # Discord shows at most 25 choices
SEVERAL_SHOWN = 5  # interviews listed when a typed name matches more than one
CLEAR = "-"  # typed for an optional detail in /interview edit: remove it


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is asking, as their chat platform names them (and, where it has them, the workspace they are in)."""

    platform: str
    external_id: str
    workspace: str | None = None


@dataclass(frozen=True, slots=True)
class InterviewPlan:
    user: User
    interview: Interview
    follow_ups: list[FollowUp]
    alternative: datetime | None = None  # the other reading of a bare weekday, offered to switch to


@dataclass(frozen=True, slots=True)
class InterviewEdited:
    user: User
    interview: Interview
    changed: list[str]  # the details that changed, as the command names them
    replanned: list[FollowUp]  # follow-ups planned afresh for a new time
    alternative: datetime | None = None


@dataclass(frozen=True, slots=True)
class InterviewDeleted:
    interview: Interview
    follow_ups: int  # open follow-ups that went with it


@dataclass(frozen=True, slots=True)
class InterviewReopened:
    interview: Interview
    previous: Outcome
    follow_ups: list[FollowUp]


@dataclass(frozen=True, slots=True)
class NextStepsRecorded:
    user: User
    interview: Interview
    next_steps: NextSteps
    check_in: FollowUp


@dataclass(frozen=True, slots=True)
class CheckInLogged:
    user: User
    interview: Interview
    check_in: CheckIn
    next_call: FollowUp


@dataclass(frozen=True, slots=True)
class OutcomeRecorded:
    interview: Interview
    cancelled: int
    feedback_request: FollowUp | None
    previous: Outcome | None = None  # the outcome it replaced, when one was changed


@dataclass(frozen=True, slots=True)
class FeedbackRecorded:
    interview: Interview
    feedback: Feedback


@dataclass(frozen=True, slots=True)
class FollowUpChange:
    follow_up: FollowUp
    interview: Interview
    past_deadline: bool = False


@dataclass(frozen=True, slots=True)
class Moved:
    """A pending call after a change of zone, and its time before."""

    follow_up: FollowUp
    interview: Interview
    before: datetime


@dataclass(frozen=True, slots=True)
class ZoneChanged:
    user: User
    previous: ZoneInfo
    moved: list[Moved]  # planned at a local hour: the same hour in the new zone
    kept: list[Moved]  # agreed with the employer: the same instant


@dataclass(frozen=True, slots=True)
class OpenFollowUp:
    follow_up: FollowUp
    interview: Interview


class Services:
    def __init__(self, db: Database, clock: Clock, settings: Settings) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings
        self.schedule = settings.schedule
        self.users = UserRepo(db)
        self.interviews = InterviewRepo(db)
        self.follow_ups = FollowUpRepo(db)
        self._schedule_listeners: list[Callable[[datetime], None]] = []

    def on_follow_up_scheduled(self, listener: Callable[[datetime], None]) -> None:
        """`listener(notify_at)` hears of every follow-up (re)scheduled, so a dispatcher can wake sooner."""
        self._schedule_listeners.append(listener)

    def _scheduled(self, follow_ups: list[FollowUp]) -> None:
        pending = [f.notify_at for f in follow_ups if f.status is FollowUpStatus.PENDING]
        if pending:
            soonest = min(pending)
            for listener in self._schedule_listeners:
                listener(soonest)

    # Users and their preferences

    async def user(self, actor: Actor) -> User:
        existing = await self.users.get(actor.platform, actor.external_id, actor.workspace)
        if existing is not None:
            return existing
        async with self.db.transaction() as tx:
            return await self._create_user(tx, actor)

    async def _create_user(self, tx: Connection, actor: Actor) -> User:
        default = self._default_prefs()
        return await self.users.create(
            tx,
            actor.platform,
            actor.external_id,
            default.zone.key,
            default.quiet_hours,
            self.clock.now(),
            actor.workspace,
        )

    def _default_prefs(self) -> plan.Prefs:
        """What a user who never set anything gets; nothing is stored for them until they write."""
        quiet = QuietHours(self.schedule.quiet_hours_start, self.schedule.quiet_hours_end)
        return plan.Prefs(zone=ZoneInfo(self.settings.default_timezone), quiet_hours=quiet)

    async def zone(self, actor: Actor) -> ZoneInfo:
        """The actor's time zone, without creating them (autocomplete runs on every keystroke)."""
        existing = await self.users.get(actor.platform, actor.external_id, actor.workspace)
        return self._default_prefs().zone if existing is None else existing.zone

    async def zone_chosen(self, actor: Actor) -> bool:
        """Whether times can be read for the actor: they chose a zone, or the operator does not ask."""
        if not self.settings.ask_timezone:
            return True
        existing = await self.users.get(actor.platform, actor.external_id, actor.workspace)
        return existing is not None and existing.timezone_chosen

    @staticmethod
    def prefs(user: User) -> plan.Prefs:
        return plan.Prefs(zone=user.zone, quiet_hours=user.quiet_hours)

    async def set_timezone(self, actor: Actor, zone_name: str) -> ZoneChanged:
        """The zone the user chose. Their calls planned at a local hour move with them; a call whose time was
        agreed with the employer keeps its instant, and so does every follow-up timed from the interview."""
        name = zones.resolve(zone_name)
        existing = await self.users.get(actor.platform, actor.external_id, actor.workspace)
        async with self.db.transaction() as tx:
            user = existing or await self._create_user(tx, actor)
            await self.users.set_timezone(tx, user.id, name, self.clock.now())
            moved, kept = await self._replan(tx, replace(user, timezone=name), moved_from=user.zone)
        interviews = await self.interviews.by_ids(sorted({f.interview_id for f, _ in moved + kept}))
        fresh = await self.users.by_id(user.id)
        assert fresh is not None
        return ZoneChanged(
            fresh,
            user.zone,
            [Moved(f, interviews[f.interview_id], before) for f, before in moved],
            [Moved(f, interviews[f.interview_id], before) for f, before in kept],
        )

    async def set_quiet_hours(self, actor: Actor, start: str, end: str) -> User:
        quiet = QuietHours(text.clock_time(start, "the quiet hours start"), text.clock_time(end, "the quiet hours end"))
        existing = await self.users.get(actor.platform, actor.external_id, actor.workspace)
        async with self.db.transaction() as tx:
            user = existing or await self._create_user(tx, actor)
            await self.users.set_quiet_hours(tx, user.id, quiet)
            await self._replan(tx, replace(user, quiet_hours=quiet))
        fresh = await self.users.by_id(user.id)
        assert fresh is not None
        return fresh

    async def _replan(
        self, tx: Connection, user: User, moved_from: ZoneInfo | None = None
    ) -> tuple[list[tuple[FollowUp, datetime]], list[tuple[FollowUp, datetime]]]:
        """Pending follow-ups after a change of quiet hours, or of zone (`moved_from`), inside the change's own
        transaction. Returns the calls that moved to the same local time in the new zone and the agreed calls
        that kept their instant, each with its time before."""
        prefs = self.prefs(user)
        moves = {}
        moved, kept = [], []
        # Read inside the transaction: a dispatcher claim in between would otherwise be reset to pending.
        for item in await self.follow_ups.pending_for_user(user.id):
            due = item.due_at
            if moved_from is not None and item.kind in plan.WALL_CLOCK_KINDS and moved_from != prefs.zone:
                if item.time_agreed:
                    kept.append((item, item.due_at))
                else:
                    due = plan.same_wall_clock(due, moved_from, prefs.zone)
                    moved.append((replace(item, due_at=due), item.due_at))
            moves[item.id] = (due, plan.outside_quiet_hours(due, prefs))
        await self.follow_ups.set_times(tx, moves)
        if moves:
            for listener in self._schedule_listeners:
                listener(min(notify for _, notify in moves.values()))
        return moved, kept

    async def hold_command(self, actor: Actor, command: str, options: str) -> int:
        """Keep a command (its options as JSON) until the actor has chosen a zone; returns its id."""
        existing = await self.users.get(actor.platform, actor.external_id, actor.workspace)
        async with self.db.transaction() as tx:
            user = existing or await self._create_user(tx, actor)
            return await self.users.hold_command(tx, user.id, command, options, self.clock.now())

    async def take_command(self, actor: Actor, pending_id: int) -> tuple[str, str] | None:
        """The actor's held command (name, options JSON), once; None if it ran already or expired."""
        user = await self.users.get(actor.platform, actor.external_id, actor.workspace)
        if user is None:
            return None
        async with self.db.transaction() as tx:
            return await self.users.take_command(tx, user.id, pending_id)

    async def take_dms_closed_notice(self, actor: Actor) -> bool:
        user = await self.users.get(actor.platform, actor.external_id, actor.workspace)
        if user is None or not user.dms_closed_notice_pending:
            return False
        async with self.db.transaction() as tx:
            return await self.users.take_dms_closed_notice(tx, user.id)

    # Interviews

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
    ) -> InterviewPlan:
        """`month_first`: how the user writes numeric dates (their locale); None refuses ambiguous ones."""
        company = text.required(company, "company", text.SHORT)
        role = text.required(role, "role", text.SHORT)
        interviewer = text.optional(interviewer, "interviewer", text.SHORT)
        contact = text.optional(contact, "contact", text.SHORT)
        notes = text.optional(notes, "notes", text.LONG, multiline=True)
        existing = await self.users.get(actor.platform, actor.external_id, actor.workspace)
        prefs = self._default_prefs() if existing is None else self.prefs(existing)
        now = self.clock.now()
        at, alternative = self._interview_time(when, prefs.zone, now, month_first)
        new = NewInterview(company, role, at, interviewer, contact, notes)
        drafts = plan.interview_follow_ups(at, now, prefs, self.schedule)
        async with self.db.transaction() as tx:
            user = existing or await self._create_user(tx, actor)
            interview = await self.interviews.insert(tx, user.id, new, now)
            follow_ups = await self.follow_ups.insert(tx, interview.id, user.id, drafts, now)
        self._scheduled(follow_ups)
        return InterviewPlan(user, interview, follow_ups, alternative)

    def _interview_time(
        self, when: str, zone: ZoneInfo, now: datetime, month_first: bool | None
    ) -> tuple[datetime, datetime | None]:
        """The interview's instant, and the other reading of a bare weekday if it is within the year too."""
        parsed = parse_when(
            when,
            zone,
            now,
            default_time=self.schedule.check_in_hour,
            what="interview time",
            month_first=month_first,
        )
        at = parsed.at.astimezone(now.tzinfo)
        _check_within_a_year(at, now)
        other = None if parsed.alternative is None else parsed.alternative.astimezone(now.tzinfo)
        return at, other

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
        user = await self.user(actor)
        now = self.clock.now()
        at, alternative = interview.scheduled_at, None
        if when is not None:
            at, alternative = self._interview_time(when, user.zone, now, month_first)
        fields = NewInterview(
            interview.company if company is None else text.required(company, "company", text.SHORT),
            interview.role if role is None else text.required(role, "role", text.SHORT),
            at,
            _edited(interview.interviewer, interviewer, "interviewer", text.SHORT),
            _edited(interview.contact, contact, "contact", text.SHORT),
            _edited(interview.notes, notes, "notes", text.LONG, multiline=True),
        )
        return await self._save_interview(user, interview, fields, now, alternative)

    async def move_interview(self, actor: Actor, interview_id: int, at: datetime) -> InterviewEdited:
        """The other reading of a bare weekday, chosen with its button."""
        interview = await self.find_interview(actor, str(interview_id), open_only=False)
        now = self.clock.now()
        _check_within_a_year(at, now)
        user = await self.user(actor)
        fields = NewInterview(
            interview.company, interview.role, at, interview.interviewer, interview.contact, interview.notes
        )
        return await self._save_interview(user, interview, fields, now, None)

    async def _save_interview(
        self, user: User, interview: Interview, fields: NewInterview, now: datetime, alternative: datetime | None
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
        replanned: list[FollowUp] = []
        async with self.db.transaction() as tx:
            saved = await self.interviews.update(tx, interview.id, fields)
            if "time" in changed and saved.is_open:
                replanned = await self._replan_interview(tx, user, saved, now, reopening=False)
        self._scheduled(replanned)
        return InterviewEdited(user, saved, changed, replanned, alternative)

    async def _replan_interview(
        self, tx: Connection, user: User, interview: Interview, now: datetime, *, reopening: bool
    ) -> list[FollowUp]:
        """Plan afresh what is not done yet: the follow-ups timed from the interview, and the check-in call
        while it is the default one. Reopening restores only what is still ahead, and always a call."""
        existing = await self.follow_ups.of_interview(tx, interview.id)
        done = frozenset(f.kind for f in existing if f.status is FollowUpStatus.DONE)
        default_call = FollowUpKind.CHECK_IN not in done and not await self.interviews.has_answers(tx, interview.id)
        prefs = self.prefs(user)
        drafts = plan.replanned(interview.scheduled_at, now, prefs, self.schedule, done, default_call)
        replaced = set(plan.INTERVIEW_TIMED_KINDS - done) | ({FollowUpKind.CHECK_IN} if default_call else set())
        if reopening:
            drafts = [d for d in drafts if d.due_at > now]
            if not any(d.kind is FollowUpKind.CHECK_IN for d in drafts):
                back = await self.interviews.agreed_check_back(tx, interview.id)
                ahead = back if back is not None and back > now else None
                drafts.append(plan.follow_through(now, ahead, ahead is not None, prefs, self.schedule))
            replaced |= {FollowUpKind.CHECK_IN, FollowUpKind.FEEDBACK_REQUEST}
        await self.follow_ups.cancel_open(tx, interview.id, sorted(replaced))
        return await self.follow_ups.insert(tx, interview.id, user.id, drafts, now)

    async def delete_interview(self, actor: Actor, interview_id: int) -> InterviewDeleted:
        """The interview and all of it: follow-ups, answers, calls and feedback. Coaches no longer see it."""
        interview = await self.find_interview(actor, str(interview_id), open_only=False)
        async with self.db.transaction() as tx:
            existing = await self.follow_ups.of_interview(tx, interview.id)
            if not await self.interviews.delete(tx, interview.user_id, interview.id):
                raise NotFound("That interview was deleted already.")
        return InterviewDeleted(interview, sum(1 for f in existing if f.status.is_open))

    async def reopen_interview(self, actor: Actor, interview_ref: str) -> InterviewReopened:
        """Take back an outcome recorded by mistake: the follow-through resumes."""
        interview = await self.find_interview(actor, interview_ref, open_only=False)
        if interview.outcome is None:
            raise InvalidInput(f"{interview.title} is open already: it has no outcome to take back.")
        user = await self.user(actor)
        now = self.clock.now()
        async with self.db.transaction() as tx:
            reopened = await self.interviews.change_outcome(tx, interview.id, interview.outcome, None, None, now)
            if reopened is None:
                raise _changed_meanwhile(interview)
            follow_ups = await self._replan_interview(tx, user, reopened, now, reopening=True)
        self._scheduled(follow_ups)
        return InterviewReopened(reopened, interview.outcome, follow_ups)

    async def find_interview(self, actor: Actor, ref: str, *, open_only: bool = True) -> Interview:
        """An interview of the actor's by id (what autocomplete fills in) or by a unique name match."""
        # not created: a stranger owns nothing
        user = await self.users.get(actor.platform, actor.external_id, actor.workspace)
        cleaned = text.clean(ref)
        interview = None
        if user is not None and cleaned.isdigit() and len(cleaned) < 19:
            interview = await self.interviews.get(user.id, int(cleaned))
        elif user is not None and cleaned:
            matches = await self.interviews.search(user.id, cleaned, SEVERAL_SHOWN + 1, include_closed=not open_only)
            if len(matches) > 1:
                raise NotFound(_several(cleaned, matches, user.zone))
            interview = matches[0] if matches else None
        if interview is None:
            raise NotFound(
                "I can't find that interview among yours. Start typing the company name and pick "
                "it from the list, or see /interview list."
            )
        if open_only and not interview.is_open:
            raise InvalidInput(f"{interview.title} is already closed ({interview.outcome}). Nothing more to follow up.")
        return interview

    async def interview_choices(self, actor: Actor, typed: str, *, include_closed: bool = False) -> list[Interview]:
        user = await self.users.get(actor.platform, actor.external_id, actor.workspace)
        if user is None:
            return []
        return await self.interviews.search(
            user.id, text.clean(typed)[: text.SHORT], AUTOCOMPLETE_LIMIT, include_closed=include_closed
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
    ) -> NextStepsRecorded:
        if candidates is not None and not 0 <= candidates <= MAX_CANDIDATES:
            raise InvalidInput(f"The number of other candidates must be between 0 and {MAX_CANDIDATES}.")
        rounds = text.optional(rounds, "further interviews", text.SHORT)
        notes = text.optional(notes, "notes", text.LONG, multiline=True)
        interview = await self.find_interview(actor, interview_ref)
        user = await self.user(actor)
        now = self.clock.now()
        back = None
        if check_back is not None and check_back.strip():
            back = self._future(check_back, user, now, "check-back date", month_first)
        decision_by = (
            None
            if decision is None or not decision.strip()
            else self._future(decision, user, now, "decision date", month_first).at
        )
        if back is None:  # no date agreed: the day after the decision, else a week after the interview
            call = plan.default_check_in(interview.scheduled_at, decision_by, self.prefs(user), self.schedule)
        else:
            local = back.at.astimezone(user.zone)
            call = plan.check_in_call(
                local.date(), self.prefs(user), self.schedule, local.time() if back.has_time else None
            )
        check_back_at = call.due_at if back is None else back.at
        steps = NextSteps(interview.id, check_back_at, candidates, decision_by, rounds, notes, now, back is not None)
        async with self.db.transaction() as tx:
            if not await self.interviews.is_open(tx, interview.id):
                raise _closed_meanwhile(interview)
            await self.interviews.save_next_steps(tx, steps)
            await self.follow_ups.complete_kind(tx, interview.id, FollowUpKind.NEXT_STEPS, now)
            await self.follow_ups.cancel_open(tx, interview.id, [FollowUpKind.CHECK_IN])
            [check_in] = await self.follow_ups.insert(tx, interview.id, user.id, [call], now)
        self._scheduled([check_in])
        return NextStepsRecorded(user, interview, steps, check_in)

    async def log_check_in(
        self,
        actor: Actor,
        interview_ref: str,
        heard: str,
        next_check_back: str | None = None,
        *,
        month_first: bool | None = None,
    ) -> CheckInLogged:
        heard = text.required(heard, "update", text.LONG, multiline=True)
        interview = await self.find_interview(actor, interview_ref)
        user = await self.user(actor)
        now = self.clock.now()
        back = None
        if next_check_back is not None and next_check_back.strip():
            back = self._future(next_check_back, user, now, "next check-back date", month_first)
        call = plan.follow_through(
            now,
            None if back is None else back.at,
            back is not None and back.has_time,
            self.prefs(user),
            self.schedule,
        )
        async with self.db.transaction() as tx:
            if not await self.interviews.is_open(tx, interview.id):
                raise _closed_meanwhile(interview)
            check_in = await self.interviews.add_check_in(
                tx, interview.id, heard, None if back is None else back.at, now
            )
            await self.follow_ups.complete_kind(tx, interview.id, FollowUpKind.CHECK_IN, now)
            [next_call] = await self.follow_ups.insert(tx, interview.id, user.id, [call], now)
        self._scheduled([next_call])
        return CheckInLogged(user, interview, check_in, next_call)

    async def record_outcome(
        self, actor: Actor, interview_ref: str, result: str, notes: str | None = None
    ) -> OutcomeRecorded:
        try:
            outcome = Outcome(result.strip().lower())
        except ValueError:
            raise InvalidInput("The result must be one of: offer, rejected, withdrawn.") from None
        notes = text.optional(notes, "notes", text.LONG, multiline=True)
        interview = await self.find_interview(actor, interview_ref, open_only=False)
        user = await self.user(actor)
        if interview.outcome is not None:
            return await self._change_outcome(user, interview, interview.outcome, outcome, notes)
        now = self.clock.now()
        async with self.db.transaction() as tx:
            closed = await self.interviews.set_outcome(tx, interview.id, outcome, notes, now)
            if closed is None:
                raise _closed_meanwhile(interview)
            cancelled = await self.follow_ups.cancel_open(tx, interview.id)
            created = []
            if outcome is Outcome.REJECTED:
                ask = plan.feedback_request(now, self.prefs(user), self.schedule)
                created = await self.follow_ups.insert(tx, interview.id, user.id, [ask], now)
        self._scheduled(created)
        return OutcomeRecorded(closed, cancelled, created[0] if created else None)

    async def _change_outcome(
        self, user: User, interview: Interview, old: Outcome, new: Outcome, notes: str | None
    ) -> OutcomeRecorded:
        """A mistaken outcome: only the feedback request depends on which closed it."""
        if new is old and notes is None:
            raise InvalidInput(
                f"{interview.title} is already recorded as {old}. To take the outcome back, use /interview reopen."
            )
        now = self.clock.now()
        async with self.db.transaction() as tx:
            changed = await self.interviews.change_outcome(tx, interview.id, old, new, notes, now)
            if changed is None:
                raise _changed_meanwhile(interview)
            cancelled, created = 0, []
            if old is Outcome.REJECTED and new is not Outcome.REJECTED:
                cancelled = await self.follow_ups.cancel_open(tx, interview.id, [FollowUpKind.FEEDBACK_REQUEST])
            if new is Outcome.REJECTED and old is not Outcome.REJECTED:
                ask = plan.feedback_request(now, self.prefs(user), self.schedule)
                created = await self.follow_ups.insert(tx, interview.id, user.id, [ask], now)
        self._scheduled(created)
        return OutcomeRecorded(changed, cancelled, created[0] if created else None, previous=old)

    async def record_feedback(self, actor: Actor, interview_ref: str, feedback: str) -> FeedbackRecorded:
        body = text.required(feedback, "feedback", text.LONG, multiline=True)
        interview = await self.find_interview(actor, interview_ref, open_only=False)
        now = self.clock.now()
        async with self.db.transaction() as tx:
            saved = await self.interviews.add_feedback(tx, interview.id, body, now)
            await self.follow_ups.complete_kind(tx, interview.id, FollowUpKind.FEEDBACK_REQUEST, now)
        return FeedbackRecorded(interview, saved)

    async def list_interviews(self, actor: Actor, include_closed: bool = False) -> list[InterviewSummary]:
        user = await self.user(actor)
        interviews = await self.interviews.list_for_user(user.id, include_closed)
        open_items = await self.follow_ups.open_for_user(user.id)
        starts = {i.id: i.scheduled_at for i in interviews}
        now = self.clock.now()
        soonest: dict[int, FollowUp] = {}
        for item in open_items:  # sorted by due time, so the first seen is the soonest
            if item.interview_id in starts and not item.expired(starts[item.interview_id], now):
                soonest.setdefault(item.interview_id, item)
        return [InterviewSummary(i, soonest.get(i.id)) for i in interviews]

    async def open_follow_ups(self, actor: Actor) -> list[OpenFollowUp]:
        # not created: a stranger has none
        user = await self.users.get(actor.platform, actor.external_id, actor.workspace)
        if user is None:
            return []
        items = [f for f in await self.follow_ups.open_for_user(user.id) if f.status is not FollowUpStatus.CLAIMED]
        interviews = await self.interviews.by_ids(sorted({f.interview_id for f in items}))
        now = self.clock.now()
        current = [f for f in items if not f.expired(interviews[f.interview_id].scheduled_at, now)]
        # Overdue first, by when each became late (a deadline passed counts, however far a snooze moved it).
        current.sort(key=lambda f: (f.overdue_from, f.id))
        return [OpenFollowUp(f, interviews[f.interview_id]) for f in current]

    async def calendar(self, actor: Actor, follow_up_id: int | None = None) -> bytes:
        """An .ics of the seeker's open follow-ups, or of just one of them."""
        if follow_up_id is not None:
            change = await self.follow_up_context(actor, follow_up_id)
            items = [(change.follow_up, change.interview)]
        else:
            items = [(o.follow_up, o.interview) for o in await self.open_follow_ups(actor)]
        return ics.calendar(items, await self.zone(actor), self.clock.now())

    # Acting on one follow-up (buttons)

    async def _own_follow_up(self, actor: Actor, follow_up_id: int) -> tuple[User, FollowUp, Interview]:
        # not created: a stranger owns nothing
        user = await self.users.get(actor.platform, actor.external_id, actor.workspace)
        if user is None:
            raise NotFound(
                "I have nothing stored about you, so that follow-up isn't one of yours. If you deleted your data "
                "(/mydata delete), this message is from before that: nothing to do."
            )
        follow_up = await self.follow_ups.get(user.id, follow_up_id)
        if follow_up is None:
            raise NotFound("That follow-up isn't one of yours (or it was deleted with /mydata delete).")
        interview = await self.interviews.get(user.id, follow_up.interview_id)
        assert interview is not None
        return user, follow_up, interview

    async def complete(self, actor: Actor, follow_up_id: int) -> FollowUpChange:
        """Done. A check-in call marked done without a log still gets the next call a week on: following
        through goes on until an outcome."""
        user, follow_up, interview = await self._own_follow_up(actor, follow_up_id)
        if follow_up.status is FollowUpStatus.CANCELLED:
            raise InvalidInput(_moot(interview, user))
        next_call: list[FollowUp] = []
        if follow_up.status.is_open:
            now = self.clock.now()
            async with self.db.transaction() as tx:
                await self.follow_ups.complete(tx, follow_up.id, now)
                if follow_up.kind is FollowUpKind.CHECK_IN and await self.interviews.is_open(tx, interview.id):
                    call = plan.follow_through(now, None, False, self.prefs(user), self.schedule)
                    next_call = await self.follow_ups.insert(tx, interview.id, user.id, [call], now)
            self._scheduled(next_call)
            follow_up = await self._reload(follow_up)
        return FollowUpChange(follow_up, interview)

    async def snooze(self, actor: Actor, follow_up_id: int, by: timedelta | None = None) -> FollowUpChange:
        by = self.schedule.snooze if by is None else by
        if not timedelta(minutes=5) <= by <= timedelta(days=60):
            raise InvalidInput("A snooze must be between 5 minutes and 60 days.")
        user, follow_up, interview = await self._own_follow_up(actor, follow_up_id)
        if follow_up.status is FollowUpStatus.CANCELLED:
            raise InvalidInput(_moot(interview, user))
        if not follow_up.status.is_open:
            raise InvalidInput(f"That follow-up is already {follow_up.status.value}; there is nothing to snooze.")
        moved = plan.snooze(follow_up.kind, self.clock.now(), by, follow_up.deadline_at, self.prefs(user))
        async with self.db.transaction() as tx:
            follow_up = await self.follow_ups.reschedule(tx, follow_up.id, moved.due_at, moved.notify_at)
        self._scheduled([follow_up])
        return FollowUpChange(follow_up, interview, past_deadline=moved.past_deadline)

    async def follow_up_context(self, actor: Actor, follow_up_id: int) -> FollowUpChange:
        """A follow-up to act on through a form or a calendar file: not one an outcome or newer answers made moot."""
        user, follow_up, interview = await self._own_follow_up(actor, follow_up_id)
        if follow_up.status is FollowUpStatus.CANCELLED:
            raise InvalidInput(_moot(interview, user))
        return FollowUpChange(follow_up, interview)

    async def _reload(self, follow_up: FollowUp) -> FollowUp:
        fresh = await self.follow_ups.get(follow_up.user_id, follow_up.id)
        assert fresh is not None
        return fresh

    def _future(self, value: str, user: User, now: datetime, what: str, month_first: bool | None) -> ParsedTime:
        parsed = parse_when(
            value,
            user.zone,
            now,
            prefer=Prefer.FUTURE,
            default_time=self.schedule.check_in_hour,
            what=what,
            month_first=month_first,
        )
        if parsed.at < now:
            raise InvalidInput(
                f"The {what} “{text.clean(value)[:60]}” is in the past. Give a future date, "
                "like “next Friday” or “in two weeks”."
            )
        if parsed.at - now > timedelta(days=366):
            raise InvalidInput(f"The {what} is more than a year away. Check the year.")
        return parsed


def _closed_meanwhile(interview: Interview) -> InvalidInput:
    return InvalidInput(f"{interview.title} was closed with an outcome just now. Nothing more to follow up.")


def _changed_meanwhile(interview: Interview) -> InvalidInput:
    return InvalidInput(f"The outcome of {interview.title} was changed just now. See /interview list, then try again.")


def _check_within_a_year(at: datetime, now: datetime) -> None:
    if abs(at - now) > timedelta(days=366):
        raise InvalidInput("That interview date is more than a year away from today. Check the year.")


def _edited(old: str | None, new: str | None, what: str, limit: int, *, multiline: bool = False) -> str | None:
    """An optional detail in an edit: None (or blank) keeps it, CLEAR removes it."""
    if new is None:
        return old
    if new.strip() == CLEAR:
        return None
    return text.optional(new, what, limit, multiline=multiline) or old


def when_label(at: datetime, zone: ZoneInfo) -> str:
    """ "Tue 1 Dec 14:00" in the user's zone: tells apart two rounds on one day."""
    local = at.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def _several(typed: str, matches: list[Interview], zone: ZoneInfo) -> str:
    shown = "\n".join(f"• {i.title}, {when_label(i.scheduled_at, zone)}" for i in matches[:SEVERAL_SHOWN])
    more = "\n…and more." if len(matches) > SEVERAL_SHOWN else ""
    return (
        f"Several of your interviews match “{typed[:60]}”:\n{shown}{more}\nPick the one you mean from the list "
        "as you type (each shows its date and time), or see /interview list."
    )


def _moot(interview: Interview, user: User) -> str:
    """Why a cancelled follow-up needs nothing more: its interview's outcome, or newer answers replaced it."""
    if interview.outcome is not None and interview.outcome_at is not None:
        day = interview.outcome_at.astimezone(user.zone)
        return (
            f"This interview ({interview.title}) was closed ({interview.outcome}) on {day:%a} {day.day} "
            f"{day:%b}; nothing to do."
        )
    return "This reminder was replaced by a newer one; nothing to do here. See /followups for what is due."

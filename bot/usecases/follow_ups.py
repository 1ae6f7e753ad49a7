"""The seeker's follow-ups: done, snooze, what is open, and the calendar file of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.content import ics
from bot.domain import dates, plan
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.models import FollowUp, FollowUpKind, FollowUpStatus, Interview, User
from bot.usecases.actors import Accounts, Actor


@dataclass(frozen=True, slots=True)
class FollowUpChange:
    follow_up: FollowUp
    interview: Interview
    past_deadline: bool = False


@dataclass(frozen=True, slots=True)
class OpenFollowUp:
    follow_up: FollowUp
    interview: Interview


class FollowUpService:
    def __init__(self, accounts: Accounts) -> None:
        self.accounts = accounts
        self.uow = accounts.uow
        self.clock = accounts.clock
        self.rules = accounts.rules

    async def open_follow_ups(self, actor: Actor) -> list[OpenFollowUp]:
        user = await self.accounts.find(actor)  # not created: a stranger has none
        if user is None:
            return []
        async with self.uow.reading() as uow:
            items = [f for f in await uow.follow_ups.open_for_user(user.id) if f.status is not FollowUpStatus.CLAIMED]
            interviews = await uow.interviews.by_ids(sorted({f.interview_id for f in items}))
        now = self.clock.now()
        current = [f for f in items if not f.expired(interviews[f.interview_id].scheduled_at, now)]
        # Overdue first, by when each became late; then the rest by due time.
        current.sort(key=lambda f: (0, f.overdue_from, f.id) if f.is_overdue(now) else (1, f.due_at, f.id))
        return [OpenFollowUp(f, interviews[f.interview_id]) for f in current]

    async def calendar(self, actor: Actor, follow_up_id: int | None = None) -> bytes:
        """An .ics of the seeker's open follow-ups, or of just one of them."""
        if follow_up_id is not None:
            change = await self.follow_up_context(actor, follow_up_id)
            items = [(change.follow_up, change.interview)]
        else:
            items = [(o.follow_up, o.interview) for o in await self.open_follow_ups(actor)]
        return ics.calendar(items, await self.accounts.zone(actor), self.clock.now())

    # Acting on one follow-up (buttons)

    async def _own_follow_up(self, actor: Actor, follow_up_id: int) -> tuple[User, FollowUp, Interview]:
        user = await self.accounts.find(actor)  # not created: a stranger owns nothing
        if user is None:
            raise NotFound(
                "I have nothing stored about you, so that follow-up isn't one of yours. If you deleted your data "
                "({delete_data}), this message is from before that: nothing to do."
            )
        async with self.uow.reading() as uow:
            follow_up = await uow.follow_ups.get(user.id, follow_up_id)
            if follow_up is None:
                raise NotFound("That follow-up isn't one of yours (or it was deleted with {delete_data}).")
            interview = await uow.interviews.get(user.id, follow_up.interview_id)
        assert interview is not None
        return user, follow_up, interview

    async def complete(self, actor: Actor, follow_up_id: int) -> FollowUpChange:
        """Done. A check-in call marked done without a log still gets the next call a week on: following
        through goes on until an outcome. Only the click that completes it plans that call: a second click
        (or one after the outcome cancelled it) changes nothing and answers with the follow-up as it is."""
        user, follow_up, interview = await self._own_follow_up(actor, follow_up_id)
        if follow_up.status is FollowUpStatus.CANCELLED:
            raise _moot(interview, user)
        next_call: list[FollowUp] = []
        if follow_up.status.is_open:
            now = self.clock.now()
            async with self.uow.transaction() as uow:
                # The interview first (as an outcome locks it, then its follow-ups): no deadlock between the two.
                goes_on = follow_up.kind is FollowUpKind.CHECK_IN and await uow.interviews.is_open(interview.id)
                if await uow.follow_ups.complete(follow_up.id, now) and goes_on:
                    call = plan.follow_through(now, None, False, self.accounts.prefs(user), self.rules)
                    next_call = await uow.follow_ups.insert(interview.id, user.id, [call], now)
            self.accounts.scheduled(next_call)
            follow_up = await self._reload(follow_up)
        return FollowUpChange(follow_up, interview)

    async def snooze(self, actor: Actor, follow_up_id: int, by: timedelta | None = None) -> FollowUpChange:
        by = self.rules.snooze if by is None else by
        if not timedelta(minutes=5) <= by <= timedelta(days=60):
            raise InvalidInput("A snooze must be between 5 minutes and 60 days.")
        user, follow_up, interview = await self._own_follow_up(actor, follow_up_id)
        if follow_up.status is FollowUpStatus.CANCELLED:
            raise _moot(interview, user)
        if not follow_up.status.is_open:
            raise InvalidInput(f"That follow-up is already {follow_up.status.value}; there is nothing to snooze.")
        moved = plan.snooze(follow_up.kind, self.clock.now(), by, follow_up.deadline_at, self.accounts.prefs(user))
        async with self.uow.transaction() as uow:
            snoozed = await uow.follow_ups.reschedule(follow_up.id, moved.due_at, moved.notify_at)
        if snoozed is None:  # done or cancelled since it was read
            _, fresh, now_closed = await self._own_follow_up(actor, follow_up_id)
            if fresh.status is FollowUpStatus.CANCELLED:
                raise _moot(now_closed, user)
            raise InvalidInput(f"That follow-up is already {fresh.status.value}; there is nothing to snooze.")
        follow_up = snoozed
        self.accounts.scheduled([follow_up])
        return FollowUpChange(follow_up, interview, past_deadline=moved.past_deadline)

    async def follow_up_context(self, actor: Actor, follow_up_id: int) -> FollowUpChange:
        """A follow-up to act on through a form or a calendar file: not one an outcome or newer answers made moot."""
        user, follow_up, interview = await self._own_follow_up(actor, follow_up_id)
        if follow_up.status is FollowUpStatus.CANCELLED:
            raise _moot(interview, user)
        return FollowUpChange(follow_up, interview)

    async def _reload(self, follow_up: FollowUp) -> FollowUp:
        async with self.uow.reading() as uow:
            fresh = await uow.follow_ups.get(follow_up.user_id, follow_up.id)
        assert fresh is not None
        return fresh


def _moot(interview: Interview, user: User) -> InvalidInput:
    """Why a cancelled follow-up needs nothing more: its interview's outcome, or newer answers replaced it."""
    if interview.outcome is not None and interview.outcome_at is not None:
        day = dates.day(interview.outcome_at, user.zone)
        return InvalidInput(
            f"This interview ({{title}}) was closed ({interview.outcome}) on {day}; nothing to do.",
            title=interview.title,
        )
    return InvalidInput(
        "This reminder was replaced by a newer one; nothing to do here. See {follow_ups} for what is due."
    )

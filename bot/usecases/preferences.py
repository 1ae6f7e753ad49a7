"""The seeker's preferences: their user, time zone, quiet hours, notes shared with coaches, and the commands
held until they chose a zone."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain import plan, text, zones
from bot.domain.models import FollowUp, Interview, QuietHours, User
from bot.ports.unit_of_work import UnitOfWork
from bot.usecases.actors import Accounts, Actor

HELD_FOR = timedelta(days=1)  # a command held for the zone longer than this is refused, not run


@dataclass(frozen=True, slots=True)
class Resumed:
    """A held command taken to run: `typed_at` is the base its relative words ("today") are read from;
    `stale` when it waited longer than HELD_FOR, so that the user runs it again rather than it running late."""

    command: str
    options: str
    typed_at: datetime
    stale: bool


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


class Preferences:
    def __init__(self, accounts: Accounts) -> None:
        self.accounts = accounts
        self.uow = accounts.uow
        self.clock = accounts.clock

    async def user(self, actor: Actor) -> User:
        return await self.accounts.user(actor)

    async def zone(self, actor: Actor) -> ZoneInfo:
        return await self.accounts.zone(actor)

    async def zone_chosen(self, actor: Actor) -> bool:
        """Whether times can be read for the actor: they chose a zone, or the operator does not ask."""
        if not self.accounts.defaults.ask_timezone:
            return True
        existing = await self.accounts.find(actor)
        return existing is not None and existing.timezone_chosen

    async def set_timezone(self, actor: Actor, zone_name: str) -> ZoneChanged:
        """The zone the user chose. Their calls planned at a local hour move with them; a call whose time was
        agreed with the employer keeps its instant, and so does every follow-up timed from the interview."""
        name = zones.resolve(zone_name)
        existing = await self.accounts.find(actor)
        async with self.uow.transaction() as uow:
            user = existing or await self.accounts.create(uow, actor)
            await uow.users.set_timezone(user.id, name, self.clock.now())
            moved, kept = await self._replan(uow, replace(user, timezone=name), moved_from=user.zone)
        async with self.uow.reading() as uow:
            interviews = await uow.interviews.by_ids(sorted({f.interview_id for f, _ in moved + kept}))
            fresh = await uow.users.by_id(user.id)
        assert fresh is not None
        return ZoneChanged(
            fresh,
            user.zone,
            [Moved(f, interviews[f.interview_id], before) for f, before in moved],
            [Moved(f, interviews[f.interview_id], before) for f, before in kept],
        )

    async def set_quiet_hours(self, actor: Actor, start: str, end: str) -> User:
        quiet = QuietHours(text.clock_time(start, "the quiet hours start"), text.clock_time(end, "the quiet hours end"))
        existing = await self.accounts.find(actor)
        async with self.uow.transaction() as uow:
            user = existing or await self.accounts.create(uow, actor)
            await uow.users.set_quiet_hours(user.id, quiet)
            await self._replan(uow, replace(user, quiet_hours=quiet))
        async with self.uow.reading() as uow:
            fresh = await uow.users.by_id(user.id)
        assert fresh is not None
        return fresh

    async def _replan(
        self, uow: UnitOfWork, user: User, moved_from: ZoneInfo | None = None
    ) -> tuple[list[tuple[FollowUp, datetime]], list[tuple[FollowUp, datetime]]]:
        """Pending follow-ups after a change of quiet hours, or of zone (`moved_from`), inside the change's own
        transaction. Returns the calls that moved to the same local time in the new zone and the agreed calls
        that kept their instant, each with its time before."""
        prefs = self.accounts.prefs(user)
        moves = {}
        moved, kept = [], []
        # Read inside the transaction: a dispatcher claim in between would otherwise be reset to pending.
        for item in await uow.follow_ups.pending_for_user(user.id):
            due = item.due_at
            if moved_from is not None and item.kind in plan.WALL_CLOCK_KINDS and moved_from != prefs.zone:
                if item.time_agreed:
                    kept.append((item, item.due_at))
                else:
                    due = plan.same_wall_clock(due, moved_from, prefs.zone)
                    moved.append((replace(item, due_at=due), item.due_at))
            moves[item.id] = (due, plan.outside_quiet_hours(due, prefs))
        await uow.follow_ups.set_times(moves)
        if moves:
            self.accounts.wake(min(notify for _, notify in moves.values()))
        return moved, kept

    async def shares_notes(self, actor: Actor) -> bool:
        """Whether the user's coaches see their private notes (no for a user never seen)."""
        existing = await self.accounts.find(actor)
        if existing is None:
            return False
        async with self.uow.reading() as uow:
            history = (await uow.histories.load([existing.id])).get(existing.id)
        return history is not None and history.share_notes

    async def set_share_notes(self, actor: Actor, share: bool) -> bool:
        """Whether the user's coaches see their private notes (interview, next-steps and outcome notes)."""
        existing = await self.accounts.find(actor)
        async with self.uow.transaction() as uow:
            user = existing or await self.accounts.create(uow, actor)
            await uow.users.set_share_notes(user.id, share)
        return share

    async def hold_command(self, actor: Actor, command: str, options: str) -> int:
        """Keep a command (its options as JSON) until the actor has chosen a zone; returns its id."""
        existing = await self.accounts.find(actor)
        async with self.uow.transaction() as uow:
            user = existing or await self.accounts.create(uow, actor)
            return await uow.users.hold_command(user.id, command, options, self.clock.now())

    async def take_command(self, actor: Actor, pending_id: int) -> Resumed | None:
        """The actor's held command, once; None if it ran already or was dropped."""
        user = await self.accounts.find(actor)
        if user is None:
            return None
        async with self.uow.transaction() as uow:
            held = await uow.users.take_command(user.id, pending_id)
        if held is None:
            return None
        stale = self.clock.now() - held.typed_at > HELD_FOR
        return Resumed(held.command, held.options, held.typed_at, stale)

    async def take_dms_closed_notice(self, actor: Actor) -> bool:
        user = await self.accounts.find(actor)
        if user is None or not user.dms_closed_notice_pending:
            return False
        async with self.uow.transaction() as uow:
            return await uow.users.take_dms_closed_notice(user.id)

"""What coaches see and do with it: rosters (also exported as a spreadsheet), one seeker's report, a nudge,
and the weekly digest's settings and sending."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain import coaching, text
from bot.domain.coaching import Digest, Encouragement, GroupRoster, Seeker, SeekerReport
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.models import CoachGroup, DigestPlan, Membership, User
from bot.ports.repositories import Lease
from bot.ports.senders import Delivery, DeliveryStatus
from bot.usecases.actors import Actor
from bot.usecases.coach_access import NO_GROUPS, NOT_VISIBLE, CoachAccess, display_name, seeker_of

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True, slots=True)
class NudgeResult:
    seeker: Seeker
    status: DeliveryStatus


@dataclass(frozen=True, slots=True)
class PendingDigest:
    coach: User
    digest: Digest
    plan: DigestPlan


@dataclass(frozen=True, slots=True)
class DigestClaim:
    """A coach's digest row leased to this process (its claimant id) until `lease.until`; the lease also fences
    the claim's writes."""

    coach_id: int
    lease: Lease


class RosterService:
    def __init__(self, access: CoachAccess) -> None:
        self.access = access
        self.accounts = access.accounts
        self.uow = access.uow
        self.clock = access.clock

    async def _group_roster(self, coach: User, group: CoachGroup) -> GroupRoster:
        reports = await self.access.reports(await self.access.visible(coach, group_id=group.id))
        return GroupRoster(group, coaching.roster_order([r.line for r in reports]))

    async def _coached_by(self, coach: User | None) -> list[CoachGroup]:
        if coach is None:
            return []
        async with self.uow.reading() as uow:
            return await uow.groups.coached_by(coach.id)

    async def rosters(self, actor: Actor, group_ref: str | None = None) -> list[GroupRoster]:
        """One roster per group the coach runs, or for the one named."""
        coach = await self.accounts.find(actor)
        if group_ref is not None:
            groups = [await self.access.coached_group(coach, group_ref)]
        else:
            groups = await self._coached_by(coach)
        if coach is None or not groups:
            raise NotFound(NO_GROUPS)
        return [await self._group_roster(coach, group) for group in groups]

    async def roster(self, actor: Actor, group_id: int) -> GroupRoster:
        """One group's roster by id (a page button); only for its coaches."""
        coach = await self.accounts.find(actor)
        group = next((g for g in await self._coached_by(coach) if g.id == group_id), None)
        if coach is None or group is None:
            raise NotFound("That roster isn't one of yours.")
        return await self._group_roster(coach, group)

    async def seeker(self, actor: Actor, member: Actor) -> SeekerReport:
        memberships = await self.access.seeker_memberships(await self.accounts.find(actor), member)
        [report] = await self.access.reports(memberships)
        return report

    async def seeker_by_id(self, actor: Actor, seeker_id: int) -> SeekerReport:
        """A seeker picked from a roster (a View button), whatever their platform; only for their coaches."""
        memberships = await self.access.seeker_memberships_by_id(await self.accounts.find(actor), seeker_id)
        [report] = await self.access.reports(memberships)
        return report

    async def roster_seekers(self, actor: Actor) -> list[Seeker]:
        """Every seeker on the coach's rosters, once, by name: what a coach picks from to name one (on any
        platform: a seeker is named by their user id here, not by a platform's member list)."""
        coach = await self.accounts.find(actor)
        by_seeker: dict[int, list[Membership]] = {}
        for membership in await self.access.visible(coach):
            by_seeker.setdefault(membership.user_id, []).append(membership)
        async with self.uow.reading() as uow:
            users = await uow.users.by_ids(sorted(by_seeker))
        seekers = [seeker_of(ms, users[uid]) for uid, ms in by_seeker.items()]
        return sorted(seekers, key=lambda s: (s.name.casefold(), s.user_id))

    async def pick_seeker(self, actor: Actor, ref: str) -> int:
        """The seeker's user id a coach named: the id a platform's picker filled in, else a name on their rosters
        (the by-id use cases check it is theirs to see)."""
        cleaned = text.clean(ref)
        if cleaned.isdigit():
            return int(cleaned)
        named = [s for s in await self.roster_seekers(actor) if s.name.casefold() == cleaned.casefold()]
        if len(named) > 1:
            raise InvalidInput(
                "Several seekers on your rosters are called “{typed}”: pick the one you mean from the list as you "
                "type.",
                typed=cleaned[:60],
            )
        if not named:
            raise NotFound(NOT_VISIBLE)
        return named[0].user_id

    async def nudge(self, actor: Actor, member: Actor, message: str, coach_name: str) -> NudgeResult:
        """An encouraging DM from the coach, sent by the bot; a closed DM is recorded like a bounced nudge."""
        body = text.required(message, "message", text.LONG, multiline=True)
        memberships = await self.access.seeker_memberships(await self.accounts.find(actor), member)
        return await self._nudge(memberships, body, coach_name)

    async def nudge_by_id(self, actor: Actor, seeker_id: int, message: str, coach_name: str) -> NudgeResult:
        """`nudge` for a seeker picked from the roster by their user id; the DM goes out on their platform."""
        body = text.required(message, "message", text.LONG, multiline=True)
        memberships = await self.access.seeker_memberships_by_id(await self.accounts.find(actor), seeker_id)
        return await self._nudge(memberships, body, coach_name)

    async def _nudge(self, memberships: list[Membership], body: str, coach_name: str) -> NudgeResult:
        [report] = await self.access.reports(memberships)
        async with self.uow.reading() as uow:
            seeker = await uow.users.by_id(report.seeker.user_id)
        assert seeker is not None
        note = Encouragement(display_name(coach_name), report.seeker.groups, body)
        delivery = await self.access.messenger.send_encouragement(seeker, note)
        await self.access.record_delivery(seeker, delivery)
        return NudgeResult(report.seeker, delivery.status)

    # The weekly digest

    async def _plan(self, coach_id: int) -> DigestPlan | None:
        async with self.uow.reading() as uow:
            return await uow.digests.plan(coach_id)

    async def digest_plan(self, actor: Actor) -> DigestPlan:
        coach = await self.accounts.find(actor)
        plan = None if coach is None else await self._plan(coach.id)
        if plan is None:
            raise NotFound(NO_GROUPS)
        return plan

    async def set_digest(self, actor: Actor, day: str, at: str | None = None) -> DigestPlan:
        """`day` is a weekday name or "off"; `at` is HH:MM in the coach's zone (default: unchanged)."""
        day = text.clean(day).lower()
        if day != "off" and day not in WEEKDAYS:
            raise InvalidInput("The day must be a weekday name, like monday, or off.")
        when = None if at is None or not at.strip() else text.clock_time(at, "the digest time")
        plan = await self.digest_plan(actor)
        weekday = plan.weekday if day == "off" else WEEKDAYS.index(day)
        async with self.uow.transaction() as uow:
            await uow.digests.set_schedule(plan.coach_id, weekday, when or plan.at, day != "off", self.clock.now())
            await uow.digests.replan(plan.coach_id)
        await self.access.digest_changed(plan.coach_id)
        changed = await self._plan(plan.coach_id)
        assert changed is not None
        return changed

    async def refresh_digest(self, actor: Actor) -> None:
        """The coach changed time zone: their digest keeps its local day and time."""
        coach = await self.accounts.find(actor)
        if coach is not None and await self._plan(coach.id) is not None:
            await self.access.digest_changed(coach.id)

    async def claim_digests(
        self, platforms: Sequence[str], claimant: str, lease: timedelta, limit: int
    ) -> list[DigestClaim]:
        """Lease the due digest rows of coaches on `platforms` to `claimant`: no other process sends them meanwhile."""
        now = self.clock.now()
        held = Lease(claimant, now + lease)
        async with self.uow.transaction() as uow:
            coach_ids = await uow.digests.claim_due(now, held, limit, platforms)
        return [DigestClaim(coach_id, held) for coach_id in coach_ids]

    async def next_digest_due(self, platforms: Sequence[str]) -> datetime | None:
        async with self.uow.reading() as uow:
            return await uow.digests.next_due(platforms)

    async def reschedule_digest(self, claim: DigestClaim, at: datetime | None = None) -> None:
        """Not sent this time: look again at `at` (a retry), or by default at the coach's next slot."""
        async with self.uow.transaction() as uow:
            if at is None:
                plan = await uow.digests.plan(claim.coach_id)
                at = None if plan is None else coaching.next_digest_at(plan, self.clock.now())
            await uow.digests.schedule(claim.coach_id, at, claim.lease)

    async def due_digest(self, coach_id: int) -> PendingDigest | None:
        """The coach's digest if a slot has passed since the last one, else None."""
        async with self.uow.reading() as uow:
            plan = await uow.digests.plan(coach_id)
            groups = await uow.groups.coached_by(coach_id)
            coach = await uow.users.by_id(coach_id)
        now = self.clock.now()
        if plan is None or not coaching.digest_due(plan, now) or not groups:
            return None  # not due, or they coach no group any more (stepped down, removed, deleted it)
        assert coach is not None
        reports = await self.access.reports(await self.access.visible(coach))
        slot = coaching.slot_at_or_before(plan, now)
        return PendingDigest(coach, coaching.build_digest(reports, coaching.digest_since(plan), now, slot), plan)

    async def digest_delivered(self, pending: PendingDigest, delivery: Delivery, claim: DigestClaim) -> None:
        """Sent, or the coach's DMs are closed: either way this week's digest is done with; the row is due at
        the next slot."""
        await self.access.record_delivery(pending.coach, delivery)
        until = pending.digest.until
        async with self.uow.transaction() as uow:
            await uow.digests.mark_sent(pending.coach.id, until, claim.lease)
            await uow.digests.schedule(pending.coach.id, coaching.next_digest_at(pending.plan, until), claim.lease)

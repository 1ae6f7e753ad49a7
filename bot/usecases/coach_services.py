"""The coaches' use cases, and the seekers' side of them: groups, invites, consent, and what coaches see.

Every read of a seeker's data for a coach goes through `_visible`: the seeker must be a current,
consenting member of a group the coach coaches. Anyone else gets the same NOT_VISIBLE reply as a stranger.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from bot.domain import coaching, text
from bot.domain.coaching import CoachAdded, Digest, Encouragement, GroupDeleted, GroupRoster, Seeker, SeekerReport
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.models import CoachGroup, DigestPlan, Membership, MembershipStatus, SeekerHistory, User
from bot.ports.senders import Delivery, DeliveryStatus, Messenger
from bot.storage.sqlite.digests import DigestRepo
from bot.storage.sqlite.groups import GroupCoach, GroupRepo
from bot.storage.sqlite.seeker_histories import HistoryRepo
from bot.usecases.services import Actor, Services

INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud or retyped without doubt
INVITE_LENGTH = 12  # 31^12 ≈ 8e17 codes: not guessable at Discord's command rate
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

NOT_VISIBLE = (
    "I can't find that person among the seekers sharing with your groups. They can join with your "
    "invite code (/coach join) and accept."
)
NO_GROUPS = "You don't coach a group yet. Start one with /coach create."
BAD_CODE = "That invite code doesn't match any group. Check it with your coach; codes look like ABCD-EFGH-JKMN."
OWNER_STAYS = "You own that group, so you can't leave it: delete it with /coach delete (its members are told)."
LAPSED = "That invitation isn't open any more. Ask your coach for the current code and run /coach join again."
NOT_SHARING = "You aren't sharing your job hunt with any coach."
CONFIRM_WITHIN = timedelta(minutes=10)  # a delete button older than this does nothing
_SHARING = [MembershipStatus.ACTIVE, MembershipStatus.PENDING]

log = logging.getLogger(__name__)

T = TypeVar("T")


def new_invite_code() -> str:
    return "".join(secrets.choice(INVITE_ALPHABET) for _ in range(INVITE_LENGTH))


def show_code(code: str) -> str:
    """ABCD-EFGH-JKMN: easier to read out and retype."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _name(value: str) -> str:
    return text.clean(value)[: text.SHORT] or "(no name)"


@dataclass(frozen=True, slots=True)
class ConsentRequest:
    """A seeker asked to join: what the coaches would see, for the seeker to accept or decline."""

    membership: Membership
    coaches: list[str]
    preview: SeekerReport


@dataclass(frozen=True, slots=True)
class Left:
    """What /coach leave ended: groups the seeker shared with, and groups the co-coach stepped down from."""

    memberships: list[Membership]
    coached: list[CoachGroup]


@dataclass(frozen=True, slots=True)
class Removed:
    """What /coach remove ended: the person's memberships as a seeker, and their place as a co-coach."""

    name: str
    memberships: list[Membership]
    coached: list[CoachGroup]


@dataclass(frozen=True, slots=True)
class GroupGone:
    group: CoachGroup
    told: int  # members and co-coaches who got the DM
    not_told: int


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
    """A coach's digest row leased to this process until `lease_until` (which also fences its writes)."""

    coach_id: int
    lease_until: datetime


class CoachServices:
    def __init__(self, services: Services, messenger: Messenger) -> None:
        self.services = services
        self.db = services.db
        self.clock = services.clock
        self.settings = services.settings.coach
        self.messenger = messenger
        self.users = services.users
        self.groups = GroupRepo(services.db)
        self.digests = DigestRepo(services.db)
        self.histories = HistoryRepo(services.db)
        self._digest_listeners: list[Callable[[DigestPlan], None]] = []

    def on_digest_changed(self, listener: Callable[[DigestPlan], None]) -> None:
        """`listener(plan)` hears of every new or changed digest schedule (and coach time zone)."""
        self._digest_listeners.append(listener)

    async def _digest_changed(self, coach_id: int) -> None:
        """Move the coach's digest row to its next slot (a crash before this leaves it to the digest loop to
        plan: see DigestRepo.replan), and tell the listeners."""
        plan = await self.digests.plan(coach_id)
        assert plan is not None
        async with self.db.transaction() as tx:
            await self.digests.replan(tx, coach_id, coaching.next_digest_at(plan, self.clock.now()))
        for listener in self._digest_listeners:
            listener(plan)

    # Coaches and their groups

    async def create_group(self, actor: Actor, name: str, coach_name: str) -> CoachGroup:
        name = text.required(name, "group name", text.SHORT)
        coach = await self.services.user(actor)
        now = self.clock.now()
        async with self.db.transaction() as tx:
            group = await self.groups.create(tx, name, new_invite_code(), coach.id, _name(coach_name), now)
            new_coach = await self.digests.ensure(
                tx, coach.id, self.settings.digest_weekday, self.settings.digest_time, now
            )
        if new_coach:
            await self._digest_changed(coach.id)
        return group

    async def coached_groups(self, actor: Actor) -> list[CoachGroup]:
        coach = await self.users.get(actor.platform, actor.external_id, actor.workspace)
        return [] if coach is None else await self.groups.coached_by(coach.id)

    async def _coached_group(self, coach: User | None, ref: str | None) -> CoachGroup:
        groups = [] if coach is None else await self.groups.coached_by(coach.id)
        return _choose(groups, ref, lambda g: g.id, lambda g: g.name, "You coach")

    async def new_invite(self, actor: Actor, group_ref: str | None) -> CoachGroup:
        coach = await self.users.get(actor.platform, actor.external_id, actor.workspace)
        group = await self._coached_group(coach, group_ref)
        async with self.db.transaction() as tx:
            return await self.groups.set_invite_code(tx, group.id, new_invite_code())

    async def add_coach(self, actor: Actor, group_ref: str | None, member: Actor, member_name: str) -> CoachGroup:
        coach = await self.users.get(actor.platform, actor.external_id, actor.workspace)
        group = await self._coached_group(coach, group_ref)
        added = await self.services.user(member)
        if await self.groups.is_coach(group.id, added.id):
            raise InvalidInput(f"{_name(member_name)} already coaches “{group.name}”.")
        now = self.clock.now()
        async with self.db.transaction() as tx:
            await self.groups.add_coach(tx, group.id, added.id, _name(member_name), now)
            new_coach = await self.digests.ensure(
                tx, added.id, self.settings.digest_weekday, self.settings.digest_time, now
            )
        if new_coach:
            await self._digest_changed(added.id)
        await self._tell_members(added, group, CoachAdded(_name(member_name), group.name))
        return group

    async def _tell_members(self, coach: User, group: CoachGroup, notice: CoachAdded) -> None:
        """DM the group's members that `coach` now sees what they share; a failed DM is logged, nothing more."""
        members = await self._visible(coach, group_id=group.id)
        for seeker in (await self.users.by_ids([m.user_id for m in members])).values():
            await self._tell(seeker, lambda u: self.messenger.send_coach_added(u, notice), "a new co-coach")

    # The seeker's side: join with consent, leave, share notes

    async def join(self, actor: Actor, code: str, display_name: str) -> ConsentRequest:
        """Nothing is shared yet: the membership waits, pending, for the seeker to accept."""
        cleaned = "".join(ch for ch in text.clean(code).upper() if ch.isalnum())
        group = await self.groups.by_code(cleaned) if len(cleaned) == INVITE_LENGTH else None
        if group is None:
            raise NotFound(BAD_CODE)
        seeker = await self.services.user(actor)
        if await self.groups.is_coach(group.id, seeker.id):
            raise InvalidInput(f"You coach “{group.name}”: seekers join it with this code.")
        if await self.groups.removed_with_current_code(group.id, seeker.id):
            raise InvalidInput(
                f"A coach of “{group.name}” removed you from it, so this code can't bring you back. "
                "If they invite you again, they will give you a new code."
            )
        current = await self.groups.memberships_of(seeker.id, [MembershipStatus.ACTIVE])
        if any(m.group_id == group.id for m in current):
            raise InvalidInput(f"You already share your job hunt with “{group.name}”. To stop, use /coach leave.")
        async with self.db.transaction() as tx:
            membership = await self.groups.request(tx, group.id, seeker.id, _name(display_name), self.clock.now())
        own = await self.histories.load([seeker.id])  # the seeker's own data, shown to the seeker
        preview = self._report(_seeker([membership], own[seeker.id]), own[seeker.id])
        return ConsentRequest(membership, await self.groups.coach_names(group.id), preview)

    async def decide(self, actor: Actor, membership_id: int, accept: bool) -> Membership:
        membership = await self.groups.membership(membership_id)
        if membership is None:
            raise InvalidInput(LAPSED)
        seeker = await self.users.get(actor.platform, actor.external_id, actor.workspace)
        if seeker is None or membership.user_id != seeker.id:
            raise NotFound("That invitation isn't yours.")
        if membership.status is MembershipStatus.ACTIVE:
            if accept:
                return membership
            raise InvalidInput(f"You already accepted “{membership.group_name}”. To stop sharing, use /coach leave.")
        if membership.status is not MembershipStatus.PENDING:
            raise InvalidInput(LAPSED)
        status = MembershipStatus.ACTIVE if accept else MembershipStatus.DECLINED
        async with self.db.transaction() as tx:
            decided = await self.groups.decide(tx, membership.id, status, self.clock.now())
        if decided is None:  # they left, or a new code lapsed it, since it was read above
            raise InvalidInput(LAPSED)
        return decided

    async def member_groups(self, actor: Actor) -> list[Membership]:
        seeker = await self.users.get(actor.platform, actor.external_id, actor.workspace)
        return [] if seeker is None else await self.groups.memberships_of(seeker.id, _SHARING)

    async def leave(self, actor: Actor, group_ref: str | None) -> Left:
        """Stop sharing with one group, or step down as its co-coach; every such group when none is named.
        Access ends at once. A group's owner cannot leave it: they delete it."""
        user = await self.users.get(actor.platform, actor.external_id, actor.workspace)
        memberships = [] if user is None else await self.groups.memberships_of(user.id, _SHARING)
        owned: list[CoachGroup] = []
        coached: list[CoachGroup] = []
        if user is not None:
            owned, coached = await self._coached_split(user)
        cleaned = None if group_ref is None else text.clean(group_ref)
        if cleaned is not None and any(cleaned == str(g.id) or cleaned.casefold() == g.name.casefold() for g in owned):
            raise InvalidInput(OWNER_STAYS)
        if not memberships and not coached:
            raise InvalidInput(OWNER_STAYS) if owned and group_ref is None else NotFound(NOT_SHARING)
        if group_ref is not None:
            places: list[Membership | CoachGroup] = [*memberships, *coached]
            chosen = _choose(places, group_ref, _group_id, _group_name, "You share with or co-coach")
            memberships = [chosen] if isinstance(chosen, Membership) else []
            coached = [chosen] if isinstance(chosen, CoachGroup) else []
        async with self.db.transaction() as tx:
            await self.groups.end(tx, [m.id for m in memberships], MembershipStatus.LEFT, self.clock.now())
            for group in coached:
                assert user is not None
                await self.groups.remove_coach(tx, group.id, user.id)
        return Left(memberships, coached)

    async def leavable(self, actor: Actor) -> list[tuple[str, int]]:
        """(name, id) of the groups /coach leave can leave: shared with, or co-coached."""
        user = await self.users.get(actor.platform, actor.external_id, actor.workspace)
        if user is None:
            return []
        shared = [(m.group_name, m.group_id) for m in await self.groups.memberships_of(user.id, _SHARING)]
        return shared + [(g.name, g.id) for g in (await self._coached_split(user))[1]]

    async def _coached_split(self, user: User) -> tuple[list[CoachGroup], list[CoachGroup]]:
        """The groups `user` coaches: those they own, and those they co-coach."""
        owned: list[CoachGroup] = []
        coached: list[CoachGroup] = []
        for group in await self.groups.coached_by(user.id):
            (owned if await self._owner(group.id) == user.id else coached).append(group)
        return owned, coached

    async def _owner(self, group_id: int) -> int | None:
        return next((c.user_id for c in await self.groups.coaches(group_id) if c.owner), None)

    async def set_share_notes(self, actor: Actor, share: bool) -> bool:
        user = await self.services.user(actor)
        async with self.db.transaction() as tx:
            await self.users.set_share_notes(tx, user.id, share)
        return share

    # What coaches see: every path starts at _visible

    async def _visible(
        self, coach: User | None, *, group_id: int | None = None, seeker_id: int | None = None
    ) -> list[Membership]:
        """The authorization check: current, consenting members of groups the coach coaches."""
        if coach is None:
            return []
        return await self.groups.visible(coach.id, group_id, seeker_id)

    async def _reports(self, memberships: list[Membership]) -> list[SeekerReport]:
        """Reports for members that `_visible` returned, one per seeker, whatever the number of shared groups."""
        by_seeker: dict[int, list[Membership]] = {}
        for membership in memberships:
            by_seeker.setdefault(membership.user_id, []).append(membership)
        histories = await self.histories.load(sorted(by_seeker))
        return [self._report(_seeker(ms, histories[uid]), histories[uid]) for uid, ms in by_seeker.items()]

    def _report(self, seeker: Seeker, history: SeekerHistory) -> SeekerReport:
        return coaching.seeker_report(seeker, history, self.clock.now())

    async def _coach(self, actor: Actor) -> User | None:
        return await self.users.get(actor.platform, actor.external_id, actor.workspace)

    async def _group_roster(self, coach: User, group: CoachGroup) -> GroupRoster:
        reports = await self._reports(await self._visible(coach, group_id=group.id))
        return GroupRoster(group, coaching.roster_order([r.line for r in reports]))

    async def rosters(self, actor: Actor, group_ref: str | None = None) -> list[GroupRoster]:
        """One roster per group the coach runs, or for the one named."""
        coach = await self._coach(actor)
        if group_ref is not None:
            groups = [await self._coached_group(coach, group_ref)]
        else:
            groups = [] if coach is None else await self.groups.coached_by(coach.id)
        if coach is None or not groups:
            raise NotFound(NO_GROUPS)
        return [await self._group_roster(coach, group) for group in groups]

    async def roster(self, actor: Actor, group_id: int) -> GroupRoster:
        """One group's roster by id (a page button); only for its coaches."""
        coach = await self._coach(actor)
        groups = [] if coach is None else await self.groups.coached_by(coach.id)
        group = next((g for g in groups if g.id == group_id), None)
        if coach is None or group is None:
            raise NotFound("That roster isn't one of yours.")
        return await self._group_roster(coach, group)

    async def _seeker_memberships(
        self, coach: User | None, member: Actor, group_id: int | None = None
    ) -> list[Membership]:
        seeker = await self.users.get(member.platform, member.external_id, member.workspace)
        memberships = [] if seeker is None else await self._visible(coach, group_id=group_id, seeker_id=seeker.id)
        if not memberships:
            raise NotFound(NOT_VISIBLE)
        return memberships

    async def seeker(self, actor: Actor, member: Actor) -> SeekerReport:
        memberships = await self._seeker_memberships(await self._coach(actor), member)
        [report] = await self._reports(memberships)
        return report

    async def remove(self, actor: Actor, member: Actor, group_ref: str | None = None) -> Removed:
        """Remove a seeker, or a co-coach, from the named group or from every group of the coach's they are
        in. Only a group's owner removes its co-coaches. A removed seeker's code no longer brings them back."""
        coach = await self._coach(actor)
        group_id = None if group_ref is None else (await self._coached_group(coach, group_ref)).id
        person = await self.users.get(member.platform, member.external_id, member.workspace)
        if coach is None or person is None:
            raise NotFound(NOT_VISIBLE)
        if person.id == coach.id:
            raise InvalidInput(
                "You can't remove yourself. A co-coach steps down with /coach leave; "
                "an owner deletes the group with /coach delete."
            )
        owned, co_coached = await self._coached_split(coach)
        in_scope = [g for g in owned + co_coached if group_id is None or g.id == group_id]
        removable: list[tuple[CoachGroup, GroupCoach]] = []  # where the actor owns the group
        refused: list[tuple[CoachGroup, GroupCoach]] = []
        for group in in_scope:
            found = next((c for c in await self.groups.coaches(group.id) if c.user_id == person.id), None)
            if found is not None:
                (removable if group in owned else refused).append((group, found))
        memberships = await self._visible(coach, group_id=group_id, seeker_id=person.id)
        if not memberships and not removable:
            if refused:
                group, found = refused[0]
                owner = (await self.groups.coach_names(group.id))[0]
                raise InvalidInput(
                    f"{found.display_name} owns “{group.name}”: nobody can remove a group's owner."
                    if found.owner
                    else f"Only the owner of “{group.name}”, {owner}, can remove its co-coaches."
                )
            raise NotFound(NOT_VISIBLE)
        async with self.db.transaction() as tx:
            await self.groups.end(tx, [m.id for m in memberships], MembershipStatus.REMOVED, self.clock.now())
            for group, found in removable:
                await self.groups.remove_coach(tx, group.id, found.user_id)
        name = memberships[0].display_name if memberships else removable[0][1].display_name
        return Removed(name, memberships, [g for g, _ in removable])

    # Deleting a group (its owner, after a confirmation)

    async def group_to_delete(self, actor: Actor, group_ref: str | None) -> CoachGroup:
        """The group the owner asked to delete, for the confirmation prompt; nothing changes yet."""
        coach = await self._coach(actor)
        group = await self._coached_group(coach, group_ref)
        assert coach is not None  # _coached_group found a group they coach
        if await self._owner(group.id) != coach.id:
            owner = (await self.groups.coach_names(group.id))[0]
            raise InvalidInput(
                f"Only the owner of “{group.name}”, {owner}, can delete it. To step down, use /coach leave."
            )
        return group

    async def delete_group(self, actor: Actor, group_id: int, asked_at: datetime) -> GroupGone:
        """Delete the group, its co-coaches and its memberships, then tell its members and co-coaches by DM.
        The seekers' own interviews and follow-ups stay theirs."""
        now = self.clock.now()
        if not asked_at <= now <= asked_at + CONFIRM_WITHIN:
            raise InvalidInput("That confirmation has expired. Run /coach delete again if you still want to.")
        coach = await self._coach(actor)
        if coach is None or all(g.id != group_id for g in await self.groups.coached_by(coach.id)):
            raise NotFound("That group isn't one of yours any more.")
        group = await self.group_to_delete(actor, str(group_id))
        coaches = await self.groups.coaches(group.id)
        members = await self._visible(coach, group_id=group.id)
        to_tell = {m.user_id for m in members} | {c.user_id for c in coaches if c.user_id != coach.id}
        async with self.db.transaction() as tx:
            await self.groups.delete(tx, group.id)
        notice = GroupDeleted(group.name, coaches[0].display_name)
        told = 0
        for user in (await self.users.by_ids(sorted(to_tell))).values():
            told += await self._tell(user, lambda u: self.messenger.send_group_deleted(u, notice), "a deleted group")
        return GroupGone(group, told, len(to_tell) - told)

    async def _tell(self, user: User, send: Callable[[User], Awaitable[Delivery]], about: str) -> bool:
        """Send one notice; a failed DM is logged and recorded, nothing more. True if it was delivered."""
        try:
            delivery = await send(user)
        except Exception:  # a messenger bug must not undo what was done: it is done either way
            log.exception("messenger raised telling user %s of %s", user.id, about)
            return False
        if delivery.status is not DeliveryStatus.SENT:
            log.info("user %s not told of %s: %s", user.id, about, delivery.error)
        await self._record_delivery(user, delivery)
        return delivery.status is DeliveryStatus.SENT

    async def nudge(self, actor: Actor, member: Actor, message: str, coach_name: str) -> NudgeResult:
        """An encouraging DM from the coach, sent by the bot; a closed DM is recorded like a bounced nudge."""
        body = text.required(message, "message", text.LONG, multiline=True)
        memberships = await self._seeker_memberships(await self._coach(actor), member)
        [report] = await self._reports(memberships)
        seeker = await self.users.by_id(report.seeker.user_id)
        assert seeker is not None
        note = Encouragement(_name(coach_name), report.seeker.groups, body)
        delivery = await self.messenger.send_encouragement(seeker, note)
        await self._record_delivery(seeker, delivery)
        return NudgeResult(report.seeker, delivery.status)

    async def _record_delivery(self, user: User, delivery: Delivery) -> None:
        """As the dispatcher does: remember the DM channel a DM went through, or that the user's DMs are closed."""
        if delivery.status is DeliveryStatus.RETRY:
            return
        async with self.db.transaction() as tx:
            if delivery.status is DeliveryStatus.DMS_CLOSED:
                await self.users.mark_dms_closed(tx, [user.id], self.clock.now())
            elif delivery.dm_channel is not None:
                await self.users.record_dm_channels(tx, {user.id: delivery.dm_channel})

    # The weekly digest

    async def digest_plan(self, actor: Actor) -> DigestPlan:
        coach = await self._coach(actor)
        plan = None if coach is None else await self.digests.plan(coach.id)
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
        async with self.db.transaction() as tx:
            await self.digests.set_schedule(tx, plan.coach_id, weekday, when or plan.at, day != "off", self.clock.now())
            await self.digests.replan(tx, plan.coach_id)
        await self._digest_changed(plan.coach_id)
        changed = await self.digests.plan(plan.coach_id)
        assert changed is not None
        return changed

    async def refresh_digest(self, actor: Actor) -> None:
        """The coach changed time zone: their digest keeps its local day and time."""
        coach = await self._coach(actor)
        if coach is not None and await self.digests.plan(coach.id) is not None:
            await self._digest_changed(coach.id)

    async def claim_digests(self, platforms: Sequence[str], lease: timedelta, limit: int) -> list[DigestClaim]:
        """Lease the due digest rows of coaches on `platforms`: no other process sends them meanwhile."""
        now = self.clock.now()
        async with self.db.transaction() as tx:
            coach_ids = await self.digests.claim_due(tx, now, now + lease, limit, platforms)
        return [DigestClaim(coach_id, now + lease) for coach_id in coach_ids]

    async def next_digest_due(self, platforms: Sequence[str]) -> datetime | None:
        return await self.digests.next_due(platforms)

    async def reschedule_digest(self, claim: DigestClaim, at: datetime | None = None) -> None:
        """Not sent this time: look again at `at` (a retry), or by default at the coach's next slot."""
        if at is None:
            plan = await self.digests.plan(claim.coach_id)
            at = None if plan is None else coaching.next_digest_at(plan, self.clock.now())
        async with self.db.transaction() as tx:
            await self.digests.schedule(tx, claim.coach_id, at, claim.lease_until)

    async def due_digest(self, coach_id: int) -> PendingDigest | None:
        """The coach's digest if a slot has passed since the last one, else None."""
        plan = await self.digests.plan(coach_id)
        now = self.clock.now()
        if plan is None or not coaching.digest_due(plan, now) or not await self.groups.coached_by(coach_id):
            return None  # not due, or they coach no group any more (stepped down, removed, deleted it)
        coach = await self.users.by_id(coach_id)
        assert coach is not None
        reports = await self._reports(await self._visible(coach))
        slot = coaching.slot_at_or_before(plan, now)
        return PendingDigest(coach, coaching.build_digest(reports, coaching.digest_since(plan), now, slot), plan)

    async def digest_delivered(self, pending: PendingDigest, delivery: Delivery, claim: DigestClaim) -> None:
        """Sent, or the coach's DMs are closed: either way this week's digest is done with; the row is due at
        the next slot."""
        await self._record_delivery(pending.coach, delivery)
        until = pending.digest.until
        async with self.db.transaction() as tx:
            await self.digests.mark_sent(tx, pending.coach.id, until)
            await self.digests.schedule(
                tx, pending.coach.id, coaching.next_digest_at(pending.plan, until), claim.lease_until
            )


def _seeker(memberships: list[Membership], history: SeekerHistory) -> Seeker:
    return Seeker(
        user_id=history.user.id,
        external_id=history.user.external_id,
        name=memberships[0].display_name,
        groups=tuple(dict.fromkeys(m.group_name for m in memberships)),
        dms_closed_at=history.user.dms_closed_at,
    )


def _choose(items: list[T], ref: str | None, id_of: Callable[[T], int], name_of: Callable[[T], str], whose: str) -> T:
    """The group `ref` names (the id autocomplete fills in, or its name), or the only one if none is named."""
    if ref is None:
        if len(items) == 1:
            return items[0]
        if not items:
            raise NotFound(NO_GROUPS)
        names = ", ".join(f"“{name_of(i)}”" for i in items)
        raise InvalidInput(f"{whose} {len(items)} groups ({names}): pick one with the group option.")
    cleaned = text.clean(ref)
    matches = [i for i in items if str(id_of(i)) == cleaned]
    matches = matches or [i for i in items if name_of(i).casefold() == cleaned.casefold()]
    if len(matches) != 1:
        raise NotFound(f"{whose} no group called “{cleaned[:60]}”. Pick one from the list.")
    return matches[0]


def _group_id(place: Membership | CoachGroup) -> int:
    return place.group_id if isinstance(place, Membership) else place.id


def _group_name(place: Membership | CoachGroup) -> str:
    return place.group_name if isinstance(place, Membership) else place.name

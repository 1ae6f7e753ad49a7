"""Coaches' groups: create one, invite codes, joining with consent, leaving, removing, co-coaches, deleting."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain import text
from bot.domain.coaching import CoachAdded, GroupDeleted, SeekerReport
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.models import CoachGroup, Membership, MembershipStatus, User
from bot.ports.repositories import GroupCoach
from bot.usecases.actors import Actor
from bot.usecases.coach_access import NOT_VISIBLE, CoachAccess, choose, display_name, seeker_of

INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud or retyped without doubt
INVITE_LENGTH = 12  # 31^12 ≈ 8e17 codes: not guessable at a chat platform's command rate

BAD_CODE = "That invite code doesn't match any group. Check it with your coach; codes look like ABCD-EFGH-JKMN."
NO_CODE = "Add the invite code your coach gave you after {coach_join}; codes look like ABCD-EFGH-JKMN."
OWNER_STAYS = "You own that group, so you can't leave it: delete it with {coach_delete} (its members are told)."
LAPSED = "That invitation isn't open any more. Ask your coach for the current code and run {coach_join} again."
NOT_SHARING = "You aren't sharing your job hunt with any coach."
ALREADY_COACHES = "{member} already coaches “{group}”."
CONFIRM_WITHIN = timedelta(minutes=10)  # a delete button older than this does nothing
_SHARING = [MembershipStatus.ACTIVE, MembershipStatus.PENDING]


def new_invite_code() -> str:
    return "".join(secrets.choice(INVITE_ALPHABET) for _ in range(INVITE_LENGTH))


def show_code(code: str) -> str:
    """ABCD-EFGH-JKMN: easier to read out and retype."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


@dataclass(frozen=True, slots=True)
class ConsentRequest:
    """A seeker asked to join: what the coaches would see, for the seeker to accept or decline."""

    membership: Membership
    coaches: list[str]
    preview: SeekerReport


@dataclass(frozen=True, slots=True)
class Left:
    """What leaving ended: groups the seeker shared with, and groups the co-coach stepped down from."""

    memberships: list[Membership]
    coached: list[CoachGroup]


@dataclass(frozen=True, slots=True)
class Removed:
    """What a removal ended: the person's memberships as a seeker, and their place as a co-coach."""

    name: str
    memberships: list[Membership]
    coached: list[CoachGroup]


@dataclass(frozen=True, slots=True)
class GroupGone:
    group: CoachGroup
    told: int  # members and co-coaches who got the DM
    not_told: int


class GroupService:
    def __init__(self, access: CoachAccess) -> None:
        self.access = access
        self.accounts = access.accounts
        self.uow = access.uow
        self.clock = access.clock

    # Coaches and their groups

    async def create_group(self, actor: Actor, name: str, coach_name: str) -> CoachGroup:
        name = text.required(name, "group name", text.SHORT)
        coach = await self.accounts.user(actor)
        now = self.clock.now()
        defaults = self.access.digest_defaults
        async with self.uow.transaction() as uow:
            await uow.users.lock(coach.id)  # another process creating a group for this coach waits, then sees it
            alike = [g for g in await uow.groups.coached_by(coach.id) if g.name.casefold() == name.casefold()]
            if alike:  # the group option names a group: two alike could not be told apart
                raise InvalidInput(
                    "You already coach a group called “{group}”. Choose another name.", group=alike[0].name
                )
            group = await uow.groups.create(name, new_invite_code(), coach.id, display_name(coach_name), now)
            new_coach = await uow.digests.ensure(coach.id, defaults.weekday, defaults.at, now)
        if new_coach:
            await self.access.digest_changed(coach.id)
        return group

    async def coached_groups(self, actor: Actor) -> list[CoachGroup]:
        coach = await self.accounts.find(actor)
        if coach is None:
            return []
        async with self.uow.reading() as uow:
            return await uow.groups.coached_by(coach.id)

    async def coached_group(self, actor: Actor, group_ref: str | None) -> CoachGroup:
        """The group the actor coaches that `group_ref` names (the only one if none is named)."""
        return await self.access.coached_group(await self.accounts.find(actor), group_ref)

    async def new_invite(self, actor: Actor, group_ref: str | None) -> CoachGroup:
        coach = await self.accounts.find(actor)
        group = await self.access.coached_group(coach, group_ref)
        async with self.uow.transaction() as uow:
            return await uow.groups.set_invite_code(group.id, new_invite_code())

    async def add_coach(self, actor: Actor, group_ref: str | None, member: Actor, member_name: str) -> CoachGroup:
        coach = await self.accounts.find(actor)
        group = await self.access.coached_group(coach, group_ref)
        added = await self.accounts.user(member)
        now = self.clock.now()
        defaults = self.access.digest_defaults
        async with self.uow.transaction() as uow:
            await uow.users.lock(added.id)  # adding them elsewhere at once waits, then sees them coach
            if await uow.groups.is_coach(group.id, added.id):
                raise InvalidInput(ALREADY_COACHES, member=display_name(member_name), group=group.name)
            await uow.groups.add_coach(group.id, added.id, display_name(member_name), now)
            new_coach = await uow.digests.ensure(added.id, defaults.weekday, defaults.at, now)
        if new_coach:
            await self.access.digest_changed(added.id)
        await self._tell_members(added, group, CoachAdded(display_name(member_name), group.name))
        return group

    async def _tell_members(self, coach: User, group: CoachGroup, notice: CoachAdded) -> None:
        """DM the group's members that `coach` now sees what they share; a failed DM is logged, nothing more."""
        members = await self.access.visible(coach, group_id=group.id)
        async with self.uow.reading() as uow:
            seekers = await uow.users.by_ids([m.user_id for m in members])
        messenger = self.access.messenger
        for seeker in seekers.values():
            await self.access.tell(seeker, lambda u: messenger.send_coach_added(u, notice), "a new co-coach")

    # The seeker's side: join with consent, leave

    async def join(self, actor: Actor, code: str, display: str) -> ConsentRequest:
        """Nothing is shared yet: the membership waits, pending, for the seeker to accept."""
        cleaned = "".join(ch for ch in text.clean(code).upper() if ch.isalnum())
        if not cleaned:
            raise InvalidInput(NO_CODE)
        group = None
        if len(cleaned) == INVITE_LENGTH:
            async with self.uow.reading() as uow:
                group = await uow.groups.by_code(cleaned)
        if group is None:
            raise NotFound(BAD_CODE)
        seeker = await self.accounts.user(actor)
        async with self.uow.reading() as uow:
            coaches_it = await uow.groups.is_coach(group.id, seeker.id)
            removed = await uow.groups.removed_with_current_code(group.id, seeker.id)
            current = await uow.groups.memberships_of(seeker.id, [MembershipStatus.ACTIVE])
        if coaches_it:
            raise InvalidInput("You coach “{group}”: seekers join it with this code.", group=group.name)
        if removed:
            raise InvalidInput(
                "A coach of “{group}” removed you from it, so this code can't bring you back. "
                "If they invite you again, they will give you a new code.",
                group=group.name,
            )
        if any(m.group_id == group.id for m in current):
            raise InvalidInput(
                "You already share your job hunt with “{group}”. To stop, use {coach_leave}.", group=group.name
            )
        async with self.uow.transaction() as uow:
            membership = await uow.groups.request(group.id, seeker.id, display_name(display), self.clock.now())
        async with self.uow.reading() as uow:
            own = await uow.histories.load([seeker.id])  # the seeker's own data, shown to the seeker
            coach_names = await uow.groups.coach_names(group.id)
        preview = self.access.report(seeker_of([membership], seeker), own[seeker.id])
        return ConsentRequest(membership, coach_names, preview)

    async def decide(self, actor: Actor, membership_id: int, accept: bool) -> Membership:
        async with self.uow.reading() as uow:
            membership = await uow.groups.membership(membership_id)
        if membership is None:
            raise InvalidInput(LAPSED)
        seeker = await self.accounts.find(actor)
        if seeker is None or membership.user_id != seeker.id:
            raise NotFound("That invitation isn't yours.")
        if membership.status is MembershipStatus.ACTIVE:
            if accept:
                return membership
            raise InvalidInput(
                "You already accepted “{group}”. To stop sharing, use {coach_leave}.", group=membership.group_name
            )
        if membership.status is not MembershipStatus.PENDING:
            raise InvalidInput(LAPSED)
        status = MembershipStatus.ACTIVE if accept else MembershipStatus.DECLINED
        async with self.uow.transaction() as uow:
            decided = await uow.groups.decide(membership.id, status, self.clock.now())
        if decided is None:  # they left, or a new code lapsed it, since it was read above
            raise InvalidInput(LAPSED)
        return decided

    async def member_groups(self, actor: Actor) -> list[Membership]:
        seeker = await self.accounts.find(actor)
        if seeker is None:
            return []
        async with self.uow.reading() as uow:
            return await uow.groups.memberships_of(seeker.id, _SHARING)

    async def leave(self, actor: Actor, group_ref: str | None) -> Left:
        """Stop sharing with one group, or step down as its co-coach; every such group when none is named.
        Access ends at once. A group's owner cannot leave it: they delete it."""
        user = await self.accounts.find(actor)
        memberships: list[Membership] = []
        owned: list[CoachGroup] = []
        coached: list[CoachGroup] = []
        if user is not None:
            async with self.uow.reading() as uow:
                memberships = await uow.groups.memberships_of(user.id, _SHARING)
            owned, coached = await self._coached_split(user)
        cleaned = None if group_ref is None else text.clean(group_ref)
        if cleaned is not None and any(cleaned == str(g.id) or cleaned.casefold() == g.name.casefold() for g in owned):
            raise InvalidInput(OWNER_STAYS)
        if not memberships and not coached:
            raise InvalidInput(OWNER_STAYS) if owned and group_ref is None else NotFound(NOT_SHARING)
        if group_ref is not None:
            places: list[Membership | CoachGroup] = [*memberships, *coached]
            chosen = choose(places, group_ref, _group_id, _group_name, "You share with or co-coach")
            memberships = [chosen] if isinstance(chosen, Membership) else []
            coached = [chosen] if isinstance(chosen, CoachGroup) else []
        async with self.uow.transaction() as uow:
            await uow.groups.end([m.id for m in memberships], MembershipStatus.LEFT, self.clock.now())
            for group in coached:
                assert user is not None
                await uow.groups.remove_coach(group.id, user.id)
        return Left(memberships, coached)

    async def leavable(self, actor: Actor) -> list[tuple[str, int]]:
        """(name, id) of the groups the actor can leave: shared with, or co-coached."""
        user = await self.accounts.find(actor)
        if user is None:
            return []
        async with self.uow.reading() as uow:
            shared = [(m.group_name, m.group_id) for m in await uow.groups.memberships_of(user.id, _SHARING)]
        return shared + [(g.name, g.id) for g in (await self._coached_split(user))[1]]

    async def _coached_split(self, user: User) -> tuple[list[CoachGroup], list[CoachGroup]]:
        """The groups `user` coaches: those they own, and those they co-coach."""
        owned: list[CoachGroup] = []
        coached: list[CoachGroup] = []
        async with self.uow.reading() as uow:
            groups = await uow.groups.coached_by(user.id)
        for group in groups:
            (owned if await self._owner(group.id) == user.id else coached).append(group)
        return owned, coached

    async def removable_coaches(self, actor: Actor) -> list[GroupCoach]:
        """The co-coaches of the groups the actor owns, once each: whom their remove may name besides seekers."""
        user = await self.accounts.find(actor)
        found: dict[int, GroupCoach] = {}
        for group in [] if user is None else (await self._coached_split(user))[0]:
            async with self.uow.reading() as uow:
                for coach in await uow.groups.coaches(group.id):
                    if not coach.owner:
                        found.setdefault(coach.user_id, coach)
        return sorted(found.values(), key=lambda c: c.display_name.casefold())

    async def _owner(self, group_id: int) -> int | None:
        async with self.uow.reading() as uow:
            return next((c.user_id for c in await uow.groups.coaches(group_id) if c.owner), None)

    async def remove(self, actor: Actor, member: Actor, group_ref: str | None = None) -> Removed:
        """Remove a seeker, or a co-coach, from the named group or from every group of the coach's they are
        in. Only a group's owner removes its co-coaches. A removed seeker's code no longer brings them back."""
        return await self._remove(actor, await self.accounts.find(member), group_ref)

    async def remove_by_id(self, actor: Actor, user_id: int, group_ref: str | None = None) -> Removed:
        """`remove` for someone picked from a roster by their user id, whatever their platform."""
        async with self.uow.reading() as uow:
            person = await uow.users.by_id(user_id)
        return await self._remove(actor, person, group_ref)

    async def _remove(self, actor: Actor, person: User | None, group_ref: str | None) -> Removed:
        coach = await self.accounts.find(actor)
        group_id = None if group_ref is None else (await self.access.coached_group(coach, group_ref)).id
        if coach is None or person is None:
            raise NotFound(NOT_VISIBLE)
        if person.id == coach.id:
            raise InvalidInput(
                "You can't remove yourself. A co-coach steps down with {coach_leave}; "
                "an owner deletes the group with {coach_delete}."
            )
        owned, co_coached = await self._coached_split(coach)
        in_scope = [g for g in owned + co_coached if group_id is None or g.id == group_id]
        removable: list[tuple[CoachGroup, GroupCoach]] = []  # where the actor owns the group
        refused: list[tuple[CoachGroup, GroupCoach]] = []
        for group in in_scope:
            async with self.uow.reading() as uow:
                found = next((c for c in await uow.groups.coaches(group.id) if c.user_id == person.id), None)
            if found is not None:
                (removable if group in owned else refused).append((group, found))
        memberships = await self.access.visible(coach, group_id=group_id, seeker_id=person.id)
        if not memberships and not removable:
            if refused:
                group, found = refused[0]
                async with self.uow.reading() as uow:
                    owner = (await uow.groups.coach_names(group.id))[0]
                raise InvalidInput(
                    "{coach} owns “{group}”: nobody can remove a group's owner."
                    if found.owner
                    else "Only the owner of “{group}”, {owner}, can remove its co-coaches.",
                    coach=found.display_name,
                    group=group.name,
                    owner=owner,
                )
            raise NotFound(NOT_VISIBLE)
        async with self.uow.transaction() as uow:
            await uow.groups.end([m.id for m in memberships], MembershipStatus.REMOVED, self.clock.now())
            for group, found in removable:
                await uow.groups.remove_coach(group.id, found.user_id)
        name = memberships[0].display_name if memberships else removable[0][1].display_name
        return Removed(name, memberships, [g for g, _ in removable])

    # Deleting a group (its owner, after a confirmation)

    async def group_to_delete(self, actor: Actor, group_ref: str | None) -> CoachGroup:
        """The group the owner asked to delete, for the confirmation prompt; nothing changes yet."""
        coach = await self.accounts.find(actor)
        group = await self.access.coached_group(coach, group_ref)
        assert coach is not None  # coached_group found a group they coach
        if await self._owner(group.id) != coach.id:
            async with self.uow.reading() as uow:
                owner = (await uow.groups.coach_names(group.id))[0]
            raise InvalidInput(
                "Only the owner of “{group}”, {owner}, can delete it. To step down, use {coach_leave}.",
                group=group.name,
                owner=owner,
            )
        return group

    async def delete_group(self, actor: Actor, group_id: int, asked_at: datetime) -> GroupGone:
        """Delete the group, its co-coaches and its memberships, then tell its members and co-coaches by DM.
        The seekers' own interviews and follow-ups stay theirs."""
        now = self.clock.now()
        if not asked_at <= now <= asked_at + CONFIRM_WITHIN:
            raise InvalidInput("That confirmation has expired. Run {coach_delete} again if you still want to.")
        coach = await self.accounts.find(actor)
        groups: list[CoachGroup] = []
        if coach is not None:
            async with self.uow.reading() as uow:
                groups = await uow.groups.coached_by(coach.id)
        if coach is None or all(g.id != group_id for g in groups):
            raise NotFound("That group isn't one of yours any more.")
        group = await self.group_to_delete(actor, str(group_id))
        async with self.uow.reading() as uow:
            coaches = await uow.groups.coaches(group.id)
        members = await self.access.visible(coach, group_id=group.id)
        to_tell = {m.user_id for m in members} | {c.user_id for c in coaches if c.user_id != coach.id}
        async with self.uow.transaction() as uow:
            await uow.groups.delete(group.id)
        notice = GroupDeleted(group.name, coaches[0].display_name)
        async with self.uow.reading() as uow:
            users = await uow.users.by_ids(sorted(to_tell))
        messenger = self.access.messenger
        told = 0
        for user in users.values():
            told += await self.access.tell(user, lambda u: messenger.send_group_deleted(u, notice), "a deleted group")
        return GroupGone(group, told, len(to_tell) - told)


def _group_id(place: Membership | CoachGroup) -> int:
    return place.group_id if isinstance(place, Membership) else place.id


def _group_name(place: Membership | CoachGroup) -> str:
    return place.group_name if isinstance(place, Membership) else place.name

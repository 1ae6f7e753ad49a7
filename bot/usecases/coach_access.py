"""What the groups and roster use cases share: who a coach may see, the seekers' reports, and the DMs' fate.

Every read of a seeker's data for a coach goes through `visible`: the seeker must be a current,
consenting member of a group the coach coaches. Anyone else gets the same NOT_VISIBLE reply as a stranger.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.domain import coaching, text
from bot.domain.coaching import Seeker, SeekerReport
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.models import CoachGroup, DigestPlan, Membership, SeekerHistory, User
from bot.domain.rules import DigestDefaults
from bot.ports.senders import Delivery, DeliveryStatus, Messenger
from bot.usecases.actors import Accounts, Actor

NOT_VISIBLE = (
    "I can't find that person among the seekers sharing with your groups. They can join with your "
    "invite code ({coach_join}) and accept."
)
NO_GROUPS = "You don't coach a group yet. Start one with {coach_create}."

log = logging.getLogger(__name__)

T = TypeVar("T")


class CoachAccess:
    def __init__(self, accounts: Accounts, messenger: Messenger, digest_defaults: DigestDefaults) -> None:
        self.accounts = accounts
        self.uow = accounts.uow
        self.clock = accounts.clock
        self.messenger = messenger
        self.digest_defaults = digest_defaults
        self._digest_listeners: list[Callable[[DigestPlan], None]] = []

    def on_digest_changed(self, listener: Callable[[DigestPlan], None]) -> None:
        """`listener(plan)` hears of every new or changed digest schedule (and coach time zone)."""
        self._digest_listeners.append(listener)

    async def digest_changed(self, coach_id: int) -> None:
        """Move the coach's digest row to its next slot (a crash before this leaves it to the digest loop to
        plan: see Digests.replan), and tell the listeners."""
        async with self.uow.transaction() as uow:
            plan = await uow.digests.plan(coach_id)
            assert plan is not None
            await uow.digests.replan(coach_id, coaching.next_digest_at(plan, self.clock.now()))
        for listener in self._digest_listeners:
            listener(plan)

    async def coached_group(self, coach: User | None, ref: str | None) -> CoachGroup:
        async with self.uow.reading() as uow:
            groups = [] if coach is None else await uow.groups.coached_by(coach.id)
        return choose(groups, ref, lambda g: g.id, lambda g: g.name, "You coach")

    async def visible(
        self, coach: User | None, *, group_id: int | None = None, seeker_id: int | None = None
    ) -> list[Membership]:
        """The authorization check: current, consenting members of groups the coach coaches."""
        if coach is None:
            return []
        async with self.uow.reading() as uow:
            return await uow.groups.visible(coach.id, group_id, seeker_id)

    async def reports(self, memberships: list[Membership]) -> list[SeekerReport]:
        """Reports for members that `visible` returned, one per seeker, whatever the number of shared groups."""
        by_seeker: dict[int, list[Membership]] = {}
        for membership in memberships:
            by_seeker.setdefault(membership.user_id, []).append(membership)
        async with self.uow.reading() as uow:
            histories = await uow.histories.load(sorted(by_seeker))
        return [self.report(seeker_of(ms, histories[uid].user), histories[uid]) for uid, ms in by_seeker.items()]

    def report(self, seeker: Seeker, history: SeekerHistory) -> SeekerReport:
        return coaching.seeker_report(seeker, history, self.clock.now())

    async def tell(self, user: User, send: Callable[[User], Awaitable[Delivery]], about: str) -> bool:
        """Send one notice; a failed DM is logged and recorded, nothing more. True if it was delivered."""
        try:
            delivery = await send(user)
        except Exception:  # a messenger bug must not undo what was done: it is done either way
            log.exception("messenger raised telling user %s of %s", user.id, about)
            return False
        if delivery.status is not DeliveryStatus.SENT:
            log.info("user %s not told of %s: %s", user.id, about, delivery.error)
        await self.record_delivery(user, delivery)
        return delivery.status is DeliveryStatus.SENT

    async def record_delivery(self, user: User, delivery: Delivery) -> None:
        """As the dispatcher does: remember the DM channel a DM went through, or that the user's DMs are closed."""
        if delivery.status is DeliveryStatus.RETRY:
            return
        async with self.uow.transaction() as uow:
            if delivery.status is DeliveryStatus.DMS_CLOSED:
                await uow.users.mark_dms_closed([user.id], self.clock.now())
            elif delivery.dm_channel is not None:
                await uow.users.record_dm_channels({user.id: delivery.dm_channel})

    async def seeker_memberships(
        self, coach: User | None, member: Actor, group_id: int | None = None
    ) -> list[Membership]:
        seeker = await self.accounts.find(member)
        if seeker is None:
            raise NotFound(NOT_VISIBLE)
        return await self.seeker_memberships_by_id(coach, seeker.id, group_id)

    async def seeker_memberships_by_id(
        self, coach: User | None, seeker_id: int, group_id: int | None = None
    ) -> list[Membership]:
        """A seeker picked from a roster by their user id, whatever their platform: NOT_VISIBLE unless `visible`."""
        memberships = await self.visible(coach, group_id=group_id, seeker_id=seeker_id)
        if not memberships:
            raise NotFound(NOT_VISIBLE)
        return memberships


def display_name(value: str) -> str:
    return text.clean(value)[: text.SHORT] or "(no name)"


def seeker_of(memberships: list[Membership], user: User) -> Seeker:
    return Seeker(
        user_id=user.id,
        external_id=user.external_id,
        name=memberships[0].display_name,
        groups=tuple(dict.fromkeys(m.group_name for m in memberships)),
        dms_closed_at=user.dms_closed_at,
        platform=user.platform,
    )


def choose(items: list[T], ref: str | None, id_of: Callable[[T], int], name_of: Callable[[T], str], whose: str) -> T:
    """The group `ref` names (the id autocomplete fills in, or its name), or the only one if none is named."""
    if ref is None:
        if len(items) == 1:
            return items[0]
        if not items:
            raise NotFound(NO_GROUPS)
        names = ", ".join(f"“{name_of(i)}”" for i in items)
        raise InvalidInput(f"{whose} {len(items)} groups ({{names}}): pick one with the group option.", names=names)
    cleaned = text.clean(ref)
    matches = [i for i in items if str(id_of(i)) == cleaned]
    matches = matches or [i for i in items if name_of(i).casefold() == cleaned.casefold()]
    if len(matches) > 1:  # e.g. a co-coach's group named like one's own
        names = ", ".join(f"“{name_of(i)}”" for i in matches)
        raise InvalidInput(
            f"{whose} {len(matches)} groups called “{{typed}}”: {{names}}. "
            "Pick the one you mean from the list as you type.",
            typed=cleaned[:60],
            names=names,
        )
    if not matches:
        raise NotFound(f"{whose} no group called “{{typed}}”. Pick one from the list.", typed=cleaned[:60])
    return matches[0]

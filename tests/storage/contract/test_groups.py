"""Coaches' groups and seekers' memberships on every backend: who coaches what, and who sees whom."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.models import MembershipStatus
from bot.ports.repositories import GroupCoach
from bot.ports.unit_of_work import UnitOfWorkFactory
from tests.storage.contract.support import NOW, user

H = timedelta(hours=1)
ACTIVE = MembershipStatus.ACTIVE
PENDING = MembershipStatus.PENDING


async def test_a_group_has_its_owner_first_then_its_coaches_in_order(backend: UnitOfWorkFactory) -> None:
    owner, second, third = await user(backend, "owner"), await user(backend, "second"), await user(backend, "third")
    async with backend.transaction() as tx:
        group = await tx.groups.create("Cohort", "CODE1", owner.id, "Olga", NOW)
        await tx.groups.add_coach(group.id, second.id, "Sam", NOW + H)
        await tx.groups.add_coach(group.id, third.id, "Ann", NOW + 2 * H)
    assert (group.name, group.invite_code, group.created_at) == ("Cohort", "CODE1", NOW)
    async with backend.reading() as r:
        assert await r.groups.coaches(group.id) == [
            GroupCoach(owner.id, "Olga", True),
            GroupCoach(second.id, "Sam", False),
            GroupCoach(third.id, "Ann", False),
        ]
        assert await r.groups.coach_names(group.id) == ["Olga", "Sam", "Ann"]
        assert await r.groups.by_code("CODE1") == group
        assert await r.groups.by_code("NOPE") is None
        assert await r.groups.is_coach(group.id, third.id)
    async with backend.transaction() as tx:
        await tx.groups.remove_coach(group.id, second.id)
        await tx.groups.remove_coach(group.id, owner.id)  # the owner is never removed this way
        assert await tx.groups.coach_names(group.id) == ["Olga", "Ann"]
        assert not await tx.groups.is_coach(group.id, second.id)


async def test_groups_a_coach_coaches_are_listed_by_name(backend: UnitOfWorkFactory) -> None:
    coach, other = await user(backend, "coach"), await user(backend, "other")
    async with backend.transaction() as tx:
        zeta = await tx.groups.create("zeta", "Z", coach.id, "C", NOW)
        alpha = await tx.groups.create("Alpha", "A", other.id, "O", NOW)
        await tx.groups.add_coach(alpha.id, coach.id, "C", NOW)
        await tx.groups.create("Beta", "B", other.id, "O", NOW)
    async with backend.reading() as r:
        assert await r.groups.coached_by(coach.id) == [alpha, zeta]


async def test_a_membership_is_pending_until_the_seeker_decides(backend: UnitOfWorkFactory) -> None:
    coach, seeker = await user(backend, "coach"), await user(backend, "seeker")
    async with backend.transaction() as tx:
        group = await tx.groups.create("Cohort", "CODE1", coach.id, "C", NOW)
        asked = await tx.groups.request(group.id, seeker.id, "Sally", NOW)
    assert (asked.group_id, asked.group_name, asked.user_id, asked.display_name, asked.status) == (
        group.id,
        "Cohort",
        seeker.id,
        "Sally",
        PENDING,
    )
    async with backend.transaction() as tx:
        assert await tx.groups.visible(coach.id, None, None) == []
        accepted = await tx.groups.decide(asked.id, ACTIVE, NOW + H)
        assert await tx.groups.decide(asked.id, MembershipStatus.DECLINED, NOW + H) is None  # decided already
    assert accepted is not None and (accepted.status, accepted.decided_at) == (ACTIVE, NOW + H)
    async with backend.reading() as r:
        assert await r.groups.membership(asked.id) == accepted
        assert await r.groups.membership(999_999) is None
        assert await r.groups.memberships_of(seeker.id, [ACTIVE]) == [accepted]
        assert await r.groups.memberships_of(seeker.id, [PENDING]) == []
        assert await r.groups.visible(coach.id, None, None) == [accepted]
        assert await r.groups.visible(coach.id, group.id, seeker.id) == [accepted]
        assert await r.groups.visible(coach.id, group.id, coach.id) == []
        assert await r.groups.visible(seeker.id, None, None) == []  # not their coach


async def test_visible_lists_current_members_of_the_coachs_groups_by_group_then_name(
    backend: UnitOfWorkFactory,
) -> None:
    coach, other = await user(backend, "coach"), await user(backend, "other")
    bea, al, cy, left = [await user(backend, n) for n in ("bea", "al", "cy", "left")]
    async with backend.transaction() as tx:
        second = await tx.groups.create("Second", "S", coach.id, "C", NOW)
        first = await tx.groups.create("first", "F", coach.id, "C", NOW)
        theirs = await tx.groups.create("Theirs", "T", other.id, "O", NOW)
        made = [
            await tx.groups.request(group.id, who.id, name, NOW)
            for group, who, name in (
                (second, al, "Al"),
                (first, bea, "bea"),
                (first, al, "Al"),
                (theirs, cy, "Cy"),
                (first, left, "Left"),
            )
        ]
        for m in made:
            await tx.groups.decide(m.id, ACTIVE, NOW)
        await tx.groups.end([made[4].id], MembershipStatus.LEFT, NOW + H)
    async with backend.reading() as r:
        shown = await r.groups.visible(coach.id, None, None)
        assert [m.id for m in await r.groups.visible(coach.id, first.id, None)] == [made[2].id, made[1].id]
        ended = await r.groups.membership(made[4].id)
    assert [m.id for m in shown] == [made[2].id, made[1].id, made[0].id]
    assert ended is not None and (ended.status, ended.ended_at) == (MembershipStatus.LEFT, NOW + H)


async def test_a_removal_holds_for_the_invite_code_it_was_made_with(backend: UnitOfWorkFactory) -> None:
    coach, seeker, waiting = await user(backend, "coach"), await user(backend, "seeker"), await user(backend, "w")
    async with backend.transaction() as tx:
        group = await tx.groups.create("Cohort", "OLD", coach.id, "C", NOW)
        member = await tx.groups.request(group.id, seeker.id, "S", NOW)
        await tx.groups.decide(member.id, ACTIVE, NOW)
        await tx.groups.end([member.id], MembershipStatus.REMOVED, NOW + H)
        assert await tx.groups.removed_with_current_code(group.id, seeker.id)
        asked = await tx.groups.request(group.id, waiting.id, "W", NOW)
    async with backend.transaction() as tx:
        renamed = await tx.groups.set_invite_code(group.id, "NEW")
        assert renamed.invite_code == "NEW" and await tx.groups.by_code("OLD") is None
        assert not await tx.groups.removed_with_current_code(group.id, seeker.id)
        assert await tx.groups.membership(asked.id) is None  # a request with the old code lapsed
        again = await tx.groups.request(group.id, seeker.id, "S2", NOW + 2 * H)
    assert (again.id, again.status, again.display_name, again.decided_at, again.ended_at) == (
        member.id,
        PENDING,
        "S2",
        None,
        None,
    )


async def test_deleting_a_group_takes_its_coaches_and_memberships(backend: UnitOfWorkFactory) -> None:
    coach, seeker = await user(backend, "coach"), await user(backend, "seeker")
    async with backend.transaction() as tx:
        group = await tx.groups.create("Cohort", "CODE", coach.id, "C", NOW)
        member = await tx.groups.request(group.id, seeker.id, "S", NOW)
        await tx.groups.decide(member.id, ACTIVE, NOW)
    async with backend.transaction() as tx:
        await tx.groups.delete(group.id)
    async with backend.reading() as r:
        assert await r.groups.by_code("CODE") is None
        assert await r.groups.coached_by(coach.id) == []
        assert await r.groups.membership(member.id) is None
        assert await r.groups.memberships_of(seeker.id, list(MembershipStatus)) == []
        assert await r.groups.visible(coach.id, None, None) == []
        assert await r.users.by_id(seeker.id) is not None

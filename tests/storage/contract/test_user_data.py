"""A seeker's whole record on every backend: exported as theirs only, and deleted with nothing left reachable."""

from __future__ import annotations

from datetime import time, timedelta

from bot.domain.models import FollowUp, MembershipStatus, NextSteps, User
from bot.ports.repositories import GroupCoach, Lease, SharedCoach, SharedGroup
from bot.ports.unit_of_work import UnitOfWorkFactory
from tests.storage.contract.support import ME, NOW, PLATFORMS, follow_ups, interview, user

H = timedelta(hours=1)


async def _a_full_record(uow: UnitOfWorkFactory, who: User) -> FollowUp:
    """An interview with answers, a call, feedback and a follow-up; a held command, a digest; returns the follow-up."""
    made = await interview(uow, who, f"{who.external_id}'s company")
    (item,) = await follow_ups(uow, made, H)
    async with uow.transaction() as tx:
        await tx.interviews.save_next_steps(NextSteps(made.id, NOW + H, None, None, None, None, NOW))
        await tx.interviews.add_check_in(made.id, "heard", None, NOW)
        await tx.interviews.add_feedback(made.id, "feedback", NOW)
        await tx.users.hold_command(who.id, "interview add", "{}", NOW)
        await tx.digests.ensure(who.id, 0, time(9), NOW)
    return item


async def test_the_export_holds_the_users_rows_and_no_one_elses(backend: UnitOfWorkFactory) -> None:
    alice, bob = await user(backend, "alice"), await user(backend, "bob")
    await _a_full_record(backend, alice)
    await _a_full_record(backend, bob)
    async with backend.transaction() as tx:
        group = await tx.groups.create("Bob's", "CODE", bob.id, "Bob", NOW)
        await tx.groups.request(group.id, alice.id, "Alice", NOW)
    async with backend.reading() as r:
        record = await r.user_data.export(alice.id)
    for table in ("users", "interviews", "next_steps", "follow_ups", "check_ins", "feedback", "memberships"):
        assert len(record[table]) == 1, table
    assert record["users"][0]["id"] == alice.id
    assert record["interviews"][0]["company"] == "alice's company"
    for table, found in record.items():
        for row in found:
            assert row.get("user_id", alice.id) == alice.id, table
            assert "bob's company" not in row.values(), table


async def test_shared_with_names_each_group_and_its_coaches(backend: UnitOfWorkFactory) -> None:
    seeker, owner, co = await user(backend, "seeker"), await user(backend, "owner"), await user(backend, "co")
    async with backend.transaction() as tx:
        beta = await tx.groups.create("beta", "B", owner.id, "Olga", NOW)
        await tx.groups.add_coach(beta.id, co.id, "Cole", NOW)
        alpha = await tx.groups.create("Alpha", "A", co.id, "Cole", NOW)
        active = await tx.groups.request(beta.id, seeker.id, "S", NOW)
        await tx.groups.decide(active.id, MembershipStatus.ACTIVE, NOW)
        await tx.groups.request(alpha.id, seeker.id, "S", NOW)
    async with backend.reading() as r:
        assert await r.user_data.shared_with(seeker.id) == [
            SharedGroup(alpha.id, "Alpha", "pending", False, [SharedCoach("Cole", "co", True)]),
            SharedGroup(
                beta.id, "beta", "active", True, [SharedCoach("Olga", "owner", True), SharedCoach("Cole", "co", False)]
            ),
        ]
        assert await r.user_data.shared_with(owner.id) == []


async def test_a_deleted_user_leaves_nothing_reachable(backend: UnitOfWorkFactory) -> None:
    alice, bob, coach = await user(backend, "alice"), await user(backend, "bob"), await user(backend, "coach")
    alices = await _a_full_record(backend, alice)
    bobs = await _a_full_record(backend, bob)
    async with backend.transaction() as tx:
        alone = await tx.groups.create("Alice alone", "ALONE", alice.id, "Alice", NOW)
        shared = await tx.groups.create("Shared", "SHARED", alice.id, "Alice", NOW)
        await tx.groups.add_coach(shared.id, coach.id, "Coach", NOW + H)
        coached = await tx.groups.create("Coached", "COACHED", coach.id, "Coach", NOW)
        for group in (alone, shared, coached):
            member = await tx.groups.request(group.id, bob.id, "Bob", NOW)
            await tx.groups.decide(member.id, MembershipStatus.ACTIVE, NOW)
        await tx.groups.request(coached.id, alice.id, "Alice", NOW)
        await tx.users.mark_dms_closed([alice.id], NOW)
    async with backend.transaction() as tx:
        await tx.user_data.delete(alice.id)
    async with backend.transaction() as tx:
        assert await tx.users.get("test", "alice") is None
        assert await tx.users.by_id(alice.id) is None
        assert await tx.follow_ups.get(alice.id, alices.id) is None
        assert await tx.follow_ups.open_for_user(alice.id) == []
        assert await tx.follow_ups.pending_for_user(alice.id) == []
        assert await tx.follow_ups.of_interview(alices.interview_id) == []
        assert await tx.interviews.list_for_user(alice.id, include_closed=True) == []
        assert await tx.interviews.by_ids([alices.interview_id]) == {}
        assert await tx.interviews.next_steps([alices.interview_id]) == {}
        assert await tx.interviews.latest_check_ins([alices.interview_id]) == {}
        assert await tx.histories.load([alice.id]) == {}
        assert await tx.digests.plan(alice.id) is None
        assert await tx.digests.plan(bob.id) is not None
        assert await tx.digests.claim_due(NOW, Lease(ME, NOW + H), 10, PLATFORMS) == [
            bob.id
        ]  # only Bob's digest is left
        assert await tx.groups.coached_by(alice.id) == []
        assert await tx.groups.memberships_of(alice.id, list(MembershipStatus)) == []
        assert await tx.user_data.shared_with(alice.id) == []
        assert all(rows == [] for rows in (await tx.user_data.export(alice.id)).values())
        # Only Bob's follow-up is left to send.
        assert [f.id for f in await tx.follow_ups.claim_due(NOW + 2 * H, Lease(ME, NOW + 3 * H), 10, PLATFORMS)] == [
            bobs.id
        ]
        # The group Alice coached alone went with her (and Bob's place in it); the shared one lives on,
        # its remaining coach now its owner.
        assert await tx.groups.by_code("ALONE") is None
        assert [m.group_name for m in await tx.groups.memberships_of(bob.id, list(MembershipStatus))] == [
            "Coached",
            "Shared",
        ]
        assert await tx.groups.coaches(shared.id) == [GroupCoach(coach.id, "Coach", True)]
        assert [m.user_id for m in await tx.groups.visible(coach.id, None, None)] == [bob.id, bob.id]
        assert (await tx.histories.load([bob.id]))[bob.id].user == bob

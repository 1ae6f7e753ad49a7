"""Coaches' weekly digest schedules on every backend, and the digest loop's claim cycle on their rows."""

from __future__ import annotations

from datetime import time, timedelta

from bot.domain.models import DigestPlan
from bot.ports.repositories import Lease
from bot.ports.unit_of_work import UnitOfWorkFactory
from tests.storage.contract.support import ME, NOW, PLATFORMS, user

H = timedelta(hours=1)


async def test_a_coach_gets_the_default_schedule_once_and_keeps_their_own(backend: UnitOfWorkFactory) -> None:
    coach, other = await user(backend, "coach"), await user(backend, "other")
    async with backend.transaction() as tx:
        await tx.users.set_timezone(coach.id, "Europe/Paris", NOW)
        assert await tx.digests.plan(coach.id) is None
        assert await tx.digests.ensure(coach.id, 0, time(9), NOW)
        assert not await tx.digests.ensure(coach.id, 3, time(18), NOW + H)
        assert await tx.digests.ensure(other.id, 4, time(17, 30), NOW)
    expected = DigestPlan(coach.id, "Europe/Paris", 0, time(9), True, NOW, NOW, None)
    async with backend.reading() as r:
        assert await r.digests.plan(coach.id) == expected
        assert await r.digests.plan(other.id) == DigestPlan(other.id, "UTC", 4, time(17, 30), True, NOW, NOW, None)


async def test_a_schedule_is_changed_and_its_sending_recorded(backend: UnitOfWorkFactory) -> None:
    coach = await user(backend, "coach")
    async with backend.transaction() as tx:
        await tx.digests.ensure(coach.id, 0, time(9), NOW)
        assert await tx.digests.claim_due(NOW, Lease(ME, NOW + 3 * H), 10, PLATFORMS) == [coach.id]
    async with backend.transaction() as tx:
        await tx.digests.set_schedule(coach.id, 2, time(7, 45), False, NOW + H)
        await tx.digests.mark_sent(coach.id, NOW + 2 * H, Lease(ME, NOW + 3 * H))
        await tx.digests.mark_sent(coach.id, NOW + 5 * H, Lease(ME, NOW + H))  # not this claim's lease: ignored
    async with backend.reading() as r:
        assert await r.digests.plan(coach.id) == DigestPlan(
            coach.id, "UTC", 2, time(7, 45), False, NOW, NOW + H, NOW + 2 * H
        )


async def test_a_new_row_is_due_at_once_then_claimed_once_and_scheduled_under_its_lease(
    backend: UnitOfWorkFactory,
) -> None:
    coach, elsewhere = await user(backend, "coach"), await user(backend, "there", platform="elsewhere")
    lease = Lease(ME, NOW + 2 * H)
    async with backend.transaction() as tx:
        await tx.digests.ensure(coach.id, 0, time(9), NOW)
        await tx.digests.ensure(elsewhere.id, 0, time(9), NOW)
    async with backend.reading() as r:
        assert await r.digests.next_due(PLATFORMS) is not None  # a row to plan: due long ago
        assert await r.digests.next_due([]) is None
    async with backend.transaction() as tx:
        assert await tx.digests.claim_due(NOW, lease, 10, PLATFORMS) == [coach.id]  # not another platform's
    async with backend.transaction() as tx:
        assert await tx.digests.claim_due(NOW + H, Lease("other", NOW + 3 * H), 10, PLATFORMS) == []  # leased
    async with backend.reading() as r:
        assert await r.digests.next_due(PLATFORMS) == lease.until  # the lease running out
    async with backend.transaction() as tx:
        await tx.digests.schedule(coach.id, NOW + 24 * H, Lease(ME, NOW + H))  # not this claim's lease: ignored
    async with backend.reading() as r:
        assert await r.digests.next_due(PLATFORMS) == lease.until
    async with backend.transaction() as tx:
        await tx.digests.schedule(coach.id, NOW + 24 * H, lease)
    async with backend.reading() as r:
        assert await r.digests.next_due(PLATFORMS) == NOW + 24 * H
    async with backend.transaction() as tx:
        assert await tx.digests.claim_due(NOW + 23 * H, Lease(ME, NOW + 25 * H), 10, PLATFORMS) == []
        assert await tx.digests.claim_due(NOW + 24 * H, Lease(ME, NOW + 25 * H), 10, PLATFORMS) == [coach.id]


async def test_replanning_ends_a_lease_and_a_disabled_row_is_never_claimed(backend: UnitOfWorkFactory) -> None:
    coach = await user(backend, "coach")
    async with backend.transaction() as tx:
        await tx.digests.ensure(coach.id, 0, time(9), NOW)
        assert await tx.digests.claim_due(NOW, Lease(ME, NOW + H), 10, PLATFORMS) == [coach.id]
        await tx.digests.replan(coach.id, NOW + 3 * H)  # the schedule changed while it was being sent
        await tx.digests.schedule(coach.id, NOW + 99 * H, Lease(ME, NOW + H))  # the old claim's plan loses
    async with backend.reading() as r:
        assert await r.digests.next_due(PLATFORMS) == NOW + 3 * H
    async with backend.transaction() as tx:
        await tx.digests.set_schedule(coach.id, 0, time(9), False, NOW)
        await tx.digests.replan(coach.id)
    async with backend.transaction() as tx:
        assert await tx.digests.claim_due(NOW + 99 * H, Lease(ME, NOW + 100 * H), 10, PLATFORMS) == []
    async with backend.reading() as r:
        assert await r.digests.next_due(PLATFORMS) is None


async def test_a_digest_claim_is_marked_only_by_its_claimant(backend: UnitOfWorkFactory) -> None:
    """A claims the row; the coach changes their schedule (the lease ends); B claims it at the same instant
    with the same lease. A's writes (sent, next due time) change nothing; B's count."""
    coach = await user(backend, "coach")
    a, b = Lease("host-a:1:aaaaaa", NOW + H), Lease("host-b:2:bbbbbb", NOW + H)
    async with backend.transaction() as tx:
        await tx.digests.ensure(coach.id, 0, time(9), NOW)
        assert await tx.digests.claim_due(NOW, a, 10, PLATFORMS) == [coach.id]
        await tx.digests.replan(coach.id)
        assert await tx.digests.claim_due(NOW, b, 10, PLATFORMS) == [coach.id]
    async with backend.transaction() as tx:
        await tx.digests.mark_sent(coach.id, NOW, a)
        await tx.digests.schedule(coach.id, NOW + 99 * H, a)
    async with backend.reading() as r:
        plan = await r.digests.plan(coach.id)
        assert plan is not None and plan.last_sent_at is None
        assert await r.digests.next_due(PLATFORMS) == NOW + H  # still B's lease
    async with backend.transaction() as tx:
        await tx.digests.mark_sent(coach.id, NOW, b)
        await tx.digests.schedule(coach.id, NOW + 24 * H, b)
    async with backend.reading() as r:
        plan = await r.digests.plan(coach.id)
        assert plan is not None and plan.last_sent_at == NOW
        assert await r.digests.next_due(PLATFORMS) == NOW + 24 * H

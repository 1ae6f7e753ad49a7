"""Coaches' weekly digest schedules on every backend."""

from __future__ import annotations

from datetime import time, timedelta

from bot.domain.models import DigestPlan
from bot.ports.unit_of_work import UnitOfWorkFactory
from tests.storage.contract.support import NOW, user

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
        assert [p.coach_id for p in await r.digests.plans()] == sorted([coach.id, other.id])


async def test_a_schedule_is_changed_and_its_sending_recorded(backend: UnitOfWorkFactory) -> None:
    coach = await user(backend, "coach")
    async with backend.transaction() as tx:
        await tx.digests.ensure(coach.id, 0, time(9), NOW)
    async with backend.transaction() as tx:
        await tx.digests.set_schedule(coach.id, 2, time(7, 45), False, NOW + H)
        await tx.digests.mark_sent(coach.id, NOW + 2 * H)
    async with backend.reading() as r:
        assert await r.digests.plans() == [
            DigestPlan(coach.id, "UTC", 2, time(7, 45), False, NOW, NOW + H, NOW + 2 * H)
        ]

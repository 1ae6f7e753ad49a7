"""The unit of work on every backend: a transaction sees its own writes, commits on exit, and writes nothing
if its block raises."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.models import FollowUpDraft, FollowUpKind, Outcome
from bot.ports.repositories import Lease
from bot.ports.unit_of_work import UnitOfWorkFactory
from tests.storage.contract.support import ME, NOW, PLATFORMS, QUIET, interview, new_interview, user

H = timedelta(hours=1)


async def test_reads_inside_a_transaction_see_its_writes_and_others_see_them_after(
    backend: UnitOfWorkFactory,
) -> None:
    async with backend.transaction() as tx:
        alice = await tx.users.create("test", "alice", "UTC", QUIET, NOW)
        made = await tx.interviews.insert(alice.id, new_interview(), NOW)
        (item,) = await tx.follow_ups.insert(made.id, alice.id, [FollowUpDraft(FollowUpKind.PREP, NOW, NOW)], NOW)
        assert await tx.users.get("test", "alice") == alice
        assert await tx.interviews.list_for_user(alice.id, include_closed=False) == [made]
        assert await tx.follow_ups.pending_for_user(alice.id) == [item]
        assert await tx.follow_ups.next_notify_at(PLATFORMS) == NOW
        await tx.interviews.set_outcome(made.id, Outcome.OFFER, None, NOW)
        assert not await tx.interviews.is_open(made.id)
        assert [f.id for f in await tx.follow_ups.claim_due(NOW, Lease(ME, NOW + H), 10, PLATFORMS)] == [item.id]
    async with backend.reading() as r:
        assert await r.users.get("test", "alice") == alice
        assert (await r.interviews.by_ids([made.id]))[made.id].outcome is Outcome.OFFER
        assert await r.follow_ups.next_lease_expiry() == NOW + H


async def test_a_transaction_whose_block_raises_writes_nothing(backend: UnitOfWorkFactory) -> None:
    alice = await user(backend)
    kept = await interview(backend, alice)
    with pytest.raises(RuntimeError, match="after the writes"):
        async with backend.transaction() as tx:
            await tx.users.create("test", "bob", "UTC", QUIET, NOW)
            await tx.users.set_timezone(alice.id, "Asia/Tokyo", NOW)
            await tx.interviews.insert(alice.id, new_interview("Lost"), NOW)
            await tx.interviews.set_outcome(kept.id, Outcome.REJECTED, None, NOW)
            await tx.follow_ups.insert(kept.id, alice.id, [FollowUpDraft(FollowUpKind.PREP, NOW, NOW)], NOW)
            await tx.digests.ensure(alice.id, 0, NOW.time(), NOW)
            raise RuntimeError("after the writes")
    async with backend.reading() as r:
        assert await r.users.get("test", "bob") is None
        assert await r.users.by_id(alice.id) == alice
        assert await r.interviews.list_for_user(alice.id, include_closed=True) == [kept]
        assert await r.follow_ups.of_interview(kept.id) == []
        assert await r.follow_ups.next_notify_at(PLATFORMS) is None
        assert await r.digests.plan(alice.id) is None
    async with backend.transaction() as tx:  # and the next transaction starts clean
        assert await tx.users.create("test", "bob", "UTC", QUIET, NOW) is not None
    async with backend.reading() as r:
        assert await r.users.get("test", "bob") is not None

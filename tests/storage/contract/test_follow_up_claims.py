"""The dispatcher's claim cycle, on every backend: claim the soonest due first, up to the limit, never twice,
and only the follow-ups of seekers on the platforms the claiming process runs."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.models import FollowUpStatus
from bot.ports.repositories import Lease, QueueCounts, Retry, Sent, Unreachable
from bot.ports.unit_of_work import UnitOfWorkFactory
from tests.storage.contract.support import ME, NOW, PLATFORMS, follow_ups, interview, user

UNTIL = NOW + timedelta(minutes=5)
LEASE = Lease(ME, UNTIL)
H = timedelta(hours=1)


async def _status(uow: UnitOfWorkFactory, user_id: int, follow_up_id: int) -> FollowUpStatus:
    async with uow.reading() as r:
        found = await r.follow_ups.get(user_id, follow_up_id)
    assert found is not None
    return found.status


async def test_claim_takes_the_soonest_due_first_up_to_the_limit(backend: UnitOfWorkFactory) -> None:
    owner = await user(backend)
    made = await follow_ups(backend, await interview(backend, owner), -1 * H, -5 * H, -3 * H, -4 * H, -2 * H)
    async with backend.transaction() as tx:
        claimed = await tx.follow_ups.claim_due(NOW, LEASE, 2, PLATFORMS)
    assert [f.id for f in claimed] == [made[1].id, made[3].id]  # due 5 h and 4 h ago
    assert all(f.status is FollowUpStatus.CLAIMED for f in claimed)
    async with backend.transaction() as tx:
        rest = await tx.follow_ups.claim_due(NOW, LEASE, 10, PLATFORMS)
    assert [f.id for f in rest] == [made[2].id, made[4].id, made[0].id]


async def test_claim_leaves_what_is_not_due_yet_and_what_is_claimed(backend: UnitOfWorkFactory) -> None:
    owner = await user(backend)
    due, later = await follow_ups(backend, await interview(backend, owner), -H, H)
    async with backend.transaction() as tx:
        assert [f.id for f in await tx.follow_ups.claim_due(NOW, LEASE, 10, PLATFORMS)] == [due.id]
        assert await tx.follow_ups.claim_due(later.notify_at - timedelta(microseconds=1), LEASE, 10, PLATFORMS) == []
    async with backend.transaction() as tx:
        # Its lease is still live: a second pass (or process) gets nothing.
        assert await tx.follow_ups.claim_due(NOW + timedelta(minutes=1), LEASE, 10, PLATFORMS) == []
        assert await tx.follow_ups.release_expired(NOW + timedelta(minutes=1)) == 0
    assert await _status(backend, owner.id, later.id) is FollowUpStatus.PENDING
    async with backend.reading() as r:
        assert await r.follow_ups.next_notify_at(PLATFORMS) == later.notify_at
        assert await r.follow_ups.next_lease_expiry() == UNTIL


async def test_a_claim_due_exactly_now_is_taken(backend: UnitOfWorkFactory) -> None:
    owner = await user(backend)
    (now_due,) = await follow_ups(backend, await interview(backend, owner), timedelta(0))
    async with backend.transaction() as tx:
        assert [f.id for f in await tx.follow_ups.claim_due(NOW, LEASE, 1, PLATFORMS)] == [now_due.id]


async def test_release_expired_returns_claims_whose_lease_ran_out(backend: UnitOfWorkFactory) -> None:
    owner = await user(backend)
    first, second = await follow_ups(backend, await interview(backend, owner), -2 * H, -H)
    async with backend.transaction() as tx:
        await tx.follow_ups.claim_due(NOW, LEASE, 1, PLATFORMS)
    async with backend.transaction() as tx:
        await tx.follow_ups.claim_due(NOW, Lease(ME, UNTIL + H), 1, PLATFORMS)
    async with backend.transaction() as tx:
        assert await tx.follow_ups.release_expired(UNTIL) == 1  # only the first lease ran out
    assert await _status(backend, owner.id, first.id) is FollowUpStatus.PENDING
    assert await _status(backend, owner.id, second.id) is FollowUpStatus.CLAIMED
    async with backend.transaction() as tx:
        [again] = await tx.follow_ups.claim_due(UNTIL, Lease(ME, UNTIL + 2 * H), 10, PLATFORMS)
    assert again.id == first.id
    assert (again.attempts, again.may_have_been_sent) == (1, True)  # its send may have reached the platform


async def test_a_follow_up_never_claimed_or_handed_back_unsent_was_never_sent(backend: UnitOfWorkFactory) -> None:
    owner = await user(backend)
    (due,) = await follow_ups(backend, await interview(backend, owner), -H)
    async with backend.transaction() as tx:
        [claimed] = await tx.follow_ups.claim_due(NOW, LEASE, 1, PLATFORMS)
        assert not claimed.may_have_been_sent
        await tx.follow_ups.release([due.id], LEASE)  # a stopping dispatcher hands back what it did not try
    async with backend.transaction() as tx:
        [again] = await tx.follow_ups.claim_due(NOW, LEASE, 1, PLATFORMS)
    assert (again.attempts, again.may_have_been_sent) == (0, False)


async def test_a_send_cut_off_in_flight_is_handed_back_as_one_that_may_have_arrived(
    backend: UnitOfWorkFactory,
) -> None:
    owner = await user(backend)
    (due,) = await follow_ups(backend, await interview(backend, owner), -H)
    async with backend.transaction() as tx:
        await tx.follow_ups.claim_due(NOW, LEASE, 1, PLATFORMS)
        await tx.follow_ups.release([due.id], LEASE, attempted=True)  # a second signal cancelled its send
    async with backend.transaction() as tx:
        [again] = await tx.follow_ups.claim_due(NOW, LEASE, 1, PLATFORMS)
    assert (again.attempts, again.may_have_been_sent) == (1, True)


async def test_marks_record_each_result(backend: UnitOfWorkFactory) -> None:
    owner = await user(backend)
    sent, retry, failed, closed, unreachable = await follow_ups(
        backend, await interview(backend, owner), -5 * H, -4 * H, -3 * H, -2 * H, -H
    )
    async with backend.transaction() as tx:
        await tx.follow_ups.claim_due(NOW, LEASE, 10, PLATFORMS)
        await tx.follow_ups.mark_sent([Sent(sent.id, "msg-1")], NOW, LEASE)
        await tx.follow_ups.mark_retry([Retry(retry.id, NOW + H, "timeout")], LEASE)
        await tx.follow_ups.mark_failed([Retry(failed.id, NOW + H, "forbidden")], LEASE)
        await tx.follow_ups.mark_undeliverable([closed.id], "dms closed", LEASE)
        await tx.follow_ups.mark_unreachable([Unreachable(unreachable.id, NOW + 2 * H, "down", NOW)], LEASE)
    async with backend.reading() as r:
        got = {f.id: f for f in await r.follow_ups.open_for_user(owner.id)}
    assert got[sent.id].status is FollowUpStatus.SENT and got[sent.id].sent_at == NOW
    assert got[retry.id].status is FollowUpStatus.PENDING
    assert (got[retry.id].notify_at, got[retry.id].attempts, got[retry.id].last_error) == (NOW + H, 1, "timeout")
    assert (got[failed.id].status, got[failed.id].attempts, got[failed.id].last_error) == (
        FollowUpStatus.FAILED,
        1,
        "forbidden",
    )
    assert (got[closed.id].status, got[closed.id].last_error) == (FollowUpStatus.UNDELIVERABLE, "dms closed")
    back = got[unreachable.id]
    assert (back.status, back.notify_at, back.attempts, back.unreachable_since) == (
        FollowUpStatus.PENDING,
        NOW + 2 * H,
        0,
        NOW,
    )
    async with backend.reading() as r:
        assert await r.follow_ups.next_lease_expiry() is None
        assert await r.follow_ups.next_notify_at(PLATFORMS) == NOW + H


async def test_marks_of_a_claim_whose_lease_ran_out_change_nothing(backend: UnitOfWorkFactory) -> None:
    """A pass that stalled past its lease (its rows released and claimed again under a later lease) cannot
    mark them, whatever the mark; the current claim's marks work."""
    owner = await user(backend)
    made = await follow_ups(backend, await interview(backend, owner), -8 * H, -7 * H, -6 * H, -5 * H, -4 * H, -3 * H)
    sent, retry, failed, closed, unreachable, deferred = made
    ids = [f.id for f in made]
    async with backend.transaction() as tx:
        assert len(await tx.follow_ups.claim_due(NOW, LEASE, 10, PLATFORMS)) == len(made)  # lease A
    again = Lease(ME, UNTIL + timedelta(minutes=5))  # lease B: taken when A has run out
    async with backend.transaction() as tx:
        assert await tx.follow_ups.release_expired(UNTIL) == len(made)
        assert len(await tx.follow_ups.claim_due(UNTIL, again, 10, PLATFORMS)) == len(made)

    async def mark(lease: Lease) -> None:
        until = lease.until
        async with backend.transaction() as tx:
            await tx.follow_ups.mark_sent([Sent(sent.id, f"msg-{lease}")], until, lease)
            await tx.follow_ups.mark_retry([Retry(retry.id, until + H, "timeout")], lease)
            await tx.follow_ups.mark_failed([Retry(failed.id, until, "forbidden")], lease)
            await tx.follow_ups.mark_undeliverable([closed.id], "dms closed", lease)
            await tx.follow_ups.mark_unreachable([Unreachable(unreachable.id, until + H, "down", until)], lease)
            await tx.follow_ups.set_notify_at({deferred.id: until + 2 * H}, lease)
            await tx.follow_ups.mark_expired(ids, lease)
            await tx.follow_ups.release(ids, lease)

    async with backend.reading() as r:
        before = await r.follow_ups.open_for_user(owner.id)
    await mark(LEASE)  # lease A: changes nothing
    async with backend.reading() as r:
        assert await r.follow_ups.open_for_user(owner.id) == before
        assert await r.follow_ups.next_lease_expiry() == again.until
    assert all(f.status is FollowUpStatus.CLAIMED for f in before)

    async with backend.transaction() as tx:  # lease B: each mark works
        await tx.follow_ups.mark_sent([Sent(sent.id, "msg-b")], UNTIL, again)
        await tx.follow_ups.mark_retry([Retry(retry.id, UNTIL + H, "timeout")], again)
        await tx.follow_ups.mark_failed([Retry(failed.id, UNTIL, "forbidden")], again)
        await tx.follow_ups.mark_undeliverable([closed.id], "dms closed", again)
        await tx.follow_ups.mark_unreachable([Unreachable(unreachable.id, UNTIL + H, "down", UNTIL)], again)
        await tx.follow_ups.set_notify_at({deferred.id: UNTIL + 2 * H}, again)
    async with backend.reading() as r:
        got = {f.id: f for f in await r.follow_ups.open_for_user(owner.id)}
        assert await r.follow_ups.next_lease_expiry() is None
    assert (got[sent.id].status, got[sent.id].sent_at) == (FollowUpStatus.SENT, UNTIL)
    assert (got[retry.id].status, got[retry.id].attempts) == (FollowUpStatus.PENDING, 2)  # the lapsed lease too
    assert got[failed.id].status is FollowUpStatus.FAILED
    assert got[closed.id].status is FollowUpStatus.UNDELIVERABLE
    assert (got[unreachable.id].status, got[unreachable.id].unreachable_since) == (FollowUpStatus.PENDING, UNTIL)
    assert (got[deferred.id].status, got[deferred.id].notify_at) == (FollowUpStatus.PENDING, UNTIL + 2 * H)


async def test_release_and_expire_of_a_stale_claim_change_nothing(backend: UnitOfWorkFactory) -> None:
    owner = await user(backend)
    kept, moot = await follow_ups(backend, await interview(backend, owner), -2 * H, -H)
    again = Lease(ME, UNTIL + timedelta(minutes=5))
    async with backend.transaction() as tx:
        await tx.follow_ups.claim_due(NOW, LEASE, 10, PLATFORMS)
    async with backend.transaction() as tx:
        await tx.follow_ups.release_expired(UNTIL)
        await tx.follow_ups.claim_due(UNTIL, again, 10, PLATFORMS)
    async with backend.transaction() as tx:
        await tx.follow_ups.release([kept.id], LEASE)
        await tx.follow_ups.mark_expired([moot.id], LEASE)
    assert await _status(backend, owner.id, kept.id) is FollowUpStatus.CLAIMED
    assert await _status(backend, owner.id, moot.id) is FollowUpStatus.CLAIMED
    async with backend.transaction() as tx:
        await tx.follow_ups.release([kept.id], again)
        await tx.follow_ups.mark_expired([moot.id], again)
    assert await _status(backend, owner.id, kept.id) is FollowUpStatus.PENDING
    assert await _status(backend, owner.id, moot.id) is FollowUpStatus.CANCELLED


async def test_release_and_expire_end_a_claim(backend: UnitOfWorkFactory) -> None:
    owner = await user(backend)
    kept, moot = await follow_ups(backend, await interview(backend, owner), -2 * H, -H)
    async with backend.transaction() as tx:
        await tx.follow_ups.claim_due(NOW, LEASE, 10, PLATFORMS)
        await tx.follow_ups.release([kept.id], LEASE)
        await tx.follow_ups.mark_expired([moot.id], LEASE)
    assert await _status(backend, owner.id, kept.id) is FollowUpStatus.PENDING
    assert await _status(backend, owner.id, moot.id) is FollowUpStatus.CANCELLED
    async with backend.reading() as r:
        assert await r.follow_ups.next_lease_expiry() is None


async def test_a_claim_takes_only_the_follow_ups_of_the_platforms_asked_for(backend: UnitOfWorkFactory) -> None:
    here, elsewhere = await user(backend, "here"), await user(backend, "there", platform="elsewhere")
    (mine,) = await follow_ups(backend, await interview(backend, here), -H)
    (theirs,) = await follow_ups(backend, await interview(backend, elsewhere), -2 * H)
    async with backend.reading() as r:
        assert await r.follow_ups.next_notify_at(PLATFORMS) == mine.notify_at
        assert await r.follow_ups.next_notify_at(["elsewhere", "test"]) == theirs.notify_at
        assert await r.follow_ups.next_notify_at([]) is None
    async with backend.transaction() as tx:
        assert [f.id for f in await tx.follow_ups.claim_due(NOW, LEASE, 10, PLATFORMS)] == [mine.id]
    assert await _status(backend, elsewhere.id, theirs.id) is FollowUpStatus.PENDING
    async with backend.transaction() as tx:
        assert [f.id for f in await tx.follow_ups.claim_due(NOW, LEASE, 10, ["elsewhere"])] == [theirs.id]


async def test_queue_counts_give_pending_and_due_per_platform(backend: UnitOfWorkFactory) -> None:
    alice, bob = await user(backend), await user(backend, "bob", platform="slack")
    due, _later, claimed = await follow_ups(backend, await interview(backend, alice), -H, H, -2 * H)
    await follow_ups(backend, await interview(backend, bob), timedelta(0), 2 * H)
    async with backend.transaction() as tx:
        assert [f.id for f in await tx.follow_ups.claim_due(NOW, LEASE, 1, PLATFORMS)] == [claimed.id]
        await tx.follow_ups.complete(due.id, NOW)
    async with backend.reading() as r:
        counts = await r.follow_ups.queue_counts(NOW)
    # alice: one pending and not due (the due one is done, the claimed one is not pending); bob: one due now.
    assert counts == {"test": QueueCounts(pending=1, due=0), "slack": QueueCounts(pending=2, due=1)}


async def test_marks_match_the_claimant_as_well_as_the_lease(backend: UnitOfWorkFactory) -> None:
    """Processes whose clocks disagree: A claims; B, ahead, finds A's lease run out and releases the rows; C,
    behind, claims them again under a lease that ends at the very instant A's did. A's late marks change
    nothing: only C, the current claimant, marks its claim."""
    owner = await user(backend)
    made = await follow_ups(backend, await interview(backend, owner), -6 * H, -5 * H, -4 * H, -3 * H, -2 * H, -H)
    sent, retry, failed, closed, unreachable, deferred = made
    ids = [f.id for f in made]
    a, c = Lease("host-a:1:aaaaaa", UNTIL), Lease("host-c:3:cccccc", UNTIL)
    async with backend.transaction() as tx:
        assert len(await tx.follow_ups.claim_due(NOW, a, 10, PLATFORMS)) == len(made)
    async with backend.transaction() as tx:
        assert await tx.follow_ups.release_expired(UNTIL) == len(made)  # B
    async with backend.transaction() as tx:
        assert len(await tx.follow_ups.claim_due(NOW, c, 10, PLATFORMS)) == len(made)
    async with backend.reading() as r:
        before = await r.follow_ups.open_for_user(owner.id)

    async def mark(lease: Lease) -> None:
        async with backend.transaction() as tx:
            await tx.follow_ups.mark_sent([Sent(sent.id, lease.claimant)], NOW, lease)
            await tx.follow_ups.mark_retry([Retry(retry.id, NOW + H, "timeout")], lease)
            await tx.follow_ups.mark_failed([Retry(failed.id, NOW, "forbidden")], lease)
            await tx.follow_ups.mark_undeliverable([closed.id], "dms closed", lease)
            await tx.follow_ups.mark_unreachable([Unreachable(unreachable.id, NOW + H, "down", NOW)], lease)
            await tx.follow_ups.set_notify_at({deferred.id: NOW + 2 * H}, lease)

    await mark(a)
    async with backend.transaction() as tx:
        await tx.follow_ups.mark_expired(ids, a)
        await tx.follow_ups.release(ids, a)
    async with backend.reading() as r:
        assert await r.follow_ups.open_for_user(owner.id) == before
    assert all(f.status is FollowUpStatus.CLAIMED for f in before)

    await mark(c)
    async with backend.reading() as r:
        got = {f.id: f.status for f in await r.follow_ups.open_for_user(owner.id)}
        assert await r.follow_ups.next_lease_expiry() is None
    assert [got[f.id] for f in made] == [
        FollowUpStatus.SENT,
        FollowUpStatus.PENDING,
        FollowUpStatus.FAILED,
        FollowUpStatus.UNDELIVERABLE,
        FollowUpStatus.PENDING,
        FollowUpStatus.PENDING,
    ]

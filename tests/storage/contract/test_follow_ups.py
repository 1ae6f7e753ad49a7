"""Follow-ups on every backend, outside the dispatcher's claim cycle (see test_follow_up_claims.py)."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.models import FollowUpDraft, FollowUpKind, FollowUpStatus
from bot.ports.repositories import Lease, Sent
from bot.ports.unit_of_work import UnitOfWorkFactory
from tests.storage.contract.support import ME, NOW, PLATFORMS, follow_ups, interview, user

H = timedelta(hours=1)
LEASE = Lease(ME, NOW + timedelta(minutes=5))


async def test_inserted_follow_ups_come_back_as_drafted(backend: UnitOfWorkFactory) -> None:
    alice, bob = await user(backend, "alice"), await user(backend, "bob")
    made = await interview(backend, alice)
    drafts = [
        FollowUpDraft(FollowUpKind.THANK_YOU_EMAIL, NOW + H, NOW + 2 * H, deadline_at=NOW + 24 * H),
        FollowUpDraft(FollowUpKind.CHECK_IN, NOW + 48 * H, NOW + 48 * H, time_agreed=True),
    ]
    async with backend.transaction() as tx:
        thank_you, call = await tx.follow_ups.insert(made.id, alice.id, drafts, NOW - H)
    assert (thank_you.interview_id, thank_you.user_id, thank_you.kind) == (made.id, alice.id, drafts[0].kind)
    assert (thank_you.due_at, thank_you.notify_at, thank_you.deadline_at) == (NOW + H, NOW + 2 * H, NOW + 24 * H)
    assert (thank_you.status, thank_you.attempts, thank_you.snoozes, thank_you.created_at) == (
        FollowUpStatus.PENDING,
        0,
        0,
        NOW - H,
    )
    assert (thank_you.sent_at, thank_you.done_at, thank_you.last_error, thank_you.unreachable_since) == (None,) * 4
    assert (thank_you.time_agreed, call.time_agreed, call.deadline_at) == (False, True, None)
    async with backend.reading() as r:
        assert await r.follow_ups.get(alice.id, thank_you.id) == thank_you
        assert await r.follow_ups.get(bob.id, thank_you.id) is None
        assert await r.follow_ups.of_interview(made.id) == [thank_you, call]
        assert sorted(f.id for f in await r.follow_ups.pending_for_user(alice.id)) == [thank_you.id, call.id]
        assert await r.follow_ups.pending_for_user(bob.id) == []


async def test_open_follow_ups_are_listed_by_due_time(backend: UnitOfWorkFactory) -> None:
    alice, bob = await user(backend, "alice"), await user(backend, "bob")
    first, second = await interview(backend, alice), await interview(backend, alice, "Second")
    late, done, soon = await follow_ups(backend, first, 3 * H, 2 * H, H)
    sent, feedback = await follow_ups(backend, second, -H, 4 * H, kind=FollowUpKind.FEEDBACK_REQUEST)
    await follow_ups(backend, await interview(backend, bob), H)
    async with backend.transaction() as tx:
        await tx.follow_ups.complete(done.id, NOW)
        await tx.follow_ups.claim_due(NOW, LEASE, 10, PLATFORMS)
        await tx.follow_ups.mark_sent([Sent(sent.id, None)], NOW, LEASE)
        assert await tx.follow_ups.cancel_open(second.id, [FollowUpKind.PREP]) == 0  # no open prep
    async with backend.transaction() as tx:
        await tx.follow_ups.insert(second.id, alice.id, [FollowUpDraft(FollowUpKind.PREP, NOW + 4 * H, NOW)], NOW)
        assert await tx.follow_ups.cancel_open(second.id, [FollowUpKind.PREP]) == 1
    async with backend.reading() as r:
        listed = await r.follow_ups.open_for_user(alice.id)
        got = await r.follow_ups.get(alice.id, done.id)
    assert [f.id for f in listed] == [sent.id, soon.id, late.id, feedback.id]
    assert got is not None and (got.status, got.done_at) == (FollowUpStatus.DONE, NOW)


async def test_completing_a_kind_closes_only_the_open_ones_of_that_kind(backend: UnitOfWorkFactory) -> None:
    alice = await user(backend)
    made = await interview(backend, alice)
    (note,) = await follow_ups(backend, made, H, kind=FollowUpKind.HANDWRITTEN_NOTE)
    call_a, call_b = await follow_ups(backend, made, 2 * H, 3 * H)
    async with backend.transaction() as tx:
        await tx.follow_ups.complete(call_a.id, NOW - H)
        assert await tx.follow_ups.complete_kind(made.id, FollowUpKind.CHECK_IN, NOW) == 1
    async with backend.reading() as r:
        by_id = {f.id: f for f in await r.follow_ups.of_interview(made.id)}
    assert (by_id[call_a.id].status, by_id[call_a.id].done_at) == (FollowUpStatus.DONE, NOW - H)
    assert (by_id[call_b.id].status, by_id[call_b.id].done_at) == (FollowUpStatus.DONE, NOW)
    assert by_id[note.id].status is FollowUpStatus.PENDING


async def test_cancelling_closes_every_open_follow_up_of_the_interview(backend: UnitOfWorkFactory) -> None:
    alice = await user(backend)
    made, other = await interview(backend, alice), await interview(backend, alice, "Other")
    pending, claimed, sent, done = await follow_ups(backend, made, 3 * H, -2 * H, -3 * H, H)
    (elsewhere,) = await follow_ups(backend, other, H)
    async with backend.transaction() as tx:
        await tx.follow_ups.claim_due(NOW, LEASE, 2, PLATFORMS)
        await tx.follow_ups.mark_sent([Sent(sent.id, "m")], NOW, LEASE)
        await tx.follow_ups.complete(done.id, NOW)
    async with backend.transaction() as tx:
        assert await tx.follow_ups.cancel_open(made.id) == 3
    async with backend.reading() as r:
        by_id = {f.id: f.status for f in await r.follow_ups.of_interview(made.id)}
        assert await r.follow_ups.next_lease_expiry() is None  # the claim went with it
        assert [f.id for f in await r.follow_ups.open_for_user(alice.id)] == [elsewhere.id]
    assert by_id == {
        pending.id: FollowUpStatus.CANCELLED,
        claimed.id: FollowUpStatus.CANCELLED,
        sent.id: FollowUpStatus.CANCELLED,
        done.id: FollowUpStatus.DONE,
    }


async def test_a_snooze_makes_it_pending_again_later(backend: UnitOfWorkFactory) -> None:
    alice = await user(backend)
    (item,) = await follow_ups(backend, await interview(backend, alice), -H)
    async with backend.transaction() as tx:
        await tx.follow_ups.claim_due(NOW, LEASE, 10, PLATFORMS)
        await tx.follow_ups.mark_sent([Sent(item.id, "m")], NOW, LEASE)
    async with backend.transaction() as tx:
        snoozed = await tx.follow_ups.reschedule(item.id, NOW + 24 * H, NOW + 25 * H)
    assert (snoozed.status, snoozed.due_at, snoozed.notify_at, snoozed.snoozes, snoozed.attempts) == (
        FollowUpStatus.PENDING,
        NOW + 24 * H,
        NOW + 25 * H,
        1,
        0,
    )
    async with backend.transaction() as tx:
        assert await tx.follow_ups.get(alice.id, item.id) == snoozed
        assert await tx.follow_ups.next_notify_at(PLATFORMS) == NOW + 25 * H
        assert await tx.follow_ups.claim_due(NOW + 25 * H - timedelta(seconds=1), LEASE, 10, PLATFORMS) == []


async def test_moving_times_touches_only_pending_or_claimed_ones(backend: UnitOfWorkFactory) -> None:
    alice = await user(backend)
    pending, claimed, sent = await follow_ups(backend, await interview(backend, alice), H, -2 * H, -3 * H)
    async with backend.transaction() as tx:
        await tx.follow_ups.claim_due(NOW, LEASE, 2, PLATFORMS)
        await tx.follow_ups.mark_sent([Sent(sent.id, "m")], NOW, LEASE)
    async with backend.transaction() as tx:
        await tx.follow_ups.set_times({pending.id: (NOW + 5 * H, NOW + 6 * H), claimed.id: (NOW, NOW)})
        await tx.follow_ups.set_notify_at({claimed.id: NOW + 7 * H, sent.id: NOW + 7 * H}, LEASE)
    async with backend.reading() as r:
        by_id = {f.id: f for f in await r.follow_ups.open_for_user(alice.id)}
        assert await r.follow_ups.next_lease_expiry() is None
    assert (by_id[pending.id].due_at, by_id[pending.id].notify_at) == (NOW + 5 * H, NOW + 6 * H)
    assert (by_id[claimed.id].status, by_id[claimed.id].due_at, by_id[claimed.id].notify_at) == (
        FollowUpStatus.PENDING,
        NOW - 2 * H,
        NOW + 7 * H,
    )
    assert (by_id[sent.id].status, by_id[sent.id].notify_at) == (FollowUpStatus.SENT, NOW - 3 * H)

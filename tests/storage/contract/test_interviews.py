"""Interviews on every backend: stored, found, searched, closed, answered, edited and deleted with all of theirs."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.domain.models import NextSteps, Outcome
from bot.ports.unit_of_work import UnitOfWorkFactory
from tests.storage.contract.support import NOW, follow_ups, interview, new_interview, user

DAY = timedelta(days=1)


async def test_an_interview_is_stored_and_found_only_by_its_owner(backend: UnitOfWorkFactory) -> None:
    alice, bob = await user(backend, "alice"), await user(backend, "bob")
    async with backend.transaction() as tx:
        made = await tx.interviews.insert(alice.id, new_interview("Acme", "Engineer"), NOW - DAY)
    assert (made.user_id, made.company, made.role, made.scheduled_at) == (alice.id, "Acme", "Engineer", NOW)
    assert (made.interviewer, made.contact, made.notes) == ("Dana", "dana@acme.test", "panel")
    assert (made.outcome, made.outcome_notes, made.outcome_at, made.created_at) == (None, None, None, NOW - DAY)
    async with backend.reading() as r:
        assert await r.interviews.get(alice.id, made.id) == made
        assert await r.interviews.get(bob.id, made.id) is None
        assert await r.interviews.by_ids([made.id, 999_999]) == {made.id: made}
    async with backend.transaction() as tx:  # is_open locks the row: a writer's check
        assert await tx.interviews.is_open(made.id)
        assert not await tx.interviews.is_open(999_999)


async def test_listing_is_most_recent_first_and_leaves_closed_ones_unless_asked(backend: UnitOfWorkFactory) -> None:
    alice, bob = await user(backend, "alice"), await user(backend, "bob")
    early = await interview(backend, alice, "Early", NOW - 2 * DAY)
    late = await interview(backend, alice, "Late", NOW + DAY)
    closed = await interview(backend, alice, "Closed", NOW)
    await interview(backend, bob, "Bob's", NOW)
    async with backend.transaction() as tx:
        closed = await tx.interviews.set_outcome(closed.id, Outcome.REJECTED, None, NOW) or closed
    async with backend.reading() as r:
        assert await r.interviews.list_for_user(alice.id, include_closed=False) == [late, early]
        assert await r.interviews.list_for_user(alice.id, include_closed=True) == [late, closed, early]


async def test_search_matches_company_or_role_literally_up_to_the_limit(backend: UnitOfWorkFactory) -> None:
    alice, bob = await user(backend, "alice"), await user(backend, "bob")
    async with backend.transaction() as tx:
        acme = await tx.interviews.insert(alice.id, new_interview("ACME Corp", "Engineer", NOW), NOW)
        acme2 = await tx.interviews.insert(alice.id, new_interview("Acme Labs", "Engineer", NOW + DAY), NOW)
        by_role = await tx.interviews.insert(alice.id, new_interview("Initech", "acme liaison", NOW - DAY), NOW)
        percent = await tx.interviews.insert(alice.id, new_interview("100% Remote_Co", "Dev", NOW), NOW)
        await tx.interviews.insert(bob.id, new_interview("Acme", "Engineer", NOW), NOW)
        closed = await tx.interviews.insert(alice.id, new_interview("Acme Old", "Engineer", NOW - 2 * DAY), NOW)
        closed = await tx.interviews.set_outcome(closed.id, Outcome.WITHDRAWN, None, NOW) or closed
    async with backend.reading() as r:
        assert await r.interviews.search(alice.id, "acme", 10) == [acme2, acme, by_role]
        assert await r.interviews.search(alice.id, "acme", 2) == [acme2, acme]
        assert await r.interviews.search(alice.id, "acme", 10, include_closed=True) == [acme2, acme, by_role, closed]
        assert await r.interviews.search(alice.id, "0% R", 10) == [percent]
        assert await r.interviews.search(alice.id, "%", 10) == [percent]
        assert await r.interviews.search(alice.id, "_", 10) == [percent]
        assert await r.interviews.search(alice.id, "nothing", 10) == []


async def test_an_outcome_is_set_once_then_changed_or_reopened(backend: UnitOfWorkFactory) -> None:
    alice = await user(backend)
    made = await interview(backend, alice)
    async with backend.transaction() as tx:
        offer = await tx.interviews.set_outcome(made.id, Outcome.OFFER, "great", NOW)
        assert await tx.interviews.set_outcome(made.id, Outcome.REJECTED, None, NOW) is None
        assert not await tx.interviews.is_open(made.id)
    assert offer is not None and (offer.outcome, offer.outcome_notes, offer.outcome_at) == (Outcome.OFFER, "great", NOW)
    async with backend.transaction() as tx:
        assert await tx.interviews.change_outcome(made.id, Outcome.REJECTED, None, None, NOW) is None
        kept_notes = await tx.interviews.change_outcome(made.id, Outcome.OFFER, Outcome.WITHDRAWN, None, NOW + DAY)
        assert kept_notes is not None
        assert (kept_notes.outcome, kept_notes.outcome_notes, kept_notes.outcome_at) == (
            Outcome.WITHDRAWN,
            "great",
            NOW + DAY,
        )
        reopened = await tx.interviews.change_outcome(made.id, Outcome.WITHDRAWN, None, "ignored", NOW + DAY)
    assert reopened is not None and (reopened.outcome, reopened.outcome_notes, reopened.outcome_at) == (
        None,
        None,
        None,
    )
    async with backend.reading() as r:
        assert await r.interviews.get(alice.id, made.id) == reopened


async def test_next_steps_check_ins_and_feedback(backend: UnitOfWorkFactory) -> None:
    alice = await user(backend)
    made, other = await interview(backend, alice), await interview(backend, alice, "Other")
    steps = NextSteps(made.id, NOW + 7 * DAY, 4, NOW + 14 * DAY, "two more", "call Dana", NOW, check_back_agreed=True)
    async with backend.transaction() as tx:
        assert not await tx.interviews.has_answers(made.id)
        assert await tx.interviews.agreed_check_back(made.id) is None
        await tx.interviews.save_next_steps(steps)
        assert await tx.interviews.has_answers(made.id)
        assert await tx.interviews.agreed_check_back(made.id) == NOW + 7 * DAY
    redone = replace(steps, check_back_at=NOW + 8 * DAY, candidates=None, decision_by=None, check_back_agreed=False)
    async with backend.transaction() as tx:
        await tx.interviews.save_next_steps(redone)  # answered again: replaced, not added
        assert await tx.interviews.agreed_check_back(made.id) is None  # not agreed: the planned call only
        assert await tx.interviews.next_steps([made.id, other.id]) == {made.id: redone}
        first = await tx.interviews.add_check_in(made.id, "still deciding", NOW + 9 * DAY, NOW + 7 * DAY)
        assert await tx.interviews.agreed_check_back(made.id) == NOW + 9 * DAY
        last = await tx.interviews.add_check_in(made.id, "no news", None, NOW + 9 * DAY)
        assert await tx.interviews.agreed_check_back(made.id) is None  # the last call named no date
        feedback = await tx.interviews.add_feedback(made.id, "more system design", NOW + 10 * DAY)
    assert (first.heard, first.next_check_back_at, first.called_at) == ("still deciding", NOW + 9 * DAY, NOW + 7 * DAY)
    assert (feedback.interview_id, feedback.text, feedback.recorded_at) == (
        made.id,
        "more system design",
        NOW + 10 * DAY,
    )
    async with backend.reading() as r:
        assert await r.interviews.latest_check_ins([made.id, other.id]) == {made.id: last}
        history = (await r.histories.load([alice.id]))[alice.id]
    assert history.check_ins == [first, last] and history.feedback == [feedback]


async def test_an_interview_is_edited(backend: UnitOfWorkFactory) -> None:
    alice = await user(backend)
    made = await interview(backend, alice)
    fields = new_interview("Globex", "Lead", NOW + DAY)
    async with backend.transaction() as tx:
        edited = await tx.interviews.update(made.id, replace(fields, interviewer=None, contact=None, notes=None))
    assert edited == replace(
        made, company="Globex", role="Lead", scheduled_at=NOW + DAY, interviewer=None, contact=None, notes=None
    )
    async with backend.reading() as r:
        assert await r.interviews.get(alice.id, made.id) == edited


async def test_deleting_an_interview_takes_everything_of_it(backend: UnitOfWorkFactory) -> None:
    alice, bob = await user(backend, "alice"), await user(backend, "bob")
    made, kept = await interview(backend, alice), await interview(backend, alice, "Kept")
    (gone,) = await follow_ups(backend, made, timedelta(hours=1))
    (stays,) = await follow_ups(backend, kept, timedelta(hours=1))
    async with backend.transaction() as tx:
        await tx.interviews.save_next_steps(NextSteps(made.id, NOW + DAY, None, None, None, None, NOW))
        await tx.interviews.add_check_in(made.id, "heard", None, NOW)
        await tx.interviews.add_feedback(made.id, "text", NOW)
    async with backend.transaction() as tx:
        assert not await tx.interviews.delete(bob.id, made.id)  # not bob's
        assert await tx.interviews.delete(alice.id, made.id)
        assert not await tx.interviews.delete(alice.id, made.id)
    async with backend.reading() as r:
        assert await r.interviews.get(alice.id, made.id) is None
        assert await r.follow_ups.get(alice.id, gone.id) is None
        assert await r.follow_ups.of_interview(made.id) == []
        assert [f.id for f in await r.follow_ups.open_for_user(alice.id)] == [stays.id]
        assert await r.interviews.next_steps([made.id]) == {}
        assert await r.interviews.latest_check_ins([made.id]) == {}
        assert not await r.interviews.has_answers(made.id)
        history = (await r.histories.load([alice.id]))[alice.id]
    assert [i.id for i in history.interviews] == [kept.id] and history.feedback == [] and history.check_ins == []

"""The coaches' use cases through CoachServices, on a real SQLite file, a manual clock and a recording messenger."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import time, timedelta

import pytest

from bot.clocks import ManualClock
from bot.domain.coaching import FollowUpState
from bot.domain.errors import InvalidInput, NotFound, UserError
from bot.domain.models import CoachGroup, DigestPlan, FollowUpKind, Membership, MembershipStatus
from bot.ports.senders import Delivery, DeliveryStatus
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.groups import GroupRepo
from bot.usecases.actors import Actor
from bot.usecases.coach_access import NO_GROUPS, NOT_VISIBLE
from bot.usecases.groups import BAD_CODE, INVITE_ALPHABET, INVITE_LENGTH, LAPSED, NO_CODE, show_code
from bot.usecases.your_data import YourData
from tests.coach_support import RecordingMessenger, dump_all
from tests.support import ALICE, BOB, UseCases, utc

COACH = Actor("test", "coach")
COCOACH = Actor("test", "cocoach")
OTHER_COACH = Actor("test", "other-coach")
CAROL = Actor("test", "carol")
STRANGER = Actor("test", "stranger")  # never used the bot at all


@pytest.fixture
def plans_heard(coaching: UseCases) -> list[DigestPlan]:
    heard: list[DigestPlan] = []
    coaching.access.on_digest_changed(heard.append)
    return heard


@pytest.fixture
def mydata(services: UseCases) -> YourData:
    return services.your_data


@pytest.fixture
async def club(coaching: UseCases) -> CoachGroup:
    return await coaching.groups.create_group(COACH, "Job Club", "Coach Kim")


async def joined(coaching: UseCases, who: Actor, code: str, accept: bool | None = True) -> Membership:
    """`who` joins with `code` and accepts (True), declines (False) or leaves it pending (None)."""
    request = await coaching.groups.join(who, code, who.external_id.title())
    if accept is None:
        return request.membership
    return await coaching.groups.decide(who, request.membership.id, accept)


async def names_on_rosters(coaching: UseCases, coach: Actor = COACH) -> list[str]:
    return [line.seeker.name for roster in await coaching.roster.rosters(coach) for line in roster.lines]


# Groups and invite codes


async def test_create_group_gives_an_unguessable_code_and_a_default_digest(
    coaching: UseCases, plans_heard: list[DigestPlan]
) -> None:
    group = await coaching.groups.create_group(COACH, "  Job\u200b Club ", "Coach Kim")
    assert group.name == "Job Club"
    assert len(group.invite_code) == INVITE_LENGTH >= 10
    assert set(group.invite_code) <= set(INVITE_ALPHABET)
    assert not set("0O1IL") & set(INVITE_ALPHABET)
    assert show_code(group.invite_code).count("-") == 2
    second = await coaching.groups.create_group(COACH, "Evening Club", "Coach Kim")
    assert second.invite_code != group.invite_code
    assert [g.name for g in await coaching.groups.coached_groups(COACH)] == ["Evening Club", "Job Club"]
    [plan] = plans_heard  # one digest per coach, however many groups
    assert (plan.weekday, plan.at, plan.enabled, plan.last_sent_at) == (0, time(9, 0), True, None)


async def test_empty_group_name_is_refused(coaching: UseCases) -> None:
    with pytest.raises(InvalidInput, match="group name can't be empty"):
        await coaching.groups.create_group(COACH, "  ", "Coach Kim")


async def test_codes_are_read_forgivingly(coaching: UseCases, club: CoachGroup) -> None:
    messy = " " + show_code(club.invite_code).lower().replace("-", " - ") + " "
    request = await coaching.groups.join(ALICE, messy, "Alice")
    assert request.membership.group_id == club.id
    other = next(ch for ch in INVITE_ALPHABET if ch != club.invite_code[0])
    with pytest.raises(InvalidInput) as empty:
        await coaching.groups.join(BOB, " - ", "Bob")
    assert empty.value.template == NO_CODE  # nothing typed: asked for, not called wrong
    for wrong in ("ABCD", other + club.invite_code[1:], club.invite_code + "A"):
        with pytest.raises(NotFound) as refused:
            await coaching.groups.join(BOB, wrong, "Bob")
        assert refused.value.template == BAD_CODE


async def test_a_new_invite_code_retires_the_old_one_and_lapses_pending_requests(
    coaching: UseCases, club: CoachGroup
) -> None:
    await joined(coaching, ALICE, club.invite_code)
    pending = await joined(coaching, BOB, club.invite_code, accept=None)
    changed = await coaching.groups.new_invite(COACH, None)
    assert changed.invite_code != club.invite_code
    with pytest.raises(NotFound, match="doesn't match"):
        await coaching.groups.join(CAROL, club.invite_code, "Carol")
    with pytest.raises(InvalidInput) as lapsed:
        await coaching.groups.decide(BOB, pending.id, True)
    assert lapsed.value.template == LAPSED
    assert await names_on_rosters(coaching) == ["Alice"]  # members stay
    await joined(coaching, CAROL, changed.invite_code)
    assert await names_on_rosters(coaching) == ["Alice", "Carol"]


async def test_only_a_groups_coach_rotates_its_code_or_adds_coaches(coaching: UseCases, club: CoachGroup) -> None:
    for attempt in (
        coaching.groups.new_invite(ALICE, None),
        coaching.groups.new_invite(ALICE, str(club.id)),
        coaching.groups.add_coach(ALICE, str(club.id), BOB, "Bob"),
    ):
        with pytest.raises(NotFound):
            await attempt


async def test_several_groups_need_the_group_option(coaching: UseCases, club: CoachGroup) -> None:
    evening = await coaching.groups.create_group(COACH, "Evening Club", "Coach Kim")
    with pytest.raises(InvalidInput, match="pick one with the group option"):
        await coaching.groups.new_invite(COACH, None)
    assert (await coaching.groups.new_invite(COACH, str(evening.id))).id == evening.id
    assert (await coaching.groups.new_invite(COACH, "job club")).id == club.id
    theirs = await coaching.groups.create_group(OTHER_COACH, "Theirs", "Pat")
    with pytest.raises(NotFound, match="no group called"):
        await coaching.groups.new_invite(COACH, str(theirs.id))


async def test_co_coaches_see_the_roster_too(
    coaching: UseCases, club: CoachGroup, plans_heard: list[DigestPlan]
) -> None:
    await joined(coaching, ALICE, club.invite_code)
    await coaching.groups.add_coach(COACH, None, COCOACH, "Dee")
    assert await names_on_rosters(coaching, COCOACH) == ["Alice"]
    assert [p.coach_id for p in plans_heard] == [(await coaching.accounts.find(Actor("test", "cocoach"))).id]  # type: ignore[union-attr]
    with pytest.raises(InvalidInput, match="already coaches"):
        await coaching.groups.add_coach(COCOACH, None, COACH, "Kim")
    request = await coaching.groups.join(BOB, club.invite_code, "Bob")
    assert request.coaches == ["Coach Kim", "Dee"]  # the seeker is told who would see them


# Consent: nothing is shared before Accept


async def test_join_shows_the_seeker_what_the_coach_would_see_and_shares_nothing_yet(
    coaching: UseCases, services: UseCases, club: CoachGroup
) -> None:
    await services.interviews.record_interview(ALICE, "Acme", "Analyst", "today 1pm", notes="nervous about SQL")
    request = await coaching.groups.join(ALICE, club.invite_code, "Alice")
    assert request.membership.status is MembershipStatus.PENDING
    assert request.membership.group_name == "Job Club"
    preview = request.preview
    assert [r.interview.company for r in preview.interviews] == ["Acme"]
    assert preview.interviews[0].interview.notes is None  # exactly what the coach sees: notes stay private
    assert not preview.notes_shared
    with pytest.raises(NotFound):
        await coaching.roster.seeker(COACH, ALICE)
    assert await names_on_rosters(coaching) == []

    accepted = await coaching.groups.decide(ALICE, request.membership.id, True)
    assert accepted.status is MembershipStatus.ACTIVE
    report = await coaching.roster.seeker(COACH, ALICE)
    assert report.interviews == preview.interviews
    assert await coaching.groups.decide(ALICE, request.membership.id, True) == accepted  # a second click is harmless


async def test_declining_shares_nothing(coaching: UseCases, club: CoachGroup) -> None:
    declined = await joined(coaching, ALICE, club.invite_code, accept=False)
    assert declined.status is MembershipStatus.DECLINED
    assert await names_on_rosters(coaching) == []
    with pytest.raises(InvalidInput) as late:  # an Accept button left on the old prompt
        await coaching.groups.decide(ALICE, declined.id, True)
    assert late.value.template == LAPSED
    again = await joined(coaching, ALICE, club.invite_code)  # they can change their mind by joining again
    assert again.status is MembershipStatus.ACTIVE


async def test_only_the_seeker_can_answer_their_consent(coaching: UseCases, db: Database, club: CoachGroup) -> None:
    pending = await joined(coaching, ALICE, club.invite_code, accept=None)
    before = await dump_all(db)
    for clicker in (COACH, BOB, STRANGER):
        with pytest.raises(NotFound, match="isn't yours"):
            await coaching.groups.decide(clicker, pending.id, True)
    with pytest.raises(InvalidInput):
        await coaching.groups.decide(ALICE, 999_999, True)
    assert await dump_all(db) == before


async def test_a_coach_cannot_join_their_own_group_and_members_cannot_join_twice(
    coaching: UseCases, club: CoachGroup
) -> None:
    with pytest.raises(InvalidInput, match="You coach"):
        await coaching.groups.join(COACH, club.invite_code, "Kim")
    await joined(coaching, ALICE, club.invite_code)
    with pytest.raises(InvalidInput, match="already share"):
        await coaching.groups.join(ALICE, club.invite_code, "Alice")


# Leaving and removal end the coach's access at once


async def test_leaving_ends_access_at_once(coaching: UseCases, club: CoachGroup) -> None:
    evening = await coaching.groups.create_group(OTHER_COACH, "Evening Club", "Pat")
    await joined(coaching, ALICE, club.invite_code)
    await joined(coaching, ALICE, evening.invite_code)
    assert [m.group_name for m in await coaching.groups.member_groups(ALICE)] == ["Evening Club", "Job Club"]

    [left] = (await coaching.groups.leave(ALICE, str(evening.id))).memberships
    assert left.group_name == "Evening Club"
    assert await names_on_rosters(coaching, OTHER_COACH) == []
    assert await names_on_rosters(coaching) == ["Alice"]

    await joined(coaching, ALICE, evening.invite_code)
    assert len((await coaching.groups.leave(ALICE, None)).memberships) == 2  # no group named: every group
    assert await names_on_rosters(coaching) == await names_on_rosters(coaching, OTHER_COACH) == []
    with pytest.raises(NotFound, match="aren't sharing"):
        await coaching.groups.leave(ALICE, None)


async def test_leaving_also_withdraws_a_pending_request(coaching: UseCases, club: CoachGroup) -> None:
    pending = await joined(coaching, ALICE, club.invite_code, accept=None)
    await coaching.groups.leave(ALICE, None)
    with pytest.raises(InvalidInput):
        await coaching.groups.decide(ALICE, pending.id, True)
    assert await names_on_rosters(coaching) == []


async def test_a_coach_removes_a_seeker(coaching: UseCases, club: CoachGroup) -> None:
    await joined(coaching, ALICE, club.invite_code)
    await joined(coaching, BOB, club.invite_code)
    result = await coaching.groups.remove(COACH, ALICE, None)
    [removed] = result.memberships
    assert (result.name, removed.display_name, removed.group_name) == ("Alice", "Alice", "Job Club")
    assert result.coached == []
    assert await names_on_rosters(coaching) == ["Bob"]
    with pytest.raises(NotFound):
        await coaching.roster.seeker(COACH, ALICE)


async def test_a_removed_seeker_cannot_rejoin_with_the_same_code(
    db: Database, coaching: UseCases, club: CoachGroup
) -> None:
    await joined(coaching, ALICE, club.invite_code)
    await coaching.groups.remove(COACH, ALICE, None)
    before = await dump_all(db)
    with pytest.raises(InvalidInput, match="removed you"):
        await coaching.groups.join(ALICE, club.invite_code, "Alice")
    assert await dump_all(db) == before
    await joined(coaching, BOB, club.invite_code)  # the code still works for everyone else
    changed = await coaching.groups.new_invite(COACH, None)  # the coach invites her again, with a new code
    again = await joined(coaching, ALICE, changed.invite_code)  # back only with fresh consent
    assert again.status is MembershipStatus.ACTIVE
    assert await names_on_rosters(coaching) == ["Alice", "Bob"]
    await coaching.groups.leave(ALICE, None)  # leaving of her own accord blocks nothing
    await joined(coaching, ALICE, changed.invite_code)
    assert await names_on_rosters(coaching) == ["Alice", "Bob"]


# The authorization check on every coach path


async def _stranger(coaching: UseCases, club: CoachGroup) -> None:
    await coaching.preferences.user(CAROL)  # a user of the bot, but never in the group


async def _pending(coaching: UseCases, club: CoachGroup) -> None:
    await joined(coaching, CAROL, club.invite_code, accept=None)


async def _declined(coaching: UseCases, club: CoachGroup) -> None:
    await joined(coaching, CAROL, club.invite_code, accept=False)


async def _left(coaching: UseCases, club: CoachGroup) -> None:
    await joined(coaching, CAROL, club.invite_code)
    await coaching.groups.leave(CAROL, None)


async def _removed(coaching: UseCases, club: CoachGroup) -> None:
    await joined(coaching, CAROL, club.invite_code)
    await coaching.groups.remove(COACH, CAROL, None)


async def _in_another_coachs_group(coaching: UseCases, club: CoachGroup) -> None:
    theirs = await coaching.groups.create_group(OTHER_COACH, "Theirs", "Pat")
    await joined(coaching, CAROL, theirs.invite_code)


NOT_MEMBERS: dict[str, Callable[[UseCases, CoachGroup], Awaitable[None]]] = {
    "stranger": _stranger,
    "pending": _pending,
    "declined": _declined,
    "left": _left,
    "removed": _removed,
    "another coach's seeker": _in_another_coachs_group,
}


@pytest.mark.parametrize("who", NOT_MEMBERS)
async def test_every_coach_path_refuses_anyone_but_a_consenting_member(
    who: str,
    coaching: UseCases,
    services: UseCases,
    db: Database,
    clock: ManualClock,
    messenger: RecordingMessenger,
    club: CoachGroup,
) -> None:
    await joined(coaching, ALICE, club.invite_code)  # one consenting member, so the paths have something to show
    await NOT_MEMBERS[who](coaching, club)
    clock.advance(timedelta(hours=1))
    await services.interviews.record_interview(ALICE, "Acme", "Analyst", "today 1pm")
    await services.interviews.record_interview(CAROL, "Secret Corp", "Spy", "today 1pm")

    # The commands that name a seeker answer exactly as about someone who never used the bot, and write nothing.
    def naming(member: Actor) -> list[Callable[[], Awaitable[object]]]:
        return [
            lambda: coaching.roster.seeker(COACH, member),
            lambda: coaching.roster.nudge(COACH, member, "Keep going!", "Kim"),
            lambda: coaching.groups.remove(COACH, member, None),
            lambda: coaching.groups.remove(COACH, member, str(club.id)),
        ]

    before = await dump_all(db)
    for about_carol, about_a_stranger in zip(naming(CAROL), naming(STRANGER), strict=True):
        with pytest.raises(NotFound) as refused:
            await about_carol()
        with pytest.raises(NotFound) as unknown:
            await about_a_stranger()
        assert refused.value.template == unknown.value.template == NOT_VISIBLE
    assert await dump_all(db) == before
    assert messenger.notes == []

    # The group-wide views leave them out.
    [roster] = await coaching.roster.rosters(COACH)
    assert [line.seeker.name for line in roster.lines] == ["Alice"]
    assert [line.seeker.name for line in (await coaching.roster.roster(COACH, club.id)).lines] == ["Alice"]
    clock.set(utc(2026, 11, 30, 9))
    pending = await coaching.roster.due_digest((await coaching.roster.digest_plan(COACH)).coach_id)
    assert pending is not None
    assert pending.digest.seekers == 1
    assert [i.interview.company for i in pending.digest.new_interviews] == ["Acme"]  # not Carol's Secret Corp


async def test_a_non_coach_sees_no_roster_and_no_seeker(coaching: UseCases, club: CoachGroup) -> None:
    await joined(coaching, ALICE, club.invite_code)
    for outsider in (BOB, STRANGER):
        with pytest.raises(NotFound) as refused:
            await coaching.roster.rosters(outsider)
        assert refused.value.template == NO_GROUPS
        with pytest.raises(NotFound, match="isn't one of yours"):
            await coaching.roster.roster(outsider, club.id)
        with pytest.raises(NotFound) as hidden:
            await coaching.roster.seeker(outsider, ALICE)
        assert hidden.value.template == NOT_VISIBLE
    with pytest.raises(NotFound, match="isn't one of yours"):
        await coaching.roster.roster(COACH, club.id + 1)


# What a coach sees


async def test_roster_puts_the_most_overdue_first(
    coaching: UseCases, services: UseCases, club: CoachGroup, clock: ManualClock
) -> None:
    for who in (ALICE, BOB, CAROL):
        await joined(coaching, who, club.invite_code)
    await services.interviews.record_interview(
        ALICE, "Acme", "Analyst", "today 1pm"
    )  # thank-you and next steps due 15:00
    await services.interviews.record_interview(BOB, "Globex", "Engineer", "today 9am")
    await services.interviews.record_interview(BOB, "Initech", "Engineer", "today 10am")
    clock.set(utc(2026, 11, 25, 18))  # next steps are late; the thank-yous are not until their deadline
    [roster] = await coaching.roster.rosters(COACH)
    assert [(x.seeker.name, x.open_interviews, x.overdue) for x in roster.lines] == [
        ("Bob", 2, 2),
        ("Alice", 1, 1),
        ("Carol", 0, 0),
    ]


async def test_seeker_detail_shows_states_and_respects_shared_notes(
    coaching: UseCases, services: UseCases, club: CoachGroup, clock: ManualClock
) -> None:
    await joined(coaching, ALICE, club.invite_code)
    made = await services.interviews.record_interview(ALICE, "Acme", "Analyst", "today 1pm", notes="nervous about SQL")
    by_kind = {f.kind: f for f in made.follow_ups}
    await services.follow_ups.complete(ALICE, by_kind[FollowUpKind.THANK_YOU_EMAIL].id)
    await services.follow_ups.snooze(ALICE, by_kind[FollowUpKind.HANDWRITTEN_NOTE].id)
    await services.interviews.log_check_in(ALICE, str(made.interview.id), "They are still deciding")
    await services.interviews.record_outcome(ALICE, str(made.interview.id), "rejected", "they liked Bob better")
    await services.interviews.record_feedback(ALICE, str(made.interview.id), "More SQL depth")

    report = await coaching.roster.seeker(COACH, ALICE)
    [item] = report.interviews
    assert item.interview.notes is None and item.interview.outcome_notes is None
    states = {t.follow_up.kind: t.state for t in item.follow_ups}
    assert states[FollowUpKind.THANK_YOU_EMAIL] is FollowUpState.DONE
    assert FollowUpKind.HANDWRITTEN_NOTE not in states  # cancelled by the outcome: moot, not shown
    assert [c.heard for c in item.check_ins] == ["They are still deciding"]
    assert [f.text for f in item.feedback] == ["More SQL depth"]
    assert item.stage == "rejected"

    assert await coaching.preferences.set_share_notes(ALICE, True)
    shared = (await coaching.roster.seeker(COACH, ALICE)).interviews[0].interview
    assert (shared.notes, shared.outcome_notes) == ("nervous about SQL", "they liked Bob better")
    assert not await coaching.preferences.set_share_notes(ALICE, False)
    assert (await coaching.roster.seeker(COACH, ALICE)).interviews[0].interview.notes is None


async def test_nudge_sends_the_coachs_note_by_dm(
    coaching: UseCases, services: UseCases, club: CoachGroup, messenger: RecordingMessenger
) -> None:
    await joined(coaching, ALICE, club.invite_code)
    result = await coaching.roster.nudge(COACH, ALICE, "  You've got this!\nCall Acme today. ", "Kim")
    assert (result.seeker.name, result.status) == ("Alice", DeliveryStatus.SENT)
    [(seeker, note)] = messenger.notes
    assert seeker.external_id == "alice"
    assert (note.coach_name, note.groups, note.text) == ("Kim", ("Job Club",), "You've got this!\nCall Acme today.")
    assert (await services.preferences.user(ALICE)).dm_channel == "dm-7"
    with pytest.raises(InvalidInput, match="message can't be empty"):
        await coaching.roster.nudge(COACH, ALICE, " \u200b ", "Kim")


async def test_a_nudge_that_bounces_marks_the_seeker_unreachable(
    coaching: UseCases, services: UseCases, club: CoachGroup, messenger: RecordingMessenger
) -> None:
    await joined(coaching, ALICE, club.invite_code)
    messenger.status = DeliveryStatus.DMS_CLOSED
    result = await coaching.roster.nudge(COACH, ALICE, "Keep going", "Kim")
    assert result.status is DeliveryStatus.DMS_CLOSED
    assert (await services.preferences.user(ALICE)).dms_closed_at is not None
    [roster] = await coaching.roster.rosters(COACH)
    assert roster.lines[0].seeker.dms_closed_at is not None


# Digest settings


async def test_set_digest(coaching: UseCases, club: CoachGroup, plans_heard: list[DigestPlan]) -> None:
    plan = await coaching.roster.set_digest(COACH, "Friday", "7:30")
    assert (plan.weekday, plan.at, plan.enabled) == (4, time(7, 30), True)
    off = await coaching.roster.set_digest(COACH, "off")
    assert (off.weekday, off.at, off.enabled) == (4, time(7, 30), False)
    back = await coaching.roster.set_digest(COACH, "monday")
    assert (back.weekday, back.at, back.enabled) == (0, time(7, 30), True)
    assert [p.enabled for p in plans_heard] == [True, False, True]
    for day, at in (("someday", None), ("monday", "25:00"), ("monday", "soon")):
        with pytest.raises(InvalidInput):
            await coaching.roster.set_digest(COACH, day, at)
    with pytest.raises(NotFound):
        await coaching.roster.set_digest(ALICE, "monday")


async def test_refusals_are_user_errors(coaching: UseCases) -> None:
    with pytest.raises(UserError):
        await coaching.roster.rosters(COACH)
    with pytest.raises(UserError):
        await coaching.roster.digest_plan(COACH)


async def test_digest_is_due_after_the_slot_and_covers_the_week(
    coaching: UseCases, services: UseCases, club: CoachGroup, clock: ManualClock
) -> None:
    await joined(coaching, ALICE, club.invite_code)
    coach_id = (await coaching.roster.digest_plan(COACH)).coach_id
    assert await coaching.roster.due_digest(coach_id) is None  # created on Wednesday: the first digest is Monday's
    clock.advance(timedelta(hours=1))
    await services.interviews.record_interview(
        ALICE, "Acme", "Analyst", "today 2pm"
    )  # thank-yous due at 16:00 and 18:00
    clock.set(utc(2026, 11, 30, 9))
    pending = await coaching.roster.due_digest(coach_id)
    assert pending is not None
    assert (pending.digest.since, pending.digest.until) == (utc(2026, 11, 25, 15), utc(2026, 11, 30, 9))
    assert [i.interview.company for i in pending.digest.new_interviews] == ["Acme"]
    assert [i.follow_up.kind for i in pending.digest.overdue_thank_yous if i.follow_up] == [
        FollowUpKind.THANK_YOU_EMAIL,
        FollowUpKind.HANDWRITTEN_NOTE,
    ]
    [claim] = await coaching.roster.claim_digests(["test"], "test:1:a", timedelta(minutes=2), 10)
    await coaching.roster.digest_delivered(pending, Delivery(DeliveryStatus.SENT, dm_channel="dm-coach"), claim)
    assert await coaching.roster.due_digest(coach_id) is None
    assert (await coaching.roster.digest_plan(COACH)).last_sent_at == utc(2026, 11, 30, 9)
    clock.advance(timedelta(days=7))
    later = await coaching.roster.due_digest(coach_id)
    assert later is not None and later.digest.since == utc(2026, 11, 30, 9)


async def test_a_digest_rebuilt_later_is_still_for_the_same_slot(
    coaching: UseCases, club: CoachGroup, clock: ManualClock
) -> None:
    coach_id = (await coaching.roster.digest_plan(COACH)).coach_id
    clock.set(utc(2026, 11, 30, 9))
    first = await coaching.roster.due_digest(coach_id)
    clock.set(utc(2026, 11, 30, 17, 45))  # built again after a crash, before the first was marked sent
    again = await coaching.roster.due_digest(coach_id)
    assert first is not None and again is not None
    assert first.digest.until != again.digest.until
    assert first.digest.slot == again.digest.slot == utc(2026, 11, 30, 9)


# A new co-coach: the members are told


async def test_adding_a_co_coach_tells_each_member_by_dm(
    coaching: UseCases, services: UseCases, club: CoachGroup, messenger: RecordingMessenger
) -> None:
    await joined(coaching, ALICE, club.invite_code)
    await joined(coaching, BOB, club.invite_code)
    await joined(coaching, CAROL, club.invite_code, accept=None)  # pending: shares nothing, told nothing
    theirs = await coaching.groups.create_group(OTHER_COACH, "Theirs", "Pat")
    await joined(coaching, STRANGER, theirs.invite_code)  # another group's member
    messenger.status = DeliveryStatus.DMS_CLOSED
    await coaching.groups.add_coach(COACH, None, COCOACH, "Dee")
    assert sorted(seeker.external_id for seeker, _ in messenger.notices) == ["alice", "bob"]
    assert {(n.coach_name, n.group) for _, n in messenger.notices} == {("Dee", "Job Club")}
    assert (await services.preferences.user(ALICE)).dms_closed_at is not None  # recorded like any bounced DM
    assert await names_on_rosters(coaching, COCOACH) == ["Alice", "Bob"]  # added all the same


async def test_a_co_coach_is_added_even_if_telling_the_members_fails(
    coaching: UseCases, club: CoachGroup, messenger: RecordingMessenger, caplog: pytest.LogCaptureFixture
) -> None:
    await joined(coaching, ALICE, club.invite_code)

    async def broken(*_: object) -> Delivery:
        raise RuntimeError("messenger bug")

    messenger.send_coach_added = broken  # type: ignore[method-assign]
    await coaching.groups.add_coach(COACH, None, COCOACH, "Dee")
    assert await names_on_rosters(coaching, COCOACH) == ["Alice"]
    assert "new co-coach" in caplog.text


# Consent answered while the invitation lapsed


@pytest.mark.parametrize("accept", [True, False])
@pytest.mark.parametrize("ended_by", ["leave", "new invite"])
async def test_an_answer_racing_a_lapse_changes_nothing(
    ended_by: str, accept: bool, coaching: UseCases, club: CoachGroup, monkeypatch: pytest.MonkeyPatch
) -> None:
    pending = await joined(coaching, ALICE, club.invite_code, accept=None)
    read = GroupRepo.membership

    async def read_then_lapse(self: GroupRepo, membership_id: int) -> Membership | None:
        """The request is read while pending, then lapses before the answer is written."""
        seen = await read(self, membership_id)
        if ended_by == "leave":
            await coaching.groups.leave(ALICE, None)
        else:
            await coaching.groups.new_invite(COACH, None)
        return seen

    monkeypatch.setattr(GroupRepo, "membership", read_then_lapse)
    with pytest.raises(InvalidInput) as lapsed:
        await coaching.groups.decide(ALICE, pending.id, accept)
    assert lapsed.value.template == LAPSED
    after = await read(GroupRepo(coaching.db.conn), pending.id)
    if ended_by == "leave":
        assert after is not None and (after.status, after.decided_at) == (MembershipStatus.LEFT, None)
    else:
        assert after is None  # a new code removes the requests made with the old one
    assert await names_on_rosters(coaching) == []


# Co-coaches step down or are removed; the owner deletes the group


async def test_the_owner_removes_a_co_coach_who_then_sees_nothing(
    coaching: UseCases, club: CoachGroup, services: UseCases
) -> None:
    await joined(coaching, ALICE, club.invite_code)
    await coaching.groups.add_coach(COACH, None, COCOACH, "Dee")
    assert await names_on_rosters(coaching, COCOACH) == ["Alice"]
    result = await coaching.groups.remove(COACH, COCOACH, None)
    assert (result.name, result.memberships, [g.name for g in result.coached]) == ("Dee", [], ["Job Club"])
    with pytest.raises(NotFound) as gone:
        await coaching.roster.rosters(COCOACH)
    assert gone.value.template == NO_GROUPS
    with pytest.raises(NotFound):
        await coaching.roster.seeker(COCOACH, ALICE)
    assert await names_on_rosters(coaching) == ["Alice"]  # the owner and the members are untouched


async def test_who_coaches_no_group_any_more_gets_no_digest(
    coaching: UseCases, club: CoachGroup, clock: ManualClock
) -> None:
    await coaching.groups.add_coach(COACH, None, COCOACH, "Dee")
    await coaching.groups.remove(COACH, COCOACH, None)
    clock.advance(timedelta(days=6))  # past Monday 09:00, when both digests fell due
    owner, former = [await coaching.roster.digest_plan(c) for c in (COACH, COCOACH)]
    assert await coaching.roster.due_digest(owner.coach_id) is not None
    assert await coaching.roster.due_digest(former.coach_id) is None  # no "quiet week" DMs for ever


async def test_only_the_owner_removes_co_coaches(db: Database, coaching: UseCases, club: CoachGroup) -> None:
    await coaching.groups.add_coach(COACH, None, COCOACH, "Dee")
    await coaching.groups.add_coach(COACH, None, OTHER_COACH, "Pat")
    before = await dump_all(db)
    with pytest.raises(InvalidInput, match="Only the owner of “Job Club”, Coach Kim, can remove"):
        await coaching.groups.remove(COCOACH, OTHER_COACH, None)
    with pytest.raises(InvalidInput, match="Coach Kim owns “Job Club”: nobody can remove a group's owner"):
        await coaching.groups.remove(COCOACH, COACH, str(club.id))
    for coach in (COACH, COCOACH):
        with pytest.raises(InvalidInput, match="You can't remove yourself"):
            await coaching.groups.remove(coach, coach, None)
    assert await dump_all(db) == before


async def test_a_co_coach_steps_down_and_the_owner_cannot(db: Database, coaching: UseCases, club: CoachGroup) -> None:
    await joined(coaching, ALICE, club.invite_code)
    await coaching.groups.add_coach(COACH, None, COCOACH, "Dee")
    assert [name for name, _ in await coaching.groups.leavable(COCOACH)] == ["Job Club"]
    assert await coaching.groups.leavable(COACH) == []
    before = await dump_all(db)
    for ref in (None, str(club.id), "job club"):
        with pytest.raises(InvalidInput, match="You own that group"):
            await coaching.groups.leave(COACH, ref)
    assert await dump_all(db) == before
    left = await coaching.groups.leave(COCOACH, "Job Club")
    assert (left.memberships, [g.name for g in left.coached]) == ([], ["Job Club"])
    with pytest.raises(NotFound):
        await coaching.roster.rosters(COCOACH)
    with pytest.raises(NotFound, match="aren't sharing"):
        await coaching.groups.leave(COCOACH, None)
    assert await names_on_rosters(coaching) == ["Alice"]


async def test_the_owner_deletes_the_group_and_everyone_in_it_is_told(
    db: Database,
    coaching: UseCases,
    services: UseCases,
    club: CoachGroup,
    messenger: RecordingMessenger,
    clock: ManualClock,
) -> None:
    await joined(coaching, ALICE, club.invite_code)
    await joined(coaching, BOB, club.invite_code, accept=False)  # declined: not a member, not told
    await coaching.groups.add_coach(COACH, None, COCOACH, "Dee")
    await services.interviews.record_interview(ALICE, "Acme", "Analyst", "today 1pm")
    with pytest.raises(InvalidInput, match="Only the owner of “Job Club”, Coach Kim, can delete it"):
        await coaching.groups.group_to_delete(COCOACH, None)
    asked = clock.now()
    assert await coaching.groups.group_to_delete(COACH, None) == club
    before = await dump_all(db)
    with pytest.raises(InvalidInput, match="Only the owner"):
        await coaching.groups.delete_group(COCOACH, club.id, asked)  # a forged click by a co-coach
    clock.advance(timedelta(minutes=11))
    with pytest.raises(InvalidInput, match="expired"):
        await coaching.groups.delete_group(COACH, club.id, asked)
    assert await dump_all(db) == before

    clock.advance(timedelta(minutes=-5))
    gone = await coaching.groups.delete_group(COACH, club.id, asked)
    assert (gone.group, gone.told, gone.not_told) == (club, 2, 0)
    assert sorted(u.external_id for u, _ in messenger.deletions) == ["alice", "cocoach"]
    assert {(n.group, n.owner_name) for _, n in messenger.deletions} == {("Job Club", "Coach Kim")}
    for coach in (COACH, COCOACH):
        assert await coaching.groups.coached_groups(coach) == []
    assert await coaching.groups.member_groups(ALICE) == []
    with pytest.raises(NotFound, match="doesn't match"):
        await coaching.groups.join(CAROL, club.invite_code, "Carol")
    [summary] = await services.interviews.list_interviews(ALICE)  # the seeker's own data stays
    assert summary.interview.company == "Acme"
    with pytest.raises(NotFound):
        await coaching.groups.delete_group(COACH, club.id, asked)  # a second click finds nothing


async def test_an_owner_who_deletes_their_data_hands_the_group_to_the_first_co_coach(
    coaching: UseCases, club: CoachGroup, mydata: YourData, clock: ManualClock
) -> None:
    await joined(coaching, ALICE, club.invite_code)
    await coaching.groups.add_coach(COACH, None, COCOACH, "Dee")
    await coaching.groups.add_coach(COACH, None, OTHER_COACH, "Pat")
    await mydata.delete(COACH, clock.now())
    assert await coaching.groups.group_to_delete(COCOACH, None) == club
    with pytest.raises(InvalidInput, match="Dee owns “Job Club”"):
        await coaching.groups.remove(OTHER_COACH, COCOACH, None)
    await coaching.groups.remove(COCOACH, OTHER_COACH, None)
    assert await names_on_rosters(coaching, COCOACH) == ["Alice"]


async def test_a_group_is_deleted_even_if_no_one_can_be_told(
    coaching: UseCases, club: CoachGroup, messenger: RecordingMessenger, clock: ManualClock
) -> None:
    await joined(coaching, ALICE, club.invite_code)
    await coaching.groups.add_coach(COACH, None, COCOACH, "Dee")
    messenger.status = DeliveryStatus.DMS_CLOSED
    gone = await coaching.groups.delete_group(COACH, club.id, clock.now())
    assert (gone.told, gone.not_told) == (0, 2)
    assert await coaching.groups.coached_groups(COACH) == await coaching.groups.coached_groups(COCOACH) == []
    assert (await coaching.preferences.user(ALICE)).dms_closed_at is not None  # recorded like any bounced DM


# Coach actions by the seeker's user id: picked from the roster, whatever platform the seeker uses


async def _user_id(services: UseCases, who: Actor) -> int:
    return (await services.preferences.user(who)).id


@pytest.mark.parametrize("who", NOT_MEMBERS)
async def test_the_by_id_paths_refuse_anyone_but_a_consenting_member(
    who: str, coaching: UseCases, db: Database, messenger: RecordingMessenger, club: CoachGroup
) -> None:
    await joined(coaching, ALICE, club.invite_code)
    await NOT_MEMBERS[who](coaching, club)
    carol = await _user_id(coaching, CAROL)
    never = carol + 1000  # no such user

    def naming(seeker_id: int) -> list[Callable[[], Awaitable[object]]]:
        return [
            lambda: coaching.roster.seeker_by_id(COACH, seeker_id),
            lambda: coaching.roster.nudge_by_id(COACH, seeker_id, "Keep going!", "Kim"),
            lambda: coaching.groups.remove_by_id(COACH, seeker_id),
        ]

    before = await dump_all(db)
    for about_carol, about_no_one in zip(naming(carol), naming(never), strict=True):
        with pytest.raises(NotFound) as refused:
            await about_carol()
        with pytest.raises(NotFound) as unknown:
            await about_no_one()
        assert refused.value.template == unknown.value.template == NOT_VISIBLE
    assert await dump_all(db) == before
    assert messenger.notes == []


async def test_a_coach_nudges_and_removes_a_seeker_picked_by_id(
    coaching: UseCases, club: CoachGroup, messenger: RecordingMessenger
) -> None:
    await joined(coaching, ALICE, club.invite_code)
    await joined(coaching, BOB, club.invite_code)
    alice = await _user_id(coaching, ALICE)
    result = await coaching.roster.nudge_by_id(COACH, alice, "Call Acme today", "Kim")
    assert (result.seeker.name, result.status) == ("Alice", DeliveryStatus.SENT)
    [(seeker, note)] = messenger.notes
    assert (seeker.external_id, note.text) == ("alice", "Call Acme today")
    with pytest.raises(InvalidInput, match="message can't be empty"):
        await coaching.roster.nudge_by_id(COACH, alice, "  ", "Kim")
    removed = await coaching.groups.remove_by_id(COACH, alice)
    assert (removed.name, [m.group_name for m in removed.memberships]) == ("Alice", ["Job Club"])
    assert await names_on_rosters(coaching) == ["Bob"]
    with pytest.raises(NotFound):
        await coaching.roster.seeker_by_id(COACH, alice)


async def test_the_roster_knows_each_seeker_s_platform_and_lists_the_coach_s_seekers_once(
    coaching: UseCases, club: CoachGroup
) -> None:
    other = await coaching.groups.create_group(COACH, "Evening Club", "Coach Kim")
    on_slack = Actor("slack", "U123", "T1")
    await joined(coaching, ALICE, club.invite_code)
    await joined(coaching, ALICE, other.invite_code)
    await joined(coaching, on_slack, club.invite_code)
    lines = [line for roster in await coaching.roster.rosters(COACH) for line in roster.lines]
    assert {(line.seeker.name, line.seeker.platform) for line in lines} == {("Alice", "test"), ("U123", "slack")}
    seekers = await coaching.roster.roster_seekers(COACH)
    assert [(s.name, s.platform, s.groups) for s in seekers] == [
        ("Alice", "test", ("Evening Club", "Job Club")),
        ("U123", "slack", ("Job Club",)),
    ]
    assert await coaching.roster.roster_seekers(STRANGER) == []


async def test_a_seeker_named_by_name_is_found_on_the_rosters_and_two_alike_are_refused(
    coaching: UseCases, club: CoachGroup
) -> None:
    await joined(coaching, ALICE, club.invite_code)
    alice = await _user_id(coaching, ALICE)
    assert await coaching.roster.pick_seeker(COACH, " alice ") == alice
    assert await coaching.roster.pick_seeker(COACH, str(alice)) == alice  # what a picker fills in
    with pytest.raises(NotFound):
        await coaching.roster.pick_seeker(COACH, "Carol")
    twin = Actor("slack", "alice", "T1")  # another Alice, on another platform
    await coaching.groups.decide(
        twin, (await coaching.groups.join(twin, club.invite_code, "Alice")).membership.id, True
    )
    with pytest.raises(InvalidInput, match="Several seekers"):
        await coaching.roster.pick_seeker(COACH, "alice")

"""Coaching's words: the consent question and its preview, rosters and a coach's note, platform-neutral."""

from __future__ import annotations

from bot.content import coaching
from bot.content.message import ActionKind, Command
from bot.content.notices import UNEXPECTED, dms_closed
from bot.domain import coaching as rules
from bot.domain.models import CoachGroup, Membership, MembershipStatus
from bot.usecases.groups import ConsentRequest
from tests.coach_support import NOW, history, seeker
from tests.content.plain import plain, words


def test_the_consent_question_offers_accept_and_decline_on_the_membership_with_the_preview() -> None:
    membership = Membership(41, 1, "Spring Club", 1, "Maya", MembershipStatus.PENDING, NOW, None, None)
    preview = rules.seeker_report(seeker(), history(), NOW)
    ask, shown = coaching.consent_prompt(ConsentRequest(membership, ["Kim"], preview))
    assert [(a.kind, a.target) for a in ask.actions] == [(ActionKind.ACCEPT, 41), (ActionKind.DECLINE, 41)]
    assert "Its coaches (“[Kim]”, and any co-coach they add later) would see:" in words(ask)
    assert (
        shown.heading == coaching.PREVIEW and plain(shown.title) == "[Maya]<on test>"
    )  # shown on other platforms only


def test_a_roster_pages_by_twenty_and_its_page_actions_carry_the_group() -> None:
    people = [seeker(n, f"S{n:02}") for n in range(45)]
    lines = [rules.roster_line(p, history(user_id=p.user_id), NOW) for p in people]
    roster = rules.GroupRoster(CoachGroup(9, "Club", "ABCDEFGHJKMN", NOW), lines)
    page = coaching.roster_page(roster, 2)
    assert len(page.body) == 5 and page.whole_lines
    assert [(a.kind, a.target, a.page) for a in page.actions] == [
        (ActionKind.ROSTER_PAGE, 9, 1),
        (ActionKind.ROSTER_PAGE, 9, 2),
    ]
    assert plain(page.footer).endswith("invite code ABCD-EFGH-JKMN")


def test_a_note_that_did_not_arrive_says_why() -> None:
    assert "DMs are closed" in words(coaching.nudge_result("Maya", sent=False, dms_closed=True))
    assert "<platform> didn't take the message" in words(coaching.nudge_result("Maya", sent=False, dms_closed=False))


def test_errors_and_notices_name_actions_not_a_platforms_commands() -> None:
    said = plain(UNEXPECTED) + words(dms_closed(("allow them.",)))
    assert "/" not in said
    assert "<ask FOLLOW_UPS>" in said and Command.INTERVIEW_LIST.name in said

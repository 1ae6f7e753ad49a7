"""The seeker's lists: pages sized by the platform's measure, headings, and the page actions."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.content import follow_ups, interviews
from bot.content.follow_ups import Pager
from bot.content.message import ActionKind, paginate
from bot.domain.models import FollowUpKind, InterviewSummary
from bot.usecases.follow_ups import OpenFollowUp
from tests.content.plain import plain
from tests.platforms.discord.builders import NOW, follow_up, interview

PAGER = Pager(lambda entry: len(plain(entry)), room=3500)


def test_paginate_keeps_whole_entries_within_the_room() -> None:
    assert paginate([1] * 25, most=10, room=3500) == [range(10), range(10, 20), range(20, 25)]
    assert paginate([60] * 5, most=10, room=130) == [range(2), range(2, 4), range(4, 5)]
    assert paginate([], most=10, room=3500) == [range(0)]


def test_follow_ups_are_paged_overdue_first_with_previous_and_next() -> None:
    items = [
        OpenFollowUp(
            replace(follow_up(FollowUpKind.CHECK_IN), id=i, due_at=NOW + timedelta(hours=i - 5), deadline_at=None),
            interview(),
        )
        for i in range(25)
    ]
    first = follow_ups.follow_up_list(items, NOW, 0, PAGER)
    assert plain(first.body[0]) == "Overdue"
    assert plain(first.footer) == "Page 1 of 3 · 25 follow-ups"
    back, forward = first.actions
    assert (back.kind, back.choice, back.page, back.disabled) == (ActionKind.PAGE, "followups", 0, True)
    assert (forward.page, forward.disabled) == (1, False)
    last = follow_ups.follow_up_list(items, NOW, 99, PAGER)  # past the end: the last page
    assert plain(last.footer) == "Page 3 of 3 · 25 follow-ups" and last.actions[1].disabled


def test_a_platform_with_less_room_gets_more_pages() -> None:
    items = [InterviewSummary(interview(i, f"Acme{i:02d}"), None) for i in range(10)]
    roomy = interviews.interview_list(items, NOW, 0, PAGER, "interviews")
    tight = interviews.interview_list(items, NOW, 0, Pager(PAGER.measure, room=300), "everything")
    assert roomy.actions == () and roomy.footer == ()
    assert plain(tight.footer).startswith("Page 1 of ") and tight.actions[1].choice == "everything"


def test_an_empty_list_points_to_logging_an_interview() -> None:
    said = plain(follow_ups.follow_up_list([], NOW, 0, PAGER).body[0])
    assert said == "Nothing due. Log an interview with <ask INTERVIEW_ADD>."

"""Each nudge's words and actions, as every platform gets them: no Discord here."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.content import nudges
from bot.content.message import ActionKind, Instant, TimeStyle, UserText
from bot.domain.models import FollowUpKind, NextSteps, Nudge
from tests.content.plain import pieces, words
from tests.platforms.discord.builders import LOS_ANGELES, NOW, follow_up, interview, steps, user
from tests.support import utc

SNOOZE = timedelta(hours=3)


def nudge(kind: FollowUpKind, **changes: object) -> Nudge:
    return replace(Nudge(follow_up(kind), interview(), steps(), None, user(), False), **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "offered"),
    [
        (FollowUpKind.PREP, [ActionKind.DONE, ActionKind.SNOOZE]),
        (FollowUpKind.NEXT_STEPS, [ActionKind.RECORD_ANSWERS, ActionKind.DONE, ActionKind.SNOOZE]),
        (FollowUpKind.CHECK_IN, [ActionKind.LOG_CALL, ActionKind.DONE, ActionKind.SNOOZE, ActionKind.ADD_TO_CALENDAR]),
        (FollowUpKind.FEEDBACK_REQUEST, [ActionKind.RECORD_FEEDBACK, ActionKind.DONE, ActionKind.SNOOZE]),
    ],
)
def test_each_kind_offers_its_actions_on_its_follow_up_then_a_choice_of_snooze_lengths(
    kind: FollowUpKind, offered: list[ActionKind]
) -> None:
    item = nudge(kind, follow_up=replace(follow_up(kind), id=77))
    actions = nudges.nudge(item, SNOOZE).actions
    assert [a.kind for a in actions] == [*offered, ActionKind.SNOOZE_FOR]
    assert {a.target for a in actions} == {77}
    assert next(a.label for a in actions if a.kind is ActionKind.SNOOZE) == "Snooze 3 hours"
    lengths = actions[-1].options
    assert [(o.label, o.value) for o in lengths][:2] == [("1 hour", "3600"), ("3 hours", "10800")]


def test_what_the_seeker_typed_is_marked_for_escaping_and_times_are_instants() -> None:
    typed = replace(interview(), company="*Acme*", interviewer="@everyone")
    message = nudges.nudge(nudge(FollowUpKind.CHECK_IN, interview=typed), SNOOZE)
    parts = list(pieces(message))
    plain_words = [p for p in parts if isinstance(p, str)]
    assert UserText("*Acme*") in parts and UserText("@everyone") in parts
    assert not any("Acme" in p or "@everyone" in p for p in plain_words)
    assert Instant(typed.scheduled_at) in parts  # each platform shows it in the reader's zone


def test_a_nudge_due_while_the_platform_was_unreachable_says_so_without_naming_it() -> None:
    late = replace(follow_up(FollowUpKind.PREP), unreachable_since=NOW - timedelta(hours=2))
    said = words(nudges.nudge(nudge(FollowUpKind.PREP, follow_up=late, late=True), SNOOZE))
    assert f"This was due <relative {(NOW - timedelta(hours=2)).isoformat()}>, while <platform> could not" in said
    assert "Discord" not in said


def test_the_prep_nudge_asks_the_four_questions_and_counts_down_to_the_interview() -> None:
    message = nudges.nudge(nudge(FollowUpKind.PREP), SNOOZE)
    assert Instant(interview().scheduled_at, TimeStyle.RELATIVE) in list(pieces(message))
    assert "4. When would be a good time for me to check back with you?" in words(message)


def test_the_thank_you_draft_names_the_agreed_day_in_the_seekers_zone() -> None:
    monday_5pm_la = datetime(2026, 12, 7, 17, 0, tzinfo=LOS_ANGELES)  # Tuesday 01:00 in UTC
    draft = nudges.thank_you_draft(interview(), steps(monday_5pm_la.astimezone(UTC)), LOS_ANGELES)
    assert "Monday 07 December" in draft


def test_without_an_agreed_date_the_draft_proposes_the_planned_call_instead() -> None:
    planned = NextSteps(1, utc(2026, 11, 30, 10), None, None, None, None, NOW, check_back_agreed=False)
    draft = nudges.thank_you_draft(interview(), planned, ZoneInfo("UTC"))
    assert "If it suits you, I'll call you on Monday 30 November" in draft
    assert "As we agreed" not in draft


def test_after_an_outcome_the_feedback_request_shows_only_what_is_current() -> None:
    from bot.domain.models import Outcome

    closed = replace(interview(), outcome=Outcome.REJECTED, outcome_at=NOW)
    said = words(nudges.nudge(nudge(FollowUpKind.FEEDBACK_REQUEST, interview=closed), SNOOZE))
    assert "Outcome\nrejected" in said
    assert "decision by" not in said and "other candidate" not in said and "What happens next" not in said
    open_one = words(nudges.nudge(nudge(FollowUpKind.CHECK_IN), SNOOZE))
    assert "decision by" in open_one  # still current while it is open

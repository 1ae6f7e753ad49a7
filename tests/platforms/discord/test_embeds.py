"""How replies and nudges look on Discord: within Discord's limits however long the input, and in the seeker's zone."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import discord
import pytest

from bot.content import follow_ups, interviews, nudges
from bot.domain.models import CheckIn, FollowUpKind, InterviewSummary, Nudge, Outcome
from bot.platforms.discord import render
from bot.platforms.discord.interview_views import PAGER
from bot.usecases.follow_ups import OpenFollowUp
from tests.platforms.discord.builders import LONG, NOW, follow_up, interview, steps, user

SNOOZE = timedelta(days=1)


def nudge_embed(nudge: Nudge) -> discord.Embed:
    return render.embed(nudges.nudge(nudge, SNOOZE))


def assert_within_limits(embed: discord.Embed) -> None:
    assert len(embed) <= 6000
    assert len(embed.title or "") <= 256
    assert len(embed.description or "") <= 4096
    assert len(embed.fields) <= 25
    assert all(len(f.value or "") <= 1024 and len(f.name or "") <= 256 for f in embed.fields)


@pytest.mark.parametrize("kind", list(FollowUpKind))
def test_a_nudge_with_every_field_at_its_longest_stays_within_discords_limits(kind: FollowUpKind) -> None:
    call = CheckIn(1, 1, LONG, NOW + timedelta(days=3), NOW)
    nudge = Nudge(follow_up(kind), interview(), steps(), call, user(), late=True)
    embed = nudge_embed(nudge)
    assert_within_limits(embed)
    assert embed.title is not None and embed.title.startswith(kind.label)


@pytest.mark.parametrize("name", ["C" * 100, "Acme"])
def test_a_long_list_is_paged_and_every_entry_is_on_a_page(name: str) -> None:
    items = [InterviewSummary(interview(i, f"{name}{i:02d}"), None) for i in range(40)]
    shown = []
    for page in range(4):
        embed = render.embed(interviews.interview_list(items, NOW, page, PAGER, "interviews"))
        assert_within_limits(embed)
        assert embed.description is not None and "more." not in embed.description
        assert embed.footer.text == f"Page {page + 1} of 4 · 40 interviews"
        shown += [i for i in range(40) if f"{name}{i:02d}" in embed.description]
    assert shown == list(range(40))


def test_follow_ups_are_paged_with_the_overdue_first() -> None:
    items = [
        OpenFollowUp(
            replace(follow_up(FollowUpKind.CHECK_IN), id=i, due_at=NOW + timedelta(hours=i - 5), deadline_at=None),
            interview(),
        )
        for i in range(25)
    ]
    first = render.embed(follow_ups.follow_up_list(items, NOW, 0, PAGER)).description or ""
    assert first.startswith("**Overdue**") and "**Upcoming**" in first
    last = render.embed(follow_ups.follow_up_list(items, NOW, 2, PAGER))
    assert (last.description or "").startswith("**Upcoming**")
    assert last.footer.text == "Page 3 of 3 · 25 follow-ups"
    assert (
        render.embed(follow_ups.follow_up_list(items, NOW, 99, PAGER)).description or ""
    ) == last.description  # past the end: the last


def test_within_keeps_at_most_the_given_lines_and_characters() -> None:
    assert render.within(["a", "b"], 100) == "a\nb"
    assert render.within([str(i) for i in range(30)], 1000).splitlines()[-1] == "…and 10 more."
    packed = render.within(["z" * 300] * 10, 1024)
    assert len(packed) <= 1024 and packed.splitlines()[-1] == "…and 7 more."


@pytest.mark.parametrize(
    ("has_steps", "last_call_next", "suggests"),
    [(False, None, True), (True, None, False), (True, "none", True), (False, "date", False)],
)
def test_a_check_in_suggests_asking_when_to_check_back_only_when_nothing_was_agreed(
    has_steps: bool, last_call_next: str | None, suggests: bool
) -> None:
    call = None
    if last_call_next is not None:
        call = CheckIn(1, 1, "Delayed", NOW + timedelta(days=3) if last_call_next == "date" else None, NOW)
    nudge = Nudge(follow_up(FollowUpKind.CHECK_IN), interview(), steps() if has_steps else None, call, user(), False)
    assert ("When would be a good time to check back?" in (nudge_embed(nudge).description or "")) is suggests


def test_fit_clips_the_footer_too() -> None:
    embed = render.fit(discord.Embed(title="t").set_footer(text="f" * 3000))
    assert len(embed.footer.text or "") == 2048
    assert_within_limits(embed)


def test_the_seekers_own_list_shows_a_thank_you_snoozed_past_its_deadline_as_overdue() -> None:
    deadline = NOW - timedelta(days=6)
    late = replace(follow_up(FollowUpKind.THANK_YOU_EMAIL), due_at=NOW + timedelta(hours=5), snoozes=6)
    late = replace(late, notify_at=late.due_at, deadline_at=deadline)
    embed = render.embed(follow_ups.follow_up_list([OpenFollowUp(late, interview())], NOW, 0, PAGER))
    heading, entry = (embed.description or "").splitlines()
    assert heading == "**Overdue**"
    assert f"deadline <t:{int(deadline.timestamp())}:F> passed" in entry


def _text(embed: discord.Embed) -> str:
    return "\n".join([embed.description or "", *(f"{f.name}: {f.value}" for f in embed.fields)])


def test_the_feedback_request_after_a_rejection_shows_the_outcome_not_old_check_ins() -> None:
    rejected = replace(interview(), outcome=Outcome.REJECTED, outcome_at=NOW - timedelta(hours=20))
    call = CheckIn(1, 1, "Still deciding", NOW - timedelta(days=1), NOW - timedelta(days=3))
    ask = replace(follow_up(FollowUpKind.FEEDBACK_REQUEST), deadline_at=None)
    answers = replace(steps(NOW - timedelta(days=6)), rounds=None, notes=None)  # short: nothing is clipped
    embed = nudge_embed(Nudge(ask, rejected, answers, call, user(), late=False))
    shown = _text(embed)
    assert "Agreed check-in" not in shown and "check back" not in shown
    assert [f.value for f in embed.fields if f.name == "Outcome"] == [
        f"rejected, <t:{int((NOW - timedelta(hours=20)).timestamp())}:F>"
    ]


def test_a_call_nudge_after_a_logged_call_shows_only_the_current_check_in() -> None:
    agreed_then, agreed_now = NOW - timedelta(days=5), NOW
    call = CheckIn(1, 1, "Still deciding", agreed_now, NOW - timedelta(days=4))
    answers = replace(steps(agreed_then), rounds=None, notes=None)  # short enough that nothing is clipped
    nudge = Nudge(follow_up(FollowUpKind.CHECK_IN), interview(), answers, call, user(), late=False)
    shown = _text(nudge_embed(nudge))
    assert f"<t:{int(agreed_then.timestamp())}" not in shown  # the first agreed date is history now
    assert f"Agreed check-in: <t:{int(agreed_now.timestamp())}:F>" in shown

"""Nudge buttons: which ones each kind gets, what they say, and the ids they carry."""

from __future__ import annotations

from datetime import timedelta

import discord
import pytest

from bot.content import nudges
from bot.content.message import duration
from bot.domain.models import FollowUpKind, Nudge
from bot.platforms.discord import components
from tests.platforms.discord.builders import follow_up, interview, user


def nudge_view(nudge: Nudge, snooze_by: timedelta) -> discord.ui.View:
    view = components.view(nudges.nudge(nudge, snooze_by).actions)
    assert view is not None
    return view


@pytest.mark.parametrize(
    ("span", "said"),
    [
        (timedelta(days=1), "1 day"),
        (timedelta(hours=3), "3 hours"),
        (timedelta(weeks=1), "1 week"),
        (timedelta(minutes=90), "90 minutes"),
        (timedelta(hours=36), "36 hours"),
    ],
)
def test_durations_read_naturally(span: timedelta, said: str) -> None:
    assert duration(span) == said


def test_the_snooze_button_names_the_configured_length_and_every_id_carries_the_follow_up() -> None:
    nudge = Nudge(follow_up(FollowUpKind.THANK_YOU_EMAIL), interview(), None, None, user(), False)
    view = nudge_view(nudge, timedelta(hours=3))
    components = view.to_components()
    labels = [c.get("label") for row in components for c in row["components"]]
    assert labels == ["Done", "Snooze 3 hours", None]  # the select has a placeholder, not a label
    ids = [c["custom_id"] for row in components for c in row["components"]]
    assert ids == ["ft:done:1", "ft:snooze:1", "ft:snoozefor:1"]
    assert view.timeout is None


@pytest.mark.parametrize(
    ("kind", "buttons"),
    [
        (FollowUpKind.PREP, ["ft:done:1", "ft:snooze:1", "ft:snoozefor:1"]),
        (FollowUpKind.NEXT_STEPS, ["ft:answers:1", "ft:done:1", "ft:snooze:1", "ft:snoozefor:1"]),
        (FollowUpKind.CHECK_IN, ["ft:call:1", "ft:done:1", "ft:snooze:1", "ft:ics:1", "ft:snoozefor:1"]),
        (FollowUpKind.FEEDBACK_REQUEST, ["ft:feedback:1", "ft:done:1", "ft:snooze:1", "ft:snoozefor:1"]),
    ],
)
def test_each_kind_gets_its_actions(kind: FollowUpKind, buttons: list[str]) -> None:
    view = nudge_view(Nudge(follow_up(kind), interview(), None, None, user(), False), timedelta(days=1))
    assert [c["custom_id"] for row in view.to_components() for c in row["components"]] == buttons

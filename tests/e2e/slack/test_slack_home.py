"""The App Home tab through the real slack_bolt app: the seeker's follow-ups with Done and Snooze, their open
interviews and a Log interview button; a coach's rosters, paged, with a View button per seeker."""

from __future__ import annotations

import json

import pytest

from bot.app import App
from bot.clocks import ManualClock
from bot.domain.models import FollowUpStatus
from bot.sandbox.slack import SlackSandbox, SlackView
from bot.usecases.actors import Actor
from tests.e2e.slack.test_slack_seeker import INTERVIEW, actor, log_interview

pytestmark = pytest.mark.e2e


def shown(view: SlackView | None) -> str:
    assert view is not None
    return json.dumps(view.blocks)


def first_view(view: SlackView) -> str:
    return next(a for a in view.action_ids if a.startswith("ft-home:view"))


def views(view: SlackView | None) -> int:
    assert view is not None
    return sum(a.startswith("ft-home:view") for a in view.action_ids)


async def test_the_home_tab_shows_follow_ups_and_interviews_and_done_there_republishes_it(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    await log_interview(slack, maya, {**INTERVIEW, "when": "yesterday 9am"})
    await slack_app.dispatcher.wait_idle()  # the overdue nudges sent, not held by a claim
    opened = await slack.open_home(maya)
    [home] = opened.published
    assert home.type == "home"
    seen = shown(home)
    assert "Overdue follow-ups" in seen and "Your interviews" in seen and "Acme" in seen
    assert "ft-home:log" in home.action_ids
    buttons = home.action_ids.count("ft:done")
    assert buttons >= 1 and home.action_ids.count("ft:snooze") == buttons

    before = await slack_app.follow_ups.open_follow_ups(actor(maya))
    clicked = await slack.click(maya, home, "ft:done")
    assert clicked.acked and not clicked.late
    assert clicked.published, "a click that changes something re-publishes the Home tab"
    assert slack.home(maya) is home and home.action_ids.count("ft:done") == buttons - 1
    after = await slack_app.follow_ups.open_follow_ups(actor(maya))
    assert [o.follow_up.id for o in after] == [o.follow_up.id for o in before[1:]]  # the first one is done

    clicked = await slack.click(maya, home, "ft:snooze")
    assert clicked.published
    [snoozed] = [o.follow_up for o in await slack_app.follow_ups.open_follow_ups(actor(maya)) if o.follow_up.snoozes]
    assert snoozed.id == after[0].follow_up.id and snoozed.status is FollowUpStatus.PENDING


async def test_log_interview_on_the_home_tab_opens_the_interview_modal_and_the_tab_shows_the_new_plan(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="America/Chicago")
    [home] = (await slack.open_home(maya)).published
    assert "Nothing due" in shown(home)
    [modal] = (await slack.click(maya, home, "ft-home:log")).opened
    assert modal.title == "Log interview"
    refused = await slack.submit(modal, {**INTERVIEW, "when": "whenever suits"})
    assert set(refused.errors) == {"when"}
    assert not await slack_app.interviews.list_interviews(actor(maya))
    saved = await slack.submit(modal, {**INTERVIEW, "when": "tomorrow 8am"})
    assert saved.errors == {}
    [summary] = await slack_app.interviews.list_interviews(actor(maya))
    assert summary.interview.company == "Acme"
    await slack.wait_until(lambda: "Acme" in shown(slack.home(maya)), what="the Home tab re-published")
    assert "Upcoming follow-ups" in shown(slack.home(maya))


async def test_a_coach_s_home_tab_pages_the_roster_and_view_shows_a_seeker_s_report(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    coach = slack.add_user("omar", tz="UTC")
    maya = slack.add_user("maya", tz="UTC")
    await log_interview(slack, maya, {**INTERVIEW, "when": "yesterday 9am"})
    await slack_app.dispatcher.wait_idle()
    group = await slack_app.groups.create_group(actor(coach), "Cohort 5", "Omar")
    team = actor(maya).workspace
    seekers = [actor(maya)] + [Actor("slack", f"UQUIET{n:02}", team) for n in range(24)]
    for number, seeker in enumerate(seekers):
        asked = await slack_app.groups.join(seeker, group.invite_code, "Maya" if number == 0 else f"Seeker {number}")
        await slack_app.groups.decide(seeker, asked.membership.id, True)

    [home] = (await slack.open_home(coach)).published
    seen = shown(home)
    assert "Roster: Cohort 5" in seen and "Page 1 of 2" in seen
    assert views(home) == 20
    assert len(home.blocks) <= 100
    assert seen.index("Maya") < seen.index("Seeker 1")  # the overdue seeker first

    turned = await slack.click(coach, home, "ft:roster_page")
    assert turned.published
    page_two = shown(slack.home(coach))
    assert "Page 2 of 2" in page_two and views(slack.home(coach)) == 5

    [home] = (await slack.open_home(coach)).published
    viewed = await slack.click(coach, home, first_view(home))
    [report] = viewed.opened
    assert report.title == "Maya"
    assert "Acme" in json.dumps(report.blocks)
    assert not slack.dms(coach)  # the report stays in the coach's modal


async def test_a_view_button_for_a_seeker_who_left_is_explained_privately(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    coach = slack.add_user("omar", tz="UTC")
    maya = slack.add_user("maya", tz="UTC")
    group = await slack_app.groups.create_group(actor(coach), "Cohort 5", "Omar")
    asked = await slack_app.groups.join(actor(maya), group.invite_code, "Maya")
    await slack_app.groups.decide(actor(maya), asked.membership.id, True)
    [home] = (await slack.open_home(coach)).published
    await slack_app.groups.leave(actor(maya), None)
    viewed = await slack.click(coach, home, first_view(home))
    assert viewed.acked and not viewed.opened
    [explained] = viewed.ephemerals
    assert "can't find that person" in explained.text and "/followthrough join" in explained.text

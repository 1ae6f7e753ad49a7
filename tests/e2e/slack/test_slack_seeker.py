"""A seeker on Slack, through the real slack_bolt app in Socket Mode: the Log interview modal, the nudge DM
(Block Kit and metadata), Done in place, undeliverable DMs, and the zone from the Slack profile."""

from __future__ import annotations

import asyncio

import pytest

from bot.app import App
from bot.clocks import ManualClock
from bot.domain.models import FollowUp, FollowUpKind, FollowUpStatus
from bot.platforms.slack.notifier import NUDGE_EVENT
from bot.sandbox.slack import SlackMessage, SlackSandbox, SlackUser
from bot.usecases.actors import Actor
from tests.support import dump, follow_ups_of, utc

pytestmark = pytest.mark.e2e

INTERVIEW = {"company": "Acme", "role": "Data Analyst", "when": "today 8am", "interviewer": "Sam"}


def actor(user: SlackUser) -> Actor:
    return Actor("slack", user.id, user.info(0)["team_id"])


async def log_interview(slack: SlackSandbox, user: SlackUser, answers: dict[str, str]) -> None:
    opened = await slack.slash(user, "/interview")
    [modal] = opened.opened
    assert modal.title == "Log interview"
    submitted = await slack.submit(modal, answers)
    assert submitted.errors == {}, submitted.errors


async def nudge(slack: SlackSandbox, user: SlackUser, title: str) -> SlackMessage:
    def matching() -> list[SlackMessage]:
        return [m for m in slack.dms(user) if title in m.text]

    await slack.wait_until(lambda: bool(matching()), what=f"a DM {title!r}")
    return matching()[0]


async def check_in_nudge(slack: SlackSandbox, clock: ManualClock) -> tuple[SlackUser, SlackMessage]:
    """Maya logs an interview, answers "what happens next" with a check-back, and gets the check-in nudge."""
    maya = slack.add_user("maya", tz="UTC")
    await log_interview(slack, maya, {**INTERVIEW, "when": "today 2pm"})
    clock.set(utc(2026, 11, 25, 16))
    asked = await nudge(slack, maya, FollowUpKind.NEXT_STEPS.label)
    [modal] = (await slack.click(maya, asked, "ft:record_answers")).opened
    assert (await slack.submit(modal, {"check_back": "next Tuesday 10am"})).errors == {}
    clock.set(utc(2026, 12, 1, 10))
    return maya, await nudge(slack, maya, FollowUpKind.CHECK_IN.label)


async def test_a_bad_date_is_shown_on_its_field_and_nothing_is_written(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="America/Chicago")
    opened = await slack.slash(maya, "/interview")
    [modal] = opened.opened
    await slack.wait_until(lambda: bool(slack.requests_to("users.info")), what="the profile read")
    before = await dump(slack_app.db)
    refused = await slack.submit(modal, {**INTERVIEW, "when": "whenever suits"})
    assert set(refused.errors) == {"when"}
    assert "couldn't read" in refused.errors["when"]
    assert await dump(slack_app.db) == before
    assert modal.open


async def test_a_seeker_logs_an_interview_and_is_nudged_by_dm_then_done_updates_it_in_place(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="America/Chicago")
    await log_interview(slack, maya, INTERVIEW)
    [plan] = [m for m in slack.ephemerals(maya) if "Interview logged" in m.text]
    assert "America/Chicago" in str(plan.blocks)
    [summary] = await slack_app.interviews.list_interviews(actor(maya))
    assert summary.interview.scheduled_at == utc(2026, 11, 25, 14)  # 8am in Chicago: the profile's zone
    stored = await slack_app.accounts.find(actor(maya))
    assert stored is not None and stored.timezone_chosen
    assert (stored.platform, stored.external_id, stored.workspace) == ("slack", maya.id, maya.info(0)["team_id"])

    assert not slack.dms(maya)
    clock.set(utc(2026, 11, 25, 16))  # the thank-you email falls due
    thank_you = await nudge(slack, maya, FollowUpKind.THANK_YOU_EMAIL.label)
    assert thank_you.blocks and thank_you.metadata is not None
    assert thank_you.metadata["event_type"] == NUDGE_EVENT
    follow_up_id = thank_you.metadata["event_payload"]["follow_up_id"]
    assert "ft:done" in thank_you.action_ids

    clicked = await slack.click(maya, thank_you, "ft:done")
    assert clicked.acked
    assert thank_you.edits, "Done must update the nudge in place"
    assert "Done" in thank_you.text
    assert thank_you.action_ids == []
    change = await slack_app.follow_ups.follow_up_context(actor(maya), follow_up_id)
    assert change.follow_up.status is FollowUpStatus.DONE


async def test_a_dm_to_a_user_with_the_messages_tab_disabled_is_undeliverable_after_one_attempt(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    omar = slack.add_user("omar", tz="UTC", dm_error="messages_tab_disabled")
    await log_interview(slack, omar, {**INTERVIEW, "when": "today 2pm"})
    [summary] = await slack_app.interviews.list_interviews(actor(omar))

    async def thank_you() -> FollowUp:
        [found] = [
            f for f in await follow_ups_of(slack_app.db, summary.interview.id) if f.kind is FollowUpKind.THANK_YOU_EMAIL
        ]
        return found

    clock.set(utc(2026, 11, 25, 16))
    for _ in range(50):
        if (await thank_you()).status is FollowUpStatus.UNDELIVERABLE:
            break
        await asyncio.sleep(0.05)  # the dispatcher runs on the loop: real time, not the clock
    first = await thank_you()
    assert first.status is FollowUpStatus.UNDELIVERABLE
    assert first.attempts == 0
    assert "closed" in (first.last_error or "")
    tried = len(slack.requests_to("conversations.open"))
    clock.set(utc(2026, 11, 26, 16))  # a day on: it is not tried again
    await slack_app.dispatcher.wait_idle()
    assert (await thank_you()).status is FollowUpStatus.UNDELIVERABLE
    assert len(slack.requests_to("conversations.open")) == tried


async def test_snooze_updates_the_nudge_in_place_and_moves_the_follow_up(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    await log_interview(slack, maya, {**INTERVIEW, "when": "today 2pm"})
    clock.set(utc(2026, 11, 25, 16))
    thank_you = await nudge(slack, maya, FollowUpKind.THANK_YOU_EMAIL.label)
    assert thank_you.metadata is not None
    follow_up_id = thank_you.metadata["event_payload"]["follow_up_id"]
    await slack.click(maya, thank_you, "ft:snooze")
    assert thank_you.edits and "Snoozed" in thank_you.text
    assert thank_you.action_ids == []
    change = await slack_app.follow_ups.follow_up_context(actor(maya), follow_up_id)
    assert change.follow_up.status is FollowUpStatus.PENDING
    assert change.follow_up.due_at > utc(2026, 11, 25, 16)


async def test_record_answers_opens_a_modal_refuses_a_bad_value_on_its_field_then_updates_the_nudge(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    await log_interview(slack, maya, {**INTERVIEW, "when": "today 2pm"})
    clock.set(utc(2026, 11, 25, 16))
    asked = await nudge(slack, maya, FollowUpKind.NEXT_STEPS.label)
    clicked = await slack.click(maya, asked, "ft:record_answers")
    [modal] = clicked.opened
    before = await dump(slack_app.db)
    refused = await slack.submit(modal, {"candidates": "a few"})
    assert set(refused.errors) == {"candidates"}
    assert await dump(slack_app.db) == before
    refused = await slack.submit(modal, {"check_back": "whenever suits"})
    assert set(refused.errors) == {"check_back"}
    assert await dump(slack_app.db) == before
    saved = await slack.submit(modal, {"check_back": "next Tuesday 10am", "candidates": "3"})
    assert saved.errors == {}
    await slack.wait_until(lambda: bool(asked.edits), what="the nudge updated")
    assert asked.action_ids == []
    assert await dump(slack_app.db) != before


async def test_a_zone_the_user_chose_is_never_overridden_by_their_slack_profile(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="America/Chicago")
    await slack.slash(maya, "/interview")
    await slack.wait_until(lambda: bool(slack.requests_to("users.info")), what="the profile read")
    assert (await slack_app.preferences.user(actor(maya))).timezone == "America/Chicago"
    await slack_app.preferences.set_timezone(actor(maya), "Europe/Paris")
    await log_interview(slack, maya, {**INTERVIEW, "when": "tomorrow 9am"})
    assert (await slack_app.preferences.user(actor(maya))).timezone == "Europe/Paris"
    assert len(slack.requests_to("users.info")) == 1
    [summary] = await slack_app.interviews.list_interviews(actor(maya))
    assert summary.interview.scheduled_at == utc(2026, 11, 26, 8)  # 9am in Paris


async def test_a_click_that_the_core_refuses_is_acked_and_explained_privately(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    await log_interview(slack, maya, {**INTERVIEW, "when": "today 2pm"})
    clock.set(utc(2026, 11, 25, 16))
    thank_you = await nudge(slack, maya, FollowUpKind.THANK_YOU_EMAIL.label)
    [summary] = await slack_app.interviews.list_interviews(actor(maya))
    await slack_app.interviews.delete_interview(actor(maya), summary.interview.id)
    clicked = await slack.click(maya, thank_you, "ft:done")
    assert clicked.acked and not clicked.late
    [explained] = clicked.ephemerals
    assert "isn't one of yours" in explained.text
    assert not thank_you.edits


async def test_log_the_call_from_a_check_in_nudge_records_it_and_updates_the_nudge(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya, call = await check_in_nudge(slack, clock)
    [form] = (await slack.click(maya, call, "ft:log_call")).opened
    assert (await slack.submit(form, {"heard": "They are still deciding"})).errors == {}
    await slack.wait_until(lambda: bool(call.edits), what="the check-in nudge updated")
    assert call.action_ids == []
    async with slack_app.db.conn.execute("SELECT heard FROM check_ins") as cursor:
        assert [row[0] for row in await cursor.fetchall()] == ["They are still deciding"]

"""/interview edit | delete | reopen as modals with a select of the user's own interviews, and the buttons they
lead to (Use … instead, Delete it / Keep it), each answered in place, through the real bot."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.clocks import ManualClock
from bot.domain.models import FollowUpKind
from bot.platforms.slack.listeners import NOT_YET
from bot.sandbox.slack import SlackMessage, SlackSandbox
from tests.e2e.slack.test_slack_interview_commands import actor, select
from tests.e2e.slack.test_slack_seeker import INTERVIEW, log_interview
from tests.support import dump, utc

pytestmark = pytest.mark.e2e


def logged(slack: SlackSandbox, user: object) -> SlackMessage:
    [plan] = [m for m in slack.ephemerals(user) if "Interview logged" in m.text]  # type: ignore[arg-type]
    return plan


async def test_use_the_other_day_moves_the_interview_and_updates_the_reply_in_place(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")  # Wednesday 25 Nov
    await log_interview(slack, maya, {**INTERVIEW, "when": "Monday 3pm"})
    [summary] = await slack_app.interviews.list_interviews(actor(maya))
    assert summary.interview.scheduled_at == utc(2026, 11, 30, 15)  # the coming Monday
    plan = logged(slack, maya)
    assert "ft:move_interview" in plan.action_ids

    moved = await slack.click(maya, plan, "ft:move_interview")
    assert moved.acked and not moved.ephemerals  # nothing new: the reply itself changed
    assert "Interview updated" in plan.text and "Changed: time." in str(plan.blocks)
    assert plan.action_ids == []  # the button is spent
    [summary] = await slack_app.interviews.list_interviews(actor(maya))
    assert summary.interview.scheduled_at == utc(2026, 11, 23, 15)
    kinds = {f.follow_up.kind for f in await slack_app.follow_ups.open_follow_ups(actor(maya))}
    assert FollowUpKind.PREP not in kinds


async def test_an_old_use_instead_button_does_not_undo_a_later_edit_made_in_the_edit_modal(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    await log_interview(slack, maya, {**INTERVIEW, "when": "Friday 3pm"})
    plan = logged(slack, maya)

    [modal] = (await slack.slash(maya, "/interview", "edit acme")).opened
    picker = select(modal.blocks, "interview")
    assert picker["initial_option"] is not None
    edited = await slack.submit(modal, {"when": "2026-12-09 11:00", "contact": "sam@acme.example"})
    assert edited.errors == {}
    assert any("Changed: time, contact." in str(m.blocks) for m in edited.ephemerals)
    [summary] = await slack_app.interviews.list_interviews(actor(maya))
    assert summary.interview.scheduled_at == utc(2026, 12, 9, 11)
    assert summary.interview.contact == "sam@acme.example"

    before = await dump(slack_app.db)
    pressed = await slack.click(maya, plan, "ft:move_interview")
    assert "was changed since" in pressed.text and "/interview edit" in pressed.text
    assert await dump(slack_app.db) == before


async def test_edit_shows_a_bad_time_or_an_empty_company_on_its_field_and_writes_nothing(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    await log_interview(slack, maya, {**INTERVIEW, "when": "today 2pm"})
    [modal] = (await slack.slash(maya, "/interview", "edit")).opened
    [option] = select(modal.blocks, "interview")["options"]  # type: ignore[misc]
    before = await dump(slack_app.db)
    refused = await slack.submit(modal, {"interview": option["value"], "when": "whenever suits"})
    assert set(refused.errors) == {"when"}
    refused = await slack.submit(modal, {"interview": option["value"], "company": "-"})
    assert set(refused.errors) == {"company"}
    refused = await slack.submit(modal, {"interview": option["value"]})
    assert list(refused.errors.values()) == [
        "Tell me what to change: company, role, when, interviewer, contact or notes."
    ]
    assert await dump(slack_app.db) == before
    assert modal.open


async def test_delete_asks_first_keep_it_keeps_it_and_delete_it_deletes_it_in_place(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    await log_interview(slack, maya, {**INTERVIEW, "when": "today 2pm"})
    [modal] = (await slack.slash(maya, "/interview", "delete acme")).opened
    before = await dump(slack_app.db)
    asked = await slack.submit(modal, {})
    assert asked.errors == {}
    [question] = asked.ephemerals
    assert "Delete Acme: Data Analyst?" in question.text
    assert await dump(slack_app.db) == before  # only asked
    [delete_button] = [
        e for b in question.blocks for e in b.get("elements", []) if e.get("action_id") == "ft:delete_interview"
    ]
    assert delete_button["confirm"]["confirm"]["text"] == "Delete it"  # Slack's own "are you sure?" first

    kept = await slack.click(maya, question, "ft:keep_interview")
    assert kept.acked and "Nothing was deleted" in question.text and question.action_ids == []
    assert await dump(slack_app.db) == before

    [modal] = (await slack.slash(maya, "/interview", "delete acme")).opened
    [question] = (await slack.submit(modal, {})).ephemerals
    deleted = await slack.click(maya, question, "ft:delete_interview")
    assert deleted.acked and "Deleted" in question.text and question.action_ids == []
    assert await slack_app.interviews.list_interviews(actor(maya), include_closed=True) == []

    stale = SlackMessage(**{**question.__dict__, "blocks": question.edits[0]["blocks"]})  # a second tab's copy
    again = await slack.click(maya, stale, "ft:delete_interview")
    assert "can't find that interview" in again.text


async def test_reopen_offers_only_closed_interviews_and_takes_the_outcome_back(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    said = await slack.slash(maya, "/interview", "reopen")
    assert not said.opened and any("nothing to reopen" in m.text.lower() for m in said.ephemerals)

    await log_interview(slack, maya, {**INTERVIEW, "when": "today 2pm"})
    await log_interview(slack, maya, {**INTERVIEW, "company": "Globex", "when": "today 1pm"})
    [modal] = (await slack.slash(maya, "/interview", "outcome acme")).opened
    assert (await slack.submit(modal, {"result": "rejected"})).errors == {}

    [modal] = (await slack.slash(maya, "/interview", "reopen")).opened
    [option] = select(modal.blocks, "interview")["options"]  # type: ignore[misc]
    assert "Acme" in option["text"]["text"]  # type: ignore[index]
    reopened = await slack.submit(modal, {"interview": option["value"]})
    assert reopened.errors == {}
    assert any("Reopened: Acme: Data Analyst" in m.text for m in reopened.ephemerals)
    assert all(s.interview.outcome is None for s in await slack_app.interviews.list_interviews(actor(maya), True))


@pytest.mark.parametrize("action_id", ["ft:move_interview", "ft:delete_interview", "ft:keep_interview"])
async def test_someone_elses_interview_buttons_change_and_reveal_nothing(
    slack_app: App, slack: SlackSandbox, clock: ManualClock, action_id: str
) -> None:
    maya, omar = slack.add_user("maya", tz="UTC"), slack.add_user("omar", tz="UTC")
    await log_interview(slack, maya, {**INTERVIEW, "when": "Monday 3pm"})
    plan = logged(slack, maya)
    [modal] = (await slack.slash(maya, "/interview", "delete")).opened
    [question] = (
        await slack.submit(modal, {"interview": select(modal.blocks, "interview")["options"][0]["value"]})
    ).ephemerals  # type: ignore[index]
    where = question if action_id != "ft:move_interview" else plan
    before = await dump(slack_app.db)
    forged = SlackMessage(**{**where.__dict__, "visible_to": omar, "channel": slack.dm_channel(omar).id})
    result = await slack.click(omar, forged, action_id)
    assert "can't find that interview" in result.text
    assert result.text != NOT_YET
    assert await dump(slack_app.db) == before

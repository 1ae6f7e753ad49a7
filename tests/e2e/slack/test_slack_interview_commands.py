"""/interview next|call|outcome|feedback modals with a select of the user's interviews, /interview list and
/followups paged through the response_url, and Add to calendar as a file in the DM, through the real bot."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.clocks import ManualClock
from bot.content.message import ActionKind
from bot.domain.models import FollowUpKind, Outcome
from bot.platforms.slack import render
from bot.sandbox.slack import SlackSandbox, SlackUser
from bot.usecases.actors import Actor
from tests.e2e.slack.test_slack_seeker import INTERVIEW, check_in_nudge, log_interview
from tests.support import dump

pytestmark = pytest.mark.e2e


def actor(user: SlackUser) -> Actor:
    return Actor("slack", user.id, user.info(0)["team_id"])


def select(modal_blocks: list[dict[str, object]], block_id: str) -> dict[str, object]:
    [block] = [b for b in modal_blocks if b.get("block_id") == block_id]
    element = block["element"]
    assert isinstance(element, dict)
    return element


async def test_outcome_opens_a_modal_with_the_named_interview_preselected_records_it_and_refuses_a_repeat(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    await log_interview(slack, maya, {**INTERVIEW, "when": "today 2pm"})
    await log_interview(slack, maya, {**INTERVIEW, "company": "Globex", "when": "today 4pm"})
    [globex] = [
        s.interview for s in await slack_app.interviews.list_interviews(actor(maya)) if "Globex" in s.interview.title
    ]

    [modal] = (await slack.slash(maya, "/interview", "outcome globex")).opened
    picker = select(modal.blocks, "interview")
    assert len(picker["options"]) == 2  # type: ignore[arg-type]
    assert picker["initial_option"]["value"] == str(globex.id)  # type: ignore[index]
    saved = await slack.submit(modal, {"result": "offer"})
    assert saved.errors == {}
    [closed] = [
        s.interview
        for s in await slack_app.interviews.list_interviews(actor(maya), True)
        if s.interview.id == globex.id
    ]
    assert closed.outcome is Outcome.OFFER
    assert any("Globex" in m.text for m in saved.ephemerals)

    [modal] = (await slack.slash(maya, "/interview", "outcome globex")).opened
    before = await dump(slack_app.db)
    refused = await slack.submit(modal, {"result": "offer"})
    assert set(refused.errors) == {"interview"}
    assert "already recorded" in refused.errors["interview"]
    assert await dump(slack_app.db) == before


async def test_next_with_a_bad_date_is_shown_on_its_field_and_nothing_is_written_then_the_call_arrives_as_ics(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    await log_interview(slack, maya, {**INTERVIEW, "when": "today 2pm"})
    [modal] = (await slack.slash(maya, "/interview", "next")).opened
    [option] = select(modal.blocks, "interview")["options"]  # type: ignore[misc]
    assert select(modal.blocks, "interview")["initial_option"] == option  # the only one there is
    before = await dump(slack_app.db)
    refused = await slack.submit(modal, {"interview": option["value"], "check_back": "whenever suits"})
    assert set(refused.errors) == {"check_back"}
    assert await dump(slack_app.db) == before
    saved = await slack.submit(modal, {"interview": option["value"], "check_back": "next Tuesday 10am"})
    assert saved.errors == {}
    assert await dump(slack_app.db) != before
    await slack.wait_until(lambda: any(m.files for m in slack.dms(maya)), what="the call's .ics in the DM")
    [sent] = [m for m in slack.dms(maya) if m.files]
    assert [f.filename for f in sent.files] == ["check-in-call.ics"]


async def test_call_and_feedback_record_through_their_modals(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    await log_interview(slack, maya, {**INTERVIEW, "when": "today 2pm"})
    [modal] = (await slack.slash(maya, "/interview", "call acme")).opened
    assert (await slack.submit(modal, {"heard": "Still deciding"})).errors == {}
    [modal] = (await slack.slash(maya, "/interview", "feedback acme")).opened
    assert (await slack.submit(modal, {"feedback": "More SQL"})).errors == {}
    async with slack_app.db.conn.execute("SELECT heard FROM check_ins") as cursor:
        assert [row[0] for row in await cursor.fetchall()] == ["Still deciding"]
    async with slack_app.db.conn.execute("SELECT text FROM feedback") as cursor:
        assert [row[0] for row in await cursor.fetchall()] == ["More SQL"]


async def test_interview_list_pages_in_place_through_the_response_url(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    await slack.slash(maya, "/interview")  # the user exists, with the profile's zone
    for day in range(11):
        await slack_app.interviews.record_interview(
            actor(maya), f"Company{day}", "Analyst", f"2026-12-{day + 1:02d} 10:00"
        )
    listed = await slack.slash(maya, "/interview", "list")
    [shown] = listed.ephemerals
    assert "Page 1 of 2" in str(shown.blocks)
    turned = await slack.click(maya, shown, "ft:page")
    assert turned.acked and shown.edits
    assert "Page 2 of 2" in str(shown.blocks)
    assert slack.requests_to("response_url")


async def test_followups_lists_them_privately(slack_app: App, slack: SlackSandbox, clock: ManualClock) -> None:
    maya = slack.add_user("maya", tz="UTC")
    await log_interview(slack, maya, {**INTERVIEW, "when": "today 2pm"})
    [shown] = (await slack.slash(maya, "/followups")).ephemerals
    assert "Your follow-ups" in shown.text
    assert FollowUpKind.THANK_YOU_EMAIL.label in str(shown.blocks)


async def test_add_to_calendar_uploads_the_ics_into_the_dm(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya, call = await check_in_nudge(slack, clock)
    clicked = await slack.click(maya, call, "ft:add_to_calendar")
    assert clicked.acked and not clicked.ephemerals
    await slack.wait_until(lambda: any(m.files for m in slack.dms(maya)), what="the .ics in the DM")
    [sent] = [m for m in slack.dms(maya) if m.files]
    [file] = sent.files
    assert file.filename == "follow-up.ics" and file.data is not None
    assert b"BEGIN:VCALENDAR" in file.data


async def test_an_interview_deleted_while_the_modal_was_open_is_refused_on_the_select(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    await log_interview(slack, maya, {**INTERVIEW, "when": "today 2pm"})
    [modal] = (await slack.slash(maya, "/interview", "call")).opened
    [option] = select(modal.blocks, "interview")["options"]  # type: ignore[misc]
    await slack_app.interviews.delete_interview(actor(maya), int(option["value"]))
    before = await dump(slack_app.db)
    refused = await slack.submit(modal, {"interview": option["value"], "heard": "Still deciding"})
    assert set(refused.errors) == {"interview"}
    assert await dump(slack_app.db) == before


async def test_an_unknown_subcommand_is_still_explained(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    said = await slack.slash(maya, "/interview", "frobnicate")
    assert said.acked and ["isn't a command I know" in m.text for m in said.ephemerals] == [True]


@pytest.mark.parametrize("typed", ["list", "next", "feedback acme"])
async def test_a_new_user_whose_first_command_is_not_add_still_gets_their_slack_zone(
    slack_app: App, slack: SlackSandbox, clock: ManualClock, typed: str
) -> None:
    maya = slack.add_user("maya", tz="America/Chicago")
    said = await slack.slash(maya, "/interview", typed)
    assert any("No interviews yet" in m.text for m in said.ephemerals)  # a new user has none to pick from
    await slack.wait_until(lambda: bool(slack.requests_to("users.info")), what="the profile read")
    assert (await slack_app.preferences.user(actor(maya))).timezone == "America/Chicago"


async def test_a_page_whose_response_url_went_stale_arrives_as_a_new_private_message(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    """Slack's response_url works 30 minutes and five times; after that the page is posted anew, never lost."""
    maya = slack.add_user("maya", tz="UTC")
    await log_interview(slack, maya, {**INTERVIEW, "when": "today 2pm"})
    assert slack_app.slack is not None
    turn = slack_app.slack.listeners.clicks[ActionKind.PAGE]
    body = {
        "user": {"id": maya.id},
        "team": {"id": maya.info(0)["team_id"]},
        "response_url": f"{slack.url}/hooks/expired",
        "container": {"type": "message", "channel_id": slack.dm_channel(maya).id, "is_ephemeral": True},
    }
    before = len(slack.ephemerals(maya))
    await turn(render.decode("ft:page", "0;p=0;c=interviews"), body, slack_app.slack.client)
    [page] = slack.ephemerals(maya)[before:]
    assert "Acme" in page.text or "Acme" in str(page.blocks)

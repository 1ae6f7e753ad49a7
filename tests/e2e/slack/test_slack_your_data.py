"""/followthrough data calendar | export | delete through the real slack_bolt app: the files arrive in the DM with
the bot (files cannot go on ephemeral messages) with a private note where the command was typed; delete asks
first, with a danger button under Slack's own confirm dialog, valid ten minutes."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.app import App
from bot.clocks import ManualClock
from bot.content import your_data
from bot.sandbox.slack import SlackMessage, SlackSandbox
from tests.e2e.slack.test_slack_seeker import INTERVIEW, actor, log_interview
from tests.support import dump

pytestmark = pytest.mark.e2e


def with_files(slack: SlackSandbox, messages: list[SlackMessage]) -> list[SlackMessage]:
    return [m for m in messages if m.files]


async def test_calendar_arrives_in_the_dm_with_a_private_note_where_it_was_asked(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    await log_interview(slack, maya, {**INTERVIEW, "when": "tomorrow 2pm"})
    asked = await slack.slash(maya, "/followthrough", "data calendar", channel=slack.general)
    [note] = asked.ephemerals
    assert note.channel == slack.general.id and "direct messages" in note.text
    await slack.wait_until(lambda: bool(with_files(slack, slack.dms(maya))), what="the .ics in the DM")
    [sent] = with_files(slack, slack.dms(maya))
    [ics] = sent.files
    assert ics.filename == "follow-through.ics" and sent.text == your_data.CALENDAR
    assert ics.text().count("BEGIN:VEVENT") == 5  # prep, thank-you email, note, next steps, check-in call
    assert not [m for m in slack.messages if m.channel == slack.general.id and not m.ephemeral]

    in_the_dm = await slack.slash(maya, "/followthrough", "data calendar")  # the file itself is the answer there
    await slack.wait_until(lambda: len(with_files(slack, slack.dms(maya))) == 2, what="a second .ics")
    assert not in_the_dm.ephemerals


async def test_export_sends_the_json_record_and_the_interviews_csv_to_the_dm(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    await log_interview(slack, maya, {**INTERVIEW, "when": "today 2pm"})
    asked = await slack.slash(maya, "/followthrough", "data export", channel=slack.general)
    assert "direct messages" in asked.ephemerals[0].text
    await slack.wait_until(lambda: bool(with_files(slack, slack.dms(maya))), what="the export in the DM")
    [sent] = with_files(slack, slack.dms(maya))
    files = {f.filename: f for f in sent.files}
    assert set(files) == {"follow-through-data.json", "interviews.csv"} and sent.text == your_data.EXPORT
    record = json.loads(files["follow-through-data.json"].text())
    assert [i["company"] for i in record["tables"]["interviews"]] == ["Acme"]
    assert files["interviews.csv"].text().splitlines()[1].split(",")[1] == "Acme"


async def test_export_of_a_stranger_and_to_closed_dms_is_refused_privately(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    nobody = await slack.slash(maya, "/followthrough", "data export", channel=slack.general)
    assert "nothing stored about you" in nobody.ephemerals[0].text

    omar = slack.add_user("omar", tz="UTC", dm_error="messages_tab_disabled")
    await slack_app.interviews.record_interview(actor(omar), "Acme", "Analyst", "today 2pm")
    closed = await slack.slash(omar, "/followthrough", "data export", channel=slack.general)
    [said] = closed.ephemerals
    assert "direct messages are closed" in said.text and "*Messages* tab" in str(said.blocks)
    assert not with_files(slack, slack.messages)


async def test_an_unknown_data_word_lists_the_three(slack_app: App, slack: SlackSandbox, clock: ManualClock) -> None:
    maya = slack.add_user("maya", tz="UTC")
    said = (await slack.slash(maya, "/followthrough", "data shred", channel=slack.general)).ephemerals[0]
    for word in ("calendar", "export", "delete"):
        assert f"/followthrough data {word}" in str(said.blocks)


async def test_delete_asks_with_slack_s_confirm_dialog_then_deletes_and_says_so_in_place(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya, omar = slack.add_user("maya", tz="UTC"), slack.add_user("omar", tz="UTC")
    await log_interview(slack, maya, {**INTERVIEW, "when": "today 2pm"})
    await log_interview(slack, omar, {**INTERVIEW, "company": "Globex", "when": "today 1pm"})
    before = await dump(slack_app.db)
    asked = await slack.slash(maya, "/followthrough", "data delete", channel=slack.general)
    [prompt] = asked.ephemerals
    [button] = [e for b in prompt.blocks for e in b.get("elements", []) if e.get("action_id") == "ft:delete_my_data"]
    assert button["style"] == "danger" and button["confirm"]["style"] == "danger"
    assert await dump(slack_app.db) == before  # nothing deleted before the click

    gone = await slack.click(maya, prompt, "ft:delete_my_data")
    assert gone.updated == [prompt] and "Deleted" in prompt.text and not prompt.action_ids
    assert await slack_app.accounts.find(actor(maya)) is None
    tables = await dump(slack_app.db)
    assert [row[2] for row in tables["interviews"]] == ["Globex"]  # Omar's data stays


async def test_an_old_delete_prompt_does_nothing(slack_app: App, slack: SlackSandbox, clock: ManualClock) -> None:
    maya = slack.add_user("maya", tz="UTC")
    await log_interview(slack, maya, {**INTERVIEW, "when": "tomorrow 2pm"})
    [prompt] = (await slack.slash(maya, "/followthrough", "data delete", channel=slack.general)).ephemerals
    before = await dump(slack_app.db)
    clock.advance(timedelta(minutes=11))  # the prompt lasts ten minutes; nothing falls due meanwhile
    stale = await slack.click(maya, prompt, "ft:delete_my_data")
    assert "expired" in stale.ephemerals[0].text and "/followthrough data delete" in stale.ephemerals[0].text
    assert await dump(slack_app.db) == before

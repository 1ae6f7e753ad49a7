"""The seeker's loop through the real discord.py client: commands, autocomplete, nudges, buttons, modals."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import App
from bot.clocks import ManualClock
from bot.domain.models import FollowUpKind, FollowUpStatus
from bot.sandbox.discord import Sandbox, SandboxUser
from bot.sandbox.local_bot import running_bot, sandbox_settings
from bot.settings import Settings
from bot.storage.sqlite.unit_of_work import SqliteUnitOfWorkFactory
from tests.e2e.helpers import actor, nudge, reply, shown
from tests.support import dump, utc

pytestmark = pytest.mark.e2e


async def test_commands_are_synced_for_servers_and_dms(app: App, sandbox: Sandbox) -> None:
    commands = {c.name: c for c in sandbox.commands()}
    assert {"interview", "followups", "settings"} <= set(commands)
    interview = commands["interview"]
    assert {o["name"] for o in interview.payload["options"]} == {
        "add",
        "next",
        "checkin",
        "outcome",
        "feedback",
        "list",
        "edit",
        "delete",
        "reopen",
    }
    assert sorted(interview.payload["integration_types"]) == [0, 1]
    assert sorted(interview.payload["contexts"]) == [0, 1, 2]


async def test_add_replies_privately_with_the_plan(app: App, sandbox: Sandbox, maya: SandboxUser) -> None:
    result = await sandbox.slash(
        maya, "interview add", {"company": "Acme", "role": "Data Analyst", "when": "today 2pm", "interviewer": "Sam"}
    )
    assert result.ephemeral
    text = reply(result)
    assert "Interview logged: Acme: Data Analyst" in text
    thank_you_at = int(utc(2026, 11, 25, 16).timestamp())
    assert f"<t:{thank_you_at}:F>" in text
    for kind in FollowUpKind:
        if kind not in (FollowUpKind.PREP, FollowUpKind.FEEDBACK_REQUEST):
            assert kind.label in text
    [summary] = await app.interviews.list_interviews(actor(maya))
    assert summary.interview.company == "Acme"
    assert summary.interview.scheduled_at == utc(2026, 11, 25, 14)


async def test_commands_work_in_a_server_too(app: App, sandbox: Sandbox, maya: SandboxUser) -> None:
    guild = sandbox.add_guild("Job Club", members=[maya])
    result = await sandbox.slash(maya, "followups", {}, guild=guild)
    assert result.ephemeral
    assert "Nothing due" in reply(result)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"company": "Acme", "role": "Analyst", "when": "whenever suits"}, "couldn't read"),
        ({"company": "   ", "role": "Analyst", "when": "today 2pm"}, "company can't be empty"),
        ({"company": "Acme", "role": "Analyst", "when": "2019-01-01 10:00"}, "more than a year"),
    ],
)
async def test_bad_input_gets_a_private_error_and_writes_nothing(
    app: App, sandbox: Sandbox, maya: SandboxUser, options: dict[str, str], expected: str
) -> None:
    before = await dump(app.db)
    result = await sandbox.slash(maya, "interview add", options)
    assert result.ephemeral
    assert expected in reply(result)
    assert await dump(app.db) == before


async def test_check_back_in_the_past_is_refused(app: App, sandbox: Sandbox, maya: SandboxUser) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
    before = await dump(app.db)
    result = await sandbox.slash(maya, "interview next", {"interview": "1", "check_back": "last Monday"})
    assert result.ephemeral
    assert "in the past" in reply(result)
    assert await dump(app.db) == before


async def test_autocomplete_offers_only_your_open_interviews(
    app: App, sandbox: Sandbox, maya: SandboxUser, omar: SandboxUser
) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Data Analyst", "when": "today 2pm"})
    await sandbox.slash(maya, "interview add", {"company": "Globex", "role": "Engineer", "when": "today 1pm"})
    await sandbox.slash(omar, "interview add", {"company": "Acme Rival", "role": "PM", "when": "today 1pm"})
    choices = await sandbox.autocomplete(maya, "interview checkin", {"interview": "ac"}, focused="interview")
    assert [c.name for c in choices] == ["Acme: Data Analyst, Wed 25 Nov 14:00"]
    everything = await sandbox.autocomplete(maya, "interview checkin", {"interview": ""}, focused="interview")
    assert sorted(c.name for c in everything) == [
        "Acme: Data Analyst, Wed 25 Nov 14:00",
        "Globex: Engineer, Wed 25 Nov 13:00",
    ]


async def test_someone_elses_interview_is_not_found(
    app: App, sandbox: Sandbox, maya: SandboxUser, omar: SandboxUser
) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
    before = await dump(app.db)
    result = await sandbox.slash(omar, "interview outcome", {"interview": "1", "result": "withdrawn"})
    assert result.ephemeral
    assert "can't find that interview" in reply(result)
    assert "Acme" not in reply(result)
    after = await dump(app.db)
    assert after["interviews"] == before["interviews"]
    assert after["follow_ups"] == before["follow_ups"]


async def test_nudge_by_dm_with_done_and_snooze(
    app: App, sandbox: Sandbox, maya: SandboxUser, clock: ManualClock
) -> None:
    await sandbox.slash(
        maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm", "interviewer": "Sam Lee"}
    )
    clock.set(utc(2026, 11, 25, 16))  # thank-you email and "what happens next" fall due
    dms = await sandbox.wait_for_dms(maya, 2)
    by_title = {m.embeds[0]["title"]: m for m in dms}
    thank_you = by_title["Send a thank-you email: Acme: Analyst"]
    assert "Dear Sam Lee" in shown(thank_you)
    assert thank_you.nonce is not None
    done = await sandbox.click(maya, thank_you, thank_you.button("Done"))
    assert "Done" in shown(done.message)
    assert done.message is not None and done.message.components == []

    clock.set(utc(2026, 11, 25, 18))  # the handwritten note
    [note] = (await sandbox.wait_for_dms(maya, 3))[2:]
    assert "handwritten note" in shown(note)
    snoozed = await sandbox.click(maya, note, note.button("Snooze 1 day"))
    assert "Snoozed" in shown(snoozed.message)
    assert "Past the 24-hour mark" in shown(snoozed.message)  # 18:00 + 1 day is after the 14:00 + 24 h deadline

    items = {f.follow_up.kind: f.follow_up for f in await app.follow_ups.open_follow_ups(actor(maya))}
    assert FollowUpKind.THANK_YOU_EMAIL not in items
    assert items[FollowUpKind.HANDWRITTEN_NOTE].due_at == utc(2026, 11, 26, 18)
    assert items[FollowUpKind.HANDWRITTEN_NOTE].status is FollowUpStatus.PENDING


async def test_answers_modal_then_check_in_call_then_rejection_then_feedback(
    app: App, sandbox: Sandbox, maya: SandboxUser, clock: ManualClock
) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
    clock.set(utc(2026, 11, 25, 16))
    ask = await nudge(sandbox, maya, "Record what happens next")
    opened = await sandbox.click(maya, ask, ask.button("Record answers"))
    assert opened.modal is not None
    ids = [f.custom_id for f in opened.modal.fields]
    answered = await sandbox.submit_modal(maya, opened.modal, {ids[0]: "Saturday 28 Nov", ids[1]: "3"})
    assert "What happens next" in shown(answered.message)
    # The check-back fell on a Saturday: the call moves to Monday, at 10:00 as no time was given.
    [call] = [
        f.follow_up
        for f in await app.follow_ups.open_follow_ups(actor(maya))
        if f.follow_up.kind is FollowUpKind.CHECK_IN
    ]
    assert call.due_at == utc(2026, 11, 30, 10)

    clock.set(utc(2026, 11, 30, 10))
    call_dm = await nudge(sandbox, maya, "Make the check-in call")
    assert "check-in call" in shown(call_dm)
    opened = await sandbox.click(maya, call_dm, call_dm.button("Log the call"))
    assert opened.modal is not None
    heard, next_date = (f.custom_id for f in opened.modal.fields)
    logged = await sandbox.submit_modal(
        maya, opened.modal, {heard: "Delayed, the interviewer was pulled onto a project", next_date: ""}
    )
    assert "Call logged" in shown(logged.message)
    [next_call] = [
        f.follow_up
        for f in await app.follow_ups.open_follow_ups(actor(maya))
        if f.follow_up.kind is FollowUpKind.CHECK_IN
    ]
    assert next_call.due_at == utc(2026, 12, 7, 10)  # a week later

    outcome = await sandbox.slash(maya, "interview outcome", {"interview": "1", "result": "rejected"})
    assert "Feedback request" in reply(outcome)
    clock.set(utc(2026, 12, 1, 10))
    feedback_dm = await nudge(sandbox, maya, "Ask for feedback")
    assert "Ask for feedback" in shown(feedback_dm)
    opened = await sandbox.click(maya, feedback_dm, feedback_dm.button("Record feedback"))
    assert opened.modal is not None
    [field] = opened.modal.fields
    saved = await sandbox.submit_modal(maya, opened.modal, {field.custom_id: "More SQL depth"})
    assert "Feedback saved" in shown(saved.message)
    assert await app.follow_ups.open_follow_ups(actor(maya)) == []


async def test_buttons_work_after_a_restart(
    sandbox: Sandbox, settings: Settings, maya: SandboxUser, clock: ManualClock
) -> None:
    async with running_bot(sandbox, settings, clock):
        await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
        clock.set(utc(2026, 11, 25, 16))
        dms = await sandbox.wait_for_dms(maya, 2)
    async with running_bot(sandbox, settings, clock) as restarted:
        [thank_you] = [m for m in dms if "thank-you" in m.embeds[0]["title"]]
        done = await sandbox.click(maya, thank_you, thank_you.button("Done"))
        assert "Done" in shown(done.message)
        kinds = {f.follow_up.kind for f in await restarted.follow_ups.open_follow_ups(actor(maya))}
        assert FollowUpKind.THANK_YOU_EMAIL not in kinds


@pytest.mark.parametrize("action", ["done", "snooze", "call", "feedback", "answers", "ics", "snoozefor"])
@pytest.mark.parametrize("target", ["maya", "missing"])
async def test_a_forged_button_naming_someone_elses_follow_up_changes_and_reveals_nothing(
    app: App, sandbox: Sandbox, maya: SandboxUser, omar: SandboxUser, clock: ManualClock, action: str, target: str
) -> None:
    guild = sandbox.add_guild("Job Club", members=[maya, omar])
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
    clock.set(utc(2026, 11, 25, 16))
    await sandbox.wait_for_dms(maya, 2)
    # Omar shows a message carrying a component that names Maya's follow-up (as a forged client could).
    listing = await sandbox.slash(omar, "followups", {}, guild=guild)
    assert listing.message is not None
    await app.dispatcher.wait_idle()
    before = await dump(app.db)
    custom_id = f"ft:{action}:{2 if target == 'maya' else 987654321}"
    forged = listing.message
    if action == "snoozefor":
        select = {"type": 3, "custom_id": custom_id, "options": [{"label": "1 hour", "value": "3600"}]}
        forged.components = [{"type": 1, "components": [select]}]
        result = await sandbox.select(omar, forged, custom_id, ["3600"])
    else:
        forged.components = [{"type": 1, "components": [{"type": 2, "style": 1, "label": "x", "custom_id": custom_id}]}]
        result = await sandbox.click(omar, forged, custom_id)
    assert result.ephemeral
    assert result.modal is None
    assert "isn't one of yours" in reply(result)
    assert "Acme" not in reply(result)
    assert await dump(app.db) == before


async def test_snooze_for_a_chosen_amount(app: App, sandbox: Sandbox, maya: SandboxUser, clock: ManualClock) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
    clock.set(utc(2026, 11, 25, 16))
    thank_you = await nudge(sandbox, maya, "Send a thank-you email")
    [select_id] = [c for c in thank_you.custom_ids if c.startswith("ft:snoozefor:")]
    await app.dispatcher.wait_idle()
    before = await dump(app.db)
    refused = await sandbox.select(maya, thank_you, select_id, ["forever"])
    assert "Pick how long" in reply(refused)
    assert await dump(app.db) == before
    snoozed = await sandbox.select(maya, thank_you, select_id, ["3600"])
    assert "Snoozed" in shown(snoozed.message)
    items = {f.follow_up.kind: f.follow_up for f in await app.follow_ups.open_follow_ups(actor(maya))}
    assert items[FollowUpKind.THANK_YOU_EMAIL].due_at == utc(2026, 11, 25, 17)
    assert items[FollowUpKind.THANK_YOU_EMAIL].snoozes == 1


async def test_time_zone_autocomplete_and_setting(app: App, sandbox: Sandbox, maya: SandboxUser) -> None:
    choices = await sandbox.autocomplete(maya, "settings timezone", {"zone": "new y"}, focused="zone")
    assert [c.value for c in choices] == ["America/New_York"]
    assert len(await sandbox.autocomplete(maya, "settings timezone", {"zone": ""}, focused="zone")) == 25
    shown_now = await sandbox.slash(maya, "settings timezone", {})
    assert "UTC" in reply(shown_now)
    changed = await sandbox.slash(maya, "settings timezone", {"zone": "America/New_York"})
    assert "America/New_York" in reply(changed)
    assert (await app.preferences.user(actor(maya))).timezone == "America/New_York"


async def test_feedback_finds_closed_interviews_by_name_and_autocomplete(
    app: App, sandbox: Sandbox, maya: SandboxUser
) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
    await sandbox.slash(maya, "interview outcome", {"interview": "1", "result": "rejected"})
    choices = await sandbox.autocomplete(maya, "interview feedback", {"interview": "ac"}, focused="interview")
    assert [c.name for c in choices] == ["Acme: Analyst, Wed 25 Nov 14:00"]
    assert await sandbox.autocomplete(maya, "interview checkin", {"interview": "ac"}, focused="interview") == []
    saved = await sandbox.slash(maya, "interview feedback", {"interview": "Acme", "text": "More SQL"})
    assert "Feedback saved: Acme: Analyst" in reply(saved)


async def test_next_steps_without_a_date_plan_the_call_after_the_decision(
    app: App, sandbox: Sandbox, maya: SandboxUser
) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
    result = await sandbox.slash(maya, "interview next", {"interview": "1", "decision": "Friday"})
    text = reply(result)
    assert "no check-back date named" in text
    assert "They named no date" in text
    # The decision is expected Friday the 27th: the call is the next business day, Monday, at 10:00.
    [call] = [
        f.follow_up
        for f in await app.follow_ups.open_follow_ups(actor(maya))
        if f.follow_up.kind is FollowUpKind.CHECK_IN
    ]
    assert call.due_at == utc(2026, 11, 30, 10)
    [summary] = await app.interviews.list_interviews(actor(maya))
    async with SqliteUnitOfWorkFactory(app.db).reading() as uow:
        steps = (await uow.interviews.next_steps([summary.interview.id]))[summary.interview.id]
    assert steps.check_back_agreed is False


async def test_dev_guild_id_syncs_the_commands_to_that_server_only(
    sandbox: Sandbox, tmp_path: Path, maya: SandboxUser, clock: ManualClock
) -> None:
    guild = sandbox.add_guild("Dev", members=[maya])
    settings = sandbox_settings(sandbox, tmp_path / "dev.db", dev_guild_id=guild.id)
    async with running_bot(sandbox, settings, clock):
        assert sandbox.commands() == []
        assert {c.name for c in sandbox.commands(guild)} >= {"interview", "followups", "settings", "coach", "mydata"}
        result = await sandbox.slash(maya, "followups", {}, guild=guild)
        assert "Nothing due" in reply(result)

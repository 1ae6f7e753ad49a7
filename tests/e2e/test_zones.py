"""Time zones through the real client: a new user is asked for theirs before the first time is read, the
command then runs as asked; quiet hours and zones as people type them; honest error replies."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import App
from bot.clocks import ManualClock
from bot.sandbox.discord import InteractionResult, Message, Sandbox, SandboxUser
from bot.sandbox.local_bot import running_bot, sandbox_settings
from bot.settings import Settings
from tests.e2e.helpers import actor, reply, shown, stored_user
from tests.support import dump, utc

pytestmark = pytest.mark.e2e

ADD = {"company": "Acme", "role": "Data Analyst", "when": "today 2pm", "notes": "Ask about the team"}


@pytest.fixture
def asking(sandbox: Sandbox, tmp_path: Path) -> Settings:
    """The shipped behaviour: users are asked for their zone (the other e2e tests start everyone in UTC)."""
    return sandbox_settings(sandbox, tmp_path / "zones.db")


@pytest.fixture
async def asking_app(sandbox: Sandbox, asking: Settings, clock: ManualClock) -> AsyncIterator[App]:
    async with running_bot(sandbox, asking, clock) as running:
        yield running


def prompt_of(result: InteractionResult) -> Message:
    message = result.message if result.message is not None else result.followups[0]
    assert "Which time zone are you in?" in shown(message)
    return message


def zone_select(message: Message) -> str:
    [select] = [c for c in message.custom_ids if c.startswith("ft:zone:pick:")]
    return select


async def test_a_new_users_first_interview_asks_the_zone_then_is_stored_there(
    asking_app: App, sandbox: Sandbox, maya: SandboxUser
) -> None:
    asked = await sandbox.slash(maya, "interview add", ADD)
    assert asked.ephemeral
    prompt = prompt_of(asked)
    select = prompt.component(zone_select(prompt))
    assert select is not None and "America/New_York" in [o["value"] for o in select["options"]]
    assert await asking_app.interviews.list_interviews(actor(maya)) == []  # nothing read in a zone yet

    chose = await sandbox.select(maya, prompt, zone_select(prompt), ["America/New_York"])
    assert "Time zone set: America/New_York" in reply(chose)
    assert "Now doing what you asked: `/interview add`" in reply(chose)
    assert "Quiet hours" not in reply(chose)  # only what the choice did, not the whole settings block
    assert chose.message is not None and chose.message.components == []  # the prompt can't be used twice
    [logged] = await chose.wait_for_followups()
    assert logged.ephemeral
    assert "Interview logged: Acme: Data Analyst" in shown(logged)
    assert "Times read in **America/New_York**" in shown(logged)

    [summary] = await asking_app.interviews.list_interviews(actor(maya))
    assert summary.interview.scheduled_at == utc(2026, 11, 25, 19)  # 14:00 in New York
    assert summary.interview.notes == "Ask about the team"  # every option came through
    user = await stored_user(asking_app, maya)
    assert user is not None and user.timezone == "America/New_York" and user.timezone_chosen

    again = await sandbox.slash(maya, "interview add", {**ADD, "company": "Globex", "when": "tomorrow 9am"})
    assert "Interview logged: Globex" in reply(again)  # asked once only
    assert len(await asking_app.interviews.list_interviews(actor(maya))) == 2


async def test_the_zone_can_be_typed_in_any_case_and_a_typo_keeps_the_prompt(
    asking_app: App, sandbox: Sandbox, maya: SandboxUser
) -> None:
    prompt = prompt_of(await sandbox.slash(maya, "settings quiet-hours", {"start": "22", "end": "7"}))
    [type_it] = [c for c in prompt.custom_ids if c.startswith("ft:zone:type:")]

    opened = await sandbox.click(maya, prompt, type_it)
    assert opened.modal is not None
    [field] = opened.modal.fields
    refused = await sandbox.submit_modal(maya, opened.modal, {field.custom_id: "EST"})
    assert "Did you mean America/New_York?" in reply(refused)
    user = await stored_user(asking_app, maya)
    assert user is not None and not user.timezone_chosen

    opened = await sandbox.click(maya, prompt, type_it)
    assert opened.modal is not None
    [field] = opened.modal.fields
    done = await sandbox.submit_modal(maya, opened.modal, {field.custom_id: "europe/lisbon"})
    assert "Time zone set: Europe/Lisbon" in reply(done)
    [settings] = await done.wait_for_followups()
    assert "22:00–07:00, in your time zone" in shown(settings)
    user = await stored_user(asking_app, maya)
    assert user is not None and user.timezone == "Europe/Lisbon" and f"{user.quiet_hours.start:%H:%M}" == "22:00"


async def test_the_language_guess_is_offered_as_one_click_and_survives_a_restart(
    sandbox: Sandbox, asking: Settings, clock: ManualClock, maya: SandboxUser
) -> None:
    async with running_bot(sandbox, asking, clock) as app:
        prompt = prompt_of(await sandbox.slash(maya, "interview add", ADD))
        decided = await app.interviews.record_interview(actor(maya), "Initech", "Analyst", "today 1pm")
        assert decided.user.timezone == "UTC"
    use_guess = prompt.button("Use America/New_York")  # maya's Discord is in en-US
    async with running_bot(sandbox, asking, clock) as app:
        chose = await sandbox.click(maya, prompt, use_guess)
        assert "Time zone set: America/New_York" in reply(chose)
        assert "Moved to the same local time" in reply(chose)  # the call planned for 10:00 follows her
        [logged] = await chose.wait_for_followups()
        assert "Interview logged: Acme" in shown(logged)
        acme = [s for s in await app.interviews.list_interviews(actor(maya)) if s.interview.company == "Acme"]
        assert [s.interview.scheduled_at for s in acme] == [utc(2026, 11, 25, 19)]


async def test_outcome_asks_only_when_a_time_is_planned(asking_app: App, sandbox: Sandbox, maya: SandboxUser) -> None:
    made = await asking_app.interviews.record_interview(actor(maya), "Acme", "Analyst", "today 1pm")
    ref = str(made.interview.id)
    offer = await sandbox.slash(maya, "interview outcome", {"interview": ref, "result": "offer"})
    assert "Congratulations" in reply(offer)
    made = await asking_app.interviews.record_interview(actor(maya), "Globex", "Analyst", "today 1pm")
    rejected = await sandbox.slash(
        maya, "interview outcome", {"interview": str(made.interview.id), "result": "rejected"}
    )
    prompt_of(rejected)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2100Z", "0700Z", "has a time zone or offset"),
        ("21:00", "0700Z", "has a time zone or offset"),
        ("25:00", "07:00", "is not a time"),
        ("9pm", "07:00", "is not a time"),
    ],
)
async def test_quiet_hours_with_a_zone_are_refused_privately_and_nothing_is_saved(
    app: App, sandbox: Sandbox, maya: SandboxUser, start: str, end: str, expected: str
) -> None:
    await sandbox.slash(maya, "interview add", ADD)
    before = await dump(app.db)
    refused = await sandbox.slash(maya, "settings quiet-hours", {"start": start, "end": end})
    assert refused.ephemeral
    assert expected in reply(refused)
    assert await dump(app.db) == before
    again = await sandbox.slash(maya, "interview add", {**ADD, "company": "Globex"})
    assert "Interview logged: Globex" in reply(again)  # the user's commands still work


async def test_quiet_hours_reply_says_what_equal_times_mean(app: App, sandbox: Sandbox, maya: SandboxUser) -> None:
    none = await sandbox.slash(maya, "settings quiet-hours", {"start": "00:00", "end": "0"})
    assert "00:00–00:00: none, I may nudge you at any hour" in reply(none)
    bare = await sandbox.slash(maya, "settings quiet-hours", {"start": "21", "end": "7"})
    assert "21:00–07:00, in your time zone" in reply(bare)


async def test_timezone_matches_any_case_and_steers_abbreviations(
    app: App, sandbox: Sandbox, maya: SandboxUser
) -> None:
    offered = await sandbox.autocomplete(maya, "settings timezone", {"zone": "est"}, focused="zone")
    assert offered[0].value == "America/New_York"
    assert "EST" not in [c.value for c in offered]
    refused = await sandbox.slash(maya, "settings timezone", {"zone": "EST"})
    assert "Did you mean America/New_York?" in reply(refused)
    done = await sandbox.slash(maya, "settings timezone", {"zone": "america/new_york"})
    assert "America/New_York" in reply(done)


async def test_an_agreed_call_keeps_its_time_when_the_seeker_moves(
    app: App, sandbox: Sandbox, maya: SandboxUser
) -> None:
    await sandbox.slash(maya, "settings timezone", {"zone": "America/New_York"})
    await sandbox.slash(maya, "interview add", {**ADD, "when": "today 9am"})
    [summary] = await app.interviews.list_interviews(actor(maya))
    answered = await sandbox.slash(
        maya, "interview next", {"interview": str(summary.interview.id), "check_back": "Friday 3pm"}
    )
    assert "Times read in **America/New_York**" in reply(answered)
    moved = await sandbox.slash(maya, "settings timezone", {"zone": "Asia/Tokyo"})
    text = reply(moved)
    assert "Kept their time (agreed with the employer)" in text
    assert "Fri 27 Nov 15:00 in America/New_York, now Sat 28 Nov 05:00 your time" in text
    assert "Moved to the same local time" not in text


async def test_an_unexpected_error_after_a_write_does_not_claim_nothing_was_saved(
    app: App, sandbox: Sandbox, maya: SandboxUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_: object) -> None:
        raise RuntimeError("the digest scheduler is down")

    monkeypatch.setattr(app.bot.roster, "refresh_digest", broken)
    result = await sandbox.slash(maya, "settings timezone", {"zone": "Europe/Paris"})
    text = reply(result)
    assert "nothing was saved" not in text
    assert "Part of what you asked may have been done" in text
    user = await stored_user(app, maya)
    assert user is not None and user.timezone == "Europe/Paris"  # it was saved: the old text lied


async def test_a_held_command_reads_today_as_of_when_it_was_typed(
    asking_app: App, sandbox: Sandbox, maya: SandboxUser, clock: ManualClock
) -> None:
    clock.set(utc(2026, 11, 24, 3))  # Mon 22:00 in New York
    prompt = prompt_of(await sandbox.slash(maya, "interview add", ADD))
    clock.set(utc(2026, 11, 24, 12))  # Tue 07:00 in New York: the user picks their zone the next morning
    chose = await sandbox.select(maya, prompt, zone_select(prompt), ["America/New_York"])
    [logged] = await chose.wait_for_followups()
    assert "Interview logged: Acme" in shown(logged)
    [summary] = await asking_app.interviews.list_interviews(actor(maya))
    assert summary.interview.scheduled_at == utc(2026, 11, 23, 19)  # Mon 14:00 in New York, the day it was typed


async def test_a_command_held_more_than_a_day_is_refused_not_run(
    asking_app: App, sandbox: Sandbox, maya: SandboxUser, clock: ManualClock
) -> None:
    prompt = prompt_of(await sandbox.slash(maya, "interview add", ADD))
    clock.advance(timedelta(hours=25))
    chose = await sandbox.select(maya, prompt, zone_select(prompt), ["America/New_York"])
    assert "Time zone set: America/New_York" in reply(chose)
    assert "that command waited more than a day; please run it again" in shown(chose.message)
    again = await sandbox.slash(maya, "interview add", {**ADD, "company": "Globex"})  # run after that choice
    assert "Interview logged: Globex" in reply(again)
    assert [s.interview.company for s in await asking_app.interviews.list_interviews(actor(maya))] == ["Globex"]
    assert chose.followups == []


@pytest.mark.parametrize(
    ("command", "options", "then"),
    [
        ("coach create", {"name": "Job Club"}, "Group created: Job Club"),
        ("coach digest", {"day": "friday", "time": "17:30"}, "(America/New_York)"),
    ],
)
async def test_a_new_coach_is_asked_their_zone_first(
    sandbox: Sandbox, asking: Settings, clock: ManualClock, command: str, options: dict[str, str], then: str
) -> None:
    kim = sandbox.add_user("kim")
    guild = sandbox.add_guild("Career Centre", members=[kim])
    async with running_bot(sandbox, asking, clock) as running:
        if command == "coach digest":
            await running.groups.create_group(actor(kim), "Job Club", "Kim")  # a coach who never chose a zone
        asked = await sandbox.slash(kim, command, options, guild=guild)
        prompt = prompt_of(asked)
        chose = await sandbox.select(kim, prompt, zone_select(prompt), ["America/New_York"])
        [done] = await chose.wait_for_followups()
        assert then in shown(done)
        assert "(UTC)" not in shown(done)

"""Fixing one interview through the real client: the other reading of a weekday, edit, delete, outcomes,
paged lists, and telling apart interviews with the same name."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.clocks import ManualClock
from bot.domain.models import FollowUpKind, Outcome
from bot.sandbox.discord import InteractionResult, Message, Sandbox, SandboxUser
from bot.sandbox.local_bot import running_bot
from bot.settings import Settings
from tests.e2e.helpers import actor, reply, shown
from tests.support import dump, follow_ups_of, utc

pytestmark = pytest.mark.e2e


def answer(result: InteractionResult) -> Message:
    """The message the user sees after a command (a deferred command's is its follow-up)."""
    message = result.followups[0] if result.followups else result.message
    assert message is not None
    return message


async def test_a_bare_weekday_offers_the_other_day_and_its_button_moves_the_interview_after_a_restart(
    sandbox: Sandbox, settings: Settings, maya: SandboxUser, clock: ManualClock
) -> None:
    async with running_bot(sandbox, settings, clock) as app:  # Wednesday 25 Nov
        added = await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "Monday 3pm"})
        [summary] = await app.interviews.list_interviews(actor(maya))
        assert summary.interview.scheduled_at == utc(2026, 11, 30, 15)  # the coming Monday
        assert "Did you mean another day?" in reply(added)
        message = answer(added)
        button = message.button("Use Mon 23 Nov instead")
    async with running_bot(sandbox, settings, clock) as restarted:
        moved = await sandbox.click(maya, message, button)
        assert "Interview updated: Acme: Analyst" in shown(moved.message)
        assert "Changed: time." in shown(moved.message)
        assert moved.message is not None and moved.message.components == []
        [summary] = await restarted.interviews.list_interviews(actor(maya))
        assert summary.interview.scheduled_at == utc(2026, 11, 23, 15)
        kinds = {f.follow_up.kind for f in await restarted.follow_ups.open_follow_ups(actor(maya))}
        assert FollowUpKind.PREP not in kinds  # it is past now: no prep nudge
        await sandbox.wait_for_dms(maya, 2)  # the thank-you and "what happens next" are due at once


@pytest.mark.parametrize("custom_id", ["ft:ivmove:1:1795618800", "ft:ivdelete:yes:1", "ft:ivdelete:no:1"])
async def test_someone_elses_interview_buttons_change_and_reveal_nothing(
    app: App, sandbox: Sandbox, maya: SandboxUser, omar: SandboxUser, custom_id: str
) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "Monday 3pm"})
    listing = await sandbox.slash(omar, "followups", {})
    before = await dump(app.db)
    forged = answer(listing)
    forged.components = [{"type": 1, "components": [{"type": 2, "style": 1, "label": "x", "custom_id": custom_id}]}]
    result = await sandbox.click(omar, forged, custom_id)
    assert result.ephemeral
    assert "can't find that interview" in reply(result)
    assert "Acme" not in reply(result)
    assert await dump(app.db) == before


async def test_edit_moves_the_interview_and_replans(app: App, sandbox: Sandbox, maya: SandboxUser) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 1pm"})
    edited = await sandbox.slash(
        maya, "interview edit", {"interview": "1", "when": "2026-11-27 11:00", "role": "Senior Analyst"}
    )
    text = reply(edited)
    assert "Interview updated: Acme: Senior Analyst" in text
    assert "Changed: role, time." in text
    assert "Follow-ups planned again for the new time" in text
    assert "Prepare your closing questions" in text
    [summary] = await app.interviews.list_interviews(actor(maya))
    assert summary.interview.scheduled_at == utc(2026, 11, 27, 11)
    refused = await sandbox.slash(maya, "interview edit", {"interview": "1"})
    assert "what to change" in reply(refused)


async def test_delete_asks_first_then_the_interview_and_its_follow_ups_go(
    app: App, sandbox: Sandbox, maya: SandboxUser
) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 1pm"})
    await sandbox.slash(maya, "interview add", {"company": "Globex", "role": "PM", "when": "today 2pm"})
    asked = await sandbox.slash(maya, "interview delete", {"interview": "1"})
    assert "Delete Acme: Analyst?" in reply(asked)
    assert "4 open follow-ups" in reply(asked)
    before = await dump(app.db)
    kept = await sandbox.click(maya, answer(asked), answer(asked).button("Keep it"))
    assert "Nothing was deleted" in shown(kept.message)
    assert await dump(app.db) == before

    asked = await sandbox.slash(maya, "interview delete", {"interview": "acme"})
    prompt = answer(asked)
    buttons = prompt.components
    gone = await sandbox.click(maya, prompt, prompt.button("Delete it"))
    assert "Deleted Acme: Analyst and its 4 open follow-ups" in shown(gone.message)
    assert [s.interview.company for s in await app.interviews.list_interviews(actor(maya), True)] == ["Globex"]
    assert await follow_ups_of(app.db, 1) == []
    prompt.components = buttons  # the same prompt, still showing in another of Maya's clients
    again = await sandbox.click(maya, prompt, prompt.button("Delete it"))
    assert "can't find that interview" in reply(again)


async def test_a_wrong_outcome_is_changed_or_taken_back(app: App, sandbox: Sandbox, maya: SandboxUser) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 1pm"})
    await sandbox.slash(maya, "interview outcome", {"interview": "1", "result": "rejected"})
    changed = await sandbox.slash(maya, "interview outcome", {"interview": "1", "result": "offer"})
    assert "from rejected to offer" in reply(changed)
    noted = await sandbox.slash(maya, "interview outcome", {"interview": "1", "result": "offer", "notes": "Start Jan"})
    assert "Changed" not in reply(noted)
    reopened = await sandbox.slash(maya, "interview reopen", {"interview": "1"})
    assert "Reopened: Acme: Analyst" in reply(reopened)
    assert "Make the check-in call" in reply(reopened)
    [summary] = await app.interviews.list_interviews(actor(maya))
    assert summary.interview.outcome is None
    kinds = {f.follow_up.kind for f in await app.follow_ups.open_follow_ups(actor(maya))}
    assert FollowUpKind.FEEDBACK_REQUEST not in kinds and FollowUpKind.CHECK_IN in kinds
    closed = await sandbox.slash(maya, "interview outcome", {"interview": "1", "result": "withdrawn"})
    assert "Withdrawn" in reply(closed)
    [summary] = await app.interviews.list_interviews(actor(maya), True)
    assert summary.interview.outcome is Outcome.WITHDRAWN


async def test_followups_and_the_interview_list_page_through_everything(
    app: App, sandbox: Sandbox, maya: SandboxUser
) -> None:
    for n in range(12):
        company = f"Company {n:02d}"
        await sandbox.slash(maya, "interview add", {"company": company, "role": "Analyst", "when": "Dec 2 3pm"})
    listing = await sandbox.slash(maya, "followups", {})
    seen = shown(answer(listing))
    assert "Page 1 of 6 · 60 follow-ups" in seen
    assert "more." not in seen
    message = answer(listing)
    for page in range(2, 7):
        turned = await sandbox.click(maya, message, message.button("Next ▶"))
        assert turned.message is not None
        message = turned.message
        assert f"Page {page} of 6" in shown(message)
        seen += shown(message)
    assert all(f"Company {n:02d}" in seen for n in range(12))
    back = await sandbox.click(maya, message, message.button("◀ Previous"))
    assert "Page 5 of 6" in shown(back.message)

    interviews = await sandbox.slash(maya, "interview list", {})
    first = answer(interviews)
    seen = shown(first)  # the message is edited in place when the page turns
    assert "Page 1 of 2 · 12 interviews" in seen
    second = await sandbox.click(maya, first, first.button("Next ▶"))
    assert "Page 2 of 2" in shown(second.message)
    assert all(f"Company {n:02d}" in seen + shown(second.message) for n in range(12))


async def test_two_rounds_on_one_day_are_told_apart(app: App, sandbox: Sandbox, maya: SandboxUser) -> None:
    for when in ("Dec 1 10am", "Dec 1 2pm"):
        await sandbox.slash(maya, "interview add", {"company": "Acme Robotics", "role": "Data Analyst", "when": when})
    choices = await sandbox.autocomplete(maya, "interview checkin", {"interview": "acme"}, focused="interview")
    assert [c.name for c in choices] == [
        "Acme Robotics: Data Analyst, Tue 1 Dec 14:00",
        "Acme Robotics: Data Analyst, Tue 1 Dec 10:00",
    ]
    before = await dump(app.db)
    typed = await sandbox.slash(maya, "interview checkin", {"interview": "acme", "update": "No news"})
    assert "Several of your interviews match “acme”" in reply(typed)
    assert "Tue 1 Dec 10:00" in reply(typed) and "Tue 1 Dec 14:00" in reply(typed)
    assert await dump(app.db) == before


@pytest.mark.parametrize(("locale", "expected"), [("en-GB", utc(2026, 12, 3, 14)), ("en-US", utc(2026, 3, 12, 14))])
async def test_numeric_dates_follow_the_users_locale(
    app: App, sandbox: Sandbox, maya: SandboxUser, locale: str, expected: object
) -> None:
    maya.locale = locale
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "03.12.2026 2pm"})
    [summary] = await app.interviews.list_interviews(actor(maya))
    assert summary.interview.scheduled_at == expected


async def test_an_hour_without_am_or_pm_is_refused(app: App, sandbox: Sandbox, maya: SandboxUser) -> None:
    before = await dump(app.db)
    result = await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "tomorrow at 2"})
    assert "could be 2am or 2pm" in reply(result)
    assert await dump(app.db) == before


async def test_an_old_use_instead_button_does_not_undo_a_later_edit(
    app: App, sandbox: Sandbox, maya: SandboxUser
) -> None:
    added = await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "Friday 3pm"})
    message = answer(added)
    button = message.button("Use Fri 20 Nov instead")
    await sandbox.slash(maya, "interview edit", {"interview": "1", "when": "2026-12-09 11:00"})
    before = await dump(app.db)
    pressed = await sandbox.click(maya, message, button)
    assert "This interview's time was changed since; use /interview edit to move it." in reply(pressed)
    assert await dump(app.db) == before
    [summary] = await app.interviews.list_interviews(actor(maya))
    assert summary.interview.scheduled_at == utc(2026, 12, 9, 11)


@pytest.mark.parametrize("field", ["company", "role"])
async def test_a_dash_cannot_clear_the_company_or_role(
    app: App, sandbox: Sandbox, maya: SandboxUser, field: str
) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "tomorrow 1pm"})
    before = await dump(app.db)
    refused = await sandbox.slash(maya, "interview edit", {"interview": "1", field: " - "})
    assert f"The {field} can't be empty" in reply(refused)
    assert await dump(app.db) == before


async def test_every_reply_that_read_or_planned_a_time_names_the_zone(
    app: App, sandbox: Sandbox, maya: SandboxUser
) -> None:
    zone = "Times read in **UTC**"
    added = await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "Friday 3pm"})
    message = answer(added)
    button = message.button("Use Fri 20 Nov instead")
    moved = await sandbox.click(maya, message, button)
    assert zone in shown(moved.message)
    edited = await sandbox.slash(maya, "interview edit", {"interview": "1", "when": "2026-11-27 11:00"})
    assert zone in reply(edited)
    rejected = await sandbox.slash(maya, "interview outcome", {"interview": "1", "result": "rejected"})
    assert "Feedback request" in reply(rejected) and zone in reply(rejected)
    changed = await sandbox.slash(maya, "interview outcome", {"interview": "1", "result": "offer"})
    assert "Cancelled: 1 pending follow-up\n" in reply(changed) + "\n"
    reopened = await sandbox.slash(maya, "interview reopen", {"interview": "1"})
    assert zone in reply(reopened)
    cancelled = await sandbox.slash(maya, "interview outcome", {"interview": "1", "result": "withdrawn"})
    assert "pending follow-ups" in reply(cancelled) and "(s)" not in reply(cancelled)


async def test_a_zone_typed_with_the_time_is_named_in_the_reply(app: App, sandbox: Sandbox, maya: SandboxUser) -> None:
    await app.preferences.set_timezone(actor(maya), "Europe/London")
    added = await sandbox.slash(
        maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "tomorrow 2pm PST"}
    )
    assert "Read as 14:00 America/Los_Angeles = 22:00 Europe/London" in reply(added)
    edited = await sandbox.slash(maya, "interview edit", {"interview": "1", "when": "tomorrow 9am EST"})
    assert "Read as 09:00 America/New_York = 14:00 Europe/London" in reply(edited)
    steps = await sandbox.slash(maya, "interview next", {"interview": "1", "check_back": "Dec 7 3pm EST"})
    assert "Read as 15:00 America/New_York = 20:00 Europe/London" in reply(steps)
    call = await sandbox.slash(
        maya, "interview checkin", {"interview": "1", "update": "Soon", "next_check_back": "Dec 9 4pm PST"}
    )
    assert "Read as 16:00 America/Los_Angeles = 00:00 Europe/London" in reply(call)


async def test_an_interview_logged_long_after_says_so_and_sends_no_thank_you_burst(
    app: App, sandbox: Sandbox, maya: SandboxUser
) -> None:
    added = await sandbox.slash(
        maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "2026-03-12 10:00"}
    )
    said = reply(added)
    assert "Logged as past: <t:1773309600:F> is more than a week ago" in said
    assert "no thank-you email or note nudges" in said
    kinds = {f.kind for f in await follow_ups_of(app.db, 1)}
    assert FollowUpKind.THANK_YOU_EMAIL not in kinds and FollowUpKind.HANDWRITTEN_NOTE not in kinds

"""QA findings through the real client: a follow-up with a deadline is late only once its deadline passes (the
seeker's list, the coach's roster, seeker report and digest agree), and moving an interview plans its
follow-ups again and says what was dropped."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import App
from bot.clocks import ManualClock
from bot.domain.models import FollowUpKind
from bot.sandbox.discord import Sandbox, SandboxGuild, SandboxUser
from bot.sandbox.local_bot import running_bot
from bot.settings import Settings
from tests.e2e.helpers import actor, reply, shown
from tests.e2e.test_coach import create, join
from tests.e2e.test_interview_fixes import answer
from tests.support import utc

pytestmark = pytest.mark.e2e


@pytest.fixture
def kim(sandbox: Sandbox) -> SandboxUser:
    return sandbox.add_user("kim")


@pytest.fixture
def guild(sandbox: Sandbox, kim: SandboxUser, maya: SandboxUser) -> SandboxGuild:
    return sandbox.add_guild("Career Centre", members=[kim, maya])


async def test_a_thank_you_is_overdue_only_after_its_deadline_everywhere(
    sandbox: Sandbox, settings: Settings, clock: ManualClock, guild: SandboxGuild, kim: SandboxUser, maya: SandboxUser
) -> None:
    clock.set(utc(2026, 11, 30, 15))  # Monday
    async with running_bot(sandbox, settings, clock):
        code = await create(sandbox, kim, guild)
        await sandbox.slash(maya, "settings timezone", {"zone": "America/Chicago"})
        await join(sandbox, maya, code)
        await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "yesterday 10:30"})
        # Thank-you due Sun 29 Nov 18:30 UTC, deadline Mon 30 Nov 16:30 UTC: an hour and a half left.
        await sandbox.wait_for_dms(maya, 3)  # thank-you, note and "what happens next" are sent (not claimed)
        mine = reply(await sandbox.slash(maya, "followups", {}))
        thank_you = next(line for line in mine.splitlines() if "Send a thank-you email" in line)
        assert "overdue" not in thank_you
        assert mine.index("**Upcoming**") < mine.index("Send a thank-you email")
        roster = reply(await sandbox.slash(kim, "coach roster", {}, guild=guild))
        assert "1 overdue" in roster  # "what happens next" only
        detail = reply(await sandbox.slash(kim, "coach seeker", {"member": maya}, guild=guild))
        assert "⚠️ overdue · Send a thank-you email" not in detail

        clock.set(utc(2026, 11, 30, 17))  # the deadline passed
        mine = reply(await sandbox.slash(maya, "followups", {}))
        thank_you = next(line for line in mine.splitlines() if "Send a thank-you email" in line)
        assert "⚠️ overdue" in thank_you
        roster = reply(await sandbox.slash(kim, "coach roster", {}, guild=guild))
        assert "3 overdue" in roster

        clock.set(utc(2026, 12, 7, 9, 20))  # just after the coach's Monday 09:00 digest slot
        [digest] = await sandbox.wait_for_dms(kim, 1)
        text = shown(digest)
        assert "Overdue thank-yous (2)" in text, text


async def test_the_other_day_button_says_what_was_dropped_and_plans_the_call_after_the_interview(
    app: App, sandbox: Sandbox, maya: SandboxUser
) -> None:
    added = await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "friday 10am"})
    message = answer(added)  # Wednesday 25 Nov: Friday 27 Nov, or Friday 20 Nov
    await sandbox.slash(maya, "interview next", {"interview": "1"})
    moved = await sandbox.click(maya, message, message.button("Use Fri 20 Nov instead"))
    text = shown(moved.message)
    assert "Changed: time." in text
    dropped = text[text.index("Dropped") :]
    assert "Prepare your closing questions" in dropped and "already started" in dropped
    assert "Send a thank-you email" in dropped and "Send a handwritten note" in dropped
    assert "deadline passed" in dropped
    calls = [
        f.follow_up
        for f in await app.follow_ups.open_follow_ups(actor(maya))
        if f.follow_up.kind is FollowUpKind.CHECK_IN
    ]
    assert [c.due_at for c in calls] == [utc(2026, 11, 27, 10)]  # a week after the new time, not the old one


async def test_moving_an_interview_later_plans_every_follow_up_again_and_the_call_after_it(
    app: App, sandbox: Sandbox, maya: SandboxUser
) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "2026-11-27 10:00"})
    await sandbox.slash(maya, "interview next", {"interview": "1"})  # no date named: the call is planned
    edited = reply(await sandbox.slash(maya, "interview edit", {"interview": "1", "when": "2026-12-09 11:00"}))
    planned = edited[edited.index("planned again") :]
    for label in ("Prepare your closing questions", "Send a thank-you email", "Send a handwritten note"):
        assert label in planned
    assert "Make the check-in call" in planned
    kinds = {f.follow_up.kind: f.follow_up for f in await app.follow_ups.open_follow_ups(actor(maya))}
    assert FollowUpKind.NEXT_STEPS not in kinds  # answered already
    assert kinds[FollowUpKind.CHECK_IN].due_at == utc(2026, 12, 16, 10)  # after the interview


async def test_an_agreed_call_after_the_new_time_stays(app: App, sandbox: Sandbox, maya: SandboxUser) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "2026-11-27 10:00"})
    await sandbox.slash(maya, "interview next", {"interview": "1", "check_back": "2026-12-21 15:00"})
    edited = reply(await sandbox.slash(maya, "interview edit", {"interview": "1", "when": "2026-12-09 11:00"}))
    assert "Kept" in edited and "agreed" in edited
    calls = [
        f.follow_up
        for f in await app.follow_ups.open_follow_ups(actor(maya))
        if f.follow_up.kind is FollowUpKind.CHECK_IN
    ]
    assert [c.due_at for c in calls] == [utc(2026, 12, 21, 15)]


@pytest.fixture
async def app(sandbox: Sandbox, settings: Settings, clock: ManualClock, guild: SandboxGuild) -> AsyncIterator[App]:
    async with running_bot(sandbox, settings, clock) as running:
        yield running

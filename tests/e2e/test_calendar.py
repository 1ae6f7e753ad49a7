"""Calendar files through the real client: /mydata calendar, the check-in nudge's button, /interview next."""

from __future__ import annotations

import icalendar
import pytest

from bot.app import App
from bot.clocks import ManualClock
from bot.sandbox.discord import InteractionResult, Sandbox, SandboxUser
from tests.e2e.helpers import nudge
from tests.support import utc

pytestmark = pytest.mark.e2e


def attached_events(result: InteractionResult) -> list[icalendar.Event]:
    assert result.message is not None and result.ephemeral
    [attachment] = result.message.attachments
    assert attachment.filename.endswith(".ics")
    return list(icalendar.Calendar.from_ical(attachment.content).walk("VEVENT"))


async def test_mydata_calendar_holds_every_open_follow_up(app: App, sandbox: Sandbox, maya: SandboxUser) -> None:
    await sandbox.slash(maya, "settings timezone", {"zone": "Europe/Paris"})
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "tomorrow 9am"})
    parsed = attached_events(await sandbox.slash(maya, "mydata calendar", {}))
    assert len(parsed) == 5  # prep, thank-you email, note, what happens next, check-in call
    summaries = sorted(str(e["summary"]).split(":")[0] for e in parsed)
    assert summaries[0] == "Make the check-in call"
    prep = next(e for e in parsed if str(e["summary"]).startswith("Prepare"))
    start = prep.decoded("dtstart")
    assert (str(start.tzinfo), start.hour) == ("Europe/Paris", 8)  # an hour before the 9am interview
    assert start == utc(2026, 11, 26, 7)


async def test_next_reply_and_check_in_nudge_offer_the_call_as_a_file(
    app: App, sandbox: Sandbox, maya: SandboxUser, clock: ManualClock
) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
    answered = await sandbox.slash(maya, "interview next", {"interview": "1", "check_back": "Friday 3pm"})
    [call] = attached_events(answered)
    assert call.decoded("dtstart") == utc(2026, 11, 27, 15)

    clock.set(utc(2026, 11, 27, 15))
    check_in = await nudge(sandbox, maya, "Make the check-in call")
    offered = await sandbox.click(maya, check_in, check_in.button("Add to calendar"))
    [same] = attached_events(offered)
    assert same.decoded("dtstart") == utc(2026, 11, 27, 15)
    assert "Call exactly when agreed" in str(same["description"])

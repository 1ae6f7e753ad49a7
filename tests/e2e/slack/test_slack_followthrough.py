"""/followthrough help and settings through the real slack_bolt app: the settings modal (zone, quiet hours,
shared notes) writes through the preferences use cases, refuses a bad answer on its field with nothing
written, and its zone is never overridden by the Slack profile; an unknown word gets the list of known ones."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.app import App
from bot.clocks import ManualClock
from bot.sandbox.slack import SlackSandbox
from tests.e2e.slack.test_slack_seeker import INTERVIEW, actor, log_interview
from tests.support import dump, utc

pytestmark = pytest.mark.e2e


async def test_help_names_the_commands_as_slack_does(slack_app: App, slack: SlackSandbox, clock: ManualClock) -> None:
    maya = slack.add_user("maya", tz="UTC")
    answered = await slack.slash(maya, "/followthrough", "help")
    assert answered.acked and not answered.late
    [said] = answered.ephemerals
    for command in ("/interview", "/interview next", "/interview list", "/followups", "/followthrough settings"):
        assert f"`{command}`" in str(said.blocks), command
    assert "Home tab" in str(said.blocks)


async def test_an_unknown_subcommand_is_explained_privately_with_the_known_ones(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    answered = await slack.slash(maya, "/followthrough", "frobnicate <!channel>")
    [said] = answered.ephemerals
    shown = str(said.blocks)
    assert "frobnicate" in shown and "/followthrough help" in shown and "/followthrough settings" in shown
    assert "<!channel>" not in shown and "&lt;!channel&gt;" in shown
    assert said.ephemeral and not slack.dms(maya)


async def test_settings_save_zone_quiet_hours_and_notes_and_the_profile_never_overrides_the_zone(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="America/Chicago")
    [modal] = (await slack.slash(maya, "/followthrough", "settings")).opened
    assert modal.title == "Your settings"
    zone_select = modal.blocks[0]["element"]
    assert zone_select["initial_option"]["value"] == "America/Chicago"  # the Slack profile's, to start with
    assert not await slack_app.preferences.shares_notes(actor(maya))

    saved = await slack.submit(
        modal, {"zone": "Europe/Paris", "quiet_start": "22:30", "quiet_end": "7", "share": ["share"]}
    )
    assert saved.errors == {}
    user = await slack_app.preferences.user(actor(maya))
    assert user.timezone == "Europe/Paris" and user.timezone_chosen
    assert (user.quiet_hours.start, user.quiet_hours.end) == (time(22, 30), time(7))
    assert await slack_app.preferences.shares_notes(actor(maya))
    await slack.wait_until(lambda: any("Your settings" in m.text for m in slack.ephemerals(maya)), what="the reply")

    await log_interview(slack, maya, {**INTERVIEW, "when": "tomorrow 9am"})
    await slack.open_home(maya)
    assert (await slack_app.preferences.user(actor(maya))).timezone == "Europe/Paris"
    assert len(slack.requests_to("users.info")) == 1
    [summary] = await slack_app.interviews.list_interviews(actor(maya))
    assert summary.interview.scheduled_at == utc(2026, 11, 26, 8)  # 9am in Paris

    [again] = (await slack.slash(maya, "/followthrough", "settings")).opened
    assert again.blocks[0]["element"]["initial_option"]["value"] == "Europe/Paris"
    assert again.blocks[3]["element"]["initial_options"][0]["value"] == "share"


async def test_a_bad_quiet_hour_is_shown_on_its_field_and_nothing_is_written(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="America/Chicago")
    [modal] = (await slack.slash(maya, "/followthrough", "settings")).opened
    before = await dump(slack_app.db)
    refused = await slack.submit(
        modal, {"zone": "Europe/Paris", "quiet_start": "25:00", "quiet_end": "07:00+02:00", "share": ["share"]}
    )
    assert await dump(slack_app.db) == before
    assert set(refused.errors) == {"quiet_start", "quiet_end"}
    assert "time zone or offset" in refused.errors["quiet_end"]
    assert "/followthrough settings" in refused.errors["quiet_end"]
    assert modal.open


async def test_a_zone_chosen_while_the_slack_profile_is_being_read_is_kept(
    slack_app: App, slack: SlackSandbox, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    maya = slack.add_user("maya", tz="America/Chicago")
    read_profile = AsyncWebClient.users_info

    async def chosen_meanwhile(self: AsyncWebClient, **kwargs: Any) -> AsyncSlackResponse:
        answer = await read_profile(self, **kwargs)
        await slack_app.preferences.set_timezone(actor(maya), "Europe/Paris")  # saved settings, say
        return answer

    monkeypatch.setattr(AsyncWebClient, "users_info", chosen_meanwhile)
    await slack.slash(maya, "/interview")
    await slack.wait_until(lambda: bool(slack.requests_to("users.info")), what="the profile read")
    await slack.open_home(maya)  # a later request: the first one's work is done
    assert (await slack_app.preferences.user(actor(maya))).timezone == "Europe/Paris"

"""Every action the Slack bot shows is answered on Slack: "not available on Slack yet" is left only for the zone
prompt's (Discord asks for a zone; Slack takes it from the profile)."""

from __future__ import annotations

from typing import Any, cast

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.content.message import ActionKind
from bot.platforms.slack.followthrough_command import FollowThrough
from bot.platforms.slack.interview_commands import InterviewCommands
from bot.platforms.slack.listeners import Core, Listeners

ANSWERED_BY_LISTENERS = {
    ActionKind.DONE,
    ActionKind.SNOOZE,
    ActionKind.SNOOZE_FOR,
    ActionKind.LOG_CALL,
    ActionKind.RECORD_FEEDBACK,
    ActionKind.RECORD_ANSWERS,
}
ZONE_PROMPT = {ActionKind.PICK_ZONE, ActionKind.USE_ZONE, ActionKind.TYPE_ZONE}


def test_every_action_but_the_zone_prompt_s_has_a_slack_answer() -> None:
    listeners = Listeners(cast(Core, cast(Any, None)))
    app = AsyncApp(client=AsyncWebClient(token="xoxb-test"))
    InterviewCommands(listeners).register(app)
    FollowThrough(listeners).register(app)  # the seeker's groups and data, and the coach's commands
    answered = ANSWERED_BY_LISTENERS | set(listeners.clicks)
    assert set(ActionKind) - answered - ZONE_PROMPT == set()

"""Slack as a platform plug-in: a slack_bolt AsyncApp in Socket Mode, the nudge sender and coaching's messenger,
sharing one workspace-wide token bucket (each DM channel is paced besides, to Slack's one message a second).

The Web API client is built here with SLACK_API_BASE_URL (slack_sdk reads no variable for it), and handed to
the app and, through it, to Socket Mode's apps.connections.open: every call goes where the settings say."""

from __future__ import annotations

import asyncio
import logging
import os

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.platforms.pacing import TokenBucket
from bot.platforms.slack.direct_messages import SlackDirectMessages
from bot.platforms.slack.followthrough_command import FollowThrough
from bot.platforms.slack.home import Home
from bot.platforms.slack.interview_commands import InterviewCommands
from bot.platforms.slack.listeners import PLATFORM, Core, Listeners
from bot.platforms.slack.messenger import SlackMessenger
from bot.platforms.slack.notifier import SlackNotifier
from bot.settings import Settings
from bot.usecases.groups import GroupService
from bot.usecases.roster import RosterService

log = logging.getLogger(__name__)

SLACK_API = "https://slack.com/api/"
OAUTH_VARIABLES = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")  # present, even empty, they switch Bolt to OAuth


class SlackPlatform:
    name = PLATFORM
    suppresses_duplicates = False  # Slack has no nonce: a resend is found by its metadata instead (notifier.py)

    def __init__(self, settings: Settings, core: Core) -> None:
        bot_token, app_token = settings.slack_bot_token, settings.slack_app_token
        if bot_token is None or app_token is None:
            raise RuntimeError("SLACK_BOT_TOKEN and SLACK_APP_TOKEN are not both set")
        for variable in OAUTH_VARIABLES:  # one workspace in Socket Mode: never the OAuth flow
            if os.environ.pop(variable, None) is not None:
                log.info("%s ignored: Socket Mode serves one workspace", variable)
        self.client = AsyncWebClient(
            token=bot_token.get_secret_value(), base_url=settings.slack_api_base_url or SLACK_API
        )
        self.app = AsyncApp(client=self.client)
        self.listeners = Listeners(core)
        self.home = Home(self.listeners)
        self.home.register(self.app)  # first: its clicks are the Home tab's
        self.listeners.register(self.app)
        InterviewCommands(self.listeners).register(self.app)
        self.followthrough = FollowThrough(self.listeners)
        self.followthrough.register(self.app)
        self._app_token = app_token.get_secret_value()
        self.handler: AsyncSocketModeHandler | None = None
        self._stopped = asyncio.Event()
        dms = SlackDirectMessages(self.client, TokenBucket(settings.dispatch.send_rate))
        self.notifier = SlackNotifier(dms, settings.schedule.snooze)
        self.messenger = SlackMessenger(dms)

    def use_coaching(self, groups: GroupService, roster: RosterService) -> None:
        """Coaching's use cases, built after the platforms (they send through every platform's messenger)."""
        self.home.roster = roster
        self.listeners.core.groups = groups
        self.followthrough.coach.use(groups, roster)

    async def start(self) -> None:
        """auth.test: raises at once (SlackApiError) if Slack refuses the bot token; the workspace is its team."""
        identity = await self.client.auth_test()
        self.listeners.workspace = identity.get("team_id")
        log.info("Slack: connected as %s in %s", identity.get("user"), identity.get("team"))
        self.handler = AsyncSocketModeHandler(self.app, self._app_token)

    async def connected(self) -> bool:
        """The Socket Mode connection is open and answers pings."""
        return self.handler is not None and await self.handler.client.is_connected()

    async def run(self) -> None:
        """Hold the socket (slack_sdk reconnects it on its own) until stop()."""
        assert self.handler is not None, "start() first"
        await self.handler.connect_async()  # type: ignore[no-untyped-call]
        await self._stopped.wait()

    async def stop(self) -> None:
        self._stopped.set()
        if self.handler is not None:
            await self.handler.close_async()  # type: ignore[no-untyped-call]

"""`/followthrough data calendar | export | delete`: the seeker's own data. Files cannot go on ephemeral messages,
so the .ics and the export are uploaded into the user's DM with the bot, with a private note where the command
was typed. `delete` asks first: a danger button under Slack's own confirm dialog, carrying when it was asked so
an old prompt does nothing; the click replaces the prompt with what was done."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.content import settings as settings_content
from bot.content import your_data
from bot.content.message import ActionKind, Text, bold
from bot.content.notices import BAD_OPTION
from bot.domain.errors import InvalidInput
from bot.platforms.slack import ephemeral, render
from bot.platforms.slack.direct_messages import UNDELIVERABLE
from bot.platforms.slack.listeners import Listeners
from bot.platforms.slack.membership import typed_after
from bot.platforms.slack.render import Clicked
from bot.usecases.actors import Actor

log = logging.getLogger(__name__)

COMMAND = "/followthrough data"
HOW_TO_OPEN_DMS: Text = ("open Follow-Through under Apps, go to its ", bold("Messages"), " tab and allow messages.")
Upload = dict[str, Any]  # files_upload_v2's file_uploads entry: content, filename, title


class YourDataCommands:
    def __init__(self, listeners: Listeners) -> None:
        self.listeners = listeners
        self.core = listeners.core
        self.words: dict[str, Callable[[Mapping[str, Any], AsyncWebClient], Awaitable[None]]] = {
            "calendar": self.calendar,
            "export": self.export,
            "delete": self.delete,
        }

    def register(self) -> None:
        """Its click; /followthrough names `data` (followthrough_command.py)."""
        self.listeners.clicks[ActionKind.DELETE_MY_DATA] = self.delete_confirmed

    async def data(self, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        typed = typed_after(body)
        run = self.words.get(typed.split(maxsplit=1)[0].lower() if typed else "")
        if run is None:
            known: tuple[Text, ...] = tuple((f"`{COMMAND} {word}`",) for word in self.words)
            said = (
                settings_content.unknown(f"{COMMAND} {typed}", known)
                if typed
                else settings_content.one_more_word(COMMAND, known)
            )
            await ephemeral.post(client, body, self.listeners.actor(body), said)
            return
        await run(body, client)

    async def calendar(self, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        actor = self.listeners.actor(body)
        data = await self.core.follow_ups.calendar(actor)
        upload = {"content": data, "filename": "follow-through.ics", "title": "follow-through.ics"}
        await self._send(client, body, actor, [upload], your_data.CALENDAR, "your calendar file")

    async def export(self, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        actor = self.listeners.actor(body)
        export = await self.core.your_data.export(actor)
        uploads = [
            {
                "content": export.record_json,
                "filename": "follow-through-data.json",
                "title": "follow-through-data.json",
            },
            {"content": export.interviews_csv, "filename": "interviews.csv", "title": "interviews.csv"},
        ]
        await self._send(client, body, actor, uploads, your_data.EXPORT, "your data")

    async def _send(
        self, client: AsyncWebClient, body: Mapping[str, Any], actor: Actor, uploads: list[Upload], note: str, what: str
    ) -> None:
        """The files into the DM with the bot; where the command was typed (if not that DM), a note saying so."""
        try:
            dm = await ephemeral.dm_channel(client, actor)
            await client.files_upload_v2(channel=dm, file_uploads=uploads, initial_comment=render.escape(note))
        except SlackApiError as exc:
            if exc.response.get("error") not in UNDELIVERABLE:
                raise
            log.info("files for %s not sent: %s", actor.external_id, exc.response.get("error"))
            await ephemeral.post(client, body, actor, your_data.files_not_sent(HOW_TO_OPEN_DMS))
            return
        if ephemeral.channel_of(body) != dm:
            await ephemeral.post(client, body, actor, your_data.files_in_dm(what))

    async def delete(self, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        prompt = your_data.delete_prompt(self.core.clock.now())
        await ephemeral.post(client, body, self.listeners.actor(body), prompt)

    async def delete_confirmed(self, clicked: Clicked, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        if clicked.at is None:
            raise InvalidInput(BAD_OPTION)
        actor = self.listeners.actor(body)
        await self.core.your_data.delete(actor, clicked.at)  # refuses a prompt older than ten minutes
        await ephemeral.replace(client, body, actor, your_data.deleted())

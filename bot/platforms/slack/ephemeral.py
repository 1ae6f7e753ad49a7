"""Private answers: an ephemeral message where the user acted, and replacing one after a click on it.

A slash command or a click carries a response_url (30 minutes, five uses) that answers privately in any
channel, whether or not the bot is a member; chat.postEphemeral needs the bot in the channel. So an answer
goes through the response_url first, then chat.postEphemeral where the user acted (a modal's channel), then the
DM with the bot. An ephemeral message is in no history, so chat.update cannot reach it: the response_url of a
click on one replaces it; when that is refused, the answer is shown anew."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.content.message import Message
from bot.platforms.slack import modals, render
from bot.usecases.actors import Actor

log = logging.getLogger(__name__)


def channel_of(body: Mapping[str, Any]) -> str | None:
    """Where the user acted: a slash command's channel, the channel of the message they clicked, or the channel
    a modal was opened from."""
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id")
    if channel is None and isinstance(body.get("view"), Mapping):
        channel = modals.context(body["view"]).get("channel")
    return channel if isinstance(channel, str) else None


async def dm_channel(client: AsyncWebClient, actor: Actor) -> str:
    return str((await client.conversations_open(users=actor.external_id))["channel"]["id"])


async def post(client: AsyncWebClient, body: Mapping[str, Any], actor: Actor, *messages: Message) -> None:
    """The messages, one under the other, privately where the user acted (else in their DM with the bot)."""
    said = render.render(*messages)
    await say(client, body, actor, said.text, said.blocks)


async def say(
    client: AsyncWebClient, body: Mapping[str, Any], actor: Actor, text: str, blocks: list[Any] | None = None
) -> None:
    """Rendered text (and blocks) privately to the actor: the response_url, else where they acted, else the DM."""
    url = body.get("response_url")
    if isinstance(url, str):
        sent = await AsyncWebhookClient(url).send(text=text, blocks=blocks, response_type="ephemeral")
        if sent.status_code == HTTPStatus.OK:
            return
        log.info("response_url refused (%s %s): answering with chat.postEphemeral", sent.status_code, sent.body)
    channel = channel_of(body)
    if channel is not None:
        try:
            await client.chat_postEphemeral(channel=channel, user=actor.external_id, text=text, blocks=blocks)
            return
        except SlackApiError as exc:  # a channel the bot is not in: the DM instead
            log.info("could not answer in %s (%s): in the DM", channel, exc.response.get("error"))
    dm = await dm_channel(client, actor)
    await client.chat_postEphemeral(channel=dm, user=actor.external_id, text=text, blocks=blocks)


async def replace(client: AsyncWebClient, body: Mapping[str, Any], actor: Actor, *messages: Message) -> None:
    """The clicked ephemeral message becomes `messages` (its buttons gone with it)."""
    said = render.render(*messages)
    url = body.get("response_url")
    if isinstance(url, str):
        sent = await AsyncWebhookClient(url).send(text=said.text, blocks=said.blocks, replace_original=True)
        if sent.status_code == HTTPStatus.OK:
            return
        log.info("response_url refused (%s %s): answering anew", sent.status_code, sent.body)
    await post(client, body, actor, *messages)

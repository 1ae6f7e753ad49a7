"""Private answers: an ephemeral message where the user acted, and replacing one after a click on it.

An ephemeral message is in no history, so chat.update cannot reach it: a click on one carries a response_url
(30 minutes, five uses) that can replace it. When that is refused, the answer is shown anew."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.content.message import Message
from bot.platforms.slack import render
from bot.usecases.actors import Actor

log = logging.getLogger(__name__)


def channel_of(body: Mapping[str, Any]) -> str | None:
    """Where the user acted: a slash command's channel, or the channel of the message they clicked."""
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id")
    return channel if isinstance(channel, str) else None


async def dm_channel(client: AsyncWebClient, actor: Actor) -> str:
    return str((await client.conversations_open(users=actor.external_id))["channel"]["id"])


async def post(client: AsyncWebClient, body: Mapping[str, Any], actor: Actor, *messages: Message) -> None:
    """The messages, one under the other, privately where the user acted (else in their DM with the bot)."""
    channel = channel_of(body) or await dm_channel(client, actor)
    said = render.render(*messages)
    await client.chat_postEphemeral(channel=channel, user=actor.external_id, text=said.text, blocks=said.blocks)


async def replace(client: AsyncWebClient, body: Mapping[str, Any], actor: Actor, message: Message) -> None:
    """The clicked ephemeral message becomes `message` (its buttons gone with it)."""
    said = render.render(message)
    url = body.get("response_url")
    if isinstance(url, str):
        sent = await AsyncWebhookClient(url).send(text=said.text, blocks=said.blocks, replace_original=True)
        if sent.status_code == HTTPStatus.OK:
            return
        log.info("response_url refused (%s %s): answering anew", sent.status_code, sent.body)
    await post(client, body, actor, message)

"""Sending one DM to a Slack user and saying how it went: the one place that maps Slack's errors to a Delivery.

Slack allows about one message a second per channel (with a workspace-wide cap), so each DM channel has its
own token bucket and the workspace one more. A 429 is not waited out here: its Retry-After is reported, so the
dispatcher tries later without holding the lease or the loop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.models import User
from bot.platforms.pacing import TokenBucket
from bot.platforms.slack.render import Rendered
from bot.ports.senders import Delivery, DeliveryStatus

log = logging.getLogger(__name__)

# Slack's answers that no resend can get past until the user (or an admin) changes something.
UNDELIVERABLE = frozenset({"messages_tab_disabled", "user_disabled", "cannot_dm_bot", "user_not_found"})
CHANNEL_RATE = 1.0  # chat.postMessage: about one a second per channel
HISTORY_LOOKBACK = 20  # recent DM messages searched for a nudge posted before a crash


class SlackDirectMessages:
    def __init__(self, client: AsyncWebClient, workspace: TokenBucket, channel_rate: float = CHANNEL_RATE) -> None:
        """`workspace` paces every message the bot posts (nudges and coaching's DMs alike); each DM channel
        is paced to `channel_rate` a second besides."""
        self.client = client
        self.workspace = workspace
        self.channel_rate = channel_rate
        self._channels: dict[str, TokenBucket] = {}
        self._opening: dict[str, asyncio.Future[str]] = {}

    async def _open(self, user_id: str) -> str:
        """The DM channel's id; one conversations.open per user, even when several of their messages go out."""
        opening = self._opening.get(user_id)
        if opening is None:
            opening = asyncio.ensure_future(self._open_now(user_id))
            self._opening[user_id] = opening
            opening.add_done_callback(lambda _: self._opening.pop(user_id, None))
        return await asyncio.shield(opening)

    async def _open_now(self, user_id: str) -> str:
        response = await self.client.conversations_open(users=user_id)
        return str(response["channel"]["id"])

    async def _posted(self, channel: str, metadata: Mapping[str, Any]) -> str | None:
        """The ts of a message in `channel` already carrying `metadata` (posted before a crash), or None."""
        response = await self.client.conversations_history(
            channel=channel, limit=HISTORY_LOOKBACK, include_all_metadata=True
        )
        for message in response.get("messages") or []:
            if message.get("metadata") == metadata:
                return str(message["ts"])
        return None

    async def send(
        self, user: User, rendered: Rendered, *, metadata: Mapping[str, Any] | None = None, look: bool = True
    ) -> Delivery:
        """Never raises for a delivery failure: a Delivery says whether to retry. With `metadata`
        ({"event_type", "event_payload"}), a message already carrying it in the DM is taken as this one, sent
        before a crash (Slack has no nonce), and not posted again; `look=False` skips that look for a message
        that cannot have been posted yet (a nudge claimed for the first time)."""
        channel = user.dm_channel
        try:
            if channel is None:  # never stored: also when a crash came before the first send to it was marked
                channel = await self._open(user.external_id)
            if metadata is not None and look:
                found = await self._posted(channel, metadata)
                if found is not None:
                    log.info("nudge for user %s was already in their DM: not posted again", user.id)
                    return Delivery(DeliveryStatus.SENT, message_ref=found, dm_channel=channel, duplicate=True)
            bucket = self._channels.setdefault(channel, TokenBucket(self.channel_rate, burst=1))
            await bucket.take()
            await self.workspace.take()
            arguments: dict[str, Any] = {"channel": channel, "text": rendered.text, "blocks": rendered.blocks}
            if metadata is not None:
                arguments["metadata"] = dict(metadata)
            response = await self.client.chat_postMessage(**arguments)
        except SlackApiError as exc:
            return self._failed(user, exc)
        except (ClientError, TimeoutError, OSError) as exc:  # refused, reset, timed out: unreachable
            return Delivery(DeliveryStatus.RETRY, error=f"{type(exc).__name__}: {exc}"[:500], unreachable=True)
        return Delivery(DeliveryStatus.SENT, message_ref=str(response["ts"]), dm_channel=channel)

    @staticmethod
    def _failed(user: User, exc: SlackApiError) -> Delivery:
        error = str(exc.response.get("error") or "unknown_error")
        status = exc.response.status_code
        if error in UNDELIVERABLE:
            log.info("DMs closed for user %s: %s", user.id, error)
            return Delivery(DeliveryStatus.DMS_CLOSED, error=error)
        if status == 429:
            wait = int(exc.response.headers.get("Retry-After", 1) or 1)
            return Delivery(
                DeliveryStatus.RETRY,
                error=f"ratelimited: retry after {wait}s",
                unreachable=True,
                retry_after=timedelta(seconds=wait),
            )
        if status >= 500:
            return Delivery(DeliveryStatus.RETRY, error=f"HTTP {status}: {error}"[:500], unreachable=True)
        return Delivery(DeliveryStatus.RETRY, error=f"HTTP {status}: {error}"[:500])

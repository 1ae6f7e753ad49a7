"""Sending one DM to a user and saying how it went: the one place that maps Discord's errors to a Delivery."""

from __future__ import annotations

import asyncio
import logging
import secrets

import aiohttp
import discord

from bot.domain.models import User
from bot.ports.coordination import SendBudget
from bot.ports.senders import Delivery, DeliveryStatus

log = logging.getLogger(__name__)

CANNOT_DM = 50007  # Discord's JSON error code: "Cannot send messages to this user"


class DirectMessages:
    """One request per message once the user's DM channel is known (it is stored with the user)."""

    def __init__(self, client: discord.Client, bucket: SendBudget) -> None:
        """`bucket` paces every message the bot posts: nudges, digests and coaching's DMs alike."""
        self.client = client
        self.bucket = bucket
        self._opening: dict[int, asyncio.Future[discord.DMChannel]] = {}

    async def _open(self, user_id: int) -> discord.DMChannel:
        """One request per user, even when several of their messages go out at once."""
        opening = self._opening.get(user_id)
        if opening is None:
            opening = asyncio.ensure_future(self.client.create_dm(discord.Object(user_id)))
            self._opening[user_id] = opening
            opening.add_done_callback(lambda _: self._opening.pop(user_id, None))
        return await asyncio.shield(opening)

    async def _post(
        self, channel_id: int, embed: discord.Embed, view: discord.ui.View | None, nonce: str
    ) -> discord.Message:
        channel = self.client.get_partial_messageable(channel_id, type=discord.ChannelType.private)
        await self.bucket.take()
        if view is None:
            return await channel.send(embed=embed, nonce=nonce)
        return await channel.send(embed=embed, view=view, nonce=nonce)

    async def send(
        self, user: User, embed: discord.Embed, *, view: discord.ui.View | None = None, nonce: str | None = None
    ) -> Delivery:
        """Never raises for a delivery failure: a Delivery says whether to retry. Give a fixed `nonce` to have
        Discord drop a resend of the same message (within a few minutes); without one, each send is new."""
        nonce = nonce or secrets.token_hex(12)
        channel_id = user.dm_channel
        try:
            if channel_id is None:
                channel_id = str((await self._open(int(user.external_id))).id)
            try:
                message = await self._post(int(channel_id), embed, view, nonce)
            except discord.NotFound:
                if user.dm_channel is None:
                    raise
                # The stored channel is gone on Discord's side: open the DM afresh, once.
                channel_id = str((await self._open(int(user.external_id))).id)
                message = await self._post(int(channel_id), embed, view, nonce)
        except discord.Forbidden as exc:
            if exc.code == CANNOT_DM:
                log.info("DMs closed for user %s", user.id)
                return Delivery(DeliveryStatus.DMS_CLOSED, error=str(exc))
            return Delivery(DeliveryStatus.RETRY, error=f"Forbidden {exc.code}: {exc.text}")
        except discord.HTTPException as exc:
            error = f"HTTP {exc.status} ({exc.code}): {exc.text}"[:500]
            if 400 <= exc.status < 500 and exc.status != 429:
                return Delivery(DeliveryStatus.REJECTED, error=error)  # the same request would fail the same way
            # A 5xx, or a 429 that discord.py's own retries did not get past: Discord's trouble, not the message's.
            return Delivery(DeliveryStatus.RETRY, error=error, unreachable=True)
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:  # refused, reset, timed out: unreachable
            return Delivery(DeliveryStatus.RETRY, error=f"{type(exc).__name__}: {exc}"[:500], unreachable=True)
        return Delivery(DeliveryStatus.SENT, message_ref=str(message.id), dm_channel=channel_id)

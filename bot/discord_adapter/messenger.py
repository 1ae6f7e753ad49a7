"""Coaching's DMs: a coach's weekly digest, and a coach's note to a seeker."""

from __future__ import annotations

import logging

import aiohttp
import discord

from bot.core.coaching import Digest, Encouragement
from bot.core.models import User
from bot.core.ports import Delivery, DeliveryStatus
from bot.discord_adapter import coach_embeds
from bot.discord_adapter.notifier import CANNOT_DM

log = logging.getLogger(__name__)


class DiscordMessenger:
    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def send_digest(self, coach: User, digest: Digest) -> Delivery:
        # Fixed per coach and digest, so a resend after a crash is de-duplicated by Discord.
        nonce = f"dg{coach.id}t{int(digest.until.timestamp())}"[:25]
        return await self._send(coach, coach_embeds.digest(digest), nonce)

    async def send_encouragement(self, seeker: User, note: Encouragement) -> Delivery:
        return await self._send(seeker, coach_embeds.encouragement(note))

    async def _send(self, user: User, embed: discord.Embed, nonce: str | None = None) -> Delivery:
        channel_id = user.dm_channel
        try:
            if channel_id is None:
                dm = await self.client.create_dm(discord.Object(int(user.external_id)))
                channel_id = str(dm.id)
            channel = self.client.get_partial_messageable(int(channel_id), type=discord.ChannelType.private)
            message = await (channel.send(embed=embed) if nonce is None else channel.send(embed=embed, nonce=nonce))
        except discord.Forbidden as exc:
            if exc.code == CANNOT_DM:
                log.info("DMs closed for user %s", user.id)
                return Delivery(DeliveryStatus.DMS_CLOSED, error=str(exc))
            return Delivery(DeliveryStatus.RETRY, error=f"Forbidden {exc.code}: {exc.text}")
        except discord.HTTPException as exc:
            return Delivery(DeliveryStatus.RETRY, error=f"HTTP {exc.status} ({exc.code}): {exc.text}"[:500])
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            return Delivery(DeliveryStatus.RETRY, error=f"{type(exc).__name__}: {exc}"[:500])
        return Delivery(DeliveryStatus.SENT, message_ref=str(message.id), dm_channel=channel_id)

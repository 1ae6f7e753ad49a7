"""Delivers nudges as DMs. One request per nudge once the DM channel is known."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import discord

from bot.core.models import Nudge
from bot.core.ports import Delivery, DeliveryStatus
from bot.discord_adapter import embeds
from bot.discord_adapter.views import nudge_view

log = logging.getLogger(__name__)

CANNOT_DM = 50007  # Discord's JSON error code: "Cannot send messages to this user"


def nonce(nudge: Nudge) -> str:
    """Fixed per follow-up and snooze, so a resend after a crash is de-duplicated by Discord."""
    return f"ft{nudge.follow_up.id}s{nudge.follow_up.snoozes}"[:25]


class DiscordNotifier:
    def __init__(self, client: discord.Client) -> None:
        self.client = client
        self._opening: dict[int, asyncio.Future[discord.DMChannel]] = {}

    async def _open_dm(self, user_id: int) -> discord.DMChannel:
        """One request per user, even when several of their nudges go out at once."""
        opening = self._opening.get(user_id)
        if opening is None:
            opening = asyncio.ensure_future(self.client.create_dm(discord.Object(user_id)))
            self._opening[user_id] = opening
            opening.add_done_callback(lambda _: self._opening.pop(user_id, None))
        return await asyncio.shield(opening)

    async def send(self, nudge: Nudge) -> Delivery:
        channel_id = nudge.user.dm_channel
        try:
            if channel_id is None:
                dm = await self._open_dm(int(nudge.user.external_id))
                channel_id = str(dm.id)
            channel = self.client.get_partial_messageable(int(channel_id), type=discord.ChannelType.private)
            message = await channel.send(embed=embeds.nudge(nudge), view=nudge_view(nudge), nonce=nonce(nudge))
        except discord.Forbidden as exc:
            if exc.code == CANNOT_DM:
                log.info("DMs closed for user %s; follow-up %s undeliverable", nudge.user.id, nudge.follow_up.id)
                return Delivery(DeliveryStatus.DMS_CLOSED, error=str(exc))
            return Delivery(DeliveryStatus.RETRY, error=f"Forbidden {exc.code}: {exc.text}")
        except discord.HTTPException as exc:
            return Delivery(DeliveryStatus.RETRY, error=f"HTTP {exc.status} ({exc.code}): {exc.text}"[:500])
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            return Delivery(DeliveryStatus.RETRY, error=f"{type(exc).__name__}: {exc}"[:500])
        return Delivery(DeliveryStatus.SENT, message_ref=str(message.id), dm_channel=channel_id)

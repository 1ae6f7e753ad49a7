"""Coaching's DMs: a coach's weekly digest, and a coach's note to a seeker."""

from __future__ import annotations

from bot.core.coaching import Digest, Encouragement
from bot.core.models import User
from bot.core.ports import Delivery
from bot.discord_adapter import coach_embeds
from bot.discord_adapter.direct_messages import DirectMessages


class DiscordMessenger:
    def __init__(self, dms: DirectMessages) -> None:
        self.dms = dms

    async def send_digest(self, coach: User, digest: Digest) -> Delivery:
        # Fixed per coach and digest, so a resend after a crash is de-duplicated by Discord.
        nonce = f"dg{coach.id}t{int(digest.until.timestamp())}"[:25]
        return await self.dms.send(coach, coach_embeds.digest(digest), nonce=nonce)

    async def send_encouragement(self, seeker: User, note: Encouragement) -> Delivery:
        return await self.dms.send(seeker, coach_embeds.encouragement(note))

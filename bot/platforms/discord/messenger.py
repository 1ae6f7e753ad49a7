"""Coaching's DMs: a coach's weekly digest, a coach's note to a seeker, news of a co-coach or a deleted group."""

from __future__ import annotations

from datetime import datetime

from bot.content import coaching
from bot.content.digest import digest as digest_message
from bot.domain.coaching import CoachAdded, Digest, Encouragement, GroupDeleted
from bot.domain.models import User
from bot.platforms.discord import render
from bot.platforms.discord.direct_messages import DirectMessages
from bot.ports.senders import Delivery


def digest_nonce(coach_id: int, slot: datetime) -> str:
    """Fixed per coach and weekly slot, so Discord drops a digest rebuilt and resent after a crash.
    At most 25 characters (Discord's limit) for ids below 10^12."""
    return f"dg{coach_id}t{int(slot.timestamp())}"


class DiscordMessenger:
    def __init__(self, dms: DirectMessages) -> None:
        self.dms = dms

    async def send_digest(self, coach: User, digest: Digest) -> Delivery:
        return await self.dms.send(
            coach, render.embed(digest_message(digest)), nonce=digest_nonce(coach.id, digest.slot)
        )

    async def send_encouragement(self, seeker: User, note: Encouragement) -> Delivery:
        return await self.dms.send(seeker, render.embed(coaching.encouragement(note)))

    async def send_coach_added(self, seeker: User, notice: CoachAdded) -> Delivery:
        return await self.dms.send(seeker, render.embed(coaching.coach_added_notice(notice)))

    async def send_group_deleted(self, user: User, notice: GroupDeleted) -> Delivery:
        return await self.dms.send(user, render.embed(coaching.group_deleted_notice(notice)))

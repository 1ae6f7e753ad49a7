"""Coaching's DMs on Slack: a coach's weekly digest, a coach's note to a seeker, news of a co-coach or a
deleted group."""

from __future__ import annotations

from typing import Any

from bot.content import coaching
from bot.content.digest import digest as digest_message
from bot.domain.coaching import CoachAdded, Digest, Encouragement, GroupDeleted
from bot.domain.models import User
from bot.platforms.slack.direct_messages import SlackDirectMessages
from bot.platforms.slack.render import render
from bot.ports.senders import Delivery

DIGEST_EVENT = "follow_through_digest"


def digest_metadata(coach: User, digest: Digest) -> dict[str, Any]:
    """Fixed per coach and weekly slot, so a digest rebuilt after a crash is found in the DM, not sent twice."""
    return {"event_type": DIGEST_EVENT, "event_payload": {"coach": coach.id, "slot": int(digest.slot.timestamp())}}


class SlackMessenger:
    def __init__(self, dms: SlackDirectMessages) -> None:
        self.dms = dms

    async def send_digest(self, coach: User, digest: Digest) -> Delivery:
        return await self.dms.send(coach, render(digest_message(digest)), metadata=digest_metadata(coach, digest))

    async def send_encouragement(self, seeker: User, note: Encouragement) -> Delivery:
        return await self.dms.send(seeker, render(coaching.encouragement(note)))

    async def send_coach_added(self, seeker: User, notice: CoachAdded) -> Delivery:
        return await self.dms.send(seeker, render(coaching.coach_added_notice(notice)))

    async def send_group_deleted(self, user: User, notice: GroupDeleted) -> Delivery:
        return await self.dms.send(user, render(coaching.group_deleted_notice(notice)))

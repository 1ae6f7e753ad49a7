"""Delivers follow-up nudges as DMs with their buttons."""

from __future__ import annotations

from datetime import timedelta

from bot.content import nudges
from bot.domain.models import Nudge
from bot.platforms.discord import components, render
from bot.platforms.discord.direct_messages import DirectMessages
from bot.ports.senders import Delivery


def nonce(nudge: Nudge) -> str:
    """Fixed per follow-up and snooze, so a resend after a crash is de-duplicated by Discord. Its creation
    time is part of it: SQLite may give a deleted follow-up's id to a new one, and Discord de-duplicates
    every message the bot sends, so an id alone could swallow someone else's nudge. At most 25 characters."""
    follow_up = nudge.follow_up
    return f"ft{follow_up.id:x}s{follow_up.snoozes}t{int(follow_up.created_at.timestamp()):x}"


class DiscordNotifier:
    def __init__(self, dms: DirectMessages, snooze_by: timedelta) -> None:
        self.dms = dms
        self.snooze_by = snooze_by

    async def send(self, nudge: Nudge) -> Delivery:
        said = nudges.nudge(nudge, self.snooze_by)
        view = components.view(said.actions)
        return await self.dms.send(nudge.user, render.embed(said), view=view, nonce=nonce(nudge))

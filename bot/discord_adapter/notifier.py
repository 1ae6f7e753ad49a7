"""Delivers follow-up nudges as DMs with their buttons."""

from __future__ import annotations

from datetime import timedelta

from bot.core.models import Nudge
from bot.core.ports import Delivery
from bot.discord_adapter import embeds
from bot.discord_adapter.direct_messages import DirectMessages
from bot.discord_adapter.views import nudge_view


def nonce(nudge: Nudge) -> str:
    """Fixed per follow-up and snooze, so a resend after a crash is de-duplicated by Discord."""
    return f"ft{nudge.follow_up.id}s{nudge.follow_up.snoozes}"[:25]


class DiscordNotifier:
    def __init__(self, dms: DirectMessages, snooze_by: timedelta) -> None:
        self.dms = dms
        self.snooze_by = snooze_by

    async def send(self, nudge: Nudge) -> Delivery:
        view = nudge_view(nudge, self.snooze_by)
        return await self.dms.send(nudge.user, embeds.nudge(nudge), view=view, nonce=nonce(nudge))

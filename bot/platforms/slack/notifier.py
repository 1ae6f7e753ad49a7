"""Delivers follow-up nudges as Slack DMs (Block Kit, a text fallback and the nudge's metadata)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.content import nudges
from bot.domain.models import Nudge
from bot.platforms.slack import render
from bot.platforms.slack.direct_messages import SlackDirectMessages
from bot.ports.senders import Delivery

NUDGE_EVENT = "follow_through_nudge"


def metadata(nudge: Nudge) -> dict[str, Any]:
    """Fixed per follow-up and snooze (Slack has no nonce): found in the DM, it means this nudge was posted
    before a crash. The follow-up's creation time is part of it, as SQLite may reuse a deleted one's id."""
    follow_up = nudge.follow_up
    payload = {
        "follow_up_id": follow_up.id,
        "snoozes": follow_up.snoozes,
        "created": int(follow_up.created_at.timestamp()),
    }
    return {"event_type": NUDGE_EVENT, "event_payload": payload}


class SlackNotifier:
    def __init__(self, dms: SlackDirectMessages, snooze_by: timedelta) -> None:
        self.dms = dms
        self.snooze_by = snooze_by

    async def send(self, nudge: Nudge) -> Delivery:
        said = render.render(nudges.nudge(nudge, self.snooze_by))
        look = nudge.follow_up.may_have_been_sent  # a first claim was never posted: no conversations.history
        return await self.dms.send(nudge.user, said, metadata=metadata(nudge), look=look)

"""The Discord platform plug-in: what it offers the composition root, and its pacing (one bucket per bot token,
shared by nudges and coaching's DMs)."""

from __future__ import annotations

import asyncio
from datetime import time
from types import SimpleNamespace
from typing import Any

from pydantic import SecretStr

from bot.domain.models import QuietHours, User
from bot.platforms.discord.direct_messages import DirectMessages
from bot.platforms.discord.platform import DiscordPlatform
from bot.platforms.pacing import TokenBucket
from bot.ports.senders import DeliveryStatus
from bot.settings import DispatchSettings, Settings
from tests.support import UseCases

SEEKER = User(1, "discord", "42", "UTC", QuietHours(time(0), time(0)), "777", None, False)


class PostingClient:
    """Just enough of discord.Client for DirectMessages: records when each message is posted (loop time)."""

    def __init__(self) -> None:
        self.posted: list[float] = []

    def get_partial_messageable(self, channel_id: int, **_: Any) -> SimpleNamespace:
        async def send(**__: Any) -> SimpleNamespace:
            self.posted.append(asyncio.get_running_loop().time())
            return SimpleNamespace(id=len(self.posted))

        return SimpleNamespace(send=send)


async def test_every_message_waits_for_the_bucket() -> None:
    client = PostingClient()
    dms = DirectMessages(client, TokenBucket(rate=40, burst=1))  # type: ignore[arg-type]
    started = asyncio.get_running_loop().time()
    deliveries = await asyncio.gather(*(dms.send(SEEKER, None) for _ in range(5)))  # type: ignore[arg-type]
    assert {d.status for d in deliveries} == {DeliveryStatus.SENT}
    # One at once, then one every 1/40 s: at least 4/40 s in all.
    assert client.posted[-1] - started >= 4 / 40 - 0.005


def test_the_discord_platform_paces_nudges_and_dms_with_one_bucket_per_token(
    settings: Settings, services: UseCases
) -> None:
    settings = settings.model_copy(
        update={"discord_token": SecretStr("token"), "dispatch": DispatchSettings(send_rate=40)}
    )
    platform = DiscordPlatform(
        settings, services.clock, services.interviews, services.follow_ups, services.preferences, services.your_data
    )
    assert (platform.name, platform.suppresses_duplicates) == ("discord", True)
    assert platform.notifier.dms is platform.messenger.dms  # one client, one bucket, for both
    assert platform.notifier.dms.bucket.rate == 40

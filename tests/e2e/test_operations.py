"""/healthz and /metrics over real HTTP, from the real bot on the local Discord: not ready until Discord is
connected, ready after; the counters move when a nudge is sent."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.app import App
from bot.clocks import ManualClock
from bot.sandbox.discord import Sandbox
from bot.sandbox.local_bot import running_bot, sandbox_settings
from bot.settings import DispatchSettings, Settings
from tests.support import utc

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def settings(sandbox: Sandbox, tmp_path: Path) -> Settings:
    return sandbox_settings(
        sandbox,
        tmp_path / "ops.db",
        dispatch=DispatchSettings(send_rate=0, safety_poll=timedelta(hours=1)),
        ask_timezone=False,
        metrics_port=free_port(),
    )


async def get(settings: Settings, path: str) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{settings.metrics_port}{path}") as response,
    ):
        return response.status, await response.text()


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of the exposition by name and labels."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def test_healthz_is_503_naming_discord_until_it_is_connected_then_200(tmp_path: Path, clock: ManualClock) -> None:
    async with Sandbox() as sandbox:
        config = settings(sandbox, tmp_path)
        app = await App.build(config, clock, guild_ready_timeout=0.1)
        task = asyncio.create_task(app.start())
        try:
            with sandbox.holding_ready():
                await sandbox.wait_until(lambda: sandbox.identifies_held >= 1, what="the bot to IDENTIFY")
                assert await get(config, "/healthz") == (503, "not ready: discord\n")
            await sandbox.wait_for_ready()
            await asyncio.wait_for(app.bot.wait_until_ready(), 10)
            assert await get(config, "/healthz") == (200, "ready\n")
        finally:
            await app.close()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        with pytest.raises(aiohttp.ClientConnectionError):  # closed: nothing listens any more
            await get(config, "/healthz")


async def test_metrics_count_the_queue_and_move_when_nudges_are_sent(tmp_path: Path, clock: ManualClock) -> None:
    async with Sandbox() as sandbox:
        maya = sandbox.add_user("maya")
        config = settings(sandbox, tmp_path)
        async with running_bot(sandbox, config, clock) as app:
            await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
            status, text = await get(config, "/metrics")
            assert status == 200
            before = samples(text)
            platform = (("platform", "discord"),)
            pending = before[("followthrough_follow_ups_pending", platform)]
            assert pending >= 3  # thank-you email, note, what happens next, check-in call
            assert before[("followthrough_follow_ups_due", platform)] == 0
            assert ("followthrough_sends_total", (*platform, ("result", "sent"))) not in before

            clock.set(utc(2026, 11, 25, 16, 0, 30))  # the thank-you email and "what happens next", 30 s after due
            await sandbox.wait_for_dms(maya, 2)
            await app.dispatcher.wait_idle()
            after = samples((await get(config, "/metrics"))[1])
        assert after[("followthrough_sends_total", (*platform, ("result", "sent")))] == 2
        assert after[("followthrough_follow_ups_pending", platform)] == pending - 2
        assert after[("followthrough_nudge_lateness_seconds_count", platform)] == 2
        assert after[("followthrough_nudge_lateness_seconds_sum", platform)] == 60  # 30 s late each
        assert after[("followthrough_nudge_lateness_seconds_bucket", (("le", "15.0"), *platform))] == 0
        assert after[("followthrough_nudge_lateness_seconds_bucket", (("le", "60.0"), *platform))] == 2
        assert after[("followthrough_claim_seconds_count", ())] >= 1
        assert after[("followthrough_lease_expiries_total", ())] == 0

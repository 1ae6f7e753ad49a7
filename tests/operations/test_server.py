"""The operations server over real HTTP with stand-in checks: /healthz names every check that fails, raises or
hangs; /metrics shows the queue as counted at the scrape."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.operations import server
from bot.operations.metrics import PrometheusMetrics
from bot.operations.server import MetricsPortError, OperationsServer
from bot.ports.repositories import QueueCounts


class World:
    def __init__(self) -> None:
        self.database = "ok"
        self.slack = True
        self.counts = {"discord": QueueCounts(5, 2), "teams": QueueCounts(1, 1)}  # teams: not run here

    async def check_database(self) -> bool:
        if self.database == "raises":
            raise ConnectionError("gone")
        if self.database == "hangs":
            await asyncio.Event().wait()
        return True

    async def check_slack(self) -> bool:
        return self.slack

    async def queue(self) -> dict[str, QueueCounts]:
        return self.counts


@pytest.fixture
def world() -> World:
    return World()


@pytest.fixture
async def running(world: World, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[OperationsServer]:
    monkeypatch.setattr(server, "CHECK_TIMEOUT", 0.2)
    checks = {"database": world.check_database, "slack": world.check_slack}
    ops = OperationsServer("127.0.0.1", 0, checks, PrometheusMetrics(), world.queue, ["discord", "slack"])
    await ops.start()
    yield ops
    await ops.stop()


async def get(ops: OperationsServer, path: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{ops.port}{path}") as response:
        return response.status, await response.text()


async def test_healthz_names_each_check_that_fails_raises_or_hangs(world: World, running: OperationsServer) -> None:
    assert await get(running, "/healthz") == (200, "ready\n")
    world.slack = False
    assert await get(running, "/healthz") == (503, "not ready: slack\n")
    world.database = "raises"
    assert await get(running, "/healthz") == (503, "not ready: database, slack\n")
    world.database, world.slack = "hangs", True
    assert await get(running, "/healthz") == (503, "not ready: database\n")


async def test_metrics_show_the_queue_of_each_platform_and_zero_once_emptied(
    world: World, running: OperationsServer
) -> None:
    status, text = await get(running, "/metrics")
    assert status == 200
    assert 'followthrough_follow_ups_pending{platform="discord"} 5.0' in text
    assert 'followthrough_follow_ups_due{platform="discord"} 2.0' in text
    assert 'followthrough_follow_ups_pending{platform="slack"} 0.0' in text  # run here, nothing queued
    assert 'followthrough_follow_ups_due{platform="teams"} 1.0' in text
    world.counts = {}
    emptied = (await get(running, "/metrics"))[1]
    assert 'followthrough_follow_ups_pending{platform="discord"} 0.0' in emptied
    assert 'followthrough_follow_ups_due{platform="teams"} 0.0' in emptied  # not its last value


async def test_a_port_in_use_is_refused_naming_where(running: OperationsServer) -> None:
    second = OperationsServer("127.0.0.1", running.port, {}, PrometheusMetrics(), World().queue, [])
    with pytest.raises(MetricsPortError, match=f"cannot listen on 127.0.0.1:{running.port}"):
        await second.start()

"""/healthz and /metrics over HTTP (aiohttp), one server per process on METRICS_HOST:METRICS_PORT.

/healthz answers 200 "ready" only when every check passes (the database answers, each platform this process
runs is connected), else 503 naming what is not: a load balancer or orchestrator sends this process no work
and a deploy waits for it. /metrics is Prometheus' text format.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.operations.metrics import PrometheusMetrics
from bot.ports.repositories import QueueCounts

log = logging.getLogger(__name__)

Check = Callable[[], Awaitable[bool]]
CHECK_TIMEOUT = 2.0  # seconds: a database that does not answer within this is not ready


class MetricsPortError(Exception):
    """The server could not listen where METRICS_HOST and METRICS_PORT say."""


class OperationsServer:
    def __init__(
        self,
        host: str,
        port: int,
        checks: Mapping[str, Check],
        metrics: PrometheusMetrics,
        queue: Callable[[], Awaitable[Mapping[str, QueueCounts]]],
        platforms: list[str],
    ) -> None:
        """`checks`: what must hold for "ready", by the name /healthz gives when it does not."""
        self.host, self.port = host, port
        self.checks = dict(checks)
        self.metrics = metrics
        self.queue = queue
        self.platforms = platforms
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
        except OSError as exc:
            await runner.cleanup()
            raise MetricsPortError(f"cannot listen on {self.host}:{self.port}: {exc.strerror or exc}") from exc
        self._runner = runner
        self.port = runner.addresses[0][1]  # the one given, or the one chosen for port 0
        log.info("serving /healthz and /metrics on http://%s:%s", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def not_ready(self) -> list[str]:
        """The names of the checks that fail (or take longer than CHECK_TIMEOUT, or raise)."""
        names = list(self.checks)
        results = await asyncio.gather(*(self._passes(n, self.checks[n]) for n in names))
        return [name for name, ok in zip(names, results, strict=True) if not ok]

    @staticmethod
    async def _passes(name: str, check: Check) -> bool:
        try:
            return await asyncio.wait_for(check(), CHECK_TIMEOUT)
        except Exception as exc:  # noqa: BLE001 - not ready, logged in a line (probes come every few seconds)
            log.warning("health check %s failed: %s", name, type(exc).__name__)
            return False

    async def _healthz(self, request: web.Request) -> web.Response:
        failing = await self.not_ready()
        if failing:
            return web.Response(status=503, text=f"not ready: {', '.join(failing)}\n")
        return web.Response(text="ready\n")

    async def _metrics(self, request: web.Request) -> web.Response:
        body = self.metrics.exposition(await self.queue(), self.platforms)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

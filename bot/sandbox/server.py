"""What the local Discord and the local Slack share as servers on 127.0.0.1: a context manager, an outage."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from types import TracebackType
from typing import Self


class LocalServer:
    """Subclasses set `host`, `port` and `_requested_port`, and say how they start and stop."""

    host: str
    port: int
    _requested_port: int

    async def start(self) -> None:
        raise NotImplementedError

    async def stop(self) -> None:
        raise NotImplementedError

    @contextlib.asynccontextmanager
    async def outage(self) -> AsyncIterator[None]:
        """The platform unreachable: connections are refused (sockets dropped) inside the block, then it
        listens at the same port again, with everything it knew kept."""
        port = self.port
        await self.stop()
        try:
            yield
        finally:
            self._requested_port = port
            await self.start()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

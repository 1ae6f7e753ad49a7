"""Bot-independent fakes for the use cases' ports."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from bot.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

AREAS = ("users", "interviews", "follow_ups", "groups", "digests", "histories", "user_data")

Call = tuple[str, str, str]  # (transaction or reading, repository, method)


class _RecordedRepository:
    def __init__(self, repository: object, mode: str, area: str, calls: list[Call]) -> None:
        self._repository, self._mode, self._area, self._calls = repository, mode, area, calls

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._repository, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            self._calls.append((self._mode, self._area, name))
            return method(*args, **kwargs)

        return call


class _RecordedUnitOfWork:
    def __init__(self, uow: UnitOfWork, mode: str, calls: list[Call]) -> None:
        for area in AREAS:
            setattr(self, area, _RecordedRepository(getattr(uow, area), mode, area, calls))


class RecordingUnitOfWork:
    """A real unit of work factory, recording every repository call and whether it ran inside a transaction."""

    def __init__(self, inner: UnitOfWorkFactory) -> None:
        self.inner = inner
        self.calls: list[Call] = []

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Any]:
        async with self.inner.transaction() as uow:
            yield _RecordedUnitOfWork(uow, "transaction", self.calls)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Any]:
        async with self.inner.reading() as uow:
            yield _RecordedUnitOfWork(uow, "reading", self.calls)

    def modes(self, area: str, method: str) -> set[str]:
        """Where `area.method` was called: "transaction", "reading", or both."""
        return {mode for mode, a, m in self.calls if (a, m) == (area, method)}

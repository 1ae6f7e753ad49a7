"""Use cases racing each other on one database, as two processes would (READ COMMITTED on PostgreSQL).

One side runs on a unit of work that stops right after a chosen repository call (its check), the other runs
in full meanwhile; then the first goes on. A use case that checks and then writes must hold what it checked
until it commits: the other side waits for it, and then sees what it wrote.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from bot.clocks import ManualClock
from bot.domain.errors import InvalidInput
from bot.domain.models import FollowUpKind, FollowUpStatus
from bot.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from bot.settings import Settings
from bot.usecases.actors import Accounts
from bot.usecases.coach_access import CoachAccess
from bot.usecases.follow_ups import FollowUpService
from bot.usecases.groups import GroupService
from bot.usecases.interviews import InterviewService
from tests.coach_support import RecordingMessenger
from tests.fakes import AREAS
from tests.support import ALICE, BOB

LET_IT_SHOW = 0.5  # seconds the other side gets to finish if nothing holds it back (the bug); a pass never waits on it
GIVE_UP = 10.0  # seconds: a side that never gets to its check fails the test instead of hanging it


class _StoppingRepository:
    def __init__(self, repository: object, stop: Callable[[], Any] | None) -> None:
        self._repository, self._stop = repository, stop

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._repository, name)
        if self._stop is None or name != self._stop.__name__:
            return method

        async def call(*args: Any, **kwargs: Any) -> Any:
            result = await method(*args, **kwargs)
            await self._stop()
            return result

        return call


class StopAfter:
    """A real unit of work factory whose first `area.method` call (reading or writing) stops, once, until the
    test lets it go on."""

    def __init__(self, inner: UnitOfWorkFactory, area: str, method: str) -> None:
        assert area in AREAS
        self.inner, self.area, self.method = inner, area, method
        self.reached = asyncio.Event()
        self.go_on = asyncio.Event()

    def _wrap(self, uow: UnitOfWork) -> Any:
        stops = self.area

        async def stop() -> None:
            if self.reached.is_set():
                return
            self.reached.set()
            await self.go_on.wait()

        stop.__name__ = self.method
        wrapped = type("StoppingUnitOfWork", (), {})()
        for area in AREAS:
            setattr(wrapped, area, _StoppingRepository(getattr(uow, area), stop if area == stops else None))
        return wrapped

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Any]:
        async with self.inner.transaction() as uow:
            yield self._wrap(uow)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Any]:
        async with self.inner.reading() as uow:
            yield self._wrap(uow)


def services(uow: UnitOfWorkFactory, clock: ManualClock, settings: Settings) -> tuple[Accounts, CoachAccess]:
    accounts = Accounts(uow, clock, settings.rules(), settings.user_defaults())
    return accounts, CoachAccess(accounts, RecordingMessenger(), settings.coach.defaults())


async def race(stopped: StopAfter, first: Any, second: Callable[[], Any]) -> list[Any]:
    """Start `first` (on `stopped`), run `second` in full once `first` made its check, then let `first` go on.
    The outcome of each, a value or the exception it raised."""
    one = asyncio.ensure_future(first)
    await asyncio.wait_for(stopped.reached.wait(), GIVE_UP)
    two = asyncio.ensure_future(second())
    await asyncio.wait({two}, timeout=LET_IT_SHOW)  # done at once without a lock; waits for `first` with one
    stopped.go_on.set()
    return list(await asyncio.wait_for(asyncio.gather(one, two, return_exceptions=True), GIVE_UP))


async def test_a_check_in_logged_while_the_outcome_is_recorded_leaves_no_call_on_the_closed_interview(
    backend: UnitOfWorkFactory, clock: ManualClock, settings: Settings
) -> None:
    accounts, _ = services(backend, clock, settings)
    interviews = InterviewService(accounts)
    made = await interviews.record_interview(ALICE, "Acme", "Engineer", "yesterday 2pm")
    job = str(made.interview.id)
    stopped = StopAfter(backend, "interviews", "is_open")
    slow = InterviewService(services(stopped, clock, settings)[0])
    await race(
        stopped,
        slow.log_check_in(ALICE, job, "no news yet"),
        lambda: interviews.record_outcome(ALICE, job, "offer"),
    )
    async with backend.reading() as uow:
        left = [f for f in await uow.follow_ups.of_interview(made.interview.id) if f.status.is_open]
        closed = await uow.interviews.get(made.interview.user_id, made.interview.id)
    assert closed is not None and closed.outcome is not None
    assert left == []


async def test_done_clicked_twice_on_a_check_in_plans_one_next_call(
    backend: UnitOfWorkFactory, clock: ManualClock, settings: Settings
) -> None:
    accounts, _ = services(backend, clock, settings)
    made = await InterviewService(accounts).record_interview(ALICE, "Acme", "Engineer", "yesterday 2pm")
    [call] = [f for f in made.follow_ups if f.kind is FollowUpKind.CHECK_IN]
    stopped = StopAfter(backend, "follow_ups", "get")  # the first click has read the call as open
    got = await race(
        stopped,
        FollowUpService(services(stopped, clock, settings)[0]).complete(ALICE, call.id),
        lambda: FollowUpService(accounts).complete(ALICE, call.id),
    )
    assert [g.follow_up.status for g in got] == [FollowUpStatus.DONE] * 2  # the second click: already done
    async with backend.reading() as uow:
        calls = [f for f in await uow.follow_ups.of_interview(made.interview.id) if f.kind is FollowUpKind.CHECK_IN]
    assert sorted(f.status.value for f in calls) == ["done", "pending"]


async def test_a_snooze_clicked_as_the_follow_up_is_done_leaves_it_done(
    backend: UnitOfWorkFactory, clock: ManualClock, settings: Settings
) -> None:
    accounts, _ = services(backend, clock, settings)
    made = await InterviewService(accounts).record_interview(ALICE, "Acme", "Engineer", "yesterday 2pm")
    [call] = [f for f in made.follow_ups if f.kind is FollowUpKind.CHECK_IN]
    stopped = StopAfter(backend, "follow_ups", "get")  # the snooze has read the call as open
    got = await race(
        stopped,
        FollowUpService(services(stopped, clock, settings)[0]).snooze(ALICE, call.id),
        lambda: FollowUpService(accounts).complete(ALICE, call.id),
    )
    assert isinstance(got[0], InvalidInput) and "already done" in got[0].message
    async with backend.reading() as uow:
        now = await uow.follow_ups.get(made.interview.user_id, call.id)
    assert now is not None and now.status is FollowUpStatus.DONE


async def test_a_group_name_is_taken_once_when_created_twice_at_once(
    backend: UnitOfWorkFactory, clock: ManualClock, settings: Settings
) -> None:
    stopped = StopAfter(backend, "groups", "coached_by")
    got = await race(
        stopped,
        GroupService(services(stopped, clock, settings)[1]).create_group(ALICE, "Job Club", "Alice"),
        lambda: GroupService(services(backend, clock, settings)[1]).create_group(ALICE, "job club", "Alice"),
    )
    assert isinstance(got[1], InvalidInput) and "already coach a group" in got[1].template
    assert [g.name for g in await GroupService(services(backend, clock, settings)[1]).coached_groups(ALICE)] == [
        "Job Club"
    ]


async def test_a_co_coach_added_twice_at_once_already_coaches(
    backend: UnitOfWorkFactory, clock: ManualClock, settings: Settings
) -> None:
    groups = GroupService(services(backend, clock, settings)[1])
    club = await groups.create_group(ALICE, "Job Club", "Alice")
    stopped = StopAfter(backend, "groups", "is_coach")
    got = await race(
        stopped,
        GroupService(services(stopped, clock, settings)[1]).add_coach(ALICE, str(club.id), BOB, "Bob"),
        lambda: groups.add_coach(ALICE, str(club.id), BOB, "Bob"),
    )
    assert got[0] == club
    assert isinstance(got[1], InvalidInput), got[1]
    assert got[1].template == "{member} already coaches “{group}”."

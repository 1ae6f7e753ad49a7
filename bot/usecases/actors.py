"""Who is asking, and what every seeker use case shares: the unit of work, the clock, the rules, and the
user behind an actor (created on their first write)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain import plan
from bot.domain.models import FollowUp, FollowUpStatus, QuietHours, User
from bot.domain.rules import FollowUpRules, UserDefaults
from bot.ports.clock import Clock
from bot.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is asking, as their chat platform names them (and, where it has them, the workspace they are in)."""

    platform: str
    external_id: str
    workspace: str | None = None


class Accounts:
    """The collaborators the use cases share, and the user behind an actor."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, rules: FollowUpRules, defaults: UserDefaults) -> None:
        self.uow = uow
        self.clock = clock
        self.rules = rules
        self.defaults = defaults
        self._schedule_listeners: list[Callable[[datetime], None]] = []

    def on_follow_up_scheduled(self, listener: Callable[[datetime], None]) -> None:
        """`listener(notify_at)` hears of every follow-up (re)scheduled, so a dispatcher can wake sooner."""
        self._schedule_listeners.append(listener)

    def scheduled(self, follow_ups: list[FollowUp]) -> None:
        pending = [f.notify_at for f in follow_ups if f.status is FollowUpStatus.PENDING]
        if pending:
            self.wake(min(pending))

    def wake(self, notify_at: datetime) -> None:
        for listener in self._schedule_listeners:
            listener(notify_at)

    async def find(self, actor: Actor) -> User | None:
        """The actor's user, without creating them: a stranger owns nothing."""
        async with self.uow.reading() as uow:
            return await uow.users.get(actor.platform, actor.external_id, actor.workspace)

    async def user(self, actor: Actor) -> User:
        existing = await self.find(actor)
        if existing is not None:
            return existing
        async with self.uow.transaction() as uow:
            return await self.create(uow, actor)

    async def create(self, uow: UnitOfWork, actor: Actor) -> User:
        default = self.default_prefs()
        return await uow.users.create(
            actor.platform, actor.external_id, default.zone.key, default.quiet_hours, self.clock.now(), actor.workspace
        )

    def default_prefs(self) -> plan.Prefs:
        """What a user who never set anything gets; nothing is stored for them until they write."""
        quiet = QuietHours(self.rules.quiet_hours_start, self.rules.quiet_hours_end)
        return plan.Prefs(zone=ZoneInfo(self.defaults.timezone), quiet_hours=quiet)

    async def zone(self, actor: Actor) -> ZoneInfo:
        """The actor's time zone, without creating them (autocomplete runs on every keystroke)."""
        existing = await self.find(actor)
        return self.default_prefs().zone if existing is None else existing.zone

    @staticmethod
    def prefs(user: User) -> plan.Prefs:
        return plan.Prefs(zone=user.zone, quiet_hours=user.quiet_hours)

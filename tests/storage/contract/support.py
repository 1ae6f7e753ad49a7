"""Builders for the contract tests: they go through the ports only."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.domain.models import FollowUp, FollowUpDraft, FollowUpKind, Interview, QuietHours, User
from bot.ports.repositories import NewInterview
from bot.ports.unit_of_work import UnitOfWorkFactory
from tests.support import WEDNESDAY_1500_UTC

NOW = WEDNESDAY_1500_UTC
QUIET = QuietHours(time(21), time(8))
ME = "host:1:aaaaaa"  # the claimant id of the process the contract tests act as
PLATFORMS = ["test"]  # the platforms a claim is for: those whose users `user` makes by default


async def user(uow: UnitOfWorkFactory, name: str = "alice", platform: str = "test") -> User:
    async with uow.transaction() as tx:
        return await tx.users.create(platform, name, "UTC", QUIET, NOW)


def new_interview(company: str = "Acme", role: str = "Engineer", at: datetime = NOW) -> NewInterview:
    return NewInterview(company, role, at, interviewer="Dana", contact="dana@acme.test", notes="panel")


async def interview(uow: UnitOfWorkFactory, owner: User, company: str = "Acme", at: datetime = NOW) -> Interview:
    async with uow.transaction() as tx:
        return await tx.interviews.insert(owner.id, new_interview(company, at=at), NOW)


async def follow_ups(
    uow: UnitOfWorkFactory, of: Interview, *notify_offsets: timedelta, kind: FollowUpKind = FollowUpKind.CHECK_IN
) -> list[FollowUp]:
    """One follow-up per offset from NOW, in the order given, each due and notified at NOW + offset."""
    drafts = [FollowUpDraft(kind, NOW + offset, NOW + offset) for offset in notify_offsets]
    async with uow.transaction() as tx:
        return await tx.follow_ups.insert(of.id, of.user_id, drafts, NOW)

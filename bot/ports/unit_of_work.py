"""The unit of work: one transaction (or one consistent read) and the repositories bound to it."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Protocol

from bot.ports.repositories import Digests, FollowUps, Groups, Interviews, SeekerHistories, UserData, Users


class UnitOfWork(Protocol):
    @property
    def users(self) -> Users: ...
    @property
    def interviews(self) -> Interviews: ...
    @property
    def follow_ups(self) -> FollowUps: ...
    @property
    def groups(self) -> Groups: ...
    @property
    def digests(self) -> Digests: ...
    @property
    def histories(self) -> SeekerHistories: ...
    @property
    def user_data(self) -> UserData: ...


class UnitOfWorkFactory(Protocol):
    def transaction(self) -> AbstractAsyncContextManager[UnitOfWork]:
        """Writes (and the reads they depend on): committed on exit, rolled back if the block raises."""
        ...

    def reading(self) -> AbstractAsyncContextManager[UnitOfWork]:
        """Reads only; takes no write lock. Writing through it is a bug."""
        ...

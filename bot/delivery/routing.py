"""Coaching's DMs routed by the recipient's platform, as the dispatcher routes nudges."""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.coaching import CoachAdded, Digest, Encouragement, GroupDeleted
from bot.domain.models import User
from bot.ports.senders import Delivery, DeliveryStatus, Messenger


class Messengers:
    """A Messenger that hands each DM to the messenger of the recipient's platform (by platform name)."""

    def __init__(self, messengers: Mapping[str, Messenger]) -> None:
        self.by_platform = dict(messengers)
        self.platforms = sorted(messengers)

    def _of(self, user: User) -> Messenger | None:
        return self.by_platform.get(user.platform)

    @staticmethod
    def _not_here(user: User) -> Delivery:
        """Someone on a platform this process does not run (a group with members on two): tried again later."""
        return Delivery(DeliveryStatus.RETRY, error=f"the {user.platform} platform is not running in this process")

    async def send_digest(self, coach: User, digest: Digest) -> Delivery:
        messenger = self._of(coach)
        return self._not_here(coach) if messenger is None else await messenger.send_digest(coach, digest)

    async def send_encouragement(self, seeker: User, note: Encouragement) -> Delivery:
        messenger = self._of(seeker)
        return self._not_here(seeker) if messenger is None else await messenger.send_encouragement(seeker, note)

    async def send_coach_added(self, seeker: User, notice: CoachAdded) -> Delivery:
        messenger = self._of(seeker)
        return self._not_here(seeker) if messenger is None else await messenger.send_coach_added(seeker, notice)

    async def send_group_deleted(self, user: User, notice: GroupDeleted) -> Delivery:
        messenger = self._of(user)
        return self._not_here(user) if messenger is None else await messenger.send_group_deleted(user, notice)

"""A seeker's own data: the whole record as JSON and their interviews as CSV, and deleting all of it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.content.spreadsheet import cell, csv_bytes, when
from bot.domain.errors import InvalidInput, NotFound
from bot.storage.sqlite.user_data import UserDataRepo
from bot.usecases.services import Actor, Services

FORMAT = "follow-through-export/1"
CONFIRM_WITHIN = timedelta(minutes=10)
INTERVIEW_COLUMNS = (
    "id",
    "company",
    "role",
    "scheduled_at",
    "interviewer",
    "contact",
    "notes",
    "check_back_at",
    "outcome",
    "outcome_at",
    "outcome_notes",
)


@dataclass(frozen=True, slots=True)
class Export:
    record_json: bytes
    interviews_csv: bytes


class MyData:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.clock = services.clock
        self.repo = UserDataRepo(services.db)

    async def export(self, actor: Actor) -> Export:
        user = await self.services.users.get(actor.platform, actor.external_id, actor.workspace)
        if user is None:
            raise NotFound("I have nothing stored about you.")
        tables = await self.repo.export(user.id)
        record = {
            "format": FORMAT,
            "exported_at": self.clock.now().isoformat(),
            "shared_with": await self.repo.shared_with(user.id),  # memberships named, with who sees them
            "tables": tables,
        }
        return Export(
            record_json=json.dumps(record, indent=2, ensure_ascii=False).encode("utf-8"),
            interviews_csv=await self._interviews_csv(user.id),
        )

    async def _interviews_csv(self, user_id: int) -> bytes:
        interviews = await self.services.interviews.list_for_user(user_id, include_closed=True)
        steps = await self.services.interviews.next_steps([i.id for i in interviews])
        return csv_bytes(
            INTERVIEW_COLUMNS,
            (
                (
                    i.id,
                    cell(i.company),
                    cell(i.role),
                    when(i.scheduled_at),
                    cell(i.interviewer or ""),
                    cell(i.contact or ""),
                    cell(i.notes or ""),
                    when(steps[i.id].check_back_at if i.id in steps else None),
                    i.outcome.value if i.outcome else "",
                    when(i.outcome_at),
                    cell(i.outcome_notes or ""),
                )
                for i in sorted(interviews, key=lambda i: i.scheduled_at)
            ),
        )

    def confirmation_expired(self, asked_at: datetime) -> bool:
        return not asked_at <= self.clock.now() <= asked_at + CONFIRM_WITHIN

    async def delete(self, actor: Actor, asked_at: datetime) -> None:
        """Delete everything about the actor in one transaction, if they confirmed in time."""
        if self.confirmation_expired(asked_at):
            raise InvalidInput("That confirmation has expired. Run /mydata delete again if you still want to.")
        user = await self.services.users.get(actor.platform, actor.external_id, actor.workspace)
        if user is None:
            raise NotFound("I have nothing stored about you.")
        async with self.services.db.transaction() as tx:
            await self.repo.delete(tx, user.id)

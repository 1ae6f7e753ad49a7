"""A seeker's own data: the whole record as JSON and their interviews as CSV, and deleting all of it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from bot.content.spreadsheet import cell, csv_bytes, when
from bot.domain.errors import InvalidInput, NotFound
from bot.usecases.actors import Accounts, Actor

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


class YourData:
    def __init__(self, accounts: Accounts) -> None:
        self.accounts = accounts
        self.uow = accounts.uow
        self.clock = accounts.clock

    async def export(self, actor: Actor) -> Export:
        user = await self.accounts.find(actor)
        if user is None:
            raise NotFound("I have nothing stored about you.")
        async with self.uow.reading() as uow:
            tables = await uow.user_data.export(user.id)
            shared_with = await uow.user_data.shared_with(user.id)  # memberships named, with who sees them
        record = {
            "format": FORMAT,
            "exported_at": self.clock.now().isoformat(),
            "shared_with": [asdict(group) for group in shared_with],
            "tables": tables,
        }
        return Export(
            record_json=json.dumps(record, indent=2, ensure_ascii=False).encode("utf-8"),
            interviews_csv=await self._interviews_csv(user.id),
        )

    async def _interviews_csv(self, user_id: int) -> bytes:
        async with self.uow.reading() as uow:
            interviews = await uow.interviews.list_for_user(user_id, include_closed=True)
            steps = await uow.interviews.next_steps([i.id for i in interviews])
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
            raise InvalidInput("That confirmation has expired. Run {delete_data} again if you still want to.")
        user = await self.accounts.find(actor)
        if user is None:
            raise NotFound("I have nothing stored about you.")
        async with self.uow.transaction() as uow:
            await uow.user_data.delete(user.id)

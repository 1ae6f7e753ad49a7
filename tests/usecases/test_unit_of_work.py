"""The reads a write depends on run inside that write's transaction (with a pool, only those see its writes)."""

from __future__ import annotations

from bot.clocks import ManualClock
from bot.settings import Settings
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.unit_of_work import SqliteUnitOfWorkFactory
from bot.usecases.actors import Accounts
from bot.usecases.interviews import InterviewService
from bot.usecases.preferences import Preferences
from tests.fakes import RecordingUnitOfWork
from tests.support import ALICE


def recording(db: Database, clock: ManualClock, settings: Settings) -> tuple[RecordingUnitOfWork, Accounts]:
    uow = RecordingUnitOfWork(SqliteUnitOfWorkFactory(db))
    return uow, Accounts(uow, clock, settings.rules(), settings.user_defaults())


async def test_a_change_of_zone_or_quiet_hours_reads_the_pending_follow_ups_in_its_transaction(
    db: Database, clock: ManualClock, settings: Settings
) -> None:
    uow, accounts = recording(db, clock, settings)
    await InterviewService(accounts).record_interview(ALICE, "Acme", "Engineer", "tomorrow 2pm")
    preferences = Preferences(accounts)
    await preferences.set_timezone(ALICE, "Europe/Paris")
    await preferences.set_quiet_hours(ALICE, "22:00", "07:00")
    assert [m for m, a, f in uow.calls if (a, f) == ("follow_ups", "pending_for_user")] == ["transaction"] * 2


async def test_an_edit_and_the_answers_read_what_they_depend_on_in_their_transaction(
    db: Database, clock: ManualClock, settings: Settings
) -> None:
    uow, accounts = recording(db, clock, settings)
    interviews = InterviewService(accounts)
    made = await interviews.record_interview(ALICE, "Acme", "Engineer", "today 1pm")
    await interviews.edit_interview(ALICE, str(made.interview.id), when="today 3pm")  # replans its follow-ups
    await interviews.record_next_steps(ALICE, str(made.interview.id), check_back="next friday")
    await interviews.log_check_in(ALICE, str(made.interview.id), "no news yet")
    assert uow.modes("interviews", "is_open") == {"transaction"}
    assert uow.modes("follow_ups", "of_interview") == {"transaction"}
    assert uow.modes("interviews", "agreed_check_back") == {"transaction"}

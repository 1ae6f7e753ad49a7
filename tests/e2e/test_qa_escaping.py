"""A hostile name in an error reply comes back escaped as user text, as it does everywhere else."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import App
from bot.clocks import ManualClock
from bot.platforms.discord.render import escape
from bot.sandbox.discord import Sandbox, SandboxGuild, SandboxUser
from bot.sandbox.local_bot import running_bot
from bot.settings import Settings
from tests.e2e.helpers import reply
from tests.e2e.test_coach import create, join

pytestmark = pytest.mark.e2e

HOSTILE = "*bold* _x_ @everyone"


@pytest.fixture
def kim(sandbox: Sandbox) -> SandboxUser:
    return sandbox.add_user("kim")


@pytest.fixture
def guild(sandbox: Sandbox, kim: SandboxUser, maya: SandboxUser) -> SandboxGuild:
    return sandbox.add_guild("Career Centre", members=[kim, maya])


@pytest.fixture
async def app(sandbox: Sandbox, settings: Settings, clock: ManualClock, guild: SandboxGuild) -> AsyncIterator[App]:
    async with running_bot(sandbox, settings, clock) as running:
        yield running


def assert_escaped(text: str, what: str) -> None:
    assert what in text, text
    assert escape(HOSTILE) in text, text
    assert HOSTILE not in text and "@everyone" not in text, text


async def test_a_hostile_name_is_escaped_in_every_error_that_repeats_it(
    app: App, sandbox: Sandbox, guild: SandboxGuild, kim: SandboxUser, maya: SandboxUser
) -> None:
    code = await create(sandbox, kim, guild, HOSTILE)
    again = await sandbox.slash(kim, "coach create", {"name": HOSTILE}, guild=guild)
    assert_escaped(reply(again), "You already coach a group called")

    await join(sandbox, maya, code)
    await sandbox.slash(kim, "coach remove", {"member": maya}, guild=guild)
    refused = await sandbox.slash(maya, "coach join", {"code": code})
    assert_escaped(reply(refused), "removed you from it")

    await create(sandbox, kim, guild, "Spring")
    several = await sandbox.slash(kim, "coach invite new", {}, guild=guild)
    assert_escaped(reply(several), "You coach 2 groups")

    for when in ("Dec 1 10am", "Dec 1 2pm"):
        await sandbox.slash(maya, "interview add", {"company": HOSTILE, "role": "Analyst", "when": when})
    typed = await sandbox.slash(maya, "interview checkin", {"interview": "bold", "update": "No news"})
    assert_escaped(reply(typed), "Several of your interviews match")

    zone = await sandbox.slash(maya, "settings timezone", {"zone": HOSTILE})
    assert_escaped(reply(zone), "is not a time zone I know")
    when = await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": HOSTILE})
    assert_escaped(reply(when), "I couldn't read")

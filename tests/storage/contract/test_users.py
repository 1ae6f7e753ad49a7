"""Users on every backend: found by platform and id, their preferences, held commands and DM state."""

from __future__ import annotations

from datetime import time, timedelta

from bot.domain.models import QuietHours
from bot.ports.repositories import HeldCommand
from bot.ports.unit_of_work import UnitOfWorkFactory
from tests.storage.contract.support import NOW, QUIET, user


async def test_a_user_is_found_by_platform_and_external_id(backend: UnitOfWorkFactory) -> None:
    alice = await user(backend, "alice")
    other_platform = await user(backend, "alice", platform="other")
    assert other_platform.id != alice.id
    assert (alice.platform, alice.external_id, alice.timezone, alice.quiet_hours) == ("test", "alice", "UTC", QUIET)
    assert (alice.dm_channel, alice.dms_closed_at, alice.dms_closed_notice_pending) == (None, None, False)
    assert not alice.timezone_chosen
    async with backend.reading() as r:
        assert await r.users.get("test", "alice") == alice
        assert await r.users.get("other", "alice") == other_platform
        assert await r.users.get("test", "bob") is None
        assert await r.users.by_id(alice.id) == alice
        assert await r.users.by_ids([alice.id, other_platform.id, 999_999]) == {
            alice.id: alice,
            other_platform.id: other_platform,
        }


async def test_creating_an_existing_user_returns_them_unchanged(backend: UnitOfWorkFactory) -> None:
    alice = await user(backend)
    async with backend.transaction() as tx:
        again = await tx.users.create("test", "alice", "Europe/Paris", QuietHours(time(0), time(0)), NOW + timedelta(1))
    assert again == alice


async def test_preferences_are_kept(backend: UnitOfWorkFactory) -> None:
    alice = await user(backend)
    later = QuietHours(time(22, 30), time(6, 15))
    async with backend.transaction() as tx:
        await tx.users.set_timezone(alice.id, "America/New_York", NOW)
        await tx.users.set_quiet_hours(alice.id, later)
        await tx.users.set_share_notes(alice.id, True)
    async with backend.reading() as r:
        found = await r.users.by_id(alice.id)
        histories = await r.histories.load([alice.id])
    assert found is not None
    assert (found.timezone, found.quiet_hours, found.timezone_chosen) == ("America/New_York", later, True)
    assert histories[alice.id].share_notes


async def test_a_held_command_is_taken_once_by_its_owner(backend: UnitOfWorkFactory) -> None:
    alice, bob = await user(backend, "alice"), await user(backend, "bob")
    async with backend.transaction() as tx:
        held = await tx.users.hold_command(alice.id, "interview add", '{"company": "Acme"}', NOW)
    async with backend.transaction() as tx:
        assert await tx.users.take_command(bob.id, held) is None
        assert await tx.users.take_command(alice.id, held) == HeldCommand("interview add", '{"company": "Acme"}', NOW)
        assert await tx.users.take_command(alice.id, held) is None


async def test_held_commands_older_than_a_day_are_dropped(backend: UnitOfWorkFactory) -> None:
    alice = await user(backend)
    async with backend.transaction() as tx:
        old = await tx.users.hold_command(alice.id, "old", "{}", NOW)
        await tx.users.hold_command(alice.id, "new", "{}", NOW + timedelta(days=1, seconds=1))
    async with backend.transaction() as tx:
        assert await tx.users.take_command(alice.id, old) is None


async def test_closed_dms_are_noticed_once_and_reopened_by_a_channel(backend: UnitOfWorkFactory) -> None:
    alice, bob = await user(backend, "alice"), await user(backend, "bob")
    async with backend.transaction() as tx:
        await tx.users.mark_dms_closed([alice.id], NOW)
        await tx.users.mark_dms_closed([alice.id], NOW + timedelta(hours=1))  # the first time is kept
    async with backend.reading() as r:
        closed = await r.users.by_id(alice.id)
    assert closed is not None and (closed.dms_closed_at, closed.dms_closed_notice_pending) == (NOW, True)
    async with backend.transaction() as tx:
        assert await tx.users.take_dms_closed_notice(alice.id)
        assert not await tx.users.take_dms_closed_notice(alice.id)
        assert not await tx.users.take_dms_closed_notice(bob.id)
        await tx.users.mark_dms_closed([bob.id], NOW)
        await tx.users.record_dm_channels({alice.id: "dm-a", bob.id: "dm-b"})
    async with backend.reading() as r:
        found = await r.users.by_ids([alice.id, bob.id])
    for who, channel in ((alice.id, "dm-a"), (bob.id, "dm-b")):
        assert (found[who].dm_channel, found[who].dms_closed_at, found[who].dms_closed_notice_pending) == (
            channel,
            None,
            False,
        )


async def test_a_user_is_one_per_platform_workspace_and_id(backend: UnitOfWorkFactory) -> None:
    async with backend.transaction() as tx:
        discord = await tx.users.create("discord", "U1", "UTC", QUIET, NOW)
        again = await tx.users.create("discord", "U1", "UTC", QUIET, NOW)  # no workspace: still the same user
        first = await tx.users.create("slack", "U1", "UTC", QUIET, NOW, "T1")
        second = await tx.users.create("slack", "U1", "UTC", QUIET, NOW, "T2")
    assert again == discord and discord.workspace is None
    assert (first.workspace, second.workspace) == ("T1", "T2")
    assert len({discord.id, first.id, second.id}) == 3
    async with backend.reading() as r:
        assert await r.users.get("slack", "U1", "T2") == second
        assert await r.users.get("slack", "U1") is None
        assert await r.users.get("discord", "U1") == discord

"""Delivery through the real client when Discord misbehaves: closed DMs, 429s, errors, dropped gateways."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import App
from bot.clocks import ManualClock
from bot.domain.models import FollowUpStatus
from bot.sandbox.discord import SEND_MESSAGE, Sandbox, SandboxUser
from bot.sandbox.local_bot import running_bot, sandbox_settings
from bot.settings import Settings
from bot.storage.sqlite.unit_of_work import SqliteUnitOfWorkFactory
from tests.e2e.helpers import actor, nudge, reply, shown
from tests.support import utc

pytestmark = pytest.mark.e2e


async def statuses(app: App, user: SandboxUser) -> dict[str, FollowUpStatus]:
    return {f.follow_up.kind.value: f.follow_up.status for f in await app.follow_ups.open_follow_ups(actor(user))}


async def test_closed_dms_mark_undeliverable_and_the_next_command_says_how_to_open_them(
    app: App, sandbox: Sandbox, clock: ManualClock
) -> None:
    closed = sandbox.add_user("quiet", dms_open=False)
    await sandbox.slash(closed, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
    clock.set(utc(2026, 11, 25, 16))
    await sandbox.wait_until(
        lambda: any(r.status == 403 for r in sandbox.requests_to(SEND_MESSAGE)), what="the DM to bounce"
    )
    await app.dispatcher.stop()  # let the pass in flight record what happened
    assert (await statuses(app, closed))["thank_you_email"] is FollowUpStatus.UNDELIVERABLE
    bounced = len([r for r in sandbox.requests_to(SEND_MESSAGE) if r.status == 403])
    assert bounced == 2  # thank-you and "what happens next": each tried once, never in a loop

    result = await sandbox.slash(closed, "followups", {})
    assert "couldn't DM you" in reply(result)
    [notice] = await result.wait_for_followups(1)
    assert notice.ephemeral
    assert "direct messages are closed" in shown(notice)
    assert not await app.preferences.take_dms_closed_notice(actor(closed))  # told once


async def test_a_429_burst_is_retried_and_nothing_is_lost(
    app: App, sandbox: Sandbox, maya: SandboxUser, clock: ManualClock
) -> None:
    for company in ("Acme", "Globex", "Initech"):
        await sandbox.slash(maya, "interview add", {"company": company, "role": "Analyst", "when": "today 2pm"})
    sandbox.faults.rate_limit_next(4)
    clock.set(utc(2026, 11, 25, 18))  # thank-you, note and "what happens next" for each: 9 nudges
    await sandbox.wait_for_dms(maya, 9)
    assert sandbox.faults.rate_limited == 4
    assert len(sandbox.dms(maya)) == 9
    assert set((await statuses(app, maya)).values()) == {FollowUpStatus.SENT, FollowUpStatus.PENDING}


async def test_a_server_error_is_retried_later_not_dropped(
    app: App, sandbox: Sandbox, maya: SandboxUser, clock: ManualClock
) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
    sandbox.faults.fail_next(2, status=503)  # discord.py raises a 503 at once
    clock.set(utc(2026, 11, 25, 16))
    await sandbox.wait_until(lambda: sandbox.faults.errors == 2, what="two failed sends")
    await app.dispatcher.stop()
    items = {f.follow_up.kind.value: f.follow_up for f in await app.follow_ups.open_follow_ups(actor(maya))}
    retrying = [f for f in items.values() if f.last_error and "503" in f.last_error]
    assert len(retrying) == 2
    assert all(f.status is FollowUpStatus.PENDING and f.attempts == 0 for f in retrying)  # Discord's fault
    assert all(f.unreachable_since == utc(2026, 11, 25, 16) for f in retrying)
    assert all(f.notify_at == utc(2026, 11, 25, 16, 0, 30) for f in retrying)  # retry_base later

    app.dispatcher.start()
    clock.set(utc(2026, 11, 25, 16, 1))
    await sandbox.wait_for_dms(maya, 2)
    assert {m.embeds[0]["title"].split(":")[0] for m in sandbox.dms(maya)} == {
        "Send a thank-you email",
        "Record what happens next",
    }


async def test_the_bot_resumes_after_the_gateway_drops_and_no_nudge_is_lost(
    app: App, sandbox: Sandbox, maya: SandboxUser, clock: ManualClock
) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Globex", "role": "PM", "when": "today 2pm"})
    await sandbox.drop_gateway()
    clock.set(utc(2026, 11, 25, 16))  # two nudges fall due while the gateway is down: they go by REST
    await sandbox.wait_for_dms(maya, 2)
    await sandbox.wait_for_resume()
    assert sandbox.gateway_resumes == 1
    result = await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
    assert "Interview logged" in reply(result)


async def test_follow_ups_due_while_the_bot_was_down_are_sent_at_start_marked_late(
    sandbox: Sandbox, settings: Settings, maya: SandboxUser, clock: ManualClock
) -> None:
    async with running_bot(sandbox, settings, clock):
        await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
    clock.set(utc(2026, 11, 25, 19))  # the bot is down while three nudges fall due
    assert sandbox.dms(maya) == []
    async with running_bot(sandbox, settings, clock):
        note = await nudge(sandbox, maya, "Send a handwritten note")
        assert "Late" in shown(note)
        await sandbox.wait_for_dms(maya, 3)


@pytest.fixture
def paced_settings(sandbox: Sandbox, tmp_path: Path) -> Settings:
    return sandbox_settings(sandbox, tmp_path / "paced.db", ask_timezone=False)  # default pacing: 40 DMs a second


async def test_pacing_keeps_sends_under_discords_global_limit_and_429s_lose_nothing(
    sandbox: Sandbox, paced_settings: Settings, clock: ManualClock
) -> None:
    seekers = [sandbox.add_user(f"seeker{i}") for i in range(10)]
    sandbox.faults.rate_limit_share(0.05)
    async with running_bot(sandbox, paced_settings, clock):
        for seeker in seekers:
            for company in ("Acme", "Globex", "Initech"):
                await sandbox.slash(
                    seeker, "interview add", {"company": company, "role": "Analyst", "when": "today 2pm"}
                )
        clock.set(utc(2026, 11, 25, 18))  # 3 nudges for each interview: 90 in all
        for seeker in seekers:
            await sandbox.wait_for_dms(seeker, 9, timeout=15)
    sends = sorted(r.at for r in sandbox.requests_to(SEND_MESSAGE))
    assert sandbox.faults.rate_limited >= 1
    assert len(sends) == 90 + sandbox.faults.rate_limited  # each 429 retried once, nothing lost
    busiest = max(sum(1 for t in sends if start <= t < start + 1.0) for start in sends)
    assert busiest < 50, f"{busiest} sends in one second"  # the bucket allows 45, plus the odd retried 429


async def test_one_request_per_nudge_once_the_dm_channel_is_known_even_after_a_restart(
    sandbox: Sandbox, settings: Settings, maya: SandboxUser, clock: ManualClock
) -> None:
    open_dm = "POST /users/@me/channels"
    async with running_bot(sandbox, settings, clock):
        await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
        clock.set(utc(2026, 11, 25, 16))
        await sandbox.wait_for_dms(maya, 2)
    assert len(sandbox.requests_to(open_dm)) == 1
    async with running_bot(sandbox, settings, clock):  # a new process knows no DM channels but the stored one
        clock.set(utc(2026, 11, 25, 18))
        await nudge(sandbox, maya, "Send a handwritten note")
    assert len(sandbox.requests_to(open_dm)) == 1
    assert len(sandbox.requests_to(SEND_MESSAGE)) == 3


async def test_a_network_outage_is_retried_after_it_ends(
    app: App, sandbox: Sandbox, maya: SandboxUser, clock: ManualClock
) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
    async with sandbox.outage():  # Discord unreachable: connections are refused
        runs = app.dispatcher.runs
        clock.set(utc(2026, 11, 25, 16))
        await app.dispatcher.wait_for_runs(runs + 1)
        items = [f.follow_up for f in await app.follow_ups.open_follow_ups(actor(maya)) if f.follow_up.last_error]
        assert len(items) == 2
        assert all(f.status is FollowUpStatus.PENDING and f.attempts == 0 for f in items)
    clock.set(utc(2026, 11, 25, 16, 1))  # past the retry's back-off, with Discord back
    await sandbox.wait_for_dms(maya, 2)


async def test_a_ten_minute_outage_loses_nothing_and_what_it_delayed_is_labelled_late(
    app: App, sandbox: Sandbox, clock: ManualClock
) -> None:
    seekers = [sandbox.add_user(f"seeker{i}") for i in range(20)]
    for seeker in seekers:
        for company in ("Acme", "Globex", "Initech"):
            await sandbox.slash(seeker, "interview add", {"company": company, "role": "Analyst", "when": "today 2pm"})
    async with sandbox.outage():  # every send is refused, from the moment 120 nudges fall due
        for second in range(0, 11 * 60, 30):  # eleven minutes, a pass every 30 s: far past the 5 attempts
            runs = app.dispatcher.runs
            clock.set(utc(2026, 11, 25, 16, 0, 0) + timedelta(seconds=second))
            await app.dispatcher.wait_for_runs(runs + 1)
        waiting = [o.follow_up for s in seekers for o in await app.follow_ups.open_follow_ups(actor(s))]
        assert {f.status for f in waiting} == {FollowUpStatus.PENDING}  # none failed, none left claimed
        assert len([f for f in waiting if f.unreachable_since is not None]) == 120
    clock.set(utc(2026, 11, 25, 16, 16))  # Discord is back; the next retry is at most 5 minutes away
    for seeker in seekers:
        await sandbox.wait_for_dms(seeker, 6)
        for message in sandbox.dms(seeker):
            assert "Late" in shown(message) and "while Discord could not be reached" in shown(message)
    await app.dispatcher.wait_idle()
    statuses = [o.follow_up.status for s in seekers for o in await app.follow_ups.open_follow_ups(actor(s))]
    assert statuses.count(FollowUpStatus.SENT) == 120
    assert FollowUpStatus.FAILED not in statuses


async def test_an_outage_longer_than_a_day_fails_what_it_delayed(
    app: App, sandbox: Sandbox, maya: SandboxUser, clock: ManualClock
) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 1pm"})
    async with sandbox.outage():
        for at in (utc(2026, 11, 25, 15), utc(2026, 11, 26, 12, 59), utc(2026, 11, 26, 13), utc(2026, 11, 26, 15)):
            runs = app.dispatcher.runs
            clock.set(at)
            await app.dispatcher.wait_for_runs(runs + 1)
    statuses = {f.follow_up.kind.value: f.follow_up.status for f in await app.follow_ups.open_follow_ups(actor(maya))}
    assert statuses["thank_you_email"] is FollowUpStatus.FAILED  # at its 24-hour deadline
    assert statuses["handwritten_note"] is FollowUpStatus.FAILED
    assert statuses["next_steps"] is FollowUpStatus.FAILED  # a day after its first failed send
    assert statuses["check_in"] is FollowUpStatus.PENDING


async def test_a_stale_stored_dm_channel_is_reopened(
    app: App, sandbox: Sandbox, maya: SandboxUser, clock: ManualClock
) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 1pm"})
    async with SqliteUnitOfWorkFactory(app.db).transaction() as uow:  # a channel id Discord no longer knows
        await uow.users.record_dm_channels({(await app.preferences.user(actor(maya))).id: "4242"})
    clock.set(utc(2026, 11, 25, 15, 1))
    await sandbox.wait_for_dms(maya, 2)
    await app.dispatcher.wait_idle()
    assert (await app.preferences.user(actor(maya))).dm_channel == str(sandbox.dm_channel(maya).id)


async def test_a_message_discord_refuses_is_failed_at_once_not_retried(
    app: App, sandbox: Sandbox, maya: SandboxUser, clock: ManualClock
) -> None:
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
    sandbox.faults.fail_next(1, status=400, code=50035, message="Invalid Form Body")
    runs = app.dispatcher.runs
    clock.set(utc(2026, 11, 25, 16))
    await app.dispatcher.wait_for_runs(runs + 1)
    statuses = [f.follow_up.status for f in await app.follow_ups.open_follow_ups(actor(maya))]
    assert statuses.count(FollowUpStatus.FAILED) == 1
    assert statuses.count(FollowUpStatus.SENT) == 1


async def test_the_closed_dms_notice_comes_even_with_a_refused_command(
    app: App, sandbox: Sandbox, clock: ManualClock
) -> None:
    closed = sandbox.add_user("quiet", dms_open=False)
    await sandbox.slash(closed, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
    clock.set(utc(2026, 11, 25, 16))
    await sandbox.wait_until(lambda: any(r.status == 403 for r in sandbox.requests_to(SEND_MESSAGE)))
    await app.dispatcher.stop()
    refused = await sandbox.slash(closed, "interview add", {"company": "Acme", "role": "Analyst", "when": "soonish"})
    assert "couldn't read" in reply(refused)
    *_, notice = await refused.wait_for_followups(2)  # the deferred reply with the error, then the notice
    assert "direct messages are closed" in shown(notice)

"""The sandbox drives the real, unmodified discord.py client."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import aiohttp
import discord
import pytest

from bot.sandbox.discord import (
    SEND_MESSAGE,
    CallbackType,
    Choice,
    CommandError,
    RateLimitPolicy,
    Sandbox,
    SandboxTimeout,
)
from tests.sandbox.conftest import ManualClock, World
from tests.sandbox.tiny_bot import TinyBot

pytestmark = pytest.mark.e2e


async def test_login_ready_and_command_sync(sandbox: Sandbox, world: World, bot: TinyBot) -> None:
    assert bot.user is not None and bot.user.id == sandbox.bot_user.id
    assert bot.application_id == sandbox.application_id
    assert [g.name for g in bot.guilds] == ["Job Club"]
    paths = {p for c in sandbox.commands() for p in c.paths}
    assert paths == {"interview add", "interview checkin", "remind", "menu", "pick", "report", "progress", "where"}
    assert sandbox.command_syncs == 1
    assert sandbox.gateway_sessions == 1
    assert len(sandbox.requests_to("PUT /applications/{application_id}/commands")) == 1


async def test_wrong_token_fails_login(sandbox: Sandbox) -> None:
    with pytest.raises(discord.LoginFailure):
        async with TinyBot() as tiny:
            await tiny.login("not-the-token")


async def test_slash_subcommand_with_typed_options_replies_ephemerally(
    sandbox: Sandbox, world: World, bot: TinyBot
) -> None:
    options: dict[str, Any] = {"company": "Acme", "rounds": 3, "contact": world.bob}
    in_dm = await sandbox.slash(world.alice, "interview add", options)
    in_guild = await sandbox.slash(world.alice, "interview add", options, guild=world.guild)

    for reply in (in_dm, in_guild):
        assert reply.callback_type is CallbackType.CHANNEL_MESSAGE
        assert reply.ephemeral
        assert reply.content == "Added Acme (3 rounds) with Bob"
    assert in_guild.message is not None and in_guild.message.channel_id == world.guild.text_channel.id


async def test_unknown_options_and_contexts_are_rejected(sandbox: Sandbox, world: World, bot: TinyBot) -> None:
    with pytest.raises(CommandError, match="missing required"):
        await sandbox.slash(world.alice, "interview add", {"company": "Acme"})
    with pytest.raises(CommandError, match="cannot be used in BOT_DM"):
        await sandbox.slash(world.alice, "where")
    assert (await sandbox.slash(world.alice, "where", guild=world.guild)).content == "in Job Club"


async def test_autocomplete_offers_the_bots_choices(sandbox: Sandbox, world: World, bot: TinyBot) -> None:
    choices = await sandbox.autocomplete(world.alice, "interview checkin", {"interview": "ac"}, focused="interview")
    assert choices == [Choice("Acme", "Acme"), Choice("Acorn", "Acorn")]


async def test_dm_with_persistent_button_opens_a_modal_whose_submit_edits_the_dm(
    sandbox: Sandbox, world: World, bot: TinyBot
) -> None:
    assert (await sandbox.slash(world.alice, "remind", {"item": 42})).content == "Sent"
    [dm] = await sandbox.wait_for_dms(world.alice)
    assert dm.content == "Time to follow up on #42"

    opened = await sandbox.click(world.alice, dm, dm.button("Confirm"))
    assert opened.callback_type is CallbackType.MODAL and opened.modal is not None
    assert [(f.custom_id, f.label, f.required) for f in opened.modal.fields] == [
        ("note", "Note", True),
        ("rating", "Rating", False),
    ]

    submitted = await sandbox.submit_modal(world.alice, opened.modal, {"note": "went well"})
    assert submitted.callback_type is CallbackType.UPDATE_MESSAGE
    assert submitted.message is dm
    assert dm.content == "Noted #42: went well (3/5)"
    assert dm.components == []


async def test_click_right_after_the_response_reaches_a_classic_view(
    sandbox: Sandbox, world: World, bot: TinyBot
) -> None:
    menu = await sandbox.slash(world.alice, "menu", guild=world.guild)
    assert menu.message is not None
    pressed = await sandbox.click(world.alice, menu.message, "ping")
    assert pressed.callback_type is CallbackType.UPDATE_MESSAGE
    assert menu.message.content == "pong"


async def test_select_menu(sandbox: Sandbox, world: World, bot: TinyBot) -> None:
    asked = await sandbox.slash(world.alice, "pick")
    assert asked.message is not None and asked.ephemeral
    await sandbox.select(world.alice, asked.message, "company", ["Globex"])
    assert asked.message.content == "Picked Globex"


async def test_deferred_response_completes_with_its_followup_and_file(
    sandbox: Sandbox, world: World, bot: TinyBot
) -> None:
    reply = await sandbox.slash(world.alice, "report")
    assert reply.deferred and reply.ephemeral
    assert reply.content == "Report ready"
    assert reply.message is not None and not reply.message.loading
    [csv] = reply.message.attachments
    assert (csv.filename, csv.text()) == ("report.csv", "company,rounds\nAcme,3\n")


async def test_closed_dms_raise_forbidden_50007(sandbox: Sandbox, world: World, bot: TinyBot) -> None:
    bob = await bot.fetch_user(world.bob.id)
    with pytest.raises(discord.Forbidden) as raised:
        await bob.send("hello?")
    assert raised.value.code == 50007
    assert sandbox.dms(world.bob) == []


@pytest.mark.parametrize("is_global", [False, True])
async def test_rate_limited_burst_is_retried_until_every_message_arrives(
    sandbox: Sandbox, world: World, bot: TinyBot, is_global: bool
) -> None:
    sandbox.faults.rate_limit_next(3, is_global=is_global)
    channel = await bot.create_dm(discord.Object(world.alice.id))
    await asyncio.gather(*(channel.send(f"nudge {n}") for n in range(5)))

    assert sorted(m.content for m in sandbox.dms(world.alice)) == [f"nudge {n}" for n in range(5)]
    statuses = [r.status for r in sandbox.requests_to(SEND_MESSAGE)]
    assert (statuses.count(429), statuses.count(200)) == (3, 5)


async def test_seeded_share_of_rate_limits_still_delivers_everything(
    sandbox: Sandbox, world: World, bot: TinyBot
) -> None:
    sandbox.faults.rate_limit_share(0.4)
    channel = await bot.create_dm(discord.Object(world.alice.id))
    for n in range(10):
        await channel.send(f"nudge {n}")
    assert [m.content for m in sandbox.dms(world.alice)] == [f"nudge {n}" for n in range(10)]
    assert sandbox.faults.rate_limited > 0


async def test_server_errors_surface_or_are_retried_as_discord_py_does(
    sandbox: Sandbox, world: World, bot: TinyBot
) -> None:
    channel = await bot.create_dm(discord.Object(world.alice.id))
    sandbox.faults.fail_next(1, 503)
    with pytest.raises(discord.DiscordServerError):
        await channel.send("during an outage")
    sandbox.faults.fail_next(1, 404, code=10003, message="Unknown Channel")
    with pytest.raises(discord.NotFound):
        await channel.send("into the void")
    sandbox.faults.fail_next(1, 500)  # discord.py retries a 500 after 1 s
    await channel.send("after a hiccup")
    assert [m.content for m in sandbox.dms(world.alice)] == ["after a hiccup"]


async def test_dropped_gateway_resumes_and_replays_missed_interactions(
    sandbox: Sandbox, world: World, bot: TinyBot
) -> None:
    resumed = asyncio.Event()

    async def on_resumed() -> None:
        resumed.set()

    bot.add_listener(on_resumed)

    await sandbox.drop_gateway()
    reply = await sandbox.slash(world.alice, "interview checkin", {"interview": "Acme"})
    await sandbox.wait_for_resume()
    await asyncio.wait_for(resumed.wait(), 5)

    assert reply.content == "Checked in on Acme"
    assert (sandbox.gateway_sessions, sandbox.gateway_resumes) == (1, 1)
    assert sandbox.gateway_replayed >= 1


async def test_nonce_deduplication_returns_the_first_message(
    sandbox: Sandbox, world: World, bot: TinyBot, clock: ManualClock
) -> None:
    channel = await bot.create_dm(discord.Object(world.alice.id))
    first = await channel.send("Follow up with Acme", nonce=1234)
    again = await channel.send("Follow up with Acme", nonce=1234)
    assert again.id == first.id
    assert sandbox.duplicates_suppressed == 1
    assert len(sandbox.dms(world.alice)) == 1

    clock.now += 301
    later = await channel.send("Follow up with Acme", nonce=1234)
    assert later.id != first.id
    assert len(sandbox.dms(world.alice)) == 2


@pytest.mark.parametrize("sandbox_options", [{"interaction_deadline": 0.0}])
async def test_a_response_after_the_deadline_is_an_unknown_interaction(
    sandbox: Sandbox, world: World, bot: TinyBot
) -> None:
    with pytest.raises(SandboxTimeout):
        await sandbox.slash(world.alice, "menu", timeout=0.5)
    [callback] = [r for r in sandbox.requests if r.route.endswith("/callback")]
    assert callback.status == 404


@pytest.mark.parametrize("sandbox_options", [{"rate_limit": RateLimitPolicy(limit=2, window=0.1)}])
async def test_bucket_headers_make_discord_py_wait_instead_of_hitting_429(
    sandbox: Sandbox, world: World, bot: TinyBot
) -> None:
    channel = await bot.create_dm(discord.Object(world.alice.id))
    await asyncio.gather(*(channel.send(f"nudge {n}") for n in range(6)))
    assert len(sandbox.dms(world.alice)) == 6
    assert {r.status for r in sandbox.requests_to(SEND_MESSAGE)} == {200}


async def test_files_are_kept_and_downloadable(sandbox: Sandbox, world: World, bot: TinyBot) -> None:
    channel = await bot.create_dm(discord.Object(world.alice.id))
    sent = await channel.send("Your calendar", file=discord.File(io.BytesIO(b"BEGIN:VCALENDAR"), "interview.ics"))
    [dm] = sandbox.dms(world.alice)
    assert [(a.filename, a.content) for a in dm.attachments] == [("interview.ics", b"BEGIN:VCALENDAR")]
    assert await sent.attachments[0].read() == b"BEGIN:VCALENDAR"


async def test_bot_in_no_guild_gets_ready(sandbox: Sandbox) -> None:
    alice = sandbox.add_user("alice")
    async with TinyBot() as tiny:
        running = asyncio.create_task(tiny.start(sandbox.token))
        await asyncio.wait_for(tiny.wait_until_ready(), 5)
        assert list(tiny.guilds) == []
        assert (await sandbox.slash(alice, "interview checkin", {"interview": "Acme"})).content == "Checked in on Acme"
    await asyncio.wait_for(running, 5)


async def test_deferred_response_edited_then_followed_up(sandbox: Sandbox, world: World, bot: TinyBot) -> None:
    reply = await sandbox.slash(world.alice, "progress", guild=world.guild)
    assert reply.original_edited and not reply.ephemeral
    assert reply.content == "Step 1 done"
    [step2] = await reply.wait_for_followups(1)
    assert step2.content == "Step 2 after 'Step 1 done'"
    assert step2 is not reply.message


async def test_channel_messages_can_be_edited_and_fetched(sandbox: Sandbox, world: World, bot: TinyBot) -> None:
    channel = await bot.create_dm(discord.Object(world.alice.id))
    sent = await channel.send("draft")
    await sent.edit(content="final")
    fetched = await channel.fetch_message(sent.id)
    assert fetched.content == "final"
    [dm] = sandbox.dms(world.alice)
    assert (dm.content, dm.edits) == ("final", 1)


async def test_raw_protocol_details(sandbox: Sandbox) -> None:
    auth = {"Authorization": f"Bot {sandbox.token}"}
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{sandbox.api_base}/users/@me", headers=auth) as ok:
            assert ok.headers["Content-Type"] == "application/json"  # exactly: discord.py compares verbatim
            assert "X-RateLimit-Bucket" in ok.headers
        async with http.get(f"{sandbox.api_base}/users/@me") as anonymous:
            assert (anonymous.status, (await anonymous.json())["message"]) == (401, "401: Unauthorized")
        async with http.get(f"{sandbox.api_base}/no/such/route", headers=auth) as missing:
            assert missing.status == 404 and missing.headers["Content-Type"] == "application/json"
        bad_json = {**auth, "Content-Type": "application/json"}
        async with http.post(f"{sandbox.api_base}/users/@me/channels", headers=bad_json, data=b"{") as bad:
            assert (bad.status, (await bad.json())["code"]) == (400, 50109)

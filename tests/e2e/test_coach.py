"""Coaching through the real discord.py client: groups, consent buttons, rosters with pages, a seeker's detail,
nudges, the CSV export and the weekly digest by DM; and the coaching embeds within Discord's limits."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

import discord
import pytest

from bot.app import App
from bot.clocks import ManualClock
from bot.content import coaching as coaching_content
from bot.content.digest import digest as digest_message
from bot.domain import coaching
from bot.domain.coaching import Digest, DigestItem, GroupRoster
from bot.domain.errors import render as render_error
from bot.domain.models import CheckIn, CoachGroup, FollowUpKind, Membership, MembershipStatus
from bot.platforms.discord import render
from bot.platforms.discord.command_names import slash
from bot.platforms.discord.context import PLATFORM
from bot.platforms.discord.messenger import digest_nonce
from bot.sandbox.discord import InteractionResult, Message, Sandbox, SandboxGuild, SandboxUser
from bot.sandbox.local_bot import running_bot
from bot.settings import Settings
from bot.storage.sqlite import rows
from bot.usecases.actors import Actor
from bot.usecases.coach_access import NOT_VISIBLE
from bot.usecases.groups import ConsentRequest
from tests.coach_support import NOW, dump_all, follow_up, history, interview, seeker
from tests.e2e.helpers import actor, nudge, reply, shown, stored_user
from tests.support import utc

pytestmark = pytest.mark.e2e

DISCORD_NOT_VISIBLE = render_error(NOT_VISIBLE, slash)  # as Discord shows it


@pytest.fixture
def kim(sandbox: Sandbox) -> SandboxUser:
    return sandbox.add_user("kim")


@pytest.fixture
def dee(sandbox: Sandbox) -> SandboxUser:
    return sandbox.add_user("dee")


@pytest.fixture
def guild(sandbox: Sandbox, kim: SandboxUser, dee: SandboxUser, maya: SandboxUser, omar: SandboxUser) -> SandboxGuild:
    """The coaching server; added before the bot connects (the `app` below depends on it)."""
    return sandbox.add_guild("Career Centre", members=[kim, dee, maya, omar])


@pytest.fixture
async def app(sandbox: Sandbox, settings: Settings, clock: ManualClock, guild: SandboxGuild) -> AsyncIterator[App]:
    async with running_bot(sandbox, settings, clock) as running:
        yield running


def seen(result: InteractionResult | Message | None) -> str:
    """Everything shown, footers and authors included."""
    message = result.message if isinstance(result, InteractionResult) else result
    extras = []
    for embed in message.embeds if message is not None else []:
        extras += [embed.get("author", {}).get("name", ""), embed.get("footer", {}).get("text", "")]
    return "\n".join([shown(message), *extras])


async def create(sandbox: Sandbox, coach: SandboxUser, guild: SandboxGuild, name: str = "Job Club") -> str:
    """Creates the group; returns its invite code as shown."""
    result = await sandbox.slash(coach, "coach create", {"name": name}, guild=guild)
    assert result.ephemeral
    [code] = [line for line in reply(result).split("**") if line.startswith("`")]
    return code.strip("`")


async def join(sandbox: Sandbox, seeker: SandboxUser, code: str, answer: str | None = "Accept") -> InteractionResult:
    """`seeker` joins in their DMs with the bot and presses `answer` (or leaves the prompt unanswered)."""
    prompt = await sandbox.slash(seeker, "coach join", {"code": code})
    if answer is None:
        return prompt
    assert prompt.message is not None
    return await sandbox.click(seeker, prompt.message, prompt.message.button(answer))


async def test_coach_commands_are_synced(app: App, sandbox: Sandbox) -> None:
    commands = {c.name: c for c in sandbox.commands()}
    assert set(commands["coach"].paths) == {
        f"coach {p}"
        for p in (
            "create",
            "invite new",
            "add-coach",
            "delete",
            "join",
            "leave",
            "remove",
            "roster",
            "seeker",
            "nudge",
            "digest",
            "export",
        )
    }
    assert "settings share-notes" in commands["settings"].paths


async def test_join_asks_for_consent_and_shares_nothing_before_accept(
    app: App, sandbox: Sandbox, guild: SandboxGuild, kim: SandboxUser, maya: SandboxUser
) -> None:
    code = await create(sandbox, kim, guild)
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 1pm"})

    prompt = await join(sandbox, maya, code.lower(), answer=None)
    assert prompt.ephemeral and prompt.message is not None
    text = shown(prompt.message)
    assert "Share your job hunt with “Job Club”?" in text
    assert "“Kim”" in text  # who would see it (display names)
    assert "What your coaches would see today" in seen(prompt)
    assert "Acme: Analyst" in text  # the seeker's own detail, exactly as the coach would see it
    assert "stay **private**" in text
    assert "any co-coach they add later" in text

    hidden = await sandbox.slash(kim, "coach seeker", {"member": maya}, guild=guild)
    assert DISCORD_NOT_VISIBLE in reply(hidden)
    assert "maya" not in reply(hidden).lower()
    roster = await sandbox.slash(kim, "coach roster", {}, guild=guild)
    assert "No one is sharing" in reply(roster)

    accepted = await sandbox.click(maya, prompt.message, prompt.message.button("Accept"))
    assert "Sharing with “Job Club”" in shown(accepted.message)
    assert accepted.message is not None and accepted.message.components == []
    detail = await sandbox.slash(kim, "coach seeker", {"member": maya}, guild=guild)
    assert detail.ephemeral
    assert "Acme: Analyst · interviewed" in reply(detail)
    assert "overdue" in reply(detail)


async def test_decline_leave_and_remove_end_access_with_the_same_reply_as_for_a_stranger(
    app: App, sandbox: Sandbox, guild: SandboxGuild, kim: SandboxUser, maya: SandboxUser, omar: SandboxUser
) -> None:
    code = await create(sandbox, kim, guild)
    stranger = sandbox.add_user("stranger")
    declined = await join(sandbox, omar, code, answer="Decline")
    assert "Nothing was shared" in shown(declined.message)
    await join(sandbox, maya, code)
    third = sandbox.add_user("third")
    await join(sandbox, third, code)
    assert "Maya" in reply(await sandbox.slash(kim, "coach roster", {}, guild=guild))

    left = await sandbox.slash(maya, "coach leave", {})
    assert "You left “Job Club”" in reply(left)
    removed = await sandbox.slash(kim, "coach remove", {"member": third}, guild=guild)
    assert "Removed Third" in reply(removed)

    before = await dump_all(app.db)
    for command, extra in (("coach seeker", {}), ("coach nudge", {"message": "Keep going"}), ("coach remove", {})):
        about_stranger = reply(await sandbox.slash(kim, command, {"member": stranger, **extra}, guild=guild))
        assert DISCORD_NOT_VISIBLE in about_stranger
        for former in (omar, maya, third):
            assert reply(await sandbox.slash(kim, command, {"member": former, **extra}, guild=guild)) == about_stranger
    assert await dump_all(app.db) == before
    assert sandbox.dms(maya) == sandbox.dms(omar) == sandbox.dms(third) == []
    roster = reply(await sandbox.slash(kim, "coach roster", {}, guild=guild))
    assert "No one is sharing" in roster
    export = await sandbox.slash(kim, "coach export", {}, guild=guild)
    assert export.message is not None
    assert export.message.attachments[0].text().count("\r\n") == 1  # the header only


async def test_a_click_on_someone_elses_consent_button_changes_nothing(
    app: App, sandbox: Sandbox, guild: SandboxGuild, kim: SandboxUser, maya: SandboxUser, omar: SandboxUser
) -> None:
    code = await create(sandbox, kim, guild)
    prompt = await join(sandbox, maya, code, answer=None)
    assert prompt.message is not None
    accept = prompt.message.button("Accept")
    listing = await sandbox.slash(omar, "followups", {}, guild=guild)
    assert listing.message is not None
    forged = listing.message  # Omar shows a message carrying Maya's Accept (as a forged client could)
    forged.components = [{"type": 1, "components": [{"type": 2, "style": 3, "label": "Accept", "custom_id": accept}]}]
    before = await dump_all(app.db)
    result = await sandbox.click(omar, forged, accept)
    assert result.ephemeral
    assert "isn't yours" in reply(result)
    assert await dump_all(app.db) == before


async def test_roster_pages_fifty_seekers_most_overdue_first(
    app: App, sandbox: Sandbox, guild: SandboxGuild, kim: SandboxUser, maya: SandboxUser, clock: ManualClock
) -> None:
    code = await create(sandbox, kim, guild)
    for n in range(50):  # seekers joined straight through the core: the pages are what is under test here
        seeker = Actor(PLATFORM, str(9_000 + n))
        request = await app.groups.join(seeker, code, f"Seeker {n:02}")
        await app.groups.decide(seeker, request.membership.id, True)
        if n % 10 == 0:  # every tenth has an interview with overdue thank-yous
            await app.interviews.record_interview(seeker, "Acme", "Analyst", f"today {1 + n // 10}am")
    clock.set(utc(2026, 11, 26, 6))  # past the thank-yous' 24-hour deadlines

    first = await sandbox.slash(kim, "coach roster", {}, guild=guild)
    assert first.message is not None
    assert "Page 1 of 3 · 50 seekers" in seen(first)
    lines = first.message.embeds[0]["description"].splitlines()
    assert len(lines) == 20
    assert lines[0].startswith("**Seeker 00**")  # 01:00, the longest overdue of the five with three overdue
    assert [line.split("**")[1] for line in lines[:5]] == [f"Seeker {n:02}" for n in (0, 10, 20, 30, 40)]
    assert "⚠️ 3 overdue" in lines[0]
    assert len(first.message.embeds[0]["description"]) < 4096

    previous = first.message.button("◀ Previous")
    assert first.message.component(previous)["disabled"] is True  # type: ignore[index]
    second = await sandbox.click(kim, first.message, first.message.button("Next ▶"))
    assert second.message is not None
    assert "Page 2 of 3" in seen(second)
    third = await sandbox.click(kim, second.message, second.message.button("Next ▶"))
    assert third.message is not None
    assert "Page 3 of 3" in seen(third)
    assert len(third.message.embeds[0]["description"].splitlines()) == 10
    assert third.message.component(third.message.button("Next ▶"))["disabled"] is True  # type: ignore[index]
    back = await sandbox.click(kim, third.message, third.message.button("◀ Previous"))
    assert "Page 2 of 3" in seen(back)

    # Someone who does not coach the group gets nothing from a forged page button.
    listing = await sandbox.slash(maya, "followups", {}, guild=guild)
    assert listing.message is not None
    page_id = third.message.button("◀ Previous")
    listing.message.components = [
        {"type": 1, "components": [{"type": 2, "style": 1, "label": "x", "custom_id": page_id}]}
    ]
    forged = await sandbox.click(maya, listing.message, page_id)
    assert "isn't one of yours" in reply(forged)
    assert "Seeker" not in reply(forged)


async def test_seeker_detail_nudge_share_notes_and_export(
    app: App, sandbox: Sandbox, guild: SandboxGuild, kim: SandboxUser, maya: SandboxUser, clock: ManualClock
) -> None:
    code = await create(sandbox, kim, guild)
    await join(sandbox, maya, code)
    await sandbox.slash(
        maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 1pm", "notes": "nervous"}
    )
    await sandbox.slash(maya, "interview checkin", {"interview": "1", "update": "They are still deciding"})

    detail = seen(await sandbox.slash(kim, "coach seeker", {"member": maya}, guild=guild))
    assert "They are still deciding" in detail
    assert "nervous" not in detail
    assert "Private notes stay private" in detail
    shared = await sandbox.slash(maya, "settings share-notes", {"share": "on"})
    assert "Notes shared" in reply(shared)
    assert "Notes: nervous" in reply(await sandbox.slash(kim, "coach seeker", {"member": maya}, guild=guild))

    sent = await sandbox.slash(
        kim, "coach nudge", {"member": maya, "message": "You've got this, @everyone!"}, guild=guild
    )
    assert "Sent to Maya" in reply(sent)
    note = await nudge(sandbox, maya, "A note from your coach, Kim")  # among her follow-up nudges
    assert "You've got this" in shown(note)
    assert "@everyone" not in shown(note).replace("@\u200beveryone", "")  # escaped: it cannot ping

    export = await sandbox.slash(kim, "coach export", {}, guild=guild)
    assert export.ephemeral and export.message is not None
    [attachment] = export.message.attachments
    assert attachment.filename == "roster-2026-11-25.csv"
    rows = list(csv.DictReader(io.StringIO(attachment.text("utf-8-sig"))))
    assert [(r["group"], r["seeker"], r["seeker_id"], r["open_interviews"], r["dms_closed"]) for r in rows] == [
        ("Job Club", "Maya", str(maya.id), "1", "no")
    ]
    assert int(rows[0]["overdue_follow_ups"]) == 1  # what happens next; the thank-yous are late only at 24 hours


async def test_a_seeker_the_bot_cannot_dm_is_flagged(
    app: App, sandbox: Sandbox, guild: SandboxGuild, kim: SandboxUser
) -> None:
    code = await create(sandbox, kim, guild)
    closed = sandbox.add_user("closed", dms_open=False)
    await join(sandbox, closed, code)
    result = await sandbox.slash(kim, "coach nudge", {"member": closed, "message": "Hi"}, guild=guild)
    assert "Not delivered to Closed" in reply(result)
    roster = reply(await sandbox.slash(kim, "coach roster", {}, guild=guild))
    assert "Closed** · 0 open · active never · 📵 can't DM" in roster


async def test_co_coaches_and_several_groups(
    app: App, sandbox: Sandbox, guild: SandboxGuild, kim: SandboxUser, dee: SandboxUser, maya: SandboxUser
) -> None:
    code = await create(sandbox, kim, guild)
    await create(sandbox, kim, guild, "Evening Club")
    await join(sandbox, maya, code)
    needs_group = await sandbox.slash(kim, "coach add-coach", {"member": dee}, guild=guild)
    assert "pick one with the group option" in reply(needs_group)
    choices = await sandbox.autocomplete(kim, "coach add-coach", {"group": "job"}, focused="group", guild=guild)
    [job_club] = choices
    added = await sandbox.slash(kim, "coach add-coach", {"member": dee, "group": job_club.value}, guild=guild)
    assert "Dee now coaches “Job Club”" in reply(added)
    told = shown(await nudge(sandbox, maya, "New co-coach for “Job Club”"))
    assert "Dee now coaches" in told and "/coach leave" in told
    assert await sandbox.autocomplete(maya, "coach add-coach", {"group": ""}, focused="group", guild=guild) == []

    both = await sandbox.slash(kim, "coach roster", {}, guild=guild)
    [_, other] = await both.wait_for_followups(2)  # the first fills in the "thinking" reply
    assert both.deferred
    assert "Roster: Evening Club" in reply(both)
    assert "Roster: Job Club" in shown(other) and "Maya" in shown(other)
    assert "Maya" in reply(await sandbox.slash(dee, "coach roster", {}, guild=guild))

    rotated = await sandbox.slash(kim, "coach invite new", {"group": "Job Club"}, guild=guild)
    assert "New invite code" in reply(rotated)
    refused = await sandbox.slash(dee, "coach join", {"code": code})
    assert "doesn't match any group" in reply(refused)


async def test_digest_setting(app: App, sandbox: Sandbox, guild: SandboxGuild, kim: SandboxUser) -> None:
    await create(sandbox, kim, guild)
    coach = await app.preferences.user(actor(kim))
    runs = app.digests.wakeup.runs
    result = await sandbox.slash(kim, "coach digest", {"day": "friday", "time": "17:30"}, guild=guild)
    assert "Every Friday at 17:30 (UTC)" in reply(result)
    assert f"<t:{int(utc(2026, 11, 27, 17, 30).timestamp())}:F>" in reply(result)
    await asyncio.wait_for(app.digests.wakeup.wait_for_runs(runs + 1), 5)  # the row planned anew
    assert await digest_row(app, coach.id) == (1, rows.ts(utc(2026, 11, 27, 17, 30)))
    off = await sandbox.slash(kim, "coach digest", {"day": "off"}, guild=guild)
    assert "Off" in reply(off)
    assert await digest_row(app, coach.id) == (0, None)


async def digest_row(app: App, coach_id: int) -> tuple[int, str | None]:
    """The coach's digest row: on or off, and when it is next due."""
    [row] = await app.db.conn.execute_fetchall(
        "SELECT enabled, due_at FROM coach_digests WHERE user_id = ?", (coach_id,)
    )
    return row[0], row[1]


async def test_the_weekly_digest_arrives_by_dm_and_one_missed_while_down_is_sent_at_start(
    sandbox: Sandbox,
    settings: Settings,
    clock: ManualClock,
    guild: SandboxGuild,
    kim: SandboxUser,
    maya: SandboxUser,
) -> None:
    async with running_bot(sandbox, settings, clock) as app:
        code = await create(sandbox, kim, guild)
        await join(sandbox, maya, code)
        clock.advance(timedelta(hours=1))
        await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
        await sandbox.slash(maya, "interview outcome", {"interview": "1", "result": "offer"})
        coach = await app.preferences.user(actor(kim))

        clock.set(utc(2026, 11, 30, 9, 20))  # Monday, just after the 09:00 slot: wakes the digest loop
        [digest] = await sandbox.wait_for_dms(kim, 1)
        text = shown(digest)
        assert "Your weekly coaching digest" in text
        assert "1 seeker sharing with you" in text
        assert "New interviews (1)" in text and "Maya" in text
        assert "Outcomes (1)" in text and "offer" in text
        assert digest.nonce == digest_nonce(coach.id, utc(2026, 11, 30, 9))  # the slot's, not the build time's

    clock.set(utc(2026, 12, 7, 15))  # the bot was down over the next Monday's slot
    async with running_bot(sandbox, settings, clock):
        [_, missed] = await sandbox.wait_for_dms(kim, 2)
        assert "A quiet week" in shown(missed)
        assert f"Since <t:{int(utc(2026, 11, 30, 9, 20).timestamp())}:F>" in shown(missed)
        assert missed.nonce == digest_nonce(coach.id, utc(2026, 12, 7, 9))  # a resend after a crash matches
    assert len(sandbox.dms(kim)) == 2  # each digest exactly once


async def test_a_digest_built_twice_for_one_slot_has_one_nonce(
    app: App, sandbox: Sandbox, guild: SandboxGuild, kim: SandboxUser, clock: ManualClock
) -> None:
    await create(sandbox, kim, guild)
    coach = await app.preferences.user(actor(kim))
    nonces = set()
    for moment in (utc(2026, 11, 30, 9), utc(2026, 11, 30, 16, 45)):  # the second after a crash, say
        clock.set(moment)
        pending = await app.roster.due_digest(coach.id)
        assert pending is not None
        nonces.add(digest_nonce(coach.id, pending.digest.slot))
    [nonce] = nonces
    assert len(nonce) <= 25  # Discord's limit


# The embeds stay within Discord's limits, however much there is to show

LONG = "x" * 100  # the longest company, role or name the bot accepts


def assert_sendable(embeds: list[discord.Embed]) -> None:
    """Discord's limits; the 6,000 characters count across all the embeds of one message."""
    assert sum(len(e) for e in embeds) <= 6000
    for embed in embeds:
        assert len(embed.title or "") <= 256 and len(embed.description or "") <= 4096
        assert len(embed.fields) <= 25
        assert all(len(f.name or "") <= 256 and len(f.value or "") <= 1024 for f in embed.fields)


def busy_seeker() -> coaching.SeekerReport:
    """40 interviews with the longest names, each with its follow-ups and a long call note."""
    interviews = [replace(interview(n), company=f"{n:02}{LONG}"[:100], role=LONG) for n in range(1, 41)]
    follow_ups = [
        follow_up(10 * n + k, kind, NOW - timedelta(hours=k), interview_id=n)
        for n in range(1, 41)
        for k, kind in enumerate((FollowUpKind.THANK_YOU_EMAIL, FollowUpKind.HANDWRITTEN_NOTE, FollowUpKind.CHECK_IN))
    ]
    calls = [CheckIn(n, n, "y" * 1000, None, NOW) for n in range(1, 41)]
    return coaching.seeker_report(
        seeker(name=LONG), history(interviews=interviews, follow_ups=follow_ups, check_ins=calls), NOW
    )


def test_a_seeker_with_forty_interviews_fits_in_one_embed() -> None:
    embed = render.embed(coaching_content.seeker_detail(busy_seeker()))
    assert_sendable([embed])
    *shown_fields, more = embed.fields
    assert more.value == f"and {40 - len(shown_fields)} more interviews"
    assert len(shown_fields) >= 5  # as many as fit, not just a few


def test_the_consent_prompt_fits_across_its_two_embeds() -> None:
    membership = Membership(1, 1, LONG, 1, LONG, MembershipStatus.PENDING, NOW, None, None)
    prompt = render.embeds(coaching_content.consent_prompt(ConsentRequest(membership, [LONG] * 30, busy_seeker())))
    assert_sendable(prompt)
    assert prompt[1].fields[-1].value.startswith("and ")  # type: ignore[union-attr]


def test_a_busy_weeks_digest_and_a_roster_page_of_long_names_fit() -> None:
    people = [replace(seeker(n, f"{n:02}" + "*_" * 49), dms_closed_at=NOW) for n in range(60)]  # escaped: 200
    item = interview(1)
    items = [DigestItem(p, replace(item, company=LONG, role=LONG), NOW) for p in people]
    week = Digest(NOW, NOW, NOW, 60, items, items, items, items, people)
    assert_sendable([render.embed(digest_message(week))])

    lines = [coaching.roster_line(p, history(user_id=p.user_id), NOW) for p in people]
    roster = GroupRoster(CoachGroup(1, LONG, "ABCDEFGHJKMN", NOW), lines)
    for page in range(coaching_content.pages(roster)):
        assert_sendable([render.embed(coaching_content.roster_page(roster, page))])


async def test_consent_buttons_and_delete_confirmations_work_after_a_restart(
    sandbox: Sandbox, settings: Settings, clock: ManualClock, guild: SandboxGuild, kim: SandboxUser, maya: SandboxUser
) -> None:
    async with running_bot(sandbox, settings, clock):
        code = await create(sandbox, kim, guild)
        asked = await join(sandbox, maya, code, answer=None)
        forget = await sandbox.slash(maya, "mydata delete", {})
    async with running_bot(sandbox, settings, clock) as restarted:  # a new process: no views in memory
        assert asked.message is not None and forget.message is not None
        accepted = await sandbox.click(maya, asked.message, asked.message.button("Accept"))
        assert "Sharing with" in seen(accepted)
        gone = await sandbox.click(maya, forget.message, forget.message.button("Delete everything"))
        assert "Deleted" in seen(gone)
        assert await stored_user(restarted, maya) is None


async def test_co_coaches_step_down_or_are_removed_and_the_owner_deletes_the_group(
    app: App, sandbox: Sandbox, guild: SandboxGuild, kim: SandboxUser, dee: SandboxUser, maya: SandboxUser
) -> None:
    code = await create(sandbox, kim, guild)
    await join(sandbox, maya, code)
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 1pm"})
    await sandbox.slash(kim, "coach add-coach", {"member": dee}, guild=guild)
    assert "Maya" in reply(await sandbox.slash(dee, "coach roster", {}, guild=guild))

    refused = await sandbox.slash(dee, "coach remove", {"member": kim}, guild=guild)
    assert "Kim owns “Job Club”: nobody can remove a group's owner" in reply(refused)
    removed = await sandbox.slash(kim, "coach remove", {"member": dee}, guild=guild)
    assert "Removed Dee" in reply(removed) and "co-coach of “Job Club”" in reply(removed)
    assert "You don't coach a group yet" in reply(await sandbox.slash(dee, "coach roster", {}, guild=guild))

    await sandbox.slash(kim, "coach add-coach", {"member": dee}, guild=guild)
    [choice] = await sandbox.autocomplete(dee, "coach leave", {"group": "job"}, focused="group", guild=guild)
    left = await sandbox.slash(dee, "coach leave", {"group": choice.value}, guild=guild)
    assert "You left “Job Club”" in reply(left) and "You no longer coach" in reply(left)
    assert "You own that group" in reply(await sandbox.slash(kim, "coach leave", {}, guild=guild))

    await sandbox.slash(kim, "coach add-coach", {"member": dee}, guild=guild)
    assert "Only the owner" in reply(await sandbox.slash(dee, "coach delete", {}, guild=guild))
    prompt = await sandbox.slash(kim, "coach delete", {}, guild=guild)
    assert prompt.ephemeral and prompt.message is not None
    assert "Delete “Job Club”?" in reply(prompt)
    done = await sandbox.click(kim, prompt.message, prompt.message.button("Delete the group"))
    assert "Deleted “Job Club”" in reply(done) and "Members and co-coaches told by DM: 2." in reply(done)
    for told in (maya, dee):
        notice = shown(await nudge(sandbox, told, "“Job Club” was deleted"))
        assert "Kim deleted the group" in notice and "untouched" in notice
    assert "You don't coach a group yet" in reply(await sandbox.slash(kim, "coach roster", {}, guild=guild))
    assert "aren't sharing" in reply(await sandbox.slash(maya, "coach leave", {}))
    assert "Acme: Analyst" in reply(await sandbox.slash(maya, "interview list", {}))  # her own data stays


async def test_a_removed_seeker_needs_a_new_code_to_rejoin(
    app: App, sandbox: Sandbox, guild: SandboxGuild, kim: SandboxUser, maya: SandboxUser
) -> None:
    code = await create(sandbox, kim, guild)
    await join(sandbox, maya, code)
    await sandbox.slash(kim, "coach remove", {"member": maya}, guild=guild)
    refused = await sandbox.slash(maya, "coach join", {"code": code})
    assert "removed you from it" in reply(refused) and refused.message is not None
    assert refused.message.components == []  # no Accept button to press
    fresh = [p for p in reply(await sandbox.slash(kim, "coach invite new", {}, guild=guild)).split("`") if "-" in p]
    accepted = await join(sandbox, maya, fresh[0])
    assert "Maya" in reply(await sandbox.slash(kim, "coach roster", {}, guild=guild)), reply(accepted)


async def test_a_coach_cannot_name_two_groups_alike_and_a_name_several_groups_share_lists_them(
    app: App, sandbox: Sandbox, guild: SandboxGuild, kim: SandboxUser, dee: SandboxUser
) -> None:
    await create(sandbox, kim, guild, "Job Club")
    before = await dump_all(app.db)
    again = await sandbox.slash(kim, "coach create", {"name": "job club"}, guild=guild)
    assert "You already coach a group called “Job Club”" in reply(again)
    assert await dump_all(app.db) == before
    await create(sandbox, dee, guild, "JOB CLUB")  # another coach's own name: fine
    await sandbox.slash(dee, "coach add-coach", {"member": kim, "group": "JOB CLUB"}, guild=guild)
    several = await sandbox.slash(kim, "coach invite new", {"group": "Job Club"}, guild=guild)
    assert "You coach 2 groups called “Job Club”" in reply(several)
    assert "“Job Club”" in reply(several) and "“JOB CLUB”" in reply(several)
    assert "no group called" not in reply(several)

"""One group across platforms: a coach on Slack follows a seeker who uses Discord. The seeker joins with the
group's code; the Slack roster, the seeker picker and the App Home name them as on Discord; the nudge goes out
on Discord."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.clocks import ManualClock
from bot.sandbox.discord import Sandbox
from bot.sandbox.slack import SlackSandbox
from bot.usecases.actors import Actor
from tests.e2e.helpers import reply
from tests.e2e.slack.test_both_platforms import both
from tests.e2e.slack.test_slack_seeker import INTERVIEW, actor, log_interview

pytestmark = pytest.mark.e2e


async def test_a_slack_coach_follows_views_and_nudges_a_discord_seeker(
    slack: SlackSandbox, tmp_path: Path, clock: ManualClock
) -> None:
    async with Sandbox() as discord, both(discord, slack, tmp_path / "both.db", clock) as app:
        omar = slack.add_user("omar", tz="UTC")
        maya = discord.add_user("maya")
        on_discord = Actor("discord", str(maya.id))
        await slack.slash(omar, "/followthrough", "coach create Spring Club")
        [group] = await app.groups.coached_groups(actor(omar))
        asked = await app.groups.join(on_discord, group.invite_code, "Maya")  # as Discord's /coach join does
        await app.groups.decide(on_discord, asked.membership.id, True)
        await discord.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "yesterday 2pm"})

        [page] = (await slack.slash(omar, "/followthrough", "coach roster")).ephemerals
        assert "*Maya* (on Discord)" in json.dumps(page.blocks)
        assert "<@" not in json.dumps(page.blocks)  # never a mention of a Slack user who is not one

        [modal] = (await slack.slash(omar, "/followthrough", "coach seeker")).opened
        [picker] = [b["element"] for b in modal.blocks if b.get("block_id") == "seeker"]
        [option] = picker["options"]
        assert option["text"]["text"] == "Maya (on Discord)"
        assert (await slack.submit(modal, {"seeker": option["value"]})).errors == {}
        assert "Acme" in json.dumps(modal.blocks)

        [home] = (await slack.open_home(omar)).published
        assert "*Maya* (on Discord)" in json.dumps(home.blocks)
        view = next(a for a in home.action_ids if a.startswith("ft-home:view"))
        [report] = (await slack.click(omar, home, view)).opened
        assert "Acme" in json.dumps(report.blocks)

        [modal] = (await slack.slash(omar, "/followthrough", "coach nudge maya")).opened
        sent = await slack.submit(modal, {"message": "Call Acme on Friday"})
        assert sent.errors == {}
        await discord.wait_until(
            lambda: any("note from your coach" in str(m.embeds) for m in discord.dms(maya)), what="the nudge"
        )
        [note] = [m for m in discord.dms(maya) if "note from your coach" in str(m.embeds)]
        assert "Call Acme on Friday" in str(note.embeds) and "omar" in str(note.embeds)
        await slack.wait_until(lambda: any("Sent to" in m.text for m in slack.ephemerals(omar)), what="the result")
        assert not [m for m in slack.messages if "Call Acme" in m.text]  # nothing of it on Slack


async def test_a_discord_coach_picks_a_slack_seeker_from_the_roster_and_nudges_them_on_slack(
    slack: SlackSandbox, tmp_path: Path, clock: ManualClock
) -> None:
    async with Sandbox() as discord, both(discord, slack, tmp_path / "both.db", clock) as app:
        kim = discord.add_user("kim")
        maya = slack.add_user("maya", tz="UTC")
        kim_actor = Actor("discord", str(kim.id))
        await discord.slash(kim, "coach create", {"name": "Spring Club"})
        [group] = await app.groups.coached_groups(kim_actor)
        asked = await app.groups.join(actor(maya), group.invite_code, "Maya")  # as Slack's join does
        await app.groups.decide(actor(maya), asked.membership.id, True)
        await log_interview(slack, maya, {**INTERVIEW, "when": "yesterday 9am"})

        [choice] = await discord.autocomplete(kim, "coach seeker", {"seeker": "ma"}, focused="seeker")
        assert choice.name == "Maya (on Slack)"
        assert await discord.autocomplete(kim, "coach seeker", {"seeker": "zz"}, focused="seeker") == []
        detail = await discord.slash(kim, "coach seeker", {"seeker": str(choice.value)})
        assert "Acme" in reply(detail) and "Maya (on Slack)" in reply(detail)

        sent = await discord.slash(kim, "coach nudge", {"seeker": str(choice.value), "message": "Call Acme"})
        assert "Sent to" in reply(sent)
        await slack.wait_until(
            lambda: any("note from your coach" in m.text for m in slack.dms(maya)), what="the nudge on Slack"
        )
        assert not [m for m in discord.dms(kim) if "Call Acme" in str(m.embeds)]

        named = await discord.slash(kim, "coach seeker", {"seeker": "maya"})  # typed, not picked: found by name
        assert "Acme" in reply(named)
        neither = await discord.slash(kim, "coach seeker", {})
        assert "seeker" in reply(neither) and "Acme" not in reply(neither)

        removed = await discord.slash(kim, "coach remove", {"seeker": str(choice.value)})
        assert "Removed Maya" in reply(removed)
        assert [r.lines for r in await app.roster.rosters(kim_actor)] == [[]]

"""The seeker's side of coaching on Slack, through the real slack_bolt app: /followthrough join CODE and an
invite's Join button give the consent preview privately, Accept and Decline update it in place (through the
response_url: an ephemeral cannot be chat.updated), the same refusals as on Discord; /followthrough leave."""

from __future__ import annotations

from pathlib import Path

import pytest
from slack_sdk.webhook import WebhookResponse
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.app import App
from bot.clocks import ManualClock
from bot.content import coaching as coaching_content
from bot.content.message import Action, ActionKind, Message
from bot.domain.models import MembershipStatus
from bot.platforms.slack import render
from bot.sandbox.discord import Sandbox
from bot.sandbox.slack import SlackMessage, SlackSandbox, SlackUser
from bot.usecases.groups import show_code
from tests.e2e.helpers import actor as discord_actor
from tests.e2e.helpers import reply
from tests.e2e.slack.test_both_platforms import both
from tests.e2e.slack.test_slack_seeker import INTERVIEW, actor, log_interview
from tests.support import dump

pytestmark = pytest.mark.e2e


async def group(app: App, coach: SlackUser, name: str = "Job Club") -> str:
    """A group `coach` owns (made through the use case: the coach's commands are tested elsewhere); its code."""
    made = await app.groups.create_group(actor(coach), name, coach.name.title())
    return show_code(made.invite_code)


async def statuses(app: App, user: SlackUser) -> list[MembershipStatus]:
    return [m.status for m in await app.groups.member_groups(actor(user))]


def only(messages: list[SlackMessage]) -> SlackMessage:
    [message] = messages
    return message


async def test_join_shows_what_coaches_would_see_privately_and_accept_updates_it_in_place(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    kim, maya = slack.add_user("kim", tz="UTC"), slack.add_user("maya", tz="UTC")
    code = await group(slack_app, kim)
    await log_interview(slack, maya, {**INTERVIEW, "when": "today 8am"})

    asked = await slack.slash(maya, "/followthrough", f"join {code.lower()}", channel=slack.general)
    assert asked.acked and not asked.late
    prompt = only(asked.ephemerals)
    shown = str(prompt.blocks)
    assert prompt.ephemeral and prompt.visible_to is maya and prompt.channel == slack.general.id
    assert "Job Club" in shown and "Kim" in shown  # the group and who its coaches are
    assert coaching_content.PREVIEW in shown and "Acme" in shown  # what they would see: her own detail
    assert prompt.action_ids == ["ft:accept", "ft:decline"]
    assert await statuses(slack_app, maya) == [MembershipStatus.PENDING]
    assert not (await slack_app.roster.rosters(actor(kim)))[0].lines  # nothing shared before Accept
    assert not [m for m in slack.messages if not m.ephemeral and m.channel == slack.general.id]

    accepted = await slack.click(maya, prompt, "ft:accept")
    assert accepted.acked and accepted.updated == [prompt] and prompt.edits
    assert "Sharing with" in prompt.text and not prompt.action_ids
    assert slack.requests_to("response_url")
    assert await statuses(slack_app, maya) == [MembershipStatus.ACTIVE]
    [roster] = await slack_app.roster.rosters(actor(kim))
    assert [line.seeker.external_id for line in roster.lines] == [maya.id]


async def test_the_join_button_of_an_invite_in_a_channel_asks_the_clicker_privately_and_decline_shares_nothing(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    kim, omar = slack.add_user("kim", tz="UTC"), slack.add_user("omar", tz="UTC")
    maya = slack.add_user("maya", tz="America/Chicago")
    code = await group(slack_app, kim)
    invite = render.render(
        Message(("Join Job Club",), actions=(Action(ActionKind.JOIN_GROUP, 0, "Join", choice=code),))
    )
    assert slack_app.slack is not None
    await slack_app.slack.client.chat_postMessage(channel=slack.general.id, text=invite.text, blocks=invite.blocks)
    [posted] = [m for m in slack.messages if m.channel == slack.general.id]

    clicked = await slack.click(maya, posted, "ft:join_group")
    prompt = only(clicked.ephemerals)
    assert prompt.visible_to is maya and prompt.channel == slack.general.id
    assert "Job Club" in str(prompt.blocks) and coaching_content.PREVIEW in str(prompt.blocks)
    assert not posted.edits  # the invite stays as it is for the others
    assert (await slack_app.preferences.user(actor(maya))).timezone == "America/Chicago"  # her profile's
    assert not slack.ephemerals(omar)

    declined = await slack.click(maya, prompt, "ft:decline")
    assert declined.updated == [prompt] and "Declined" in prompt.text and not prompt.action_ids
    assert await statuses(slack_app, maya) == []
    assert not (await slack_app.roster.rosters(actor(kim)))[0].lines

    again = await slack.click(omar, posted, "ft:join_group")  # the same button works for everyone
    assert "Job Club" in str(only(again.ephemerals).blocks)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("unknown", "doesn't match any group"),
        ("removed", "removed you from it"),
        ("member", "You already share your job hunt with “Job Club”. To stop, use /followthrough leave."),
        ("coach", "You coach “Job Club”"),
    ],
)
async def test_a_code_that_cannot_join_is_refused_privately_and_writes_nothing(
    slack_app: App, slack: SlackSandbox, clock: ManualClock, case: str, expected: str
) -> None:
    kim, maya = slack.add_user("kim", tz="UTC"), slack.add_user("maya", tz="UTC")
    code = await group(slack_app, kim)
    if case in ("removed", "member"):
        request = await slack_app.groups.join(actor(maya), code, "maya")
        await slack_app.groups.decide(actor(maya), request.membership.id, accept=True)
        if case == "removed":
            await slack_app.groups.remove(actor(kim), actor(maya))
    joiner = kim if case == "coach" else maya
    typed = "ABCD-EFGH-JKMN" if case == "unknown" else code
    before = await dump(slack_app.db)
    refused = await slack.slash(joiner, "/followthrough", f"join {typed}", channel=slack.general)
    said = only(refused.ephemerals)
    assert expected in said.text and said.visible_to is joiner and not said.action_ids
    assert await dump(slack_app.db) == before


async def test_a_stale_consent_button_is_refused_privately(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    kim, maya = slack.add_user("kim", tz="UTC"), slack.add_user("maya", tz="UTC")
    code = await group(slack_app, kim)
    prompt = only((await slack.slash(maya, "/followthrough", f"join {code}", channel=slack.general)).ephemerals)
    await slack_app.groups.new_invite(actor(kim), None)  # the old code's invitations lapse
    before = await dump(slack_app.db)
    refused = await slack.click(maya, prompt, "ft:accept")
    assert "isn't open any more" in only(refused.ephemerals).text
    assert await dump(slack_app.db) == before


async def test_a_forged_accept_naming_someone_else_s_invitation_is_refused_and_changes_nothing(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    kim, maya, omar = (slack.add_user(n, tz="UTC") for n in ("kim", "maya", "omar"))
    request = await slack_app.groups.join(actor(maya), await group(slack_app, kim), "maya")
    await slack_app.preferences.set_timezone(actor(omar), "UTC")  # omar is known to the bot, too
    forged = render.render(Message(actions=(Action(ActionKind.ACCEPT, request.membership.id, "Accept"),)))
    assert slack_app.slack is not None
    await slack_app.slack.client.chat_postMessage(channel=slack.general.id, text="x", blocks=forged.blocks)
    [posted] = [m for m in slack.messages if m.channel == slack.general.id]
    before = await dump(slack_app.db)
    refused = await slack.click(omar, posted, "ft:accept")
    assert "isn't yours" in only(refused.ephemerals).text and not posted.edits
    assert await dump(slack_app.db) == before


async def test_when_the_response_url_is_refused_the_answer_is_shown_anew(
    slack_app: App, slack: SlackSandbox, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    kim, maya = slack.add_user("kim", tz="UTC"), slack.add_user("maya", tz="UTC")
    code = await group(slack_app, kim)
    prompt = only((await slack.slash(maya, "/followthrough", f"join {code}", channel=slack.general)).ephemerals)

    async def stale(self: AsyncWebhookClient, **kwargs: object) -> WebhookResponse:
        return WebhookResponse(url=self.url, status_code=404, body="expired_url", headers={})

    monkeypatch.setattr(AsyncWebhookClient, "send", stale)
    accepted = await slack.click(maya, prompt, "ft:accept")
    assert "Sharing with" in only(accepted.ephemerals).text and not prompt.edits
    assert await statuses(slack_app, maya) == [MembershipStatus.ACTIVE]


async def test_leave_with_no_group_leaves_every_group_and_a_name_leaves_that_one(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    kim, dee, maya = (slack.add_user(n, tz="UTC") for n in ("kim", "dee", "maya"))
    for coach, name in ((kim, "Job Club"), (dee, "Night & Day Class")):
        joined = await slack_app.groups.join(actor(maya), await group(slack_app, coach, name), "maya")
        await slack_app.groups.decide(actor(maya), joined.membership.id, accept=True)

    left = await slack.slash(maya, "/followthrough", "leave night & day class", channel=slack.general)
    assert "You left “Night &amp; Day Class”" in only(left.ephemerals).text
    assert [m.group_name for m in await slack_app.groups.member_groups(actor(maya))] == ["Job Club"]

    left = await slack.slash(maya, "/followthrough", "leave")
    assert "You left “Job Club”" in only(left.ephemerals).text
    assert await slack_app.groups.member_groups(actor(maya)) == []

    refused = await slack.slash(maya, "/followthrough", "leave")
    assert "aren't sharing" in only(refused.ephemerals).text


async def test_leave_offers_a_select_when_the_name_names_several_groups_or_none(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    kim, dee, maya = (slack.add_user(n, tz="UTC") for n in ("kim", "dee", "maya"))
    for coach in (kim, dee):  # two coaches each call their group "Job Club"
        joined = await slack_app.groups.join(actor(maya), await group(slack_app, coach), "maya")
        await slack_app.groups.decide(actor(maya), joined.membership.id, accept=True)
    [first, second] = await slack_app.groups.member_groups(actor(maya))

    before = await dump(slack_app.db)
    asked = await slack.slash(maya, "/followthrough", "leave job club", channel=slack.general)
    choice = only(asked.ephemerals)
    assert "2 groups called “job club”" in choice.text
    assert choice.action_ids == ["ft:leave_group"]
    [picker] = [e for b in choice.blocks for e in b.get("elements", []) if e.get("action_id") == "ft:leave_group"]
    assert len(picker["options"]) == 2
    assert await dump(slack_app.db) == before  # nothing left yet

    value = picker["options"][1]["value"]
    picked = await slack.click(maya, choice, "ft:leave_group", value=value)
    assert picked.updated == [choice] and "You left “Job Club”" in choice.text and not choice.action_ids
    [remaining] = await slack_app.groups.member_groups(actor(maya))
    assert {remaining.group_id, int(render.decode("ft:leave_group", value).choice)} == {first.group_id, second.group_id}

    unknown = await slack.slash(maya, "/followthrough", "leave <!channel>", channel=slack.general)
    said = only(unknown.ephemerals)
    assert "no group called" in said.text and "&lt;!channel&gt;" in str(said.blocks)
    assert said.action_ids == ["ft:leave_group"]  # the groups there are, to pick from


async def test_an_owner_cannot_leave_their_group(slack_app: App, slack: SlackSandbox, clock: ManualClock) -> None:
    kim = slack.add_user("kim", tz="UTC")
    await group(slack_app, kim)
    refused = await slack.slash(kim, "/followthrough", "leave job club", channel=slack.general)
    assert "You own that group" in only(refused.ephemerals).text
    assert "/followthrough coach delete" in only(refused.ephemerals).text


async def test_help_names_join_leave_and_data(slack_app: App, slack: SlackSandbox, clock: ManualClock) -> None:
    maya = slack.add_user("maya", tz="UTC")
    said = str(only((await slack.slash(maya, "/followthrough", "help")).ephemerals).blocks)
    for command in ("/followthrough join", "/followthrough leave", "/followthrough data export"):
        assert f"`{command}" in said, command
    assert "/followthrough data delete" in said


async def test_a_group_made_on_discord_is_joined_from_slack(
    slack: SlackSandbox, tmp_path: Path, clock: ManualClock
) -> None:
    async with Sandbox() as discord:
        kim = discord.add_user("kim")
        guild = discord.add_guild("Career Centre", members=[kim])
        async with both(discord, slack, tmp_path / "both.db", clock) as app:
            created = await discord.slash(kim, "coach create", {"name": "Job Club"}, guild=guild)
            [code] = [part.strip("`") for part in reply(created).split("**") if part.startswith("`")]
            maya = slack.add_user("maya", tz="UTC")
            await log_interview(slack, maya, {**INTERVIEW, "when": "today 8am"})

            prompt = only((await slack.slash(maya, "/followthrough", f"join {code}", channel=slack.general)).ephemerals)
            assert "Job Club" in str(prompt.blocks) and "Kim" in str(prompt.blocks)
            await slack.click(maya, prompt, "ft:accept")
            assert "Sharing with" in prompt.text

            roster = await discord.slash(kim, "coach roster", {}, guild=guild)
            assert "Maya" in reply(roster) or "maya" in reply(roster)
            [group_roster] = await app.roster.rosters(discord_actor(kim))
            [line] = group_roster.lines
            assert (line.seeker.external_id, line.seeker.name) == (maya.id, "maya")


async def test_in_a_channel_the_bot_was_never_invited_to_every_answer_still_reaches_the_user_privately(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    """Slash commands and clicks work in any channel, but chat.postEphemeral only where the bot is a member: the
    answers go through the request's response_url (and a modal's, which has none, to the DM)."""
    kim, maya = slack.add_user("kim", tz="UTC"), slack.add_user("maya", tz="UTC")
    cohort = slack.add_channel("cohort-5", [kim, maya], with_bot=False)
    await group(slack_app, kim)

    invited = await slack.slash(kim, "/followthrough", "coach invite", channel=cohort)
    [post] = invited.posted
    assert post.channel == cohort.id

    asked = await slack.click(maya, post, "ft:join_group")
    prompt = only(asked.ephemerals)
    assert (
        prompt.channel == cohort.id and prompt.visible_to is maya and prompt.action_ids == ["ft:accept", "ft:decline"]
    )
    accepted = await slack.click(maya, prompt, "ft:accept")
    assert accepted.updated == [prompt] and not prompt.action_ids
    assert await statuses(slack_app, maya) == [MembershipStatus.ACTIVE]

    for typed in ("help", "data", "leave Nowhere", "coach roster"):
        answered = await slack.slash(maya if typed != "coach roster" else kim, "/followthrough", typed, channel=cohort)
        assert only(answered.ephemerals).channel == cohort.id, typed
    listed = await slack.slash(maya, "/interview", "list", channel=cohort)
    assert only(listed.ephemerals).channel == cohort.id
    refused = await slack.slash(maya, "/interview", "outcome", channel=cohort)  # nothing to pick: said privately
    assert only(refused.ephemerals).channel == cohort.id
    assert not [r for r in slack.requests if r.method in ("chat.postEphemeral",) and not r.response.get("ok")]

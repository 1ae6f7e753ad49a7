"""A coach on Slack through the real slack_bolt app: /followthrough coach create | invite | new-code |
add-coach | roster | seeker | nudge | remove | delete | digest | export, every reply private; an invite posted
in the channel with a Join button; seekers named by picking from the roster in a modal."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from bot.app import App
from bot.clocks import ManualClock
from bot.domain.models import CoachGroup
from bot.sandbox.slack import SlackSandbox, SlackUser, SlackView
from bot.usecases.actors import Actor
from tests.e2e.slack.test_slack_seeker import INTERVIEW, actor, log_interview
from tests.support import dump, utc

pytestmark = pytest.mark.e2e

COACH = "/followthrough"


def shown(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def element(view: SlackView, block_id: str) -> dict[str, Any]:
    [block] = [b for b in view.blocks if b.get("block_id") == block_id]
    found = block["element"]
    assert isinstance(found, dict)
    return found


async def group_of(app: App, coach: SlackUser) -> CoachGroup:
    [group] = await app.groups.coached_groups(actor(coach))
    return group


async def sharing(app: App, coach: SlackUser, seeker: Actor, name: str) -> None:
    """`seeker` joins the coach's group with its code and accepts (the core's join, as either platform's does)."""
    asked = await app.groups.join(seeker, (await group_of(app, coach)).invite_code, name)
    await app.groups.decide(seeker, asked.membership.id, True)


async def coach_of_many(slack_app: App, slack: SlackSandbox, seekers: int) -> SlackUser:
    """Omar, whose "Spring Club" has `seekers` sharing with it, named Seeker 000, Seeker 001, …"""
    omar = slack.add_user("omar", tz="UTC")
    await slack.slash(omar, COACH, "coach create Spring Club")
    team = actor(omar).workspace
    width = len(str(seekers - 1))
    for n in range(seekers):
        await sharing(slack_app, omar, Actor("slack", f"USEEKER{n:0{width}}", team), f"Seeker {n:0{width}}")
    return omar


async def test_coach_alone_lists_what_a_coach_can_do_privately(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    omar = slack.add_user("omar", tz="UTC")
    answered = await slack.slash(omar, COACH, "coach")
    assert answered.acked and not answered.late
    [said] = answered.ephemerals
    for word in ("create", "invite", "new-code", "add-coach", "roster", "seeker", "nudge", "remove", "delete"):
        assert f"/followthrough coach {word}" in shown(said.blocks), word
    unknown = await slack.slash(omar, COACH, "coach frobnicate")
    assert "frobnicate" in unknown.text or "frobnicate" in shown(unknown.ephemerals[0].blocks)
    help_text = shown((await slack.slash(omar, COACH, "help")).ephemerals[0].blocks)
    assert "/followthrough coach create" in help_text


async def test_a_coach_creates_a_group_and_posts_its_invite_in_the_channel_with_a_join_button(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    omar = slack.add_user("omar", tz="America/Chicago")
    maya = slack.add_user("maya", tz="UTC")
    cohort = slack.add_channel("cohort-5", [omar, maya])
    created = await slack.slash(omar, COACH, "coach create Spring <Club>", channel=cohort)
    [said] = created.ephemerals
    group = await group_of(slack_app, omar)
    assert group.name == "Spring <Club>"
    assert "Spring &lt;Club&gt;" in said.text and group.invite_code[:4] in shown(said.blocks)
    assert not created.posted  # the code went to the coach alone
    assert (await slack_app.preferences.user(actor(omar))).timezone == "America/Chicago"  # digest in their zone

    await log_interview(slack, maya, {**INTERVIEW, "when": "yesterday 9am"})
    await sharing(slack_app, omar, actor(maya), "Maya")
    invited = await slack.slash(omar, COACH, "coach invite", channel=cohort)
    assert invited.acked and not invited.ephemerals
    [post] = invited.posted
    assert not post.ephemeral and post.channel == cohort.id
    assert "Spring &lt;Club&gt;" in post.text and "omar" in shown(post.blocks)  # the coach's Slack name
    [join] = [e for b in post.blocks if b["type"] == "actions" for e in b["elements"]]
    assert join["action_id"] == "ft:join_group" and join["value"].endswith(f";c={group.invite_code}")
    assert "Acme" not in shown(post.blocks) and "Maya" not in shown(post.blocks)  # no seeker data in a channel

    in_dm = await slack.slash(omar, COACH, "coach invite")  # in the DM with the bot there is no one to invite
    assert not in_dm.posted and "cohort's channel" in in_dm.text


async def test_new_code_replaces_the_invite_code(slack_app: App, slack: SlackSandbox, clock: ManualClock) -> None:
    omar = slack.add_user("omar", tz="UTC")
    await slack.slash(omar, COACH, "coach create Spring Club")
    old = (await group_of(slack_app, omar)).invite_code
    renewed = await slack.slash(omar, COACH, "coach new-code")
    new = (await group_of(slack_app, omar)).invite_code
    assert new != old and new[:4] in shown(renewed.ephemerals[0].blocks)


async def test_add_coach_takes_a_mention_and_refuses_anything_else_writing_nothing(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    omar = slack.add_user("omar", tz="UTC")
    dee = slack.add_user("dee", tz="Europe/Paris")
    await slack.slash(omar, COACH, "coach create Spring Club")
    before = await dump(slack_app.db)
    for typed in ("coach add-coach dee", "coach add-coach <!channel>", "coach add-coach <@UNOONE>"):
        refused = await slack.slash(omar, COACH, typed)
        assert refused.ephemerals and "@" in refused.text, typed
    assert await dump(slack_app.db) == before
    added = await slack.slash(omar, COACH, f"coach add-coach <@{dee.id}|dee>")
    assert "dee" in shown(added.ephemerals[0].blocks).lower()
    assert [g.name for g in await slack_app.groups.coached_groups(actor(dee))] == ["Spring Club"]
    assert (await slack_app.preferences.user(actor(dee))).timezone == "Europe/Paris"
    again = await slack.slash(omar, COACH, f"coach add-coach <@{dee.id}>")
    assert "already coaches" in again.text


async def test_a_non_coach_is_told_how_to_start_a_group(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    for typed in ("coach roster", "coach seeker", "coach nudge", "coach export", "coach invite", "coach digest"):
        answered = await slack.slash(maya, COACH, typed)
        assert "/followthrough coach create" in answered.text, typed
        assert not answered.opened and not answered.posted


async def test_the_roster_pages_in_place_through_the_response_url(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    omar = await coach_of_many(slack_app, slack, 25)
    [page] = (await slack.slash(omar, COACH, "coach roster")).ephemerals
    assert "Page 1 of 2" in shown(page.blocks) and "Seeker 00" in shown(page.blocks)
    # through the command's response_url: it answers in any channel, whether or not the bot is a member
    assert slack.requests_to("response_url") and not slack.requests_to("chat.postEphemeral")
    turned = await slack.click(omar, page, "ft:roster_page")
    assert turned.acked and page.edits
    assert "Page 2 of 2" in shown(page.blocks) and "Seeker 24" in shown(page.blocks)


async def test_seeker_picks_from_the_roster_and_shows_the_report_in_the_modal(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    omar = slack.add_user("omar", tz="UTC")
    maya = slack.add_user("maya", tz="UTC")
    await slack.slash(omar, COACH, "coach create Spring Club")
    await log_interview(slack, maya, {**INTERVIEW, "when": "yesterday 9am"})
    await sharing(slack_app, omar, actor(maya), "Maya")
    await sharing(slack_app, omar, Actor("slack", "UQUIET", actor(omar).workspace), "Quinn")
    maya_id = (await slack_app.preferences.user(actor(maya))).id

    [modal] = (await slack.slash(omar, COACH, "coach seeker maya")).opened
    picker = element(modal, "seeker")
    assert [o["text"]["text"] for o in picker["options"]] == ["Maya", "Quinn"]
    assert picker["initial_option"]["value"] == str(maya_id)
    shown_report = await slack.submit(modal, {})
    assert shown_report.errors == {}
    assert shown_report.updated and "Acme" in shown(modal.blocks) and modal.title == "Maya"
    posted = [m for m in slack.messages if not m.ephemeral and "Acme" in m.text]
    assert not slack.dms(omar) and {m.channel for m in posted} <= {slack.dm_channel(maya).id}  # her own nudges


async def test_nudge_picks_the_seeker_sends_the_note_by_dm_and_refuses_an_empty_one(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    omar = slack.add_user("omar", tz="UTC")
    maya = slack.add_user("maya", tz="UTC")
    await slack.slash(omar, COACH, "coach create Spring Club")
    await sharing(slack_app, omar, actor(maya), "Maya")
    maya_id = str((await slack_app.preferences.user(actor(maya))).id)
    cohort = slack.add_channel("cohort-5", [omar])
    [modal] = (await slack.slash(omar, COACH, "coach nudge", channel=cohort)).opened
    assert element(modal, "seeker")["initial_option"]["value"] == maya_id  # the only seeker there is
    refused = await slack.submit(modal, {"seeker": maya_id, "message": "   "})
    assert set(refused.errors) == {"message"} and not slack.dms(maya)
    slack.faults.fail_next("chat.postEphemeral", "channel_not_found")  # a channel the bot is not in
    sent = await slack.submit(modal, {"seeker": maya_id, "message": "Call Acme today <!channel>"})
    assert sent.errors == {}
    [note] = await slack.wait_for_dms(maya)
    assert "Call Acme today &lt;!channel&gt;" in shown(note.blocks) and "omar" in note.text
    await slack.wait_until(lambda: any("Sent to" in m.text for m in slack.ephemerals(omar)), what="the result")
    [result] = [m for m in slack.ephemerals(omar) if "Sent to" in m.text]
    assert result.channel == slack.dm_channel(omar).id  # told in the DM with the bot instead


async def test_a_seeker_who_left_while_the_modal_was_open_is_refused_on_the_select(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    omar = slack.add_user("omar", tz="UTC")
    maya = slack.add_user("maya", tz="UTC")
    await slack.slash(omar, COACH, "coach create Spring Club")
    await sharing(slack_app, omar, actor(maya), "Maya")
    [modal] = (await slack.slash(omar, COACH, "coach nudge maya")).opened
    await slack_app.groups.leave(actor(maya), None)
    refused = await slack.submit(modal, {"message": "Keep going"})
    assert set(refused.errors) == {"seeker"} and "can't find that person" in refused.errors["seeker"]
    assert not slack.dms(maya)


async def test_remove_picks_the_seeker_and_they_leave_the_roster(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    omar = slack.add_user("omar", tz="UTC")
    maya = slack.add_user("maya", tz="UTC")
    dee = slack.add_user("dee", tz="UTC")
    await slack.slash(omar, COACH, "coach create Spring Club")
    await slack.slash(omar, COACH, f"coach add-coach <@{dee.id}>")
    await sharing(slack_app, omar, actor(maya), "Maya")
    [modal] = (await slack.slash(omar, COACH, "coach remove")).opened
    labels = [o["text"]["text"] for o in element(modal, "seeker")["options"]]
    assert labels == ["Maya", "dee (co-coach)"]
    maya_id = str((await slack_app.preferences.user(actor(maya))).id)
    removed = await slack.submit(modal, {"seeker": maya_id})
    assert removed.errors == {}
    [roster] = await slack_app.roster.rosters(actor(omar))
    assert roster.lines == []
    await slack.wait_until(lambda: any("Removed" in m.text for m in slack.ephemerals(omar)), what="the result")


async def test_delete_asks_with_slack_s_confirm_then_deletes(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    omar = slack.add_user("omar", tz="UTC")
    maya = slack.add_user("maya", tz="UTC")
    await slack.slash(omar, COACH, "coach create Spring Club")
    await sharing(slack_app, omar, actor(maya), "Maya")
    [prompt] = (await slack.slash(omar, COACH, "coach delete")).ephemerals
    [button] = [e for b in prompt.blocks if b["type"] == "actions" for e in b["elements"]]
    assert button["action_id"] == "ft:delete_group" and button["style"] == "danger" and button["confirm"]
    assert await slack_app.groups.coached_groups(actor(omar))  # nothing deleted yet
    clicked = await slack.click(omar, prompt, "ft:delete_group")
    assert clicked.acked and prompt.edits and "Deleted" in prompt.text
    assert await slack_app.groups.coached_groups(actor(omar)) == []
    [told] = await slack.wait_for_dms(maya)
    assert "was deleted" in told.text


async def test_export_arrives_in_the_coach_s_dm_as_csv(slack_app: App, slack: SlackSandbox, clock: ManualClock) -> None:
    omar = slack.add_user("omar", tz="UTC")
    maya = slack.add_user("maya", tz="UTC")
    await slack.slash(omar, COACH, "coach create Spring Club")
    await sharing(slack_app, omar, actor(maya), "Maya")
    exported = await slack.slash(omar, COACH, "coach export")
    assert "DM" in exported.text
    await slack.wait_until(lambda: any(m.files for m in slack.dms(omar)), what="the CSV in the DM")
    [sent] = [m for m in slack.dms(omar) if m.files]
    [file] = sent.files
    assert file.filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(file.text().lstrip("\ufeff"))))
    assert [(r["seeker"], r["seeker_id"], r["platform"]) for r in rows] == [("Maya", maya.id, "slack")]


async def test_digest_settings_and_the_weekly_digest_arrives_by_dm(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    omar = slack.add_user("omar", tz="America/Chicago")
    maya = slack.add_user("maya", tz="UTC")
    await slack.slash(omar, COACH, "coach create Spring Club")
    await sharing(slack_app, omar, actor(maya), "Maya")
    await log_interview(slack, maya, {**INTERVIEW, "when": "today 8am"})
    before = await dump(slack_app.db)
    refused = await slack.slash(omar, COACH, "coach digest someday")
    assert "weekday" in refused.text and await dump(slack_app.db) == before
    shown_plan = await slack.slash(omar, COACH, "coach digest")
    assert "Monday at 09:00 (America/Chicago)" in shown(shown_plan.ephemerals[0].blocks)
    changed = await slack.slash(omar, COACH, "coach digest friday 08:00")
    assert "Friday at 08:00" in shown(changed.ephemerals[0].blocks)

    clock.set(utc(2026, 11, 27, 13, 59))  # Friday 07:59 in Chicago
    await slack_app.digests.run_pass()
    assert not [m for m in slack.dms(omar) if "weekly coaching digest" in m.text]
    clock.set(utc(2026, 11, 27, 14))  # 08:00 there
    await slack.wait_until(
        lambda: any("weekly coaching digest" in m.text for m in slack.dms(omar)), what="the digest DM"
    )
    [digest] = [m for m in slack.dms(omar) if "weekly coaching digest" in m.text]
    assert "Acme" in shown(digest.blocks) and digest.metadata is not None


async def test_a_roster_longer_than_a_select_is_narrowed_by_the_name_typed(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    omar = await coach_of_many(slack_app, slack, 105)
    [modal] = (await slack.slash(omar, COACH, "coach nudge")).opened
    picker = element(modal, "seeker")
    assert len(picker["options"]) == 100 and "type part of a name" in modal.blocks[0]["hint"]["text"]
    await slack.close(modal)
    [modal] = (await slack.slash(omar, COACH, "coach nudge seeker 104")).opened
    picker = element(modal, "seeker")
    assert [o["text"]["text"] for o in picker["options"]] == ["Seeker 104"]
    assert picker["initial_option"]["text"]["text"] == "Seeker 104"
    [modal] = (await slack.slash(omar, COACH, "coach seeker seeker 1")).opened  # 100 to 104: the list narrowed
    assert len(element(modal, "seeker")["options"]) == 5 and "initial_option" not in element(modal, "seeker")


async def test_add_coach_alone_opens_a_modal_with_slack_s_user_picker(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    omar = slack.add_user("omar", tz="UTC")
    dee = slack.add_user("dee", tz="UTC")
    await slack.slash(omar, COACH, "coach create Spring Club")
    await slack.slash(omar, COACH, "coach create Evening Club")
    [modal] = (await slack.slash(omar, COACH, "coach add-coach")).opened
    assert element(modal, "who")["type"] == "users_select"
    evening = next(g for g in await slack_app.groups.coached_groups(actor(omar)) if g.name == "Evening Club")
    before = await dump(slack_app.db)
    refused = await slack.submit(modal, {"who": slack.bot_user.id, "group": str(evening.id)})
    assert set(refused.errors) == {"who"} and await dump(slack_app.db) == before
    added = await slack.submit(modal, {"who": dee.id, "group": str(evening.id)})
    assert added.errors == {}
    assert [g.name for g in await slack_app.groups.coached_groups(actor(dee))] == ["Evening Club"]
    await slack.wait_until(lambda: any("Co-coach added" in m.text for m in slack.ephemerals(omar)), what="reply")
    [modal] = (await slack.slash(omar, COACH, "coach add-coach")).opened
    again = await slack.submit(modal, {"who": dee.id, "group": str(evening.id)})
    assert "already coaches" in again.errors["who"]


async def test_what_slack_escapes_in_a_command_is_read_back_as_typed(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    omar = slack.add_user("omar", tz="UTC")
    await slack.slash(omar, COACH, "coach create Tom & Jerry <3")  # the local Slack sends & < > as entities
    assert (await group_of(slack_app, omar)).name == "Tom & Jerry <3"

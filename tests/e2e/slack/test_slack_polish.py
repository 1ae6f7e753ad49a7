"""What a new user met on Slack that a well-made Slack app would not do, each fixed: through the real bot."""

from __future__ import annotations

import json
import re

import pytest

from bot.app import App
from bot.clocks import ManualClock
from bot.platforms.slack.coach_commands import USAGE
from bot.sandbox.slack import SlackSandbox
from tests.e2e.slack.test_slack_seeker import INTERVIEW, actor, log_interview
from tests.support import dump

pytestmark = pytest.mark.e2e


async def test_an_unknown_interview_word_lists_the_words_instead_of_not_available_on_slack(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    answered = await slack.slash(maya, "/interview", "frobnicate acme")
    [said] = answered.ephemerals
    shown = json.dumps(said.blocks)
    assert "not available" not in said.text and "frobnicate" in shown
    for word in ("next", "call", "outcome", "feedback", "edit", "delete", "reopen", "list"):
        assert f"/interview {word}" in shown, word


async def test_a_bad_decision_date_is_refused_on_the_decision_field_not_the_check_back(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    await log_interview(slack, maya, {**INTERVIEW, "when": "today 2pm"})
    [modal] = (await slack.slash(maya, "/interview", "next acme")).opened
    before = await dump(slack_app.db)
    refused = await slack.submit(modal, {"check_back": "next friday", "decision": "blah blah"})
    assert set(refused.errors) == {"decision"} and "decision" in refused.errors["decision"]
    refused = await slack.submit(modal, {"check_back": "blah blah", "decision": "in 10 days"})
    assert set(refused.errors) == {"check_back"}
    assert await dump(slack_app.db) == before


async def test_help_names_every_command_slack_has_and_none_it_lacks(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    [said] = (await slack.slash(maya, "/followthrough", "help")).ephemerals
    shown = json.dumps(said.blocks)
    interview = ("next", "call", "outcome", "feedback", "edit", "delete", "reopen", "list")
    words = [
        "/interview",
        *(f"/interview {word}" for word in interview),
        "/followups",
        *(f"/followthrough {word}" for word in ("settings", "join", "leave")),
        *(f"/followthrough data {word}" for word in ("calendar", "export", "delete")),
        *(f"/followthrough coach {word}" for word in USAGE),
    ]
    for command in words:
        assert f"`{command}`" in shown or f"`{command} " in shown, command
    named = set(re.findall(r"`(/[a-z]+(?: [a-z-]+)*)", shown))
    assert all(any(n == w or n.startswith(w + " ") for w in words) for n in named), named


async def test_the_only_interview_or_seeker_there_is_comes_chosen_in_the_select(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    omar = slack.add_user("omar", tz="UTC")
    await log_interview(slack, maya, {**INTERVIEW, "when": "yesterday 2pm"})
    [modal] = (await slack.slash(maya, "/interview", "call")).opened
    assert (await slack.submit(modal, {"heard": "They are still deciding"})).errors == {}  # no pick needed

    await slack.slash(omar, "/followthrough", "coach create Spring Club")
    [group] = await slack_app.groups.coached_groups(actor(omar))
    asked = await slack_app.groups.join(actor(maya), group.invite_code, "Maya")
    await slack_app.groups.decide(actor(maya), asked.membership.id, True)
    [modal] = (await slack.slash(omar, "/followthrough", "coach seeker")).opened
    assert (await slack.submit(modal, {})).errors == {} and "Acme" in json.dumps(modal.blocks)
    [modal] = (await slack.slash(omar, "/followthrough", "coach remove")).opened  # removing is chosen, not given
    assert "initial_option" not in modal.blocks[0]["element"]


async def test_data_or_join_without_their_word_say_what_to_add_not_that_it_is_unknown_or_a_bad_code(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    [said] = (await slack.slash(maya, "/followthrough", "data")).ephemerals
    assert "isn't a command I know" not in said.text and "/followthrough data calendar" in said.text
    [said] = (await slack.slash(maya, "/followthrough", "join")).ephemerals
    assert "doesn't match" not in said.text and "/followthrough join" in said.text
    assert "/coach" not in said.text


async def test_followups_has_done_and_snooze_under_each_and_a_click_updates_the_list_in_place(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    await log_interview(slack, maya, {**INTERVIEW, "when": "today 2pm"})
    open_ones = len(await slack_app.follow_ups.open_follow_ups(actor(maya)))
    [listed] = (await slack.slash(maya, "/followups", "")).ephemerals
    assert open_ones > 1 and listed.action_ids.count("ft:done") == listed.action_ids.count("ft:snooze") == open_ones
    first = json.dumps(listed.blocks)
    assert first.index("Acme") < first.index("ft:done")  # each follow-up, then its buttons
    posted = len(slack.ephemerals(maya))
    clicked = await slack.click(maya, listed, "ft:done")
    assert clicked.acked and listed.edits and len(slack.ephemerals(maya)) == posted  # in place, not anew
    assert "Done" in listed.text and listed.action_ids.count("ft:done") == open_ones - 1
    [line] = [
        line
        for line in json.dumps((await slack.slash(maya, "/followthrough", "help")).ephemerals[0].blocks).split("\\n")
        if "`/followups`" in line
    ]
    assert "Done" in line  # help says what the list has


async def test_an_edit_s_bad_time_is_refused_on_when_even_with_a_cleared_company(
    slack_app: App, slack: SlackSandbox, clock: ManualClock
) -> None:
    maya = slack.add_user("maya", tz="UTC")
    await log_interview(slack, maya, {**INTERVIEW, "when": "yesterday 2pm"})
    [modal] = (await slack.slash(maya, "/interview", "edit acme")).opened
    before = await dump(slack_app.db)
    refused = await slack.submit(modal, {"company": "-", "when": "never"})
    assert set(refused.errors) == {"when"} and "never" in refused.errors["when"]
    refused = await slack.submit(modal, {"company": "-", "when": "today 4pm"})
    assert set(refused.errors) == {"company"} and "can't be empty" in refused.errors["company"]
    assert await dump(slack_app.db) == before

"""How Discord shows content's text pieces and actions."""

from __future__ import annotations

import discord

from bot.content import preferences
from bot.content.message import (
    Action,
    ActionKind,
    ActionStyle,
    Ask,
    Clip,
    CodeBlock,
    Command,
    Instant,
    Message,
    OnPlatform,
    PlatformName,
    TimeStyle,
    UserText,
    bold,
)
from bot.platforms.discord import components, render
from tests.platforms.discord.builders import NOW


def test_each_piece_becomes_discord_markup() -> None:
    stamp = int(NOW.timestamp())
    shown = render.text(
        (
            bold(UserText("*Acme* @everyone")),
            " ",
            Instant(NOW),
            Instant(NOW, TimeStyle.RELATIVE),
            " ",
            Ask(Command.COACH_JOIN, "code:…", code=True),
            " ",
            Ask(Command.FOLLOW_UPS),
            " ",
            PlatformName(),
            " ",
            Clip(("abcdef",), 4),
        )
    )
    assert shown == (rf"**\*Acme\* @​everyone** <t:{stamp}:F><t:{stamp}:R> `/coach join code:…` /followups Discord abc…")
    block = render.text((CodeBlock("say `hi` " + "x" * 2000),))
    assert block.startswith("```\nsay 'hi' ") and len(block) <= render.FIELD_VALUE


def test_actions_keep_their_custom_ids_and_take_the_contents_labels() -> None:
    message = Message(
        actions=(
            Action(ActionKind.DELETE_INTERVIEW, 5, "Delete it", ActionStyle.DANGER),
            Action(ActionKind.PAGE, 0, "Next ▶", page=2, choice="everything", disabled=True),
        )
    )
    view = components.view(message.actions)
    assert view is not None
    [row] = view.to_components()
    assert [(c["custom_id"], c["label"], c["style"], c.get("disabled")) for c in row["components"]] == [
        ("ft:ivdelete:yes:5", "Delete it", discord.ButtonStyle.danger.value, False),
        ("ft:page:everything:2", "Next ▶", discord.ButtonStyle.secondary.value, True),
    ]
    assert components.view(()) is None


def test_the_zone_question_offers_the_guess_first_with_the_time_there() -> None:
    question = preferences.zone_question("/interview add", 3, "Europe/Lisbon", NOW)
    view = components.view(question.actions)
    assert view is not None
    select, *buttons = [c for row in view.to_components() for c in row["components"]]
    assert select["custom_id"] == "ft:zone:pick:3" and select["options"][0]["value"] == "Europe/Lisbon"
    assert select["options"][0]["description"]
    assert [b["custom_id"] for b in buttons] == ["ft:zone:use:3:Europe/Lisbon", "ft:zone:type:3"]
    assert render.embed(question).description is not None


def test_every_action_the_content_can_offer_has_a_discord_component() -> None:
    # Slack's alone: an invite's Join button posted in a channel, and the choice of group a typed name leaves
    # open (Discord's options autocomplete instead).
    slack_only = {ActionKind.JOIN_GROUP, ActionKind.LEAVE_GROUP}
    assert set(ActionKind) - set(components.MAKERS) <= slack_only


def test_a_person_on_another_platform_is_named_with_it_and_one_on_discord_is_not() -> None:
    assert render.text((bold(UserText("Omar")), OnPlatform("slack"))) == "**Omar** (on Slack)"
    assert render.text((bold(UserText("Maya")), OnPlatform("discord"))) == "**Maya**"

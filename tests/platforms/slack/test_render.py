"""How Slack shows content: valid Block Kit within Slack's limits however long or hostile the input, nothing a
user typed can ping or become markup, moments in each reader's zone, actions that say what they act on."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from bot.content import coaching, interviews, notices, nudges, your_data
from bot.content.message import (
    Action,
    ActionKind,
    ActionStyle,
    Ask,
    Clip,
    Code,
    CodeBlock,
    Command,
    Emphasis,
    Field,
    Instant,
    Message,
    OnPlatform,
    PlatformName,
    TimeStyle,
    UserText,
    bold,
)
from bot.domain.errors import InvalidInput
from bot.domain.models import FollowUpKind, Nudge
from bot.platforms.slack import render
from bot.platforms.slack.command_names import SLASH
from tests.platforms.discord.builders import NOW, follow_up, interview, steps, user
from tests.platforms.slack.catalogue import catalogue, hostile_group, hostile_report, message_builders

STAMP = int(NOW.timestamp())
DATE = re.compile(r"<!date\^\d+\^(\{date_short_pretty\} at \{time\}|\{ago\})\|[^<>|]+>")


def texts(node: Any, kind: str | None = None) -> Iterator[tuple[str, str]]:
    """Every text object in the blocks, as (type, text)."""
    if isinstance(node, dict):
        if node.get("type") in ("mrkdwn", "plain_text") and "text" in node:
            yield node["type"], node["text"]
        for value in node.values():
            yield from texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from texts(item)


def assert_valid(shown: render.Rendered, most: int = render.MESSAGE_BLOCKS) -> None:
    """Slack would take it: slack_sdk's own checks, plus the limits it does not check, and no markup but ours."""
    assert 0 < len(shown.blocks) <= most
    for block in shown.blocks:
        parsed = Block.parse(block)
        assert parsed is not None and parsed.to_dict() == block  # validates against slack_sdk's limits
        assert all(len(f["text"]) <= 2000 for f in block.get("fields", []))
        assert all(len(e.get("text", "")) <= 2000 for e in block.get("elements", []) if block["type"] == "context")
        ids = [e["action_id"] for e in block.get("elements", []) if "action_id" in e]
        assert len(ids) == len(set(ids)), ids
        for element in block.get("elements", []):
            for option in element.get("options", []):
                assert len(option["text"]["text"]) <= 75 and len(option.get("description", {}).get("text", "")) <= 75
    for kind, said in texts(shown.blocks):
        assert said.strip()
        if kind == "mrkdwn":
            assert_only_our_markup(said)
    assert 0 < len(shown.text) <= render.FALLBACK
    assert_only_our_markup(shown.text)


def assert_only_our_markup(said: str) -> None:
    """Every <…> is a date token, and every & starts an entity: nothing a user typed is read as Slack markup."""
    assert not re.findall(r"<[^>]*>", DATE.sub("", said)), said
    assert not re.search(r"&(?!amp;|lt;|gt;)", DATE.sub("", said)), said


BUILT = catalogue()


@pytest.mark.parametrize("name", sorted(BUILT))
def test_every_message_the_product_builds_is_valid_block_kit_within_slacks_limits(name: str) -> None:
    built = BUILT[name]()
    messages = built if isinstance(built, tuple) else (built,)
    assert_valid(render.render(*messages))
    home = render.home(messages)
    assert 0 < len(home["blocks"]) <= render.VIEW_BLOCKS


def test_the_catalogue_covers_every_content_function_that_builds_a_message() -> None:
    assert message_builders() == {name.split()[0] for name in BUILT}


def test_hostile_user_text_stays_text() -> None:
    typed = UserText("<!channel> & <@U123> <!here> <https://evil.example|click>")
    assert render.text((typed,)) == (
        "&lt;!channel&gt; &amp; &lt;@U123&gt; &lt;!here&gt; &lt;https://evil.example|click&gt;"
    )
    assert render.text(("Tom & Jerry <3",)) == "Tom &amp; Jerry &lt;3"  # the bot's own words too
    assert render.text((Code("a`<b>"),)) == "`a'&lt;b&gt;`"
    assert render.plain((typed,)) == typed.text  # plain_text (headers, dialogs) never pings: shown as typed


def test_an_instant_is_shown_in_each_readers_zone_with_a_utc_fallback() -> None:
    assert (
        render.text((Instant(NOW),)) == f"<!date^{STAMP}^{{date_short_pretty}} at {{time}}|Wed 25 Nov 2026 15:00 UTC>"
    )
    assert render.text((Instant(NOW, TimeStyle.RELATIVE),)) == f"<!date^{STAMP}^{{ago}}|Wed 25 Nov 2026 15:00 UTC>"
    assert render.plain(("Due ", Instant(NOW))) == "Due Wed 25 Nov 2026 15:00 UTC"


def test_each_piece_becomes_mrkdwn() -> None:
    shown = render.text(
        (
            bold("Acme"),
            " ",
            Emphasis(("now",)),
            " ",
            Ask(Command.COACH_JOIN, "code:…", code=True),
            " ",
            Ask(Command.SET_SHARE_NOTES, "on", code=True),
            " ",
            Ask(Command.FOLLOW_UPS),
            " ",
            PlatformName(),
            " ",
            Clip(("abcdef",), 4),
        )
    )
    assert shown == "*Acme* _now_ `/followthrough join …` `/followthrough settings` /followups Slack abc…"
    block = render.text((CodeBlock("say `hi` " + "x" * 5000),))
    assert block.startswith("```\nsay 'hi' ") and block.endswith("…\n```") and len(block) < render.SECTION


def test_clipping_never_cuts_a_token_or_an_entity_in_half() -> None:
    assert render.clip_markup("ab <!date^1^{ago}|x> cd", 8) == "ab …"
    assert render.clip_markup("ab &amp; cd", 6) == "ab …"
    assert render.clip_markup("ab &amp; cd", 9) == "ab &amp;…"
    clipped = render.text((Clip((UserText("<" * 100),), 50),))
    assert len(clipped) <= 50
    assert_only_our_markup(clipped)


def test_a_long_list_stays_within_fifty_blocks_and_says_how_many_more() -> None:
    lines = tuple((f"{i:03d} ", "w" * 1500) for i in range(300))
    shown = render.render(Message(("Long",), body=lines, whole_lines=True, actions=_page_actions()))
    assert_valid(shown)
    assert len(shown.blocks) == 50
    assert shown.blocks[-1]["type"] == "actions"  # the buttons always stay
    said = "\n".join(t for _, t in texts(shown.blocks))
    listed = re.findall(r"^(\d{3}) w", said, re.MULTILINE)
    [more] = re.findall(r"…and (\d+) more\.", said)
    assert listed == [f"{i:03d}" for i in range(len(listed))] and len(listed) + int(more) == 300


def test_fields_that_do_not_fit_are_counted_by_the_messages_rest() -> None:
    shown = render.render(coaching.seeker_detail(hostile_report(60)))
    said = [t for _, t in texts(shown.blocks)]
    shown_interviews = sum(1 for t in said if t.startswith("*") and "Interview <!date" in t)
    [more] = [int(m) for t in said for m in re.findall(r"and (\d+) more interviews", t)]
    assert len(shown.blocks) == 50 and shown_interviews + more == 60


def _page_actions() -> tuple[Action, ...]:
    return (
        Action(ActionKind.PAGE, 0, "◀ Previous", page=1, choice="everything"),
        Action(ActionKind.PAGE, 0, "Next ▶", page=3, choice="everything"),
    )


def test_inline_fields_sit_side_by_side_and_the_others_get_a_section() -> None:
    fields = (Field(("Company",), (("Acme",),)), Field(("Role",), (("Analyst",),)), Field(("Notes",), (("n",),), False))
    shown = render.render(Message(("T",), fields=fields, footer=("small print",), heading="above"))
    context, header, side_by_side, notes, footer = shown.blocks
    assert (context["type"], context["elements"][0]["text"]) == ("context", "above")
    assert header == {"type": "header", "text": {"type": "plain_text", "text": "T"}}
    assert [f["text"] for f in side_by_side["fields"]] == ["*Company*\nAcme", "*Role*\nAnalyst"]
    assert notes["text"]["text"] == "*Notes*\nn"
    assert footer["type"] == "context" and footer["elements"][0]["text"] == "small print"
    assert shown.text == "T\nCompany: Acme\nRole: Analyst\nNotes: n"


def test_a_nudges_buttons_name_their_action_and_carry_the_follow_up() -> None:
    nudge = Nudge(follow_up(FollowUpKind.CHECK_IN), interview(), steps(), None, user(), late=False)
    shown = render.render(nudges.nudge(nudge, timedelta(days=1)))
    [actions] = [b for b in shown.blocks if b["type"] == "actions"]
    buttons = [e for e in actions["elements"] if e["type"] == "button"]
    assert [(b["action_id"], b["value"], b["text"]["text"], b.get("style")) for b in buttons] == [
        ("ft:log_call", "1", "Log the call", "primary"),
        ("ft:done", "1", "Done", None),  # one primary at most: Slack's advice
        ("ft:snooze", "1", "Snooze 1 day", None),
        ("ft:add_to_calendar", "1", "Add to calendar", None),
    ]
    [select] = [e for e in actions["elements"] if e["type"] == "static_select"]
    assert select["action_id"] == "ft:snooze_for" and select["placeholder"]["text"] == "Snooze for…"
    assert [o["value"] for o in select["options"]] == ["1;c=3600", "1;c=10800", "1;c=86400", "1;c=259200", "1;c=604800"]
    assert render.decode(select["action_id"], select["options"][2]["value"]) == render.Clicked(
        ActionKind.SNOOZE_FOR, 1, choice="86400"
    )


@pytest.mark.parametrize(
    "message",
    [
        interviews.confirm_delete(interview(), 2),
        your_data.delete_prompt(NOW),
        coaching.delete_prompt(hostile_group(), NOW),
    ],
)
def test_a_destructive_button_asks_slacks_confirm_dialog_first(message: Message) -> None:
    shown = render.render(message)
    [danger] = [e for b in shown.blocks for e in b.get("elements", []) if e.get("style") == "danger"]
    confirm = danger["confirm"]
    assert confirm["style"] == "danger" and confirm["title"]["text"] == render.clip(render.plain(message.title), 100)
    assert confirm["confirm"]["text"] == danger["text"]["text"] and confirm["deny"]["text"] == "Cancel"
    others = [e for b in shown.blocks for e in b.get("elements", []) if e.get("action_id") and e is not danger]
    assert all("confirm" not in e for e in others)


@pytest.mark.parametrize(
    "action",
    [
        Action(ActionKind.MOVE_INTERVIEW, 7, "Use Tue", at=NOW, offered_for=NOW - timedelta(days=1)),
        Action(ActionKind.DELETE_MY_DATA, 0, "Delete", ActionStyle.DANGER, at=NOW),
        Action(ActionKind.ROSTER_PAGE, 9, "Next", page=3),
        Action(ActionKind.USE_ZONE, 3, "Use it", choice="America/Argentina/Buenos_Aires;c=x"),
        Action(ActionKind.ACCEPT, 41, "Accept"),
    ],
)
def test_an_actions_value_reads_back_as_what_it_acts_on(action: Action) -> None:
    clicked = render.decode(render.action_id(action.kind, 1), render.value(action))
    assert clicked == render.Clicked(
        action.kind, action.target, action.page, action.choice, action.at, action.offered_for
    )


def test_paging_buttons_get_distinct_action_ids_and_a_disabled_one_is_left_out() -> None:
    both = render.render(Message(("L",), actions=_page_actions()))
    assert [e["action_id"] for e in both.blocks[-1]["elements"]] == ["ft:page", "ft:page:1"]
    first = (Action(ActionKind.PAGE, 0, "◀", disabled=True), Action(ActionKind.PAGE, 0, "▶", page=1, choice="x"))
    [only] = render.render(Message(("L",), actions=first)).blocks[-1]["elements"]
    assert (only["action_id"], only["value"]) == ("ft:page", "0;p=1;c=x")


@pytest.mark.parametrize(
    ("action_id", "value"),
    [("ft:nope", "1"), ("xx:done", "1"), ("ft:done", "abc"), ("ft:done", "1;zz=3"), ("ft:done", "1;at=soon"), ("", "")],
)
def test_a_click_the_bot_did_not_make_is_refused_with_a_message(action_id: str, value: str) -> None:
    with pytest.raises(InvalidInput):
        render.decode(action_id, value)


def test_every_command_has_a_slack_name_and_errors_read_as_slack_commands() -> None:
    assert set(SLASH) == set(Command)
    error = InvalidInput("“{title}” is closed. See {interview_list}, or use {coach_leave}.", title="<!channel> & co")
    said = render.text(notices.refusal(error))
    assert said == "“&lt;!channel&gt; &amp; co” is closed. See /interview list, or use /followthrough leave."


def test_a_person_on_another_platform_is_named_with_it_and_one_on_slack_is_not() -> None:
    assert render.text((bold(UserText("Maya")), OnPlatform("discord"))) == "*Maya* (on Discord)"
    assert render.text((bold(UserText("Omar")), OnPlatform("slack"))) == "*Omar*"
    assert render.plain((UserText("Maya"), OnPlatform("discord"))) == "Maya (on Discord)"

"""Content rendered for Discord: a Message becomes an embed within Discord's limits, its text Discord
markdown (user text escaped, instants as <t:…> timestamps each reader sees in their own zone), its actions
components. The words themselves live in bot.content."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import discord

from bot.content.message import (
    Action,
    ActionKind,
    ActionStyle,
    Ask,
    Clip,
    Code,
    CodeBlock,
    Emphasis,
    Instant,
    Message,
    OnPlatform,
    Piece,
    PlatformName,
    Strong,
    Text,
    TimeStyle,
    Tone,
    UserText,
    and_more,
)
from bot.platforms.discord.command_names import slash

COLOURS = {
    Tone.INFO: discord.Colour.from_rgb(46, 134, 222),
    Tone.SUCCESS: discord.Colour.green(),
    Tone.WARNING: discord.Colour.orange(),
    Tone.ERROR: discord.Colour.red(),
}
STYLES = {
    ActionStyle.PRIMARY: discord.ButtonStyle.primary,
    ActionStyle.SECONDARY: discord.ButtonStyle.secondary,
    ActionStyle.SUCCESS: discord.ButtonStyle.success,
    ActionStyle.DANGER: discord.ButtonStyle.danger,
}
MAX_LINES = 20  # a list longer than this is hard to read at a glance
PAGE_ROOM = 3500  # characters per page of a list, leaving room in the description for headings
MORE = 50  # room kept for the field saying how many more did not fit

# Discord refuses a message whose embed breaks one of these (characters).
TITLE, DESCRIPTION, FIELD_NAME, FIELD_VALUE, FOOTER, TOTAL, FIELDS = 256, 4096, 256, 1024, 2048, 6000, 25


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape(value: str) -> str:
    """User text shown inside our markup: no markdown tricks, no mentions."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(value))


def timestamp(at: Instant) -> str:
    return f"<t:{int(at.at.timestamp())}:{'R' if at.style is TimeStyle.RELATIVE else 'F'}>"


def text(pieces: Text) -> str:
    return "".join(_piece(p) for p in pieces)


def _piece(piece: Piece) -> str:
    match piece:
        case str():
            return piece
        case UserText(typed, limit):
            return escape(typed if limit is None else clip(typed, limit))
        case Instant():
            return timestamp(piece)
        case Ask(command, hint, code):
            said = f"{slash(command)} {hint}" if hint else slash(command)
            return f"`{said}`" if code else said
        case Strong(inner):
            return f"**{text(inner)}**"
        case Emphasis(inner):
            return f"*{text(inner)}*"
        case Code(literal):
            return f"`{literal}`"
        case CodeBlock(literal):  # inside a field; a backtick would end the block
            return "```\n" + clip(literal.replace("`", "'"), FIELD_VALUE - 8) + "\n```"
        case Clip(inner, limit):
            return clip(text(inner), limit)
        case PlatformName():
            return "Discord"
        case OnPlatform():
            return piece.said("discord")
    raise AssertionError(piece)


def within(lines: list[str], limit: int, most: int = MAX_LINES) -> str:
    """At most `most` whole lines that fit in `limit` characters, then how many were left out."""
    kept: list[str] = []
    for index, line in enumerate(lines):
        rest = len(lines) - index
        more = and_more(rest)
        candidate = "\n".join([*kept, line])
        needed = len(candidate) if rest == 1 else len(candidate) + 1 + len(more)
        if index >= most or needed > limit:
            return "\n".join([*kept, more])
        kept.append(line)
    return "\n".join(kept)


def fit(embed: discord.Embed) -> discord.Embed:
    """Clip every text to Discord's limits, then drop trailing fields until the whole embed fits."""
    if embed.title:
        embed.title = clip(embed.title, TITLE)
    if embed.description:
        embed.description = clip(embed.description, DESCRIPTION)
    if embed.footer.text:
        embed.set_footer(text=clip(embed.footer.text, FOOTER), icon_url=embed.footer.icon_url)
    fields = [(clip(f.name or "", FIELD_NAME), clip(f.value or "", FIELD_VALUE), bool(f.inline)) for f in embed.fields]
    embed.clear_fields()
    for name, value, inline in fields[:FIELDS]:
        if len(embed) + len(name) + len(value) > TOTAL:
            break
        embed.add_field(name=name, value=value, inline=inline)
    return embed


def embed(message: Message, room: int = TOTAL) -> discord.Embed:
    """The message as one embed using at most `room` of Discord's 6,000 characters (when it has a `rest`;
    otherwise trailing fields that do not fit are left out). Whole-line lists keep whole lines."""
    built = discord.Embed(title=clip(text(message.title), TITLE) or None, colour=COLOURS[message.tone])
    lines = [text(line) for line in message.body]
    if lines:
        built.description = within(lines, DESCRIPTION) if message.whole_lines else clip("\n".join(lines), DESCRIPTION)
    if message.footer:
        built.set_footer(text=text(message.footer))
    fields = message.fields
    for index, field in enumerate(fields):
        name = clip(text(field.name), FIELD_NAME)
        values = [text(line) for line in field.lines]
        if not field.whole_lines:
            value = "\n".join(values)
        elif message.rest is not None:  # the rest field says what is left out, so each field gets its room
            value = within(values, FIELD_VALUE)
        else:  # each list shortened to what is left of the embed
            value = within(values, min(FIELD_VALUE, room - len(built) - len(name)))
        if message.rest is not None and (
            (index == FIELDS - 1 and len(fields) > FIELDS) or len(built) + len(name) + len(value) > room - MORE
        ):
            rest = message.rest(len(fields) - index)
            built.add_field(name=text(rest.name), value="\n".join(text(v) for v in rest.lines), inline=rest.inline)
            break
        built.add_field(name=name, value=value, inline=field.inline)
    if message.heading:
        built.set_author(name=message.heading)
    return fit(built)


def embeds(messages: tuple[Message, ...] | list[Message]) -> list[discord.Embed]:
    """Several embeds of one Discord message: the 6,000 characters count across them all."""
    built: list[discord.Embed] = []
    for message in messages:
        built.append(embed(message, TOTAL - sum(len(e) for e in built) - len(message.heading)))
    return built


def measure(entry: Text) -> int:
    """An entry's length as Discord shows it: how lists are paged."""
    return len(text(entry))


Maker = Callable[[Action], "discord.ui.DynamicItem[Any]"]


def view(actions: tuple[Action, ...], makers: Mapping[ActionKind, Maker]) -> discord.ui.View | None:
    """The actions as persistent components (each custom_id says what it acts on), labelled and styled as the
    content says; None when nothing is offered."""
    if not actions:
        return None
    built = discord.ui.View(timeout=None)
    for action in actions:
        item = makers[action.kind](action)
        component = item.item
        if isinstance(component, discord.ui.Button):
            component.label, component.style, component.disabled = action.label, STYLES[action.style], action.disabled
        elif isinstance(component, discord.ui.Select):
            component.placeholder = action.label
            component.options = [
                discord.SelectOption(label=o.label, value=o.value, description=o.description or None)
                for o in action.options
            ]
        built.add_item(item)
    return built

"""Content rendered for Slack: a Message becomes Block Kit blocks (built with slack_sdk's models, which check
Slack's limits when turned into JSON) and a plain `text` fallback for notifications. Text is mrkdwn with every
character Slack reads as markup (& < >) escaped, so nothing the bot posts can ping (`<!channel>` typed by a user
stays text); an Instant is a `<!date^…>` token each reader sees in their own zone. The words live in bot.content.

An action is a button (or a select, for a choice) whose action_id names it (`ft:done`) and whose value carries
what it acts on (`decode` reads both back). Slack has no disabled buttons: a disabled action is left out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.blocks import Option as SlackOption
from slack_sdk.models.views import View

from bot.content.follow_ups import Pager
from bot.content.message import (
    Action,
    ActionKind,
    ActionStyle,
    Ask,
    Clip,
    Code,
    CodeBlock,
    Emphasis,
    Field,
    Instant,
    Message,
    OnPlatform,
    Piece,
    PlatformName,
    Strong,
    Text,
    TimeStyle,
    UserText,
    and_more,
)
from bot.content.notices import BAD_OPTION
from bot.domain.errors import InvalidInput
from bot.platforms.slack.command_names import example

# Slack refuses a message or view that breaks one of these (characters, or blocks and items).
MESSAGE_BLOCKS, VIEW_BLOCKS = 50, 100
HEADER, SECTION, FIELD, FIELDS, CONTEXT = 150, 3000, 2000, 10, 2000
BUTTON, PLACEHOLDER, OPTION, OPTIONS, ELEMENTS = 75, 150, 75, 100, 25
CONFIRM_TITLE, CONFIRM_BUTTON = 100, 30
FALLBACK = 3000  # the notification text: Slack takes far more, a phone shows far less
CODE_ROOM = SECTION - 100  # a code block inside a field, leaving room for its name
PAGE_ROOM = 2800  # characters per page of a list: one section with its headings
PAGER = Pager(lambda entry: len(text(entry)), PAGE_ROOM)
PLATFORM = "slack"  # the reader's platform, for OnPlatform
PREFIX = "ft"  # every action_id the bot makes starts `ft:`
CONFIRM_TEXT = "This can't be undone."
STYLES = {ActionStyle.PRIMARY: "primary", ActionStyle.SUCCESS: "primary", ActionStyle.DANGER: "danger"}


def escape(value: str) -> str:
    """Text shown as it was written: Slack's three control characters become entities."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(typed: str) -> str:
    """A slash command's text as typed: Slack sends & < > in it as entities (a mention stays a <@U…> token)."""
    return typed.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def clip(value: str, limit: int) -> str:
    """Plain text cut to `limit` characters, with "…"."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def clip_markup(value: str, limit: int) -> str:
    """mrkdwn cut to `limit` characters, never inside a `<…>` token or an `&…;` entity (a cut one would show
    as raw markup)."""
    if len(value) <= limit:
        return value
    cut = value[: limit - 1]
    if cut.rfind("<") > cut.rfind(">"):
        cut = cut[: cut.rfind("<")]
    entity = cut.rfind("&")
    if entity >= 0 and ";" not in cut[entity:] and len(cut) - entity < len("&amp;"):
        cut = cut[:entity]
    return cut + "…"


def fallback_time(at: datetime) -> str:
    """A moment where a client cannot show it in the reader's zone (old clients, plain text): in UTC."""
    return f"{at.astimezone(UTC):%a %d %b %Y %H:%M} UTC"


def date(at: Instant) -> str:
    token = "{ago}" if at.style is TimeStyle.RELATIVE else "{date_short_pretty} at {time}"
    return f"<!date^{int(at.at.timestamp())}^{token}|{fallback_time(at.at)}>"


def text(pieces: Text) -> str:
    """The pieces as mrkdwn."""
    return "".join(_piece(p) for p in pieces)


def _piece(piece: Piece) -> str:
    match piece:
        case str():
            return escape(piece)
        case UserText(typed, limit):
            return escape(typed if limit is None else clip(typed, limit))
        case Instant():
            return date(piece)
        case Ask(command, hint, code):
            said = escape(example(command, hint))
            return f"`{said}`" if code else said
        case Strong(inner):
            return f"*{text(inner)}*"
        case Emphasis(inner):
            return f"_{text(inner)}_"
        case Code(literal):
            return "`" + escape(literal.replace("`", "'")) + "`"
        case CodeBlock(literal):  # a backtick would end the block
            return "```\n" + clip_markup(escape(literal.replace("`", "'")), CODE_ROOM) + "\n```"
        case Clip(inner, limit):
            return clip_markup(text(inner), limit)
        case PlatformName():
            return "Slack"
        case OnPlatform():
            return escape(piece.said(PLATFORM))
    raise AssertionError(piece)


def plain(pieces: Text) -> str:
    """The pieces as plain_text (headers, dialogs): no markup, nothing to escape, moments in UTC."""
    return "".join(_plain(p) for p in pieces)


def _plain(piece: Piece) -> str:
    match piece:
        case str():
            return piece
        case UserText(typed, limit):
            return typed if limit is None else clip(typed, limit)
        case Instant(at, _):
            return fallback_time(at)
        case Ask(command, hint, _):
            return example(command, hint)
        case Strong(inner) | Emphasis(inner):
            return plain(inner)
        case Code(literal) | CodeBlock(literal):
            return literal
        case Clip(inner, limit):
            return clip(plain(inner), limit)
        case PlatformName():
            return "Slack"
        case OnPlatform():
            return piece.said(PLATFORM)
    raise AssertionError(piece)


def pack(lines: list[str], limit: int, most: int) -> list[str]:
    """The lines in at most `most` texts of at most `limit` characters each, cut between lines (a line longer
    than a text is clipped); when they do not all fit, the last text ends with how many were left out."""
    texts: list[list[str]] = [[]]
    for index, line in enumerate(lines):
        line = clip_markup(line, limit)
        if texts[-1] and len("\n".join([*texts[-1], line])) > limit:
            if len(texts) == most:
                return [*("\n".join(t) for t in texts[:-1]), _ending(texts[-1], len(lines) - index, limit)]
            texts.append([])
        texts[-1].append(line)
    return ["\n".join(t) for t in texts if "".join(t).strip()]


def _ending(kept: list[str], left_out: int, limit: int) -> str:
    kept = list(kept)
    while kept and len("\n".join([*kept, and_more(left_out)])) > limit:
        kept.pop()
        left_out += 1
    return "\n".join([*kept, and_more(left_out)])


def _section(mrkdwn: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=mrkdwn))


def _field_text(field: Field, limit: int) -> str:
    name = f"*{text(field.name)}*" if field.name else ""
    room = limit - len(name) - 1
    values = [text(line) for line in field.lines]
    value = pack(values, room, 1)[0] if field.whole_lines and values else clip_markup("\n".join(values), room)
    return clip_markup(f"{name}\n{value}" if name else value, limit)


def _field_blocks(fields: Sequence[Field]) -> list[tuple[SectionBlock, int]]:
    """Each block with how many of the fields it shows: inline fields side by side (ten to a section), the
    others a section each."""
    built: list[tuple[SectionBlock, int]] = []
    inline: list[str] = []
    for field in fields:
        if field.inline:
            inline.append(_field_text(field, FIELD))
            if len(inline) == FIELDS:
                built.append((SectionBlock(fields=[MarkdownTextObject(text=f) for f in inline]), len(inline)))
                inline = []
            continue
        if inline:
            built.append((SectionBlock(fields=[MarkdownTextObject(text=f) for f in inline]), len(inline)))
            inline = []
        built.append((_section(_field_text(field, SECTION)), 1))
    if inline:
        built.append((SectionBlock(fields=[MarkdownTextObject(text=f) for f in inline]), len(inline)))
    return built


def _fields(message: Message, room: int) -> list[Block]:
    """As many fields as fit in `room` blocks; when some do not, the message's `rest` says how many."""
    built = _field_blocks(message.fields)
    if len(built) <= room:
        return [block for block, _ in built]
    kept = built[: room - 1] if message.rest is not None else built[:room]
    blocks: list[Block] = [block for block, _ in kept]
    if message.rest is not None:
        blocks.append(_section(_field_text(message.rest(len(message.fields) - sum(n for _, n in kept)), SECTION)))
    return blocks


def action_id(kind: ActionKind, repeat: int = 0) -> str:
    """`ft:done`; a kind offered twice in one message (Previous and Next) gets `ft:page:1` for the second,
    as Slack wants action_ids unique within a block."""
    return f"{PREFIX}:{kind.value}" + (f":{repeat}" if repeat else "")


def value(action: Action) -> str:
    """What the action acts on: `123` (its target), then `;p=2` (a page), `;at=…` and `;for=…` (Unix times),
    and last `;c=…` (a choice, which may hold anything)."""
    parts = [str(action.target)]
    if action.page:
        parts.append(f"p={action.page}")
    if action.at is not None:
        parts.append(f"at={int(action.at.timestamp())}")
    if action.offered_for is not None:
        parts.append(f"for={int(action.offered_for.timestamp())}")
    if action.choice:
        parts.append(f"c={action.choice}")
    return ";".join(parts)


@dataclass(frozen=True, slots=True)
class Clicked:
    """An action read back from a block_actions payload."""

    kind: ActionKind
    target: int
    page: int = 0
    choice: str = ""
    at: datetime | None = None
    offered_for: datetime | None = None


def decode(action_id: str, value: str) -> Clicked:
    """The action behind a click: the action_id and the button's value (a select's chosen option's value).
    Anything the bot did not make is refused with a message for the user."""
    try:
        prefix, kind_name, *_ = action_id.split(":")
        kind = ActionKind(kind_name)
        head, _, choice = value.partition(";c=")
        target, *extras = head.split(";")
        named = dict(extra.split("=", 1) for extra in extras)
        if prefix != PREFIX or not target.isdigit() or set(named) - {"p", "at", "for"}:
            raise ValueError(action_id)
        at, offered_for = (datetime.fromtimestamp(int(named[k]), UTC) if k in named else None for k in ("at", "for"))
        return Clicked(kind, int(target), int(named.get("p", 0)), choice, at, offered_for)
    except ValueError as exc:
        raise InvalidInput(BAD_OPTION) from exc


def _confirm(message: Message, action: Action) -> ConfirmObject:
    """Slack's own "are you sure?" dialog before a destructive action."""
    return ConfirmObject(
        title=clip(plain(message.title) or action.label, CONFIRM_TITLE),
        text=PlainTextObject(text=CONFIRM_TEXT),
        confirm=clip(action.label, CONFIRM_BUTTON),
        deny="Cancel",
        style="danger",
    )


def _actions(message: Message) -> list[Block]:
    """The actions offered, in order; one primary button at most (Slack's advice), a confirm on each danger."""
    elements: list[ButtonElement | StaticSelectElement] = []
    seen: dict[ActionKind, int] = {}
    primary = False
    for action in message.actions:
        if action.disabled:
            continue
        repeat = seen[action.kind] = seen.get(action.kind, -1) + 1
        if action.options:
            options = [
                SlackOption(
                    text=clip(o.label, OPTION),
                    value=value(replace(action, choice=o.value)),
                    description=clip(o.description, OPTION) or None,
                )
                for o in action.options[:OPTIONS]
            ]
            placeholder = clip(action.label, PLACEHOLDER)
            elements.append(
                StaticSelectElement(placeholder=placeholder, action_id=action_id(action.kind, repeat), options=options)
            )
            continue
        style = STYLES.get(action.style)
        if style == "primary":
            style, primary = (None, primary) if primary else ("primary", True)
        elements.append(
            ButtonElement(
                text=clip(action.label, BUTTON),
                action_id=action_id(action.kind, repeat),
                value=value(action),
                style=style,
                confirm=_confirm(message, action) if action.style is ActionStyle.DANGER else None,
            )
        )
    return [ActionsBlock(elements=elements[i : i + ELEMENTS]) for i in range(0, len(elements), ELEMENTS)]


def blocks(message: Message, room: int = MESSAGE_BLOCKS) -> list[Block]:
    """The message in at most `room` blocks: a small heading, the title as a header, the body, the fields (side
    by side when inline), the footer in small print, then the actions. Lists that do not fit say how many more;
    the actions always stay."""
    head: list[Block] = []
    if message.heading:
        head.append(ContextBlock(elements=[PlainTextObject(text=clip(message.heading, CONTEXT))]))
    title = plain(message.title).strip()
    if title:
        head.append(HeaderBlock(text=PlainTextObject(text=clip(title, HEADER))))
    tail: list[Block] = []
    if message.footer:
        tail.append(ContextBlock(elements=[MarkdownTextObject(text=clip_markup(text(message.footer), CONTEXT))]))
    tail += _actions(message)
    room -= len(tail)
    body_room = max(room - len(head) - (1 if message.fields else 0), 1)
    body: list[Block] = [_section(t) for t in pack([text(line) for line in message.body], SECTION, body_room)]
    middle = head + body
    middle += _fields(message, room - len(middle)) if room > len(middle) else []
    return middle[: max(room, 0)] + tail


@dataclass(frozen=True, slots=True)
class Rendered:
    """A Slack message: `text` is the fallback (notifications, screen readers), `blocks` what users see."""

    text: str
    blocks: list[dict[str, Any]]


def fallback(message: Message) -> str:
    said = [text(message.title), *(text(line) for line in message.body)]
    said += [f"{text(f.name)}: {' '.join(text(line) for line in f.lines)}" for f in message.fields]
    return clip_markup("\n".join(s for s in said if s.strip()), FALLBACK) or "Follow-Through"


def _stacked(messages: Sequence[Message], room: int) -> list[Block]:
    """Several messages one under the other, a divider between, sharing `room` blocks; a message with no room
    left for more than its header is left out."""
    built: list[Block] = []
    for index, message in enumerate(messages):
        if index and room - len(built) < 3:
            break
        if index:
            built.append(DividerBlock())
        built += blocks(message, room - len(built))
    return built


def render(*messages: Message) -> Rendered:
    """One Slack message showing the messages (the fallback is the first one's); its blocks are checked
    against Slack's limits here, so a message Slack would refuse fails where it is built."""
    return Rendered(fallback(messages[0]), [b.to_dict() for b in _stacked(messages, MESSAGE_BLOCKS)])


def home(messages: Sequence[Message]) -> dict[str, Any]:
    """An App Home tab (views.publish) showing the messages, within its 100 blocks."""
    return View(type="home", blocks=_stacked(messages, VIEW_BLOCKS)).to_dict()

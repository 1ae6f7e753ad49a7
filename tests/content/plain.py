"""A test-only rendering of content: plain text, with every piece's kind visible, so tests read the words
and see which parts a platform would escape, localise or name."""

from __future__ import annotations

from collections.abc import Iterator

from bot.content.message import (
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
    UserText,
)


def plain(pieces: Text) -> str:
    return "".join(_piece(p) for p in pieces)


def _piece(piece: Piece) -> str:
    match piece:
        case str():
            return piece
        case UserText(typed, _):
            return f"[{typed}]"
        case Instant(at, style):
            return f"<{style.value} {at.isoformat()}>"
        case Ask(command, hint, _):
            return f"<ask {command.name}{' ' + hint if hint else ''}>"
        case Strong(inner) | Emphasis(inner) | Clip(inner, _):
            return plain(inner)
        case Code(literal) | CodeBlock(literal):
            return literal
        case PlatformName():
            return "<platform>"
        case OnPlatform(platform):
            return f"<on {platform}>"
    raise AssertionError(piece)


def pieces(message: Message) -> Iterator[Piece]:
    """Every piece of the message, nested ones too."""
    texts = [message.title, message.footer, *message.body]
    for field in message.fields:
        texts += [field.name, *field.lines]
    stack: list[Piece] = [p for text in texts for p in text]
    while stack:
        piece = stack.pop()
        yield piece
        if isinstance(piece, Strong | Emphasis | Clip):
            stack.extend(piece.pieces)


def words(message: Message) -> str:
    """Everything the message says, one text per line."""
    lines = [plain(message.title), *(plain(line) for line in message.body)]
    for field in message.fields:
        lines += [plain(field.name), *(plain(line) for line in field.lines)]
    return "\n".join([*lines, plain(message.footer)])

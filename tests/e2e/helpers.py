"""Reading what the bot showed: embeds as plain text."""

from __future__ import annotations

from bot.sandbox import InteractionResult, Message


def shown(message: Message | None) -> str:
    """Everything a user reads in a message: content, embed titles, descriptions and fields."""
    if message is None:
        return ""
    parts = [message.content]
    for embed in message.embeds:
        parts += [embed.get("title", ""), embed.get("description", "")]
        parts += [f"{f['name']}: {f['value']}" for f in embed.get("fields", [])]
    return "\n".join(p for p in parts if p)


def reply(result: InteractionResult) -> str:
    return shown(result.message if result.message is not None else (result.followups or [None])[0])

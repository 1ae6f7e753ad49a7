"""Reading what the bot showed (embeds as plain text), and naming sandbox users to the core."""

from __future__ import annotations

from bot.app import App
from bot.domain.models import User
from bot.platforms.discord.context import PLATFORM
from bot.sandbox.discord import InteractionResult, Message, Sandbox, SandboxUser
from bot.usecases.actors import Actor


def shown(message: Message | None) -> str:
    """Everything a user reads in a message: content, and each embed's title, description, fields and footer."""
    if message is None:
        return ""
    parts = [message.content]
    for embed in message.embeds:
        parts += [embed.get("title", ""), embed.get("description", "")]
        parts += [f"{f['name']}: {f['value']}" for f in embed.get("fields", [])]
        parts.append(embed.get("footer", {}).get("text", ""))
    return "\n".join(p for p in parts if p)


def reply(result: InteractionResult) -> str:
    return shown(result.message if result.message is not None else (result.followups or [None])[0])


async def nudge(sandbox: Sandbox, user: SandboxUser, title: str, *, nth: int = 1) -> Message:
    """Wait for the `nth` DM whose embed title contains `title`."""

    def matching() -> list[Message]:
        return [m for m in sandbox.dms(user) if m.embeds and title in m.embeds[0].get("title", "")]

    await sandbox.wait_until(lambda: len(matching()) >= nth, timeout=5.0, what=f"nudge {title!r} #{nth}")
    return matching()[nth - 1]


def actor(user: SandboxUser) -> Actor:
    return Actor(PLATFORM, str(user.id))


async def stored_user(app: App, user: SandboxUser) -> User | None:
    """The user's row, if the bot stores one (read without creating it)."""
    who = actor(user)
    return await app.accounts.find(who)

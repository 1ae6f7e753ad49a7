"""The sandbox's world: the users, guilds, channels and messages Discord would hold."""

from __future__ import annotations

import enum
import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]
"""A raw Discord payload (embeds and components are kept exactly as the bot sent them)."""

DISCORD_EPOCH_MS = 1_420_070_400_000
EPHEMERAL = 1 << 6
LOADING = 1 << 7


class Snowflakes:
    """Mints snowflakes stamped with the current time, so discord.py's ``snowflake_time`` stays meaningful."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def next(self, shard: tuple[int, int] | None = None) -> int:
        """A fresh id; with `shard` ([id, count]), one whose events that shard receives (stamped up to
        count - 1 ms later)."""
        millis = int(time.time() * 1000) - DISCORD_EPOCH_MS
        if shard is not None:
            millis += (shard[0] - millis) % shard[1]
        return (millis << 22) | (next(self._counter) & 0x3FFFFF)


class ChannelType(enum.IntEnum):
    GUILD_TEXT = 0
    DM = 1


class MessageOrigin(enum.Enum):
    """How the bot created a message: through the channel API or as an interaction response/followup."""

    CHANNEL = "channel"
    INTERACTION = "interaction"


@dataclass(eq=False)
class SandboxUser:
    id: int
    name: str
    dms_open: bool = True
    """When False, the bot's messages to this user's DM channel fail with 403 / code 50007."""
    bot: bool = False
    locale: str = "en-US"


@dataclass(eq=False)
class SandboxChannel:
    id: int
    type: ChannelType
    name: str
    guild_id: int | None = None
    recipient: SandboxUser | None = None
    """The user on the other side of a DM channel."""


@dataclass(eq=False)
class SandboxGuild:
    id: int
    name: str
    owner: SandboxUser
    members: list[SandboxUser]
    channels: list[SandboxChannel]

    @property
    def text_channel(self) -> SandboxChannel:
        """The guild's first text channel, where guild interactions happen unless told otherwise."""
        return self.channels[0]

    def has_member(self, user: SandboxUser) -> bool:
        return any(member.id == user.id for member in self.members)


@dataclass(frozen=True)
class Attachment:
    id: int
    filename: str
    content: bytes
    content_type: str | None = None
    description: str | None = None

    @property
    def size(self) -> int:
        return len(self.content)

    def text(self, encoding: str = "utf-8") -> str:
        return self.content.decode(encoding)


@dataclass(eq=False)
class Message:
    """A message the bot created; edits through any route update it in place."""

    id: int
    channel_id: int
    author: SandboxUser
    origin: MessageOrigin
    content: str = ""
    embeds: list[JSON] = field(default_factory=list)
    components: list[JSON] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    flags: int = 0
    nonce: str | int | None = None
    interaction_id: int | None = None
    edits: int = 0
    deleted: bool = False
    created_at: float = field(default_factory=time.time)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        """True while a deferred ("thinking…") response has not been edited yet."""
        return bool(self.flags & LOADING)

    def walk_components(self) -> Iterator[JSON]:
        """Every component, depth first, including those nested in rows, sections, labels and containers."""
        stack = list(reversed(self.components))
        while stack:
            component = stack.pop()
            yield component
            nested: list[JSON] = list(component.get("components", []))
            for key in ("component", "accessory"):
                if key in component:
                    nested.append(component[key])
            stack.extend(reversed(nested))

    @property
    def custom_ids(self) -> list[str]:
        return [c["custom_id"] for c in self.walk_components() if "custom_id" in c]

    def component(self, custom_id: str) -> JSON | None:
        return next((c for c in self.walk_components() if c.get("custom_id") == custom_id), None)

    def button(self, label: str) -> str:
        """The custom_id of the button showing ``label`` (what a user would look for)."""
        for component in self.walk_components():
            if component.get("type") == 2 and component.get("label") == label and "custom_id" in component:
                return str(component["custom_id"])
        raise LookupError(f"message {self.id} has no button labelled {label!r}")


class World:
    """Everything the sandbox knows, independent of how it is reached (REST, gateway or the test API)."""

    def __init__(self, bot_name: str) -> None:
        self.ids = Snowflakes()
        self.bot = SandboxUser(id=self.ids.next(), name=bot_name, bot=True)
        self.owner = SandboxUser(id=self.ids.next(), name=f"{bot_name}-owner")
        self.users: dict[int, SandboxUser] = {self.bot.id: self.bot, self.owner.id: self.owner}
        self.guilds: dict[int, SandboxGuild] = {}
        self.channels: dict[int, SandboxChannel] = {}
        self.messages: dict[int, Message] = {}
        self._dm_channels: dict[int, SandboxChannel] = {}

    def add_user(self, name: str, *, dms_open: bool = True) -> SandboxUser:
        user = SandboxUser(id=self.ids.next(), name=name, dms_open=dms_open)
        self.users[user.id] = user
        return user

    def add_guild(
        self,
        name: str,
        members: list[SandboxUser],
        channel_name: str = "general",
        shard: tuple[int, int] | None = None,
    ) -> SandboxGuild:
        guild_id = self.ids.next(shard)
        channel = SandboxChannel(self.ids.next(), ChannelType.GUILD_TEXT, channel_name, guild_id=guild_id)
        humans = [m for m in members if m.id != self.bot.id]
        owner = humans[0] if humans else self.owner
        guild = SandboxGuild(guild_id, name, owner=owner, members=[self.bot, *humans], channels=[channel])
        self.guilds[guild.id] = guild
        self.channels[channel.id] = channel
        return guild

    def dm_channel(self, user: SandboxUser) -> SandboxChannel:
        """The bot's DM channel with ``user``, opened on first use as Discord does."""
        channel = self._dm_channels.get(user.id)
        if channel is None:
            channel = SandboxChannel(self.ids.next(), ChannelType.DM, user.name, recipient=user)
            self._dm_channels[user.id] = channel
            self.channels[channel.id] = channel
        return channel

    def guild_of(self, channel: SandboxChannel) -> SandboxGuild | None:
        return None if channel.guild_id is None else self.guilds[channel.guild_id]

    def add_message(self, message: Message) -> Message:
        self.messages[message.id] = message
        return message

    def messages_in(self, channel_id: int) -> list[Message]:
        return [m for m in self.messages.values() if m.channel_id == channel_id and not m.deleted]

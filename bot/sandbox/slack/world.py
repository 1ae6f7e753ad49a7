"""The local Slack's world: one workspace with its users, channels, messages, views and files."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]
"""A raw Slack payload (blocks and views are kept exactly as the app sent them)."""

TEAM_ID = "T0TEAM"
TEAM_DOMAIN = "example"
APP_ID = "A0APP"
BOT_ID = "B0BOT"
BOT_USER_ID = "U0BOT"

DM_ERRORS = frozenset({"messages_tab_disabled", "user_disabled", "cannot_dm_bot", "user_not_found"})
"""What Slack answers when a DM cannot reach its user."""


class Ids:
    """Slack-shaped ids (``U…``, ``D…``, ``V…``) and message timestamps that always increase."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)
        self._last_ts = 0.0

    def next(self, prefix: str) -> str:
        return f"{prefix}0{next(self._counter):08X}"

    def ts(self) -> str:
        """A message ``ts``: wall-clock seconds with six decimals, strictly increasing."""
        self._last_ts = max(time.time(), self._last_ts + 0.000001)
        return f"{self._last_ts:.6f}"


@dataclass(eq=False)
class SlackUser:
    id: str
    name: str
    tz: str = "America/New_York"
    """The IANA zone of the user's Slack profile (``users.info`` → ``user.tz``)."""
    dm_error: str | None = None
    """When set (one of ``DM_ERRORS``), opening or posting to this user's DM fails with this error."""
    is_bot: bool = False
    deleted: bool = False

    def info(self, offset_seconds: int) -> JSON:
        """The ``users.info`` shape."""
        return {
            "id": self.id,
            "team_id": TEAM_ID,
            "name": self.name,
            "real_name": self.name.title(),
            "deleted": self.deleted,
            "is_bot": self.is_bot,
            "tz": self.tz,
            "tz_label": self.tz,
            "tz_offset": offset_seconds,
            "profile": {"real_name": self.name.title(), "display_name": self.name, "team": TEAM_ID},
        }


@dataclass(eq=False)
class SlackChannel:
    id: str
    name: str
    members: list[SlackUser]
    is_im: bool = False

    @property
    def user(self) -> SlackUser | None:
        """The person on the other side of a DM with the bot."""
        return self.members[0] if self.is_im else None


@dataclass(eq=False)
class SlackFile:
    id: str
    filename: str
    length: int
    data: bytes | None = None
    title: str | None = None
    completed: bool = False

    def text(self) -> str:
        return (self.data or b"").decode()


@dataclass(eq=False)
class SlackMessage:
    """A message the app posted: in a channel, or ephemeral (seen by ``visible_to`` only)."""

    channel: str
    ts: str
    text: str
    blocks: list[JSON]
    metadata: JSON | None = None
    visible_to: SlackUser | None = None
    """Set on ephemeral messages: they are in no history and cannot be updated."""
    files: list[SlackFile] = field(default_factory=list)
    thread_ts: str | None = None
    edits: list[JSON] = field(default_factory=list)
    """The previous versions (text and blocks), oldest first, one per ``chat.update``."""
    deleted: bool = False
    author: str = BOT_USER_ID
    """Who wrote it: the bot, or a user writing to the bot in its DM."""

    @property
    def ephemeral(self) -> bool:
        return self.visible_to is not None

    @property
    def action_ids(self) -> list[str]:
        return [e["action_id"] for e in interactive_elements(self.blocks)]

    def history_json(self, *, with_metadata: bool) -> JSON:
        """The message as ``conversations.history`` and interaction payloads show it."""
        body: JSON = {"type": "message", "user": self.author, "team": TEAM_ID, "text": self.text, "ts": self.ts}
        if self.author == BOT_USER_ID:
            body.update(bot_id=BOT_ID, app_id=APP_ID)
        if self.blocks:
            body["blocks"] = self.blocks
        if self.edits:
            body["edited"] = {"user": BOT_USER_ID, "ts": self.ts}
        if self.thread_ts is not None:
            body["thread_ts"] = self.thread_ts
        if self.files:
            body["files"] = [{"id": f.id, "name": f.filename, "title": f.title or f.filename} for f in self.files]
        if with_metadata and self.metadata is not None:
            body["metadata"] = self.metadata
        return body


def interactive_elements(blocks: list[JSON]) -> list[JSON]:
    """Every element carrying an ``action_id``: accessories, actions/input elements, in block order."""
    found: list[JSON] = []
    for block in blocks:
        candidates = [block.get("accessory"), block.get("element"), *block.get("elements", [])]
        for element in candidates:
            if isinstance(element, dict) and "action_id" in element:
                found.append({**element, "block_id": block.get("block_id")})
    return found


@dataclass(eq=False)
class SlackView:
    """A modal or Home tab as the app last sent it, plus what the user typed into it (``state``)."""

    id: str
    user: SlackUser
    body: JSON
    hash: str
    root_view_id: str
    previous_view_id: str | None = None
    open: bool = True
    """False once the modal was closed, cleared, or replaced on its stack."""
    history: list[JSON] = field(default_factory=list)
    """Earlier bodies, oldest first, one per ``views.update`` (or ``response_action: update``)."""

    @property
    def type(self) -> str:
        return str(self.body.get("type"))

    @property
    def callback_id(self) -> str:
        return str(self.body.get("callback_id", ""))

    @property
    def blocks(self) -> list[JSON]:
        return list(self.body.get("blocks", []))

    @property
    def title(self) -> str:
        title = self.body.get("title") or {}
        return str(title.get("text", ""))

    @property
    def private_metadata(self) -> str:
        return str(self.body.get("private_metadata", ""))

    @property
    def action_ids(self) -> list[str]:
        return [e["action_id"] for e in interactive_elements(self.blocks)]

    def payload(self, state: JSON | None = None) -> JSON:
        """The view as Slack shows it to the app (views.* answers and interaction payloads)."""
        return {
            "id": self.id,
            "team_id": TEAM_ID,
            "type": self.type,
            "blocks": self.blocks,
            "private_metadata": self.private_metadata,
            "callback_id": self.callback_id,
            "state": {"values": state or {}},
            "hash": self.hash,
            "title": self.body.get("title"),
            "clear_on_close": bool(self.body.get("clear_on_close", False)),
            "notify_on_close": bool(self.body.get("notify_on_close", False)),
            "close": self.body.get("close"),
            "submit": self.body.get("submit"),
            "previous_view_id": self.previous_view_id,
            "root_view_id": self.root_view_id,
            "app_id": APP_ID,
            "external_id": self.body.get("external_id", ""),
            "app_installed_team_id": TEAM_ID,
            "bot_id": BOT_ID,
        }


class World:
    def __init__(self, bot_name: str) -> None:
        self.ids = Ids()
        self.bot = SlackUser(BOT_USER_ID, bot_name, is_bot=True)
        self.users: dict[str, SlackUser] = {self.bot.id: self.bot}
        self.channels: dict[str, SlackChannel] = {}
        self.messages: list[SlackMessage] = []
        self.views: dict[str, SlackView] = {}
        self.stacks: dict[str, list[SlackView]] = {}
        """Each user's open modals, bottom first (Slack allows 3)."""
        self.homes: dict[str, SlackView] = {}
        self.files: dict[str, SlackFile] = {}
        self.general = self.add_channel("general", [])

    def add_user(self, name: str, tz: str) -> SlackUser:
        user = SlackUser(self.ids.next("U"), name, tz=tz)
        self.users[user.id] = user
        self.general.members.append(user)
        return user

    def add_channel(self, name: str, members: list[SlackUser], *, with_bot: bool = True) -> SlackChannel:
        channel = SlackChannel(self.ids.next("C"), name, [*members, self.bot] if with_bot else list(members))
        self.channels[channel.id] = channel
        return channel

    def dm(self, user: SlackUser) -> SlackChannel:
        """The DM between ``user`` and the bot (opened on first use, as ``conversations.open`` does)."""
        for channel in self.channels.values():
            if channel.is_im and channel.user is user:
                return channel
        channel = SlackChannel(self.ids.next("D"), "directmessage", [user, self.bot], is_im=True)
        self.channels[channel.id] = channel
        return channel

    def message(self, channel: str, ts: str) -> SlackMessage | None:
        return next((m for m in self.messages if m.channel == channel and m.ts == ts and not m.ephemeral), None)

    def history(self, channel: str) -> list[SlackMessage]:
        """A channel's messages, oldest first (ephemeral and deleted ones excluded)."""
        return [m for m in self.messages if m.channel == channel and not m.ephemeral and not m.deleted]

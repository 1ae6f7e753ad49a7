"""Interactions the sandbox sends the bot, and what the bot answered to each."""

from __future__ import annotations

import enum
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from . import payloads
from .waiting import Changes
from .world import JSON, Message, SandboxChannel, SandboxGuild, SandboxUser


class InteractionType(enum.IntEnum):
    APPLICATION_COMMAND = 2
    MESSAGE_COMPONENT = 3
    AUTOCOMPLETE = 4
    MODAL_SUBMIT = 5


class CallbackType(enum.IntEnum):
    PONG = 1
    CHANNEL_MESSAGE = 4
    DEFERRED_CHANNEL_MESSAGE = 5
    DEFERRED_UPDATE_MESSAGE = 6
    UPDATE_MESSAGE = 7
    AUTOCOMPLETE_RESULT = 8
    MODAL = 9


DEFERRED = (CallbackType.DEFERRED_CHANNEL_MESSAGE, CallbackType.DEFERRED_UPDATE_MESSAGE)


class SubmissionError(ValueError):
    """The test tried to submit something the Discord client would not let a user submit."""


@dataclass(frozen=True)
class Choice:
    name: str
    value: str | int | float


@dataclass(frozen=True)
class ModalField:
    """An input in a modal: a text input (type 4) or a select (types 3, 5-8)."""

    custom_id: str
    type: int
    label: str | None
    required: bool
    value: str | None
    """The pre-filled text, sent back unchanged if the test gives no value."""
    min_length: int | None = None
    max_length: int | None = None


@dataclass(frozen=True)
class ModalPrompt:
    custom_id: str
    title: str
    components: list[JSON]
    interaction_id: int
    """The interaction whose response opened this modal."""
    message: Message | None
    """The message whose component opened the modal, if any; Discord sends it back with the submission."""

    @property
    def fields(self) -> list[ModalField]:
        found: list[ModalField] = []
        for top in self.components:
            if top["type"] == 1:
                found.extend(_field(c, c.get("label")) for c in top.get("components", []))
            elif top["type"] == 18:
                found.append(_field(top["component"], top.get("label")))
        return found

    def submission(self, values: Mapping[str, str | Sequence[str]]) -> list[JSON]:
        """The ``components`` of the MODAL_SUBMIT, mirroring the modal's rows and labels as discord.py parses them."""
        known = {f.custom_id for f in self.fields}
        unknown = set(values) - known
        if unknown:
            raise SubmissionError(f"modal {self.title!r} has no fields {sorted(unknown)}; it has {sorted(known)}")
        submitted: list[JSON] = []
        for top in self.components:
            if top["type"] == 1:
                row = [_submitted(c, values) for c in top.get("components", [])]
                submitted.append({"type": 1, "components": row})
            elif top["type"] == 18:
                label: JSON = {"type": 18, "component": _submitted(top["component"], values)}
                if "id" in top:
                    label["id"] = top["id"]
                submitted.append(label)
        return submitted


def _field(component: JSON, label: str | None) -> ModalField:
    return ModalField(
        custom_id=component["custom_id"],
        type=component["type"],
        label=component.get("label") or label,
        required=component.get("required", True),
        value=component.get("value"),
        min_length=component.get("min_length"),
        max_length=component.get("max_length"),
    )


def _submitted(component: JSON, values: Mapping[str, str | Sequence[str]]) -> JSON:
    field_ = _field(component, None)
    given = values.get(field_.custom_id)
    if field_.type == 4:
        if given is not None and not isinstance(given, str):
            raise SubmissionError(f"text input {field_.custom_id!r} takes a str")
        text = (field_.value or "") if given is None else given
        if field_.required and not text:
            raise SubmissionError(f"{field_.custom_id!r} is required")
        if text and not (field_.min_length or 0) <= len(text) <= (field_.max_length or 4000):
            raise SubmissionError(f"{field_.custom_id!r} must be {field_.min_length}-{field_.max_length} characters")
        return {"type": 4, "custom_id": field_.custom_id, "value": text}
    if field_.type in (3, 5, 6, 7, 8):
        chosen = [given] if isinstance(given, str) else list(given or [])
        if field_.required and not chosen:
            raise SubmissionError(f"{field_.custom_id!r} is required")
        return {"type": field_.type, "custom_id": field_.custom_id, "values": chosen}
    raise SubmissionError(f"component type {field_.type} in a modal is not supported by the sandbox")


@dataclass(eq=False)
class InteractionResult:
    """An interaction sent to the bot; filled in live as the bot responds, follows up and edits."""

    id: int
    token: str
    type: InteractionType
    user: SandboxUser
    channel: SandboxChannel
    guild: SandboxGuild | None
    source_message: Message | None = None
    """The message whose component was used (component interactions and modals opened from one)."""
    callback_type: CallbackType | None = None
    message: Message | None = None
    """The original response; for UPDATE_MESSAGE / DEFERRED_UPDATE_MESSAGE, the component's message."""
    followups: list[Message] = field(default_factory=list)
    modal: ModalPrompt | None = None
    choices: list[Choice] | None = None
    original_edited: bool = False
    created_at: float = field(default_factory=time.monotonic)
    _changes: Changes = field(repr=False, kw_only=True)

    @property
    def deferred(self) -> bool:
        return self.callback_type in DEFERRED

    @property
    def complete(self) -> bool:
        """Answered, and if deferred, followed up or edited (what a user waits for before the spinner stops)."""
        if self.callback_type is None:
            return False
        return not self.deferred or self.original_edited or bool(self.followups)

    @property
    def ephemeral(self) -> bool:
        return self.message is not None and self.message.ephemeral

    @property
    def content(self) -> str:
        """The text the user sees: the edited/original response, else the first followup."""
        shown = self.message if self.message is not None and not self.message.loading else None
        if shown is None and self.followups:
            shown = self.followups[0]
        return "" if shown is None else shown.content

    async def wait_for_followups(self, count: int = 1, *, timeout: float = 5.0) -> list[Message]:
        await self._changes.wait_until(lambda: len(self.followups) >= count, timeout, f"{count} followup(s)")
        return self.followups

    @property
    def context(self) -> int:
        return 0 if self.guild is not None else 1


def interaction_payload(result: InteractionResult, *, bot: SandboxUser, data: JSON, message: JSON | None) -> JSON:
    """An INTERACTION_CREATE with every key discord.py reads (it KeyErrors without ``attachment_size_limit``)."""
    guild = result.guild
    payload: JSON = {
        "id": str(result.id),
        "application_id": str(bot.id),
        "type": int(result.type),
        "token": result.token,
        "version": 1,
        "data": data,
        "channel": payloads.channel(result.channel),
        "channel_id": str(result.channel.id),
        "app_permissions": str(payloads.BOT_PERMISSIONS),
        "locale": result.user.locale,
        "entitlements": [],
        "attachment_size_limit": payloads.ATTACHMENT_SIZE_LIMIT,
        "context": result.context,
        "authorizing_integration_owners": {"0": str(guild.id) if guild is not None else "0"},
    }
    if guild is not None:
        payload |= {
            "guild_id": str(guild.id),
            "guild_locale": "en-US",
            "guild": {"id": str(guild.id), "locale": "en-US", "features": []},
            "member": payloads.member(result.user, guild),
        }
    else:
        payload["user"] = payloads.user(result.user)
    if message is not None:
        payload["message"] = message
    return payload


class InteractionLedger:
    def __init__(self) -> None:
        self._by_id: dict[int, InteractionResult] = {}

    def add(self, result: InteractionResult) -> InteractionResult:
        self._by_id[result.id] = result
        return result

    def by_id(self, interaction_id: int, token: str) -> InteractionResult | None:
        result = self._by_id.get(interaction_id)
        return result if result is not None and result.token == token else None

    def by_token(self, token: str) -> InteractionResult | None:
        return next((r for r in self._by_id.values() if r.token == token), None)

    def all(self) -> list[InteractionResult]:
        return list(self._by_id.values())

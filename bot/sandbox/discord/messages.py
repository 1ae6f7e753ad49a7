"""Creating and editing the bot's messages the way Discord validates and stores them."""

from __future__ import annotations

from aiohttp import web

from . import payloads
from .interactions import CallbackType, InteractionLedger, InteractionResult
from .responses import BODY, WRITTEN, HttpError, RequestBody
from .waiting import Settlement
from .world import EPHEMERAL, JSON, LOADING, Attachment, Message, MessageOrigin, SandboxChannel, World

SETTABLE_FLAGS = EPHEMERAL | (1 << 2) | (1 << 12) | (1 << 15)
"""Ephemeral, suppress embeds, suppress notifications, components v2."""


# Discord's embed limits (characters), as it enforces them on every message create and edit.
EMBED_LIMITS = {
    "title": 256,
    "description": 4096,
    "field.name": 256,
    "field.value": 1024,
    "footer": 2048,
    "author": 256,
}
MAX_EMBEDS, MAX_FIELDS, MAX_EMBED_TOTAL = 10, 25, 6000


def check_embeds(embeds: list[JSON]) -> None:
    """Refuse embeds over Discord's limits with the 400 / 50035 Discord answers."""

    def refuse(where: str, limit: int) -> HttpError:
        return HttpError(400, 50035, f"Invalid Form Body ({where}: Must be {limit} or fewer in length.)")

    if len(embeds) > MAX_EMBEDS:
        raise refuse("embeds", MAX_EMBEDS)
    for i, embed in enumerate(embeds):
        texts = {
            "title": embed.get("title") or "",
            "description": embed.get("description") or "",
            "footer": (embed.get("footer") or {}).get("text") or "",
            "author": (embed.get("author") or {}).get("name") or "",
        }
        for key, value in texts.items():
            if len(value) > EMBED_LIMITS[key]:
                raise refuse(f"embeds.{i}.{key}", EMBED_LIMITS[key])
        fields = embed.get("fields") or []
        if len(fields) > MAX_FIELDS:
            raise refuse(f"embeds.{i}.fields", MAX_FIELDS)
        for j, field in enumerate(fields):
            for part in ("name", "value"):
                if len(field.get(part) or "") > EMBED_LIMITS[f"field.{part}"]:
                    raise refuse(f"embeds.{i}.fields.{j}.{part}", EMBED_LIMITS[f"field.{part}"])
        total = sum(map(len, texts.values())) + sum(
            len(f.get("name") or "") + len(f.get("value") or "") for f in fields
        )
        if total > MAX_EMBED_TOTAL:
            raise refuse(f"embeds.{i}", MAX_EMBED_TOTAL)


class MessageWriter:
    def __init__(self, world: World, interactions: InteractionLedger, settlement: Settlement) -> None:
        self.world = world
        self.interactions = interactions
        self.settlement = settlement

    def to_json(self, request: web.Request, message: Message) -> JSON:
        channel = self.world.channels[message.channel_id]
        return payloads.message(
            message, url_base=str(request.url.origin()), guild_id=channel.guild_id, application_id=self.world.bot.id
        )

    def create(
        self,
        request: web.Request,
        channel: SandboxChannel,
        data: JSON,
        *,
        origin: MessageOrigin,
        interaction: InteractionResult | None = None,
        extra_flags: int = 0,
    ) -> Message:
        body = request[BODY]
        deferred = bool(extra_flags & LOADING)
        if not (deferred or data.get("content") or data.get("embeds") or data.get("components") or body.files):
            raise HttpError(400, 50006, "Cannot send an empty message")
        if len(data.get("content") or "") > 2000:
            raise HttpError(400, 50035, "Invalid Form Body (content: Must be 2000 or fewer in length.)")
        check_embeds(data.get("embeds") or [])
        message = Message(
            id=self.world.ids.next(),
            channel_id=channel.id,
            author=self.world.bot,
            origin=origin,
            content=data.get("content") or "",
            embeds=data.get("embeds") or [],
            components=data.get("components") or [],
            attachments=self._attachments(body, data.get("attachments"), []),
            flags=(int(data.get("flags") or 0) & SETTABLE_FLAGS) | extra_flags,
            nonce=data.get("nonce"),
            interaction_id=interaction.id if interaction is not None else None,
        )
        self.world.add_message(message)
        self._track(request, message)
        return message

    def edit(self, request: web.Request, message: Message, data: JSON) -> None:
        body = request[BODY]
        if "content" in data:
            message.content = data["content"] or ""
        if "embeds" in data:
            check_embeds(data["embeds"] or [])
            message.embeds = data["embeds"] or []
        if "components" in data:
            message.components = data["components"] or []
        flags = message.flags if data.get("flags") is None else int(data["flags"])
        # Ephemerality is fixed at creation, and any edit ends a deferred response's "thinking" state.
        message.flags = (message.flags & EPHEMERAL) | (flags & SETTABLE_FLAGS & ~EPHEMERAL)
        if "attachments" in data or body.files:
            message.attachments = self._attachments(body, data.get("attachments"), message.attachments)
        message.edits += 1
        self._track(request, message)
        for result in self.interactions.all():
            if result.message is message and result.callback_type is CallbackType.DEFERRED_UPDATE_MESSAGE:
                result.original_edited = True

    def _track(self, request: web.Request, message: Message) -> None:
        self.settlement.writing(message.id)
        request[WRITTEN].append(message.id)

    def _attachments(self, body: RequestBody, listed: list[JSON] | None, keep: list[Attachment]) -> list[Attachment]:
        """Attachments after a create/edit: the listed existing ones kept, the ``files[n]`` uploads added."""
        new_id = self.world.ids.next
        if listed is None:
            return keep + [Attachment(new_id(), f.filename, f.content, f.content_type) for f in body.files]
        uploads = {f.field: f for f in body.files}
        result: list[Attachment] = []
        for item in listed:
            upload = uploads.get(f"files[{item.get('id')}]")
            if upload is None:
                result.extend(a for a in keep if str(a.id) == str(item.get("id")))
                continue
            filename = item.get("filename") or upload.filename
            result.append(Attachment(new_id(), filename, upload.content, upload.content_type, item.get("description")))
        return result

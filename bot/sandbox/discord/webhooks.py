"""The interaction routes: the callback answering an interaction, then followups and edits via its webhook.

These carry their token in the URL instead of the bot's Authorization header.
"""

from __future__ import annotations

import time

from aiohttp import web

from .interactions import CallbackType, Choice, InteractionLedger, InteractionResult, InteractionType, ModalPrompt
from .messages import MessageWriter
from .responses import BODY, WRITTEN, HttpError, Routes, json_response, no_content, unknown
from .waiting import Settlement
from .world import JSON, LOADING, Message, MessageOrigin, World


class InteractionRoutes:
    def __init__(
        self,
        world: World,
        interactions: InteractionLedger,
        messages: MessageWriter,
        settlement: Settlement,
        *,
        deadline: float,
    ) -> None:
        self.world = world
        self.interactions = interactions
        self.messages = messages
        self.settlement = settlement
        self.deadline = deadline
        """Seconds after creation an interaction can still get its first response (3 on Discord)."""

    def routes(self) -> Routes:
        return [
            ("POST", "/interactions/{interaction_id}/{token}/callback", self.callback),
            ("POST", "/webhooks/{webhook_id}/{token}", self.create_followup),
            ("GET", "/webhooks/{webhook_id}/{token}/messages/{message_id}", self.get_message),
            ("PATCH", "/webhooks/{webhook_id}/{token}/messages/{message_id}", self.edit_message),
            ("DELETE", "/webhooks/{webhook_id}/{token}/messages/{message_id}", self.delete_message),
        ]

    async def callback(self, request: web.Request) -> web.StreamResponse:
        result = self.interactions.by_id(int(request.match_info["interaction_id"]), request.match_info["token"])
        if result is None or time.monotonic() - result.created_at > self.deadline:
            raise unknown("interaction", 10062)
        if result.callback_type is not None:
            raise HttpError(400, 40060, "Interaction has already been acknowledged.")
        body = request[BODY].object()
        kind = CallbackType(body["type"])
        data: JSON = body.get("data") or {}
        self._respond_to(request, result, kind, data)
        result.callback_type = kind
        self.settlement.writing(result.id)
        request[WRITTEN].append(result.id)
        if request.query.get("with_response") not in ("1", "true", "True"):
            return no_content()
        shows_message = (
            CallbackType.CHANNEL_MESSAGE,
            CallbackType.DEFERRED_CHANNEL_MESSAGE,
            CallbackType.UPDATE_MESSAGE,
        )
        message = result.message if kind in shows_message else None
        resource: JSON = {"type": int(kind)}
        if message is not None:
            resource["message"] = self.messages.to_json(request, message)
        return json_response(
            {
                "interaction": {
                    "id": str(result.id),
                    "type": int(result.type),
                    "activity_instance_id": None,
                    "response_message_id": str(message.id) if message is not None else None,
                    "response_message_loading": kind is CallbackType.DEFERRED_CHANNEL_MESSAGE,
                    "response_message_ephemeral": message is not None and message.ephemeral,
                },
                "resource": resource,
            }
        )

    def _respond_to(self, request: web.Request, result: InteractionResult, kind: CallbackType, data: JSON) -> None:
        is_component = result.type in (InteractionType.MESSAGE_COMPONENT, InteractionType.MODAL_SUBMIT)
        if kind in (CallbackType.DEFERRED_UPDATE_MESSAGE, CallbackType.UPDATE_MESSAGE):
            if not is_component or result.source_message is None:
                raise HttpError(400, 40043, "Interaction can only update the message it came from")
            result.message = result.source_message
            if kind is CallbackType.UPDATE_MESSAGE:
                self.messages.edit(request, result.message, data)
        elif kind is CallbackType.CHANNEL_MESSAGE:
            result.message = self.messages.create(
                request, result.channel, data, origin=MessageOrigin.INTERACTION, interaction=result
            )
        elif kind is CallbackType.DEFERRED_CHANNEL_MESSAGE:
            result.message = self.messages.create(
                request, result.channel, data, origin=MessageOrigin.INTERACTION, interaction=result, extra_flags=LOADING
            )
        elif kind is CallbackType.AUTOCOMPLETE_RESULT:
            if result.type is not InteractionType.AUTOCOMPLETE:
                raise HttpError(400, 50035, "Invalid Form Body (autocomplete results answer autocomplete only)")
            result.choices = [Choice(c["name"], c["value"]) for c in data.get("choices", [])]
        elif kind is CallbackType.MODAL:
            if result.type in (InteractionType.AUTOCOMPLETE, InteractionType.MODAL_SUBMIT):
                raise HttpError(400, 50035, "Invalid Form Body (a modal cannot answer this interaction)")
            result.modal = ModalPrompt(
                data["custom_id"], data["title"], data["components"], result.id, result.source_message
            )

    def _interaction_of(self, request: web.Request) -> InteractionResult:
        result = self.interactions.by_token(request.match_info["token"])
        if request.match_info["webhook_id"] != str(self.world.bot.id) or result is None:
            raise unknown("Webhook", 10015)
        return result

    def _webhook_message(self, request: web.Request) -> tuple[InteractionResult, Message]:
        result = self._interaction_of(request)
        raw_id = request.match_info["message_id"]
        message = result.message if raw_id == "@original" else self.world.messages.get(int(raw_id))
        if message is None or message.deleted or message not in (result.message, *result.followups):
            raise unknown("Message", 10008)
        return result, message

    async def create_followup(self, request: web.Request) -> web.Response:
        result = self._interaction_of(request)
        if result.callback_type is None:
            raise unknown("Webhook", 10015)
        original = result.message
        if result.callback_type is CallbackType.DEFERRED_CHANNEL_MESSAGE and original is not None and original.loading:
            # Discord turns the first followup after a "thinking" defer into the deferred message itself.
            self.messages.edit(request, original, request[BODY].object())
            message = original
            result.original_edited = True
        else:
            data = request[BODY].object()
            message = self.messages.create(
                request, result.channel, data, origin=MessageOrigin.INTERACTION, interaction=result
            )
        result.followups.append(message)
        if request.query.get("wait") in ("1", "true", "True"):
            return json_response(self.messages.to_json(request, message))
        return no_content()

    async def get_message(self, request: web.Request) -> web.Response:
        _, message = self._webhook_message(request)
        return json_response(self.messages.to_json(request, message))

    async def edit_message(self, request: web.Request) -> web.Response:
        result, message = self._webhook_message(request)
        self.messages.edit(request, message, request[BODY].object())
        if message is result.message:
            result.original_edited = True
        return json_response(self.messages.to_json(request, message))

    async def delete_message(self, request: web.Request) -> web.Response:
        _, message = self._webhook_message(request)
        message.deleted = True
        return no_content()

"""Discord's REST API v10, as much of it as the bot uses.

Every request passes one middleware that checks the bot token, injects faults, applies rate-limit buckets,
records the request, and writes the response out before telling ``Settlement`` the message is safe to click.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from . import payloads
from .commands import CommandRegistry
from .faults import ErrorFault, Faults, RateLimitFault
from .interactions import CallbackType, Choice, InteractionLedger, InteractionResult, InteractionType, ModalPrompt
from .nonces import NonceLedger
from .ratelimits import RateLimiter, too_many_requests
from .responses import RequestBody, error_response, json_response, no_content, read_body
from .waiting import Changes, Settlement
from .world import (
    EPHEMERAL,
    JSON,
    LOADING,
    Attachment,
    ChannelType,
    Message,
    MessageOrigin,
    SandboxChannel,
    SandboxGuild,
    World,
)

API_PREFIX = "/api/v10"
_MAJOR_PARAMETERS = ("channel_id", "guild_id", "webhook_id", "interaction_id", "token")
_TOKEN_IN_URL = ("/interactions/", "/webhooks/{webhook_id}/{token}")
_SETTABLE_FLAGS = EPHEMERAL | (1 << 2) | (1 << 12) | (1 << 15)
"""Ephemeral, suppress embeds, suppress notifications, components v2."""


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    route: str
    """``"METHOD /template"`` like discord.py's ``Route.key``, e.g. ``"POST /channels/{channel_id}/messages"``."""
    status: int
    json: Any
    filenames: list[str] = field(default_factory=list)
    at: float = field(default_factory=time.monotonic)


class _HttpError(Exception):
    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _unknown(what: str, code: int) -> _HttpError:
    return _HttpError(404, code, f"Unknown {what}")


class RestApi:
    def __init__(
        self,
        *,
        world: World,
        token: str,
        commands: CommandRegistry,
        interactions: InteractionLedger,
        faults: Faults,
        limiter: RateLimiter,
        nonces: NonceLedger,
        settlement: Settlement,
        changes: Changes,
        gateway_url: Callable[[], str],
        privileged_intents: int,
    ) -> None:
        self.world = world
        self.token = token
        self.commands = commands
        self.interactions = interactions
        self.faults = faults
        self.limiter = limiter
        self.nonces = nonces
        self.settlement = settlement
        self.changes = changes
        self.gateway_url = gateway_url
        self.privileged_intents = privileged_intents
        self.requests: list[RecordedRequest] = []

    def install(self, app: web.Application) -> None:
        app.middlewares.append(self._middleware)
        add = app.router.add_route
        routes: list[tuple[str, str, Handler]] = [
            ("GET", "/users/@me", self.get_me),
            ("POST", "/users/@me/channels", self.open_dm),
            ("GET", "/users/{user_id}", self.get_user),
            ("GET", "/oauth2/applications/@me", self.get_application),
            ("GET", "/applications/@me", self.get_application),
            ("GET", "/gateway", self.get_gateway),
            ("GET", "/gateway/bot", self.get_gateway),
            ("GET", "/applications/{application_id}/commands", self.get_commands),
            ("PUT", "/applications/{application_id}/commands", self.put_commands),
            ("GET", "/applications/{application_id}/guilds/{guild_id}/commands", self.get_commands),
            ("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", self.put_commands),
            ("GET", "/channels/{channel_id}", self.get_channel),
            ("GET", "/channels/{channel_id}/messages", self.get_history),
            ("POST", "/channels/{channel_id}/messages", self.create_message),
            ("GET", "/channels/{channel_id}/messages/{message_id}", self.get_message),
            ("PATCH", "/channels/{channel_id}/messages/{message_id}", self.edit_message),
            ("DELETE", "/channels/{channel_id}/messages/{message_id}", self.delete_message),
            ("POST", "/channels/{channel_id}/typing", self.typing),
            ("GET", "/guilds/{guild_id}", self.get_guild),
            ("GET", "/guilds/{guild_id}/channels", self.get_guild_channels),
            ("GET", "/guilds/{guild_id}/members/{user_id}", self.get_member),
            ("POST", "/interactions/{interaction_id}/{token}/callback", self.interaction_callback),
            ("POST", "/webhooks/{webhook_id}/{token}", self.create_followup),
            ("GET", "/webhooks/{webhook_id}/{token}/messages/{message_id}", self.get_webhook_message),
            ("PATCH", "/webhooks/{webhook_id}/{token}/messages/{message_id}", self.edit_webhook_message),
            ("DELETE", "/webhooks/{webhook_id}/{token}/messages/{message_id}", self.delete_webhook_message),
        ]
        for method, path, handler in routes:
            add(method, API_PREFIX + path, handler)
        add("GET", "/attachments/{channel_id}/{attachment_id}/{filename}", self.get_attachment)

    # -- middleware ------------------------------------------------------------------------------------------

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        info = request.match_info
        resource = info.route.resource
        template = resource.canonical if resource is not None else request.path
        if not template.startswith(API_PREFIX):
            return await handler(request)
        route = f"{request.method} {template.removeprefix(API_PREFIX)}"
        body = await read_body(request)
        request["body"] = body
        request["written"] = []
        response = await self._respond(request, handler, route, body)
        await response.prepare(request)
        await response.write_eof()
        for message_id in request["written"]:
            self.settlement.written(message_id)
        files = [f.filename for f in body.files]
        self.requests.append(RecordedRequest(request.method, request.path, route, response.status, body.json, files))
        self.changes.notify()
        return response

    async def _respond(
        self, request: web.Request, handler: Handler, route: str, body: RequestBody
    ) -> web.StreamResponse:
        path = route.split(" ", 1)[1]
        if not path.startswith(_TOKEN_IN_URL) and request.headers.get("Authorization") != f"Bot {self.token}":
            return error_response(401, 0, "401: Unauthorized")
        major = "+".join(request.match_info[k] for k in _MAJOR_PARAMETERS if k in request.match_info)
        fault = self.faults.draw(route)
        allowed, bucket = self.limiter.take(route, major)
        if isinstance(fault, RateLimitFault):
            scope = "global" if fault.is_global else "user"
            return too_many_requests(fault.retry_after, scope=scope, is_global=fault.is_global, bucket=bucket)
        if isinstance(fault, ErrorFault):
            return error_response(fault.status, fault.code, fault.message, headers=bucket.headers())
        if not allowed:
            return too_many_requests(bucket.reset_after, scope="user", is_global=False, bucket=bucket)
        try:
            response = await handler(request)
        except web.HTTPException as error:
            response = error_response(error.status, 0, f"{error.status}: {error.reason}")
        except _HttpError as error:
            response = error_response(error.status, error.code, error.message)
        except (KeyError, ValueError, TypeError) as error:
            response = error_response(400, 50035, f"Invalid Form Body ({error!r})")
        response.headers.update(bucket.headers())
        return response

    # -- helpers ---------------------------------------------------------------------------------------------

    def _message_json(self, request: web.Request, message: Message) -> JSON:
        channel = self.world.channels[message.channel_id]
        return payloads.message(
            message, url_base=str(request.url.origin()), guild_id=channel.guild_id, application_id=self.world.bot.id
        )

    def _channel(self, request: web.Request) -> SandboxChannel:
        channel = self.world.channels.get(int(request.match_info["channel_id"]))
        if channel is None:
            raise _unknown("Channel", 10003)
        return channel

    def _channel_message(self, request: web.Request) -> Message:
        channel = self._channel(request)
        message = self.world.messages.get(int(request.match_info["message_id"]))
        if message is None or message.deleted or message.channel_id != channel.id:
            raise _unknown("Message", 10008)
        return message

    def _attachments(self, body: RequestBody, listed: list[JSON] | None, keep: list[Attachment]) -> list[Attachment]:
        """Attachments after a create/edit: the listed existing ones kept, the ``files[n]`` uploads added."""
        uploads = {f.field: f for f in body.files}
        if listed is None:
            return keep + [Attachment(self.world.ids.next(), f.filename, f.content, f.content_type) for f in body.files]
        result: list[Attachment] = []
        for item in listed:
            upload = uploads.get(f"files[{item.get('id')}]")
            if upload is not None:
                filename = item.get("filename") or upload.filename
                new = Attachment(
                    self.world.ids.next(), filename, upload.content, upload.content_type, item.get("description")
                )
                result.append(new)
            else:
                result.extend(a for a in keep if str(a.id) == str(item.get("id")))
        return result

    def _create(
        self,
        request: web.Request,
        channel: SandboxChannel,
        data: JSON,
        *,
        origin: MessageOrigin,
        interaction: InteractionResult | None = None,
        extra_flags: int = 0,
    ) -> Message:
        body: RequestBody = request["body"]
        deferred = bool(extra_flags & LOADING)
        if not (deferred or data.get("content") or data.get("embeds") or data.get("components") or body.files):
            raise _HttpError(400, 50006, "Cannot send an empty message")
        message = Message(
            id=self.world.ids.next(),
            channel_id=channel.id,
            author=self.world.bot,
            origin=origin,
            content=data.get("content") or "",
            embeds=data.get("embeds") or [],
            components=data.get("components") or [],
            flags=(int(data.get("flags") or 0) & _SETTABLE_FLAGS) | extra_flags,
            nonce=data.get("nonce"),
            interaction_id=interaction.id if interaction is not None else None,
        )
        message.attachments = self._attachments(body, data.get("attachments"), [])
        if len(message.content) > 2000:
            raise _HttpError(400, 50035, "Invalid Form Body (content: Must be 2000 or fewer in length.)")
        self.world.add_message(message)
        self.settlement.writing(message.id)
        request["written"].append(message.id)
        return message

    def _edit(self, request: web.Request, message: Message, data: JSON) -> None:
        body: RequestBody = request["body"]
        if "content" in data:
            message.content = data["content"] or ""
        if "embeds" in data:
            message.embeds = data["embeds"] or []
        if "components" in data:
            message.components = data["components"] or []
        flags = message.flags if data.get("flags") is None else int(data["flags"])
        # Ephemerality is fixed at creation, and any edit ends a deferred response's "thinking" state.
        message.flags = (message.flags & EPHEMERAL) | (flags & _SETTABLE_FLAGS & ~EPHEMERAL)
        if "attachments" in data or body.files:
            message.attachments = self._attachments(body, data.get("attachments"), message.attachments)
        message.edits += 1
        self.settlement.writing(message.id)
        request["written"].append(message.id)
        for result in self.interactions.all():
            if result.message is message and result.callback_type is CallbackType.DEFERRED_UPDATE_MESSAGE:
                result.original_edited = True

    # -- users, application, gateway -------------------------------------------------------------------------

    async def get_me(self, request: web.Request) -> web.Response:
        return json_response(payloads.user(self.world.bot))

    async def get_user(self, request: web.Request) -> web.Response:
        user = self.world.users.get(int(request.match_info["user_id"]))
        if user is None:
            raise _unknown("User", 10013)
        return json_response(payloads.user(user))

    async def open_dm(self, request: web.Request) -> web.Response:
        body: RequestBody = request["body"]
        user = self.world.users.get(int(body.object().get("recipient_id", 0)))
        if user is None or user.bot:
            raise _HttpError(400, 50033, "Invalid Recipient(s)")
        return json_response(payloads.channel(self.world.dm_channel(user)))

    async def get_application(self, request: web.Request) -> web.Response:
        bot = self.world.bot
        return json_response(
            {
                "id": str(bot.id),
                "name": bot.name,
                "icon": None,
                "description": "",
                "summary": "",
                "type": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "bot": payloads.user(bot),
                "owner": payloads.user(self.world.owner),
                "team": None,
                "verify_key": "0" * 64,
                "flags": payloads.application_flags(self.privileged_intents),
                "tags": [],
                "redirect_uris": [],
                "interactions_endpoint_url": None,
                "approximate_guild_count": len(self.world.guilds),
                "integration_types_config": {"0": {}},
            }
        )

    async def get_gateway(self, request: web.Request) -> web.Response:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return json_response({"url": self.gateway_url(), "shards": 1, "session_start_limit": limit})

    # -- application commands --------------------------------------------------------------------------------

    def _guild_id(self, request: web.Request) -> int | None:
        if request.match_info.get("application_id") != str(self.world.bot.id):
            raise _unknown("Application", 10002)
        raw = request.match_info.get("guild_id")
        if raw is not None and int(raw) not in self.world.guilds:
            raise _unknown("Guild", 10004)
        return None if raw is None else int(raw)

    async def get_commands(self, request: web.Request) -> web.Response:
        return json_response([c.payload for c in self.commands.listed(self._guild_id(request))])

    async def put_commands(self, request: web.Request) -> web.Response:
        guild_id = self._guild_id(request)
        body: RequestBody = request["body"]
        if not isinstance(body.json, list):
            raise _HttpError(400, 50035, "Invalid Form Body (expected an array of commands)")
        return json_response(self.commands.replace(self.world.bot.id, guild_id, body.json))

    # -- channels and messages -------------------------------------------------------------------------------

    async def get_channel(self, request: web.Request) -> web.Response:
        return json_response(payloads.channel(self._channel(request), bot=self.world.bot))

    async def get_history(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        limit = int(request.query.get("limit", "50"))
        visible = [m for m in self.world.messages_in(channel.id) if not m.ephemeral]
        newest_first = list(reversed(visible))[:limit]
        return json_response([self._message_json(request, m) for m in newest_first])

    async def create_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        if channel.type is ChannelType.DM and channel.recipient is not None and not channel.recipient.dms_open:
            raise _HttpError(403, 50007, "Cannot send messages to this user")
        data = request["body"].object()
        nonce = data.get("nonce")
        if nonce is not None and data.get("enforce_nonce"):
            earlier = self.nonces.duplicate_of(self.world.bot.id, nonce)
            if earlier is not None and earlier in self.world.messages:
                return json_response(self._message_json(request, self.world.messages[earlier]))
        message = self._create(request, channel, data, origin=MessageOrigin.CHANNEL)
        if nonce is not None and data.get("enforce_nonce"):
            self.nonces.remember(self.world.bot.id, nonce, message.id)
        return json_response(self._message_json(request, message))

    async def get_message(self, request: web.Request) -> web.Response:
        return json_response(self._message_json(request, self._channel_message(request)))

    async def edit_message(self, request: web.Request) -> web.Response:
        message = self._channel_message(request)
        self._edit(request, message, request["body"].object())
        return json_response(self._message_json(request, message))

    async def delete_message(self, request: web.Request) -> web.Response:
        self._channel_message(request).deleted = True
        return no_content()

    async def typing(self, request: web.Request) -> web.Response:
        self._channel(request)
        return no_content()

    async def get_attachment(self, request: web.Request) -> web.Response:
        for message in self.world.messages_in(int(request.match_info["channel_id"])):
            for attachment in message.attachments:
                if str(attachment.id) == request.match_info["attachment_id"]:
                    return web.Response(body=attachment.content, content_type=attachment.content_type)
        return error_response(404, 0, "404: Not Found")

    # -- guilds ----------------------------------------------------------------------------------------------

    def _guild(self, request: web.Request) -> SandboxGuild:
        guild = self.world.guilds.get(int(request.match_info["guild_id"]))
        if guild is None:
            raise _unknown("Guild", 10004)
        return guild

    async def get_guild(self, request: web.Request) -> web.Response:
        return json_response(payloads.guild(self._guild(request), with_members=False))

    async def get_guild_channels(self, request: web.Request) -> web.Response:
        guild = self._guild(request)
        return json_response([{**payloads.channel(c), "guild_id": str(guild.id)} for c in guild.channels])

    async def get_member(self, request: web.Request) -> web.Response:
        guild = self._guild(request)
        user = self.world.users.get(int(request.match_info["user_id"]))
        if user is None or not guild.has_member(user):
            raise _unknown("Member", 10007)
        return json_response(payloads.member(user, guild))

    # -- interactions and their webhooks ---------------------------------------------------------------------

    async def interaction_callback(self, request: web.Request) -> web.StreamResponse:
        result = self.interactions.by_id(int(request.match_info["interaction_id"]), request.match_info["token"])
        if result is None:
            raise _unknown("interaction", 10062)
        if result.callback_type is not None:
            raise _HttpError(400, 40060, "Interaction has already been acknowledged.")
        body = request["body"].object()
        kind = CallbackType(body["type"])
        data: JSON = body.get("data") or {}
        self._respond_to(request, result, kind, data)
        result.callback_type = kind
        self.settlement.writing(result.id)
        request["written"].append(result.id)
        if request.query.get("with_response") not in ("1", "true", "True"):
            return no_content()
        message = result.message if kind in (4, 5, 7) else None
        resource: JSON = {"type": int(kind)}
        if message is not None:
            resource["message"] = self._message_json(request, message)
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
                raise _HttpError(400, 40043, "Interaction can only update the message it came from")
            result.message = result.source_message
            if kind is CallbackType.UPDATE_MESSAGE:
                self._edit(request, result.message, data)
        elif kind is CallbackType.CHANNEL_MESSAGE:
            result.message = self._create(
                request, result.channel, data, origin=MessageOrigin.INTERACTION, interaction=result
            )
        elif kind is CallbackType.DEFERRED_CHANNEL_MESSAGE:
            result.message = self._create(
                request, result.channel, data, origin=MessageOrigin.INTERACTION, interaction=result, extra_flags=LOADING
            )
        elif kind is CallbackType.AUTOCOMPLETE_RESULT:
            if result.type is not InteractionType.AUTOCOMPLETE:
                raise _HttpError(400, 50035, "Invalid Form Body (autocomplete results answer autocomplete only)")
            result.choices = [Choice(c["name"], c["value"]) for c in data.get("choices", [])]
        elif kind is CallbackType.MODAL:
            if result.type in (InteractionType.AUTOCOMPLETE, InteractionType.MODAL_SUBMIT):
                raise _HttpError(400, 50035, "Invalid Form Body (a modal cannot answer this interaction)")
            result.modal = ModalPrompt(
                data["custom_id"], data["title"], data["components"], result.id, result.source_message
            )

    def _interaction_of(self, request: web.Request) -> InteractionResult:
        result = self.interactions.by_token(request.match_info["token"])
        if request.match_info["webhook_id"] != str(self.world.bot.id) or result is None:
            raise _unknown("Webhook", 10015)
        return result

    def _webhook_message(self, request: web.Request) -> tuple[InteractionResult, Message]:
        result = self._interaction_of(request)
        raw_id = request.match_info["message_id"]
        message = result.message if raw_id == "@original" else self.world.messages.get(int(raw_id))
        if message is None or message.deleted or message not in (result.message, *result.followups):
            raise _unknown("Message", 10008)
        return result, message

    async def create_followup(self, request: web.Request) -> web.Response:
        result = self._interaction_of(request)
        if result.callback_type is None:
            raise _unknown("Webhook", 10015)
        original = result.message
        if result.callback_type is CallbackType.DEFERRED_CHANNEL_MESSAGE and original is not None and original.loading:
            # Discord turns the first followup after a "thinking" defer into the deferred message itself.
            self._edit(request, original, request["body"].object())
            message = original
            result.original_edited = True
        else:
            data = request["body"].object()
            message = self._create(request, result.channel, data, origin=MessageOrigin.INTERACTION, interaction=result)
        result.followups.append(message)
        if request.query.get("wait") in ("1", "true", "True"):
            return json_response(self._message_json(request, message))
        return no_content()

    async def get_webhook_message(self, request: web.Request) -> web.Response:
        _, message = self._webhook_message(request)
        return json_response(self._message_json(request, message))

    async def edit_webhook_message(self, request: web.Request) -> web.Response:
        result, message = self._webhook_message(request)
        self._edit(request, message, request["body"].object())
        if message is result.message:
            result.original_edited = True
        return json_response(self._message_json(request, message))

    async def delete_webhook_message(self, request: web.Request) -> web.Response:
        _, message = self._webhook_message(request)
        message.deleted = True
        return no_content()

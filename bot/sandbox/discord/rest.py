"""Discord's REST API v10, as much of it as the bot uses (interaction routes live in ``webhooks``).

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
from .messages import MessageWriter
from .nonces import NonceLedger
from .ratelimits import RateLimiter, too_many_requests
from .responses import (
    BODY,
    WRITTEN,
    HttpError,
    RequestBody,
    Routes,
    error_response,
    json_response,
    no_content,
    read_body,
    unknown,
)
from .waiting import Changes, Settlement
from .world import ChannelType, Message, MessageOrigin, SandboxChannel, SandboxGuild, World

API_PREFIX = "/api/v10"
_MAJOR_PARAMETERS = ("channel_id", "guild_id", "webhook_id", "interaction_id", "token")
_TOKEN_IN_URL = ("/interactions/", "/webhooks/{webhook_id}/{token}")


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


class RestApi:
    def __init__(
        self,
        *,
        world: World,
        token: str,
        messages: MessageWriter,
        commands: CommandRegistry,
        faults: Faults,
        limiter: RateLimiter,
        nonces: NonceLedger,
        settlement: Settlement,
        changes: Changes,
        gateway_url: Callable[[], str],
        privileged_intents: int,
        shard_count: int = 1,
    ) -> None:
        self.world = world
        self.token = token
        self.messages = messages
        self.commands = commands
        self.faults = faults
        self.limiter = limiter
        self.nonces = nonces
        self.settlement = settlement
        self.changes = changes
        self.gateway_url = gateway_url
        self.shard_count = shard_count
        self.privileged_intents = privileged_intents
        self.requests: list[RecordedRequest] = []

    def install(self, app: web.Application, *more_routes: Routes) -> None:
        """Add the middleware, these routes and ``more_routes`` (paths relative to the API base)."""
        app.middlewares.append(self._middleware)
        routes: Routes = [
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
        ]
        for method, path, handler in [*routes, *(r for more in more_routes for r in more)]:
            app.router.add_route(method, API_PREFIX + path, handler)
        app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self.get_attachment)

    # -- middleware ------------------------------------------------------------------------------------------

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        info = request.match_info
        resource = info.route.resource
        template = resource.canonical if resource is not None else request.path
        if not template.startswith(API_PREFIX):
            return await handler(request)
        route = f"{request.method} {template.removeprefix(API_PREFIX)}"
        try:
            body = await read_body(request)
        except ValueError:
            body = RequestBody()
            response: web.StreamResponse = error_response(400, 50109, "The request body contains invalid JSON.")
        else:
            request[BODY] = body
            request[WRITTEN] = []
            response = await self._respond(request, handler, route)
        await response.prepare(request)
        await response.write_eof()
        for written in request.get(WRITTEN, []):
            self.settlement.written(written)
        files = [f.filename for f in body.files]
        self.requests.append(RecordedRequest(request.method, request.path, route, response.status, body.json, files))
        self.changes.notify()
        return response

    async def _respond(self, request: web.Request, handler: Handler, route: str) -> web.StreamResponse:
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
        except HttpError as error:
            response = error_response(error.status, error.code, error.message)
        except (KeyError, ValueError, TypeError) as error:
            response = error_response(400, 50035, f"Invalid Form Body ({error!r})")
        response.headers.update(bucket.headers())
        return response

    # -- helpers ---------------------------------------------------------------------------------------------

    def _channel(self, request: web.Request) -> SandboxChannel:
        channel = self.world.channels.get(int(request.match_info["channel_id"]))
        if channel is None:
            raise unknown("Channel", 10003)
        return channel

    def _channel_message(self, request: web.Request) -> Message:
        channel = self._channel(request)
        message = self.world.messages.get(int(request.match_info["message_id"]))
        if message is None or message.deleted or message.channel_id != channel.id:
            raise unknown("Message", 10008)
        return message

    # -- users, application, gateway -------------------------------------------------------------------------

    async def get_me(self, request: web.Request) -> web.Response:
        return json_response(payloads.user(self.world.bot))

    async def get_user(self, request: web.Request) -> web.Response:
        user = self.world.users.get(int(request.match_info["user_id"]))
        if user is None:
            raise unknown("User", 10013)
        return json_response(payloads.user(user))

    async def open_dm(self, request: web.Request) -> web.Response:
        body = request[BODY]
        user = self.world.users.get(int(body.object().get("recipient_id", 0)))
        if user is None or user.bot:
            raise HttpError(400, 50033, "Invalid Recipient(s)")
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
        return json_response({"url": self.gateway_url(), "shards": self.shard_count, "session_start_limit": limit})

    # -- application commands --------------------------------------------------------------------------------

    def _guild_id(self, request: web.Request) -> int | None:
        if request.match_info.get("application_id") != str(self.world.bot.id):
            raise unknown("Application", 10002)
        raw = request.match_info.get("guild_id")
        if raw is not None and int(raw) not in self.world.guilds:
            raise unknown("Guild", 10004)
        return None if raw is None else int(raw)

    async def get_commands(self, request: web.Request) -> web.Response:
        return json_response([c.payload for c in self.commands.listed(self._guild_id(request))])

    async def put_commands(self, request: web.Request) -> web.Response:
        guild_id = self._guild_id(request)
        body = request[BODY]
        if not isinstance(body.json, list):
            raise HttpError(400, 50035, "Invalid Form Body (expected an array of commands)")
        return json_response(self.commands.replace(self.world.bot.id, guild_id, body.json))

    # -- channels and messages -------------------------------------------------------------------------------

    async def get_channel(self, request: web.Request) -> web.Response:
        return json_response(payloads.channel(self._channel(request)))

    async def get_history(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        limit = int(request.query.get("limit", "50"))
        visible = [m for m in self.world.messages_in(channel.id) if not m.ephemeral]
        newest_first = list(reversed(visible))[:limit]
        return json_response([self.messages.to_json(request, m) for m in newest_first])

    async def create_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        if channel.type is ChannelType.DM and channel.recipient is not None and not channel.recipient.dms_open:
            raise HttpError(403, 50007, "Cannot send messages to this user")
        data = request[BODY].object()
        nonce = data.get("nonce")
        if nonce is not None and data.get("enforce_nonce"):
            earlier = self.nonces.duplicate_of(self.world.bot.id, nonce)
            if earlier is not None and earlier in self.world.messages:
                return json_response(self.messages.to_json(request, self.world.messages[earlier]))
        message = self.messages.create(request, channel, data, origin=MessageOrigin.CHANNEL)
        if nonce is not None and data.get("enforce_nonce"):
            self.nonces.remember(self.world.bot.id, nonce, message.id)
        return json_response(self.messages.to_json(request, message))

    async def get_message(self, request: web.Request) -> web.Response:
        return json_response(self.messages.to_json(request, self._channel_message(request)))

    async def edit_message(self, request: web.Request) -> web.Response:
        message = self._channel_message(request)
        self.messages.edit(request, message, request[BODY].object())
        return json_response(self.messages.to_json(request, message))

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
            raise unknown("Guild", 10004)
        return guild

    async def get_guild(self, request: web.Request) -> web.Response:
        return json_response(payloads.guild(self._guild(request), with_members=False))

    async def get_guild_channels(self, request: web.Request) -> web.Response:
        return json_response([payloads.channel(c) for c in self._guild(request).channels])

    async def get_member(self, request: web.Request) -> web.Response:
        guild = self._guild(request)
        user = self.world.users.get(int(request.match_info["user_id"]))
        if user is None or not guild.has_member(user):
            raise unknown("Member", 10007)
        return json_response(payloads.member(user, guild))

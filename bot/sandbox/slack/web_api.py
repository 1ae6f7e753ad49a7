"""The Web API: ``POST /api/<method>`` with Slack's argument encodings, auth, errors and rate limits.

slack_sdk sends some methods as JSON and others as query-string or form arguments; all are accepted.
Every answer is HTTP 200 with ``{"ok": false, "error": ...}`` on failure, except 429 (``Retry-After``).
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.sandbox.changes import Changes

from . import blockkit
from .faults import Failed, Faults, PostPacing, RateLimited
from .interactions import Interaction, Ledger
from .socket_mode import SocketMode
from .world import (
    BOT_ID,
    BOT_USER_ID,
    JSON,
    TEAM_DOMAIN,
    TEAM_ID,
    SlackChannel,
    SlackFile,
    SlackMessage,
    SlackUser,
    SlackView,
    World,
)

BOT_SCOPES = "chat:write,commands,im:history,im:write,users:read,files:write"
MAX_VIEW_STACK = 3


class SlackError(Exception):
    def __init__(self, error: str, *, messages: list[str] | None = None, status: int = 200) -> None:
        super().__init__(error)
        self.error = error
        self.messages = messages or []
        self.status = status

    def body(self) -> JSON:
        body: JSON = {"ok": False, "error": self.error}
        if self.messages:
            body["errors"] = self.messages
            body["response_metadata"] = {"messages": [f"[ERROR] {m}" for m in self.messages]}
        return body


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    args: JSON
    status: int
    response: JSON
    at: float

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))

    @property
    def error(self) -> str | None:
        error = self.response.get("error")
        return error if isinstance(error, str) else None


Handler = Callable[[JSON], Awaitable[JSON]]


def _decoded(value: Any) -> Any:
    """Blocks, views and metadata arrive as JSON strings in form arguments."""
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def _required(args: JSON, name: str) -> Any:
    value = args.get(name)
    if value in (None, ""):
        raise SlackError("invalid_arguments", messages=[f"missing required field: {name}"])
    return value


class WebApi:
    def __init__(
        self,
        *,
        world: World,
        bot_token: str,
        app_token: str,
        ledger: Ledger,
        socket_mode: SocketMode,
        faults: Faults,
        pacing: PostPacing,
        changes: Changes,
        trigger_lifetime: float,
        base_url: Callable[[], str],
        latency: float,
    ) -> None:
        self.world = world
        self.bot_token = bot_token
        self.app_token = app_token
        self.ledger = ledger
        self.socket_mode = socket_mode
        self.faults = faults
        self.pacing = pacing
        self.changes = changes
        self.trigger_lifetime = trigger_lifetime
        self.base_url = base_url
        self.latency = latency
        self.requests: list[RecordedRequest] = []
        self._uploads: dict[str, SlackFile] = {}
        self._hook_uses: dict[str, int] = {}
        self._methods: dict[str, Handler] = {
            "auth.test": self.auth_test,
            "apps.connections.open": self.connections_open,
            "users.info": self.users_info,
            "conversations.open": self.conversations_open,
            "conversations.history": self.conversations_history,
            "chat.postMessage": self.post_message,
            "chat.postEphemeral": self.post_ephemeral,
            "chat.update": self.chat_update,
            "views.open": self.views_open,
            "views.push": self.views_push,
            "views.update": self.views_update,
            "views.publish": self.views_publish,
            "files.getUploadURLExternal": self.upload_url,
            "files.completeUploadExternal": self.complete_upload,
        }

    def install(self, app: web.Application) -> None:
        app.router.add_route("*", "/api/{method}", self.handle)
        app.router.add_post("/upload/{file_id}", self.upload)
        app.router.add_post("/hooks/{hook}", self.hook)

    # -- plumbing -----------------------------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: JSON = dict(request.query)
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                args.update(body)
        elif request.can_read_body:
            args.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
        if self.latency:
            await asyncio.sleep(self.latency)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip() or args.pop("token", "")
        status, headers = 200, {}
        try:
            body = await self._call(method, token, args)
        except SlackError as failure:
            body, status = failure.body(), failure.status
        except RateLimitedError as limited:
            body, status = {"ok": False, "error": "ratelimited"}, 429
            headers["Retry-After"] = str(limited.retry_after)
        self.requests.append(RecordedRequest(method, args, status, body, time.monotonic()))
        self.changes.notify()
        if method == "auth.test" and body.get("ok"):
            headers["x-oauth-scopes"] = BOT_SCOPES
        return web.json_response(body, status=status, headers=headers)

    async def _call(self, method: str, token: str, args: JSON) -> JSON:
        handler = self._methods.get(method)
        if handler is None:
            raise SlackError("unknown_method", status=404)
        if not token:
            raise SlackError("not_authed")
        wanted = self.app_token if method == "apps.connections.open" else self.bot_token
        if token != wanted:
            known = token in (self.app_token, self.bot_token)
            raise SlackError("not_allowed_token_type" if known else "invalid_auth")
        fault = self.faults.draw(method)
        if isinstance(fault, RateLimited):
            raise RateLimitedError(fault.retry_after)
        if isinstance(fault, Failed):
            raise SlackError(fault.error, status=fault.status)
        return {"ok": True, **(await handler(args))}

    def _user(self, user_id: Any) -> SlackUser:
        user = self.world.users.get(user_id) if isinstance(user_id, str) else None
        if user is None:
            raise SlackError("user_not_found")
        return user

    def _channel(self, channel_id: Any) -> SlackChannel:
        """A channel by id; a user id means the user's DM with the bot, as chat.postMessage allows."""
        if isinstance(channel_id, str) and channel_id in self.world.users:
            return self._dm(self._user(channel_id))
        channel = self.world.channels.get(channel_id) if isinstance(channel_id, str) else None
        if channel is None:
            raise SlackError("channel_not_found")
        return channel

    def _dm(self, user: SlackUser) -> SlackChannel:
        if user.is_bot:
            raise SlackError("cannot_dm_bot")
        if user.deleted:
            raise SlackError("user_disabled")
        if user.dm_error in ("user_not_found", "user_disabled", "cannot_dm_bot"):
            raise SlackError(user.dm_error)
        return self.world.dm(user)

    def _deliverable(self, channel: SlackChannel) -> None:
        if self.world.bot not in channel.members:
            raise SlackError("not_in_channel")
        user = channel.user
        if user is not None and user.dm_error is not None:
            raise SlackError(user.dm_error)

    def content(self, args: JSON) -> tuple[str, list[JSON]]:
        text = args.get("text") or ""
        blocks = _decoded(args.get("blocks")) or []
        if not text and not blocks:
            raise SlackError("no_text")
        if not isinstance(text, str) or len(text) > blockkit.MAX_MESSAGE_TEXT:
            raise SlackError("msg_too_long")
        problems = blockkit.message_problems(blocks)
        if problems:
            raise SlackError("invalid_blocks", messages=problems)
        return text, blocks

    # -- auth and Socket Mode -----------------------------------------------------------------------------------

    async def auth_test(self, args: JSON) -> JSON:
        return {
            "url": f"https://{TEAM_DOMAIN}.slack.com/",
            "team": "Example",
            "user": self.world.bot.name,
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    async def connections_open(self, args: JSON) -> JSON:
        return {"url": self.socket_mode.issue_url()}

    # -- users and conversations --------------------------------------------------------------------------------

    async def users_info(self, args: JSON) -> JSON:
        user = self._user(args.get("user"))
        if user.dm_error == "user_not_found":
            raise SlackError("user_not_found")
        offset = datetime.now(ZoneInfo(user.tz)).utcoffset()
        return {"user": user.info(int(offset.total_seconds()) if offset else 0)}

    async def conversations_open(self, args: JSON) -> JSON:
        users = str(_required(args, "users")).split(",")
        if len(users) != 1:
            raise SlackError("not_implemented", messages=["the local Slack opens DMs with one user only"])
        channel = self._dm(self._user(users[0]))
        return {"channel": {"id": channel.id, "is_im": True, "user": users[0]}}

    async def conversations_history(self, args: JSON) -> JSON:
        channel = self._channel(_required(args, "channel"))
        with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        newest_first = list(reversed(self.world.history(channel.id)))
        inclusive = str(args.get("inclusive", "")).lower() in ("1", "true")
        if args.get("latest"):
            latest = float(args["latest"])
            newest_first = [m for m in newest_first if float(m.ts) < latest or (inclusive and float(m.ts) == latest)]
        if args.get("oldest"):
            oldest = float(args["oldest"])
            newest_first = [m for m in newest_first if float(m.ts) > oldest or (inclusive and float(m.ts) == oldest)]
        limit = min(int(args.get("limit") or 100), 999)
        start = int(args.get("cursor") or 0)
        page = newest_first[start : start + limit]
        more = start + limit < len(newest_first)
        return {
            "messages": [m.history_json(with_metadata=with_metadata) for m in page],
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    # -- messages -----------------------------------------------------------------------------------------------

    async def post_message(self, args: JSON) -> JSON:
        channel = self._channel(_required(args, "channel"))
        text, blocks = self.content(args)
        metadata = _decoded(args.get("metadata"))
        if metadata is not None and (problems := blockkit.metadata_problems(metadata)):
            raise SlackError("invalid_metadata_format", messages=problems)
        self._deliverable(channel)
        retry_after = self.pacing.take(channel.id)
        if retry_after is not None:
            raise RateLimitedError(retry_after)
        message = SlackMessage(
            channel.id, self.world.ids.ts(), text, blocks, metadata=metadata, thread_ts=args.get("thread_ts")
        )
        self.world.messages.append(message)
        return {"channel": channel.id, "ts": message.ts, "message": message.history_json(with_metadata=True)}

    async def post_ephemeral(self, args: JSON) -> JSON:
        channel = self._channel(_required(args, "channel"))
        user = self._user(_required(args, "user"))
        if user not in channel.members:
            raise SlackError("user_not_in_channel")
        if self.world.bot not in channel.members:
            raise SlackError("not_in_channel")
        text, blocks = self.content(args)
        message = self.ephemeral(channel, user, text, blocks)
        return {"message_ts": message.ts}

    def ephemeral(self, channel: SlackChannel, user: SlackUser, text: str, blocks: list[JSON]) -> SlackMessage:
        """Show ``user`` a message only they see, crediting it to their latest interaction."""
        message = SlackMessage(channel.id, self.world.ids.ts(), text, blocks, visible_to=user)
        self.world.messages.append(message)
        interaction = self.ledger.latest_for(user)
        if interaction is not None:
            interaction.ephemerals.append(message)
        return message

    async def chat_update(self, args: JSON) -> JSON:
        channel = self._channel(_required(args, "channel"))
        message = self.world.message(channel.id, str(_required(args, "ts")))
        if message is None or message.deleted:
            raise SlackError("message_not_found")
        if message.author != BOT_USER_ID:
            raise SlackError("cant_update_message")
        text, blocks = self.content(args)
        message.edits.append({"text": message.text, "blocks": message.blocks})
        message.text, message.blocks = text, blocks
        if "metadata" in args:
            message.metadata = _decoded(args["metadata"])
        for interaction in self.ledger.all:
            if interaction.source is message and message not in interaction.updated:
                interaction.updated.append(message)
        return {
            "channel": channel.id,
            "ts": message.ts,
            "text": text,
            "message": message.history_json(with_metadata=False),
        }

    # -- views --------------------------------------------------------------------------------------------------

    def _view_body(self, args: JSON, *, kind: str) -> JSON:
        body = _decoded(_required(args, "view"))
        if not isinstance(body, dict):
            raise SlackError("invalid_arguments", messages=["must be an object [json-pointer:/view]"])
        problems = blockkit.view_problems(body)
        if body.get("type") != kind:
            problems.append(f"must be {kind!r} [json-pointer:/view/type]")
        if problems:
            raise SlackError("invalid_arguments", messages=problems)
        return body

    def _new_view(
        self, user: SlackUser, body: JSON, *, root: SlackView | None, previous: SlackView | None
    ) -> SlackView:
        view_id = self.world.ids.next("V")
        view = SlackView(
            view_id,
            user,
            body,
            hash=secrets.token_hex(8),
            root_view_id=root.id if root is not None else view_id,
            previous_view_id=previous.id if previous is not None else None,
        )
        self.world.views[view.id] = view
        return view

    def _exchange(self, args: JSON) -> Interaction:
        try:
            return self.ledger.exchange(_required(args, "trigger_id"), self.trigger_lifetime)
        except LookupError as failure:
            raise SlackError(str(failure)) from None

    def open_modal(self, user: SlackUser, body: JSON) -> SlackView:
        for old in self.world.stacks.get(user.id, []):
            old.open = False
        view = self._new_view(user, body, root=None, previous=None)
        self.world.stacks[user.id] = [view]
        return view

    def push_modal(self, user: SlackUser, body: JSON) -> SlackView:
        stack = self.world.stacks.get(user.id, [])
        if not stack:
            raise SlackError("not_found")
        if len(stack) >= MAX_VIEW_STACK:
            raise SlackError("push_limit_reached")
        view = self._new_view(user, body, root=stack[0], previous=stack[-1])
        stack.append(view)
        return view

    def replace_view(self, view: SlackView, body: JSON) -> None:
        view.history.append(view.body)
        view.body = body
        view.hash = secrets.token_hex(8)

    async def views_open(self, args: JSON) -> JSON:
        body = self._view_body(args, kind="modal")
        interaction = self._exchange(args)
        assert interaction.user is not None
        view = self.open_modal(interaction.user, body)
        interaction.opened.append(view)
        return {"view": view.payload()}

    async def views_push(self, args: JSON) -> JSON:
        body = self._view_body(args, kind="modal")
        interaction = self._exchange(args)
        assert interaction.user is not None
        view = self.push_modal(interaction.user, body)
        interaction.opened.append(view)
        return {"view": view.payload()}

    async def views_update(self, args: JSON) -> JSON:
        view_id, external_id = args.get("view_id"), args.get("external_id")
        view = self.world.views.get(view_id) if isinstance(view_id, str) else None
        if view is None and external_id:
            view = next((v for v in self.world.views.values() if v.body.get("external_id") == external_id), None)
        if view is None or not view.open:
            raise SlackError("not_found")
        body = self._view_body(args, kind=view.type)
        if args.get("hash") and args["hash"] != view.hash:
            raise SlackError("hash_conflict")
        self.replace_view(view, body)
        for interaction in self.ledger.all:
            if interaction.source is view or view in interaction.opened:
                interaction.updated.append(view)
        return {"view": view.payload()}

    async def views_publish(self, args: JSON) -> JSON:
        user = self._user(_required(args, "user_id"))
        body = self._view_body(args, kind="home")
        home = self.world.homes.get(user.id)
        if home is not None and args.get("hash") and args["hash"] != home.hash:
            raise SlackError("hash_conflict")
        if home is None:
            home = self._new_view(user, body, root=None, previous=None)
            self.world.homes[user.id] = home
        else:
            self.replace_view(home, body)
        interaction = self.ledger.latest_for(user)
        if interaction is not None:
            interaction.published.append(home)
        return {"view": home.payload()}

    # -- files --------------------------------------------------------------------------------------------------

    async def upload_url(self, args: JSON) -> JSON:
        filename = str(_required(args, "filename"))
        length = int(_required(args, "length"))
        file = SlackFile(self.world.ids.next("F"), filename, length)
        self._uploads[file.id] = file
        return {"upload_url": f"{self.base_url()}/upload/{file.id}", "file_id": file.id}

    async def upload(self, request: web.Request) -> web.Response:
        file = self._uploads.get(request.match_info["file_id"])
        if file is None:
            return web.Response(status=404, text="not found")
        file.data = await request.read()
        self.changes.notify()
        return web.Response(text=f"OK - {len(file.data)}")

    async def complete_upload(self, args: JSON) -> JSON:
        entries = _decoded(_required(args, "files"))
        if not isinstance(entries, list) or not entries:
            raise SlackError("invalid_arguments", messages=["must be a non-empty array [json-pointer:/files]"])
        files: list[SlackFile] = []
        for entry in entries:
            file = self._uploads.get(entry.get("id"))
            if file is None or file.data is None:
                raise SlackError("file_not_found")
            if len(file.data) != file.length:
                raise SlackError("file_upload_size_mismatch")
            file.title = entry.get("title") or file.filename
            files.append(file)
        if args.get("channel_id"):
            channel = self._channel(args["channel_id"])
            self._deliverable(channel)
            message = SlackMessage(channel.id, self.world.ids.ts(), str(args.get("initial_comment") or ""), [])
            message.files = files
            message.thread_ts = args.get("thread_ts")
            self.world.messages.append(message)
        for file in files:
            file.completed = True
            self.world.files[file.id] = file
            del self._uploads[file.id]
        return {"files": [{"id": f.id, "name": f.filename, "title": f.title} for f in files]}

    # -- response_url -------------------------------------------------------------------------------------------

    def hook_url(self) -> str:
        return f"{self.base_url()}/hooks/{secrets.token_hex(12)}"

    async def hook(self, request: web.Request) -> web.Response:
        """A response_url: 5 uses; the body posts, replaces or deletes like Slack's."""
        url = f"{self.base_url()}/hooks/{request.match_info['hook']}"
        interaction = self.ledger.by_response_url(url)
        if interaction is None or interaction.user is None:
            return web.Response(status=404, text="no_active_hooks")
        uses = self._hook_uses.get(url, 0) + 1
        self._hook_uses[url] = uses
        if uses > 5:
            return web.Response(status=404, text="used_url")
        body = await request.json()
        self.requests.append(RecordedRequest("response_url", body, 200, {"ok": True}, time.monotonic()))
        source = interaction.source if isinstance(interaction.source, SlackMessage) else None
        try:
            if body.get("delete_original") and source is not None:
                source.deleted = True
            elif body.get("replace_original") and source is not None:
                text, blocks = self.content(body)
                source.edits.append({"text": source.text, "blocks": source.blocks})
                source.text, source.blocks = text, blocks
                interaction.updated.append(source)
            else:
                text, blocks = self.content(body)
                channel_id = interaction.payload.get("channel_id") or interaction.payload["channel"]["id"]
                channel = self._channel(channel_id)
                if body.get("response_type") == "in_channel":
                    message = SlackMessage(channel.id, self.world.ids.ts(), text, blocks)
                    self.world.messages.append(message)
                    interaction.posted.append(message)
                else:
                    self.ephemeral(channel, interaction.user, text, blocks)
        except SlackError as failure:
            return web.Response(status=400, text=failure.error)
        finally:
            self.changes.notify()
        return web.Response(text="ok")


class RateLimitedError(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"rate limited for {retry_after}s")
        self.retry_after = retry_after

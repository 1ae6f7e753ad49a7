"""The public face of the sandbox: build a world, start the server, act as users, observe the bot."""

from __future__ import annotations

import contextlib
import json
import secrets
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from aiohttp import web

from bot.sandbox.server import LocalServer

from . import payloads
from .commands import CommandContext, CommandRegistry, OptionValue, SyncedCommand, build_options
from .faults import Faults
from .gateway import Gateway
from .interactions import (
    Choice,
    InteractionLedger,
    InteractionResult,
    InteractionType,
    ModalPrompt,
    SubmissionError,
    interaction_payload,
)
from .messages import MessageWriter
from .nonces import NonceLedger
from .ratelimits import RateLimiter, RateLimitPolicy
from .rest import API_PREFIX, RecordedRequest, RestApi
from .waiting import Changes, Settlement
from .webhooks import InteractionRoutes
from .world import JSON, ChannelType, Message, MessageOrigin, SandboxChannel, SandboxGuild, SandboxUser, World


class Sandbox(LocalServer):
    """A local stand-in for Discord that the unmodified discord.py client can log in to.

    Point discord.py at it before login::

        discord.http.Route.BASE = sandbox.api_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(sandbox.gateway_url)
    """

    def __init__(
        self,
        token: str = "sandbox-token",
        *,
        bot_name: str = "Follow-Through",
        host: str = "127.0.0.1",
        port: int = 0,
        rate_limit: RateLimitPolicy | None = None,
        fault_seed: int = 0,
        retry_after: float = 0.05,
        nonce_window: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
        settle_delay: float = 0.05,
        interaction_deadline: float = 3.0,
        heartbeat_interval: float = 41.25,
        privileged_intents: int = 0,
        shard_count: int = 1,
    ) -> None:
        """
        :param retry_after: seconds a 429 injected by ``faults`` tells the client to wait.
        :param nonce_window: how long (by ``clock``) an ``enforce_nonce`` nonce suppresses duplicates.
        :param settle_delay: time given to the client to process a response before a click on its message.
        :param interaction_deadline: seconds the bot has for its first response, as on Discord (3 s).
        :param privileged_intents: the privileged intent bits enabled for the app; IDENTIFYing with others closes
            the gateway with 4014, as Discord does.
        :param shard_count: the shards /gateway/bot recommends. Clients may IDENTIFY with any count; each shard
            gets its guilds' events, ``(guild_id >> 22) % count``, and shard 0 the DMs.
        """
        self.token = token
        self.host = host
        self._requested_port = port
        self._changes = Changes()
        self._world = World(bot_name)
        self._commands = CommandRegistry(self._world.ids.next)
        self._interactions = InteractionLedger()
        self._nonces = NonceLedger(nonce_window, clock)
        self._settlement = Settlement(settle_delay)
        self.faults = Faults(seed=fault_seed, retry_after=retry_after)
        self._gateway = Gateway(
            self._world,
            token,
            self._changes,
            privileged_intents=privileged_intents,
            heartbeat_interval=heartbeat_interval,
            shard_count=shard_count,
        )
        messages = MessageWriter(self._world, self._interactions, self._settlement)
        self._rest = RestApi(
            world=self._world,
            token=token,
            messages=messages,
            commands=self._commands,
            faults=self.faults,
            limiter=RateLimiter(rate_limit or RateLimitPolicy()),
            nonces=self._nonces,
            settlement=self._settlement,
            changes=self._changes,
            gateway_url=lambda: self.gateway_url,
            privileged_intents=privileged_intents,
            shard_count=shard_count,
        )
        self._interaction_routes = InteractionRoutes(
            self._world, self._interactions, messages, self._settlement, deadline=interaction_deadline
        )
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- the world -------------------------------------------------------------------------------------------

    @property
    def bot_user(self) -> SandboxUser:
        """The bot's own user; its id is also the application id."""
        return self._world.bot

    @property
    def application_id(self) -> int:
        return self._world.bot.id

    def add_user(self, name: str, *, dms_open: bool = True) -> SandboxUser:
        return self._world.add_user(name, dms_open=dms_open)

    def add_guild(
        self,
        name: str,
        members: Iterable[SandboxUser] = (),
        *,
        channel_name: str = "general",
        shard: tuple[int, int] | None = None,
    ) -> SandboxGuild:
        """A guild the bot is in, with one text channel. Add guilds before the bot connects. `shard` ([id,
        count]): one whose events that shard receives."""
        return self._world.add_guild(name, list(members), channel_name, shard)

    def dm_channel(self, user: SandboxUser) -> SandboxChannel:
        return self._world.dm_channel(user)

    # -- lifecycle -------------------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway.handle)
        self._rest.install(app, self._interaction_routes.routes())
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self._requested_port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self._gateway.url = self.gateway_url

    async def stop(self) -> None:
        await self._gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def api_base(self) -> str:
        """For ``discord.http.Route.BASE``."""
        return self.url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        """For ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`` (as a ``yarl.URL``)."""
        return f"ws://{self.host}:{self.port}/gateway"

    # -- waiting on the bot ----------------------------------------------------------------------------------

    async def wait_until(
        self, condition: Callable[[], bool], *, timeout: float = 5.0, what: str = "a condition"
    ) -> None:
        """Wait until ``condition()`` holds, re-checking after every REST request and gateway (re)connection."""
        await self._changes.wait_until(condition, timeout, what)

    async def wait_for_ready(self, timeout: float = 10.0, *, sessions: int = 1) -> None:
        """Until the bot is connected and has IDENTIFYed ``sessions`` times in all (2 after restarting it once),
        READY and its guilds sent."""
        gateway = self._gateway
        await self.wait_until(
            lambda: gateway.connected and gateway.identifies >= sessions, timeout=timeout, what="the bot to connect"
        )

    async def wait_for_commands(self, *paths: str, guild: SandboxGuild | None = None, timeout: float = 10.0) -> None:
        """Until the bot has synced its global (or ``guild``'s) commands, including ``paths`` if given."""
        guild_id = guild.id if guild is not None else None

        def synced() -> bool:
            names = {p for c in self._commands.listed(guild_id) for p in c.paths}
            return self._commands.was_synced(guild_id) and names.issuperset(paths)

        await self.wait_until(synced, timeout=timeout, what=f"commands {paths or ''} to be synced")

    # -- acting as users -------------------------------------------------------------------------------------

    async def slash(
        self,
        user: SandboxUser,
        command: str,
        options: Mapping[str, OptionValue] | None = None,
        *,
        guild: SandboxGuild | None = None,
        channel: SandboxChannel | None = None,
        timeout: float = 5.0,
        wait_for_followup: bool = True,
    ) -> InteractionResult:
        """Run ``/command`` (e.g. ``"interview add"``) as ``user``, in the bot's DMs unless ``guild`` is given.

        Returns once the bot has answered; if it deferred, once it also followed up or edited the response
        (unless ``wait_for_followup`` is False).
        """
        where, guild = self._where(user, guild, channel)
        context = CommandContext.GUILD if guild is not None else CommandContext.BOT_DM
        invocation = self._commands.resolve(command, guild, context)
        built, resolved = build_options(invocation, options or {}, guild)
        result = self._new_interaction(InteractionType.APPLICATION_COMMAND, user, where, guild)
        return await self._send(result, invocation.data(built, resolved), timeout, f"/{command}", wait_for_followup)

    async def autocomplete(
        self,
        user: SandboxUser,
        command: str,
        options: Mapping[str, OptionValue],
        *,
        focused: str,
        guild: SandboxGuild | None = None,
        channel: SandboxChannel | None = None,
        timeout: float = 5.0,
    ) -> list[Choice]:
        """The choices the bot offers while ``user`` types ``options[focused]``."""
        where, guild = self._where(user, guild, channel)
        context = CommandContext.GUILD if guild is not None else CommandContext.BOT_DM
        invocation = self._commands.resolve(command, guild, context)
        built, resolved = build_options(invocation, options, guild, focused=focused)
        result = self._new_interaction(InteractionType.AUTOCOMPLETE, user, where, guild)
        await self._send(
            result, invocation.data(built, resolved), timeout, f"autocomplete of /{command} {focused}", False
        )
        return result.choices or []

    async def click(
        self,
        user: SandboxUser,
        message: Message,
        custom_id: str,
        *,
        timeout: float = 5.0,
        wait_for_followup: bool = True,
    ) -> InteractionResult:
        """Press the button ``custom_id`` on ``message`` (see ``Message.button(label)``); waits like ``slash``."""
        component = self._component(message, custom_id, kinds=(2,))
        data = {"custom_id": custom_id, "component_type": component["type"]}
        return await self._use_component(user, message, data, timeout, wait_for_followup)

    async def select(
        self,
        user: SandboxUser,
        message: Message,
        custom_id: str,
        values: Sequence[str],
        *,
        timeout: float = 5.0,
        wait_for_followup: bool = True,
    ) -> InteractionResult:
        """Pick ``values`` in the select menu ``custom_id`` on ``message``; waits like ``slash``."""
        component = self._component(message, custom_id, kinds=(3, 5, 6, 7, 8))
        data = {"custom_id": custom_id, "component_type": component["type"], "values": list(values)}
        return await self._use_component(user, message, data, timeout, wait_for_followup)

    async def submit_modal(
        self,
        user: SandboxUser,
        modal: ModalPrompt,
        values: Mapping[str, str | Sequence[str]] | None = None,
        *,
        timeout: float = 5.0,
        wait_for_followup: bool = True,
    ) -> InteractionResult:
        """Fill in and submit a modal the bot opened (``InteractionResult.modal``), values keyed by custom_id.

        Fields left out keep their pre-filled value; waits like ``slash``.
        """
        opener = next(r for r in self._interactions.all() if r.id == modal.interaction_id)
        data = {"custom_id": modal.custom_id, "components": modal.submission(values or {})}
        await self._settlement.settled(opener.id, timeout)
        result = self._new_interaction(InteractionType.MODAL_SUBMIT, user, opener.channel, opener.guild)
        result.source_message = modal.message
        return await self._send(result, data, timeout, f"submission of modal {modal.title!r}", wait_for_followup)

    # -- observing the bot -----------------------------------------------------------------------------------

    def dms(self, user: SandboxUser) -> list[Message]:
        """Messages the bot sent ``user`` through the channel API, oldest first (interaction replies excluded)."""
        channel = self._world.dm_channel(user)
        return [m for m in self._world.messages_in(channel.id) if m.origin is MessageOrigin.CHANNEL]

    async def wait_for_dms(self, user: SandboxUser, count: int = 1, *, timeout: float = 5.0) -> list[Message]:
        await self.wait_until(
            lambda: len(self.dms(user)) >= count, timeout=timeout, what=f"{count} DM(s) to {user.name}"
        )
        return self.dms(user)

    @property
    def messages(self) -> list[Message]:
        """Every message the bot made appear, in creation order (deleted ones included, flagged ``deleted``)."""
        return list(self._world.messages.values())

    @property
    def interactions(self) -> list[InteractionResult]:
        return self._interactions.all()

    @property
    def requests(self) -> list[RecordedRequest]:
        return self._rest.requests

    def requests_to(self, route: str) -> list[RecordedRequest]:
        """Recorded requests for one route key, e.g. ``faults.SEND_MESSAGE``."""
        return [r for r in self._rest.requests if r.route == route]

    @property
    def duplicates_suppressed(self) -> int:
        """Sends that ``enforce_nonce`` turned into the earlier message instead of a new one."""
        return self._nonces.suppressed

    def commands(self, guild: SandboxGuild | None = None) -> list[SyncedCommand]:
        return self._commands.listed(guild.id if guild is not None else None)

    @property
    def command_syncs(self) -> int:
        return self._commands.syncs

    # -- the gateway -----------------------------------------------------------------------------------------

    @property
    def gateway_sessions(self) -> int:
        """How many times the bot IDENTIFYed (a fresh session each)."""
        return self._gateway.identifies

    @property
    def gateway_resumes(self) -> int:
        return self._gateway.resumes

    @property
    def gateway_replayed(self) -> int:
        """Events the bot missed while disconnected and got on RESUME."""
        return self._gateway.replayed

    async def drop_gateway(self, code: int = 4000, shard: int = 0) -> None:
        """Close the bot's websocket (of `shard`) from the server side; events meanwhile are replayed when it
        RESUMEs."""
        await self._gateway.drop(code, shard)

    @contextlib.contextmanager
    def holding_ready(self) -> Iterator[None]:
        """Inside the block an IDENTIFY gets no READY: the bot is caught connecting (``identifies_held`` counts
        those waiting); READY follows when the block ends."""
        self._gateway.ready_gate.clear()
        try:
            yield
        finally:
            self._gateway.ready_gate.set()

    @property
    def identifies_held(self) -> int:
        return self._gateway.held

    def shard_sessions(self) -> dict[int, str]:
        """The session id of each shard that has IDENTIFYed, by shard id."""
        return {shard: session.id for shard, session in self._gateway.sessions.items()}

    def shard_received(self, shard: int) -> list[str]:
        """The event names (INTERACTION_CREATE, …) dispatched to `shard`'s latest session, oldest first."""
        session = self._gateway.sessions.get(shard)
        return [] if session is None else [json.loads(frame)["t"] for _, frame in session.sent]

    async def wait_for_resume(self, timeout: float = 10.0) -> None:
        """Until the bot has RESUMEd after every drop so far."""
        gateway = self._gateway
        await self.wait_until(
            lambda: gateway.resumes >= gateway.drops and gateway.connected, timeout=timeout, what="the bot to resume"
        )

    # -- internals -------------------------------------------------------------------------------------------

    def _where(
        self, user: SandboxUser, guild: SandboxGuild | None, channel: SandboxChannel | None
    ) -> tuple[SandboxChannel, SandboxGuild | None]:
        if guild is None:
            if channel is not None and channel.type is not ChannelType.DM:
                raise ValueError("a guild channel needs guild=")
            return channel or self._world.dm_channel(user), None
        if not guild.has_member(user):
            raise ValueError(f"{user.name} is not a member of {guild.name}")
        if channel is not None and channel.guild_id != guild.id:
            raise ValueError(f"#{channel.name} is not in {guild.name}")
        return channel or guild.text_channel, guild

    def _component(self, message: Message, custom_id: str, *, kinds: tuple[int, ...]) -> JSON:
        component = message.component(custom_id)
        if message.deleted or component is None:
            raise SubmissionError(f"message {message.id} shows no component {custom_id!r}; it has {message.custom_ids}")
        if component["type"] not in kinds:
            raise SubmissionError(f"component {custom_id!r} is of type {component['type']}, not one of {kinds}")
        if component.get("disabled"):
            raise SubmissionError(f"component {custom_id!r} is disabled")
        return component

    async def _use_component(
        self, user: SandboxUser, message: Message, data: JSON, timeout: float, wait_for_followup: bool
    ) -> InteractionResult:
        channel = self._world.channels[message.channel_id]
        guild = self._world.guild_of(channel)
        if guild is None and channel.recipient is not user:
            raise SubmissionError(f"{user.name} cannot see message {message.id} in someone else's DMs")
        if guild is not None and not guild.has_member(user):
            raise SubmissionError(f"{user.name} is not a member of {guild.name}")
        await self._settlement.settled(message.id, timeout)
        result = self._new_interaction(InteractionType.MESSAGE_COMPONENT, user, channel, guild)
        result.source_message = message
        return await self._send(result, data, timeout, f"the use of {data['custom_id']!r}", wait_for_followup)

    def _new_interaction(
        self, kind: InteractionType, user: SandboxUser, channel: SandboxChannel, guild: SandboxGuild | None
    ) -> InteractionResult:
        result = InteractionResult(
            id=self._world.ids.next(),
            token=secrets.token_urlsafe(48),
            type=kind,
            user=user,
            channel=channel,
            guild=guild,
            _changes=self._changes,
        )
        return self._interactions.add(result)

    async def _send(
        self, result: InteractionResult, data: JSON, timeout: float, what: str, wait_for_followup: bool
    ) -> InteractionResult:
        message = result.source_message
        message_json = None
        if message is not None:
            guild_id = self._world.channels[message.channel_id].guild_id
            message_json = payloads.message(
                message, url_base=self.url, guild_id=guild_id, application_id=self.application_id
            )
        payload = interaction_payload(result, bot=self._world.bot, data=data, message=message_json)
        await self._gateway.dispatch("INTERACTION_CREATE", payload, guild.id if (guild := result.guild) else None)

        def answered() -> bool:
            return result.complete or (not wait_for_followup and result.callback_type is not None)

        await self.wait_until(answered, timeout=timeout, what=f"the bot to answer {what}")
        return result

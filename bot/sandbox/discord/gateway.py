"""The gateway websocket: HELLO, heartbeats, IDENTIFY -> READY + GUILD_CREATEs, RESUME with replay, dispatches.

Sharded as Discord is: IDENTIFY may carry ``shard: [id, count]`` (without it, [0, 1]); each shard is its own
session, gets only its guilds (``(guild_id >> 22) % count == id``) and their events; DMs go to shard 0.

Frames go out as plain TEXT: discord.py only decompresses BINARY frames, whatever ``compress`` it asked for.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from . import payloads
from .waiting import Changes
from .world import JSON, World

PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)
"""GUILD_MEMBERS, GUILD_PRESENCES and MESSAGE_CONTENT."""
_REPLAY_LIMIT = 10_000
INVALID_SHARD = 4010


def shard_of(guild_id: int | None, count: int) -> int:
    """The shard that receives a guild's events, as Discord routes them; DMs (no guild) go to shard 0."""
    return 0 if guild_id is None else (guild_id >> 22) % count


class Op:
    DISPATCH = 0
    HEARTBEAT = 1
    IDENTIFY = 2
    RESUME = 6
    REQUEST_GUILD_MEMBERS = 8
    INVALID_SESSION = 9
    HELLO = 10
    HEARTBEAT_ACK = 11


@dataclass(eq=False)
class GatewaySession:
    id: str
    intents: int
    shard: tuple[int, int] = (0, 1)
    """[id, count] as IDENTIFYed."""
    seq: int = 0
    sent: deque[tuple[int, str]] = field(default_factory=lambda: deque(maxlen=_REPLAY_LIMIT))
    """Every dispatched frame by sequence number, for replay on RESUME."""
    socket: web.WebSocketResponse | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    """Held while sending, so live dispatches cannot overtake a replay."""


class Gateway:
    def __init__(
        self,
        world: World,
        token: str,
        changes: Changes,
        *,
        privileged_intents: int,
        heartbeat_interval: float,
        shard_count: int = 1,
    ) -> None:
        self.world = world
        self.shard_count = shard_count
        """What /gateway/bot recommends."""
        self.token = token
        self.changes = changes
        self.privileged_intents = privileged_intents
        self.heartbeat_interval = heartbeat_interval
        self.url = ""
        """Where clients connect and resume; set once the server is listening."""
        self.sessions: dict[int, GatewaySession] = {}
        """The latest session of each shard, by shard id."""
        self.identifies = 0
        self.ready_gate = asyncio.Event()
        """Cleared: a valid IDENTIFY waits for it before READY (a bot caught logging in, for its health check)."""
        self.ready_gate.set()
        self.held = 0
        """IDENTIFYs that have waited at the gate."""
        self.resumes = 0
        self.drops = 0
        self.replayed = 0
        """Events sent again on a RESUME because the bot missed them."""
        self._sockets: set[web.WebSocketResponse] = set()

    @property
    def session(self) -> GatewaySession | None:
        """Shard 0's session: the only one of an unsharded bot."""
        return self.sessions.get(0)

    @property
    def connected(self) -> bool:
        """Some shard has identified, and every shard that has is connected."""
        return bool(self.sessions) and all(s.socket is not None for s in self.sessions.values())

    def session_for(self, guild_id: int | None) -> GatewaySession | None:
        """The session of the shard that receives this guild's events (a DM's: shard 0's)."""
        return next(
            (s for s in self.sessions.values() if s.shard[0] == shard_of(guild_id, s.shard[1])),
            None,
        )

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.add(socket)
        session: GatewaySession | None = None
        try:
            await _send(socket, Op.HELLO, {"heartbeat_interval": int(self.heartbeat_interval * 1000)})
            async for msg in socket:
                if msg.type is not WSMsgType.TEXT:
                    continue
                frame: JSON = json.loads(msg.data)
                op, data = frame.get("op"), frame.get("d") or {}
                if op == Op.HEARTBEAT:
                    await _send(socket, Op.HEARTBEAT_ACK, None)
                elif op == Op.IDENTIFY:
                    session = await self._identify(socket, data)
                elif op == Op.RESUME:
                    session = await self._resume(socket, data)
                elif op == Op.REQUEST_GUILD_MEMBERS and session is not None:
                    await self._members_chunk(session, data)
        finally:
            self._sockets.discard(socket)
            if session is not None and session.socket is socket:
                session.socket = None
                self.changes.notify()
        return socket

    async def dispatch(self, event: str, data: JSON, guild_id: int | None = None) -> None:
        """Send an event to the shard of `guild_id` (a DM's: shard 0), or keep it for the RESUME replay while that
        shard is disconnected."""
        session = self.session_for(guild_id)
        if session is None:
            raise RuntimeError(f"no shard of the bot that receives guild {guild_id}'s events has identified")
        async with session.lock:
            await self._dispatch(session, event, data)

    async def drop(self, code: int = 4000, shard: int = 0) -> None:
        """Close the bot's connection from the server side, as a Discord outage would; it should RESUME."""
        session = self.sessions.get(shard)
        socket = session.socket if session is not None else None
        if session is None or socket is None:
            raise RuntimeError("the bot has no live gateway connection to drop")
        async with session.lock:
            session.socket = None
        self.drops += 1
        await socket.close(code=code, message=b"dropped by the sandbox")

    async def close(self) -> None:
        for socket in list(self._sockets):
            await socket.close(code=1001, message=b"sandbox shutting down")

    async def _identify(self, socket: web.WebSocketResponse, data: JSON) -> GatewaySession | None:
        if data.get("token") != self.token:
            await socket.close(code=4004, message=b"Authentication failed.")
            return None
        intents = int(data.get("intents", 0))
        if intents & PRIVILEGED_INTENTS & ~self.privileged_intents:
            await socket.close(code=4014, message=b"Disallowed intent(s).")
            return None
        shard_id, count = (int(n) for n in data.get("shard") or (0, 1))
        if not 0 <= shard_id < count:
            await socket.close(code=INVALID_SHARD, message=b"Invalid shard.")
            return None
        if not self.ready_gate.is_set():
            self.held += 1
            self.changes.notify()
            await self.ready_gate.wait()
        session = GatewaySession(id=secrets.token_hex(16), intents=intents, shard=(shard_id, count))
        self.sessions[shard_id] = session
        self.identifies += 1
        world = self.world
        guilds = [g for g in world.guilds.values() if shard_of(g.id, count) == shard_id]
        ready = {
            "v": 10,
            "user": payloads.user(world.bot),
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "shard": [shard_id, count],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.url,
            "application": {"id": str(world.bot.id), "flags": payloads.application_flags(self.privileged_intents)},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "user_settings": {},
            "geo_ordered_rtc_regions": [],
            "_trace": ["sandbox"],
        }
        async with session.lock:
            session.socket = socket
            await self._dispatch(session, "READY", ready)
            for guild in guilds:
                await self._dispatch(session, "GUILD_CREATE", payloads.guild(guild))
        self.changes.notify()
        return session

    async def _resume(self, socket: web.WebSocketResponse, data: JSON) -> GatewaySession | None:
        session = next((s for s in self.sessions.values() if s.id == data.get("session_id")), None)
        seq = data.get("seq") or 0
        replayable = session is not None and (not session.sent or session.sent[0][0] <= seq + 1)
        if session is None or data.get("session_id") != session.id or data.get("token") != self.token:
            replayable = False
        if session is None or not replayable:
            await _send(socket, Op.INVALID_SESSION, False)
            return None
        async with session.lock:
            previous, session.socket = session.socket, socket
            for frame_seq, frame in list(session.sent):
                if frame_seq > seq:
                    await socket.send_str(frame)
                    self.replayed += 1
            await self._dispatch(session, "RESUMED", {"_trace": ["sandbox"]})
        self.resumes += 1
        self.changes.notify()
        if previous is not None:
            await previous.close(code=4000, message=b"resumed elsewhere")
        return session

    async def _members_chunk(self, session: GatewaySession, data: JSON) -> None:
        guild = self.world.guilds.get(int(data["guild_id"]))
        if guild is None:
            return
        wanted = {int(i) for i in data.get("user_ids") or []}
        query = str(data.get("query") or "").lower()
        members = [
            payloads.member(m, guild)
            for m in guild.members
            if (not wanted or m.id in wanted) and m.name.lower().startswith(query)
        ]
        chunk = {
            "guild_id": str(guild.id),
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
            "nonce": data.get("nonce"),
        }
        async with session.lock:
            await self._dispatch(session, "GUILD_MEMBERS_CHUNK", chunk)

    async def _dispatch(self, session: GatewaySession, event: str, data: JSON) -> None:
        session.seq += 1
        frame = json.dumps({"op": Op.DISPATCH, "t": event, "s": session.seq, "d": data})
        session.sent.append((session.seq, frame))
        socket = session.socket
        if socket is None or socket.closed:
            return
        try:
            await socket.send_str(frame)
        except ConnectionError:
            session.socket = None


async def _send(socket: web.WebSocketResponse, op: int, data: Any) -> None:
    await socket.send_str(json.dumps({"op": op, "d": data, "s": None, "t": None}))

"""The Socket Mode websocket: hello, envelopes, acks by envelope_id, pings, and dropped sockets.

Tickets come from ``apps.connections.open``; each connects once. Slack may hold several connections for
one app; envelopes go to the newest live one.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass

from aiohttp import WSMsgType, web

from bot.sandbox.changes import Changes

from .interactions import Interaction, Ledger
from .world import APP_ID, JSON

DISCONNECT_REASONS = ("warning", "refresh_requested", "link_disabled")


@dataclass(eq=False)
class Connection:
    socket: web.WebSocketResponse
    request: web.Request
    opened_at: float
    closed: bool = False


class SocketMode:
    def __init__(self, ledger: Ledger, changes: Changes) -> None:
        self.ledger = ledger
        self.changes = changes
        self.url = ""
        """The websocket's base URL; set once the server listens."""
        self.connections: list[Connection] = []
        """Every connection ever made, oldest first."""
        self.pings = 0
        self.unmatched_acks: list[JSON] = []
        """Frames with an envelope_id the sandbox never sent (or already acked)."""
        self._tickets: set[str] = set()

    def issue_url(self) -> str:
        ticket = secrets.token_hex(16)
        self._tickets.add(ticket)
        return f"{self.url}?ticket={ticket}&app_id={APP_ID}"

    @property
    def live(self) -> list[Connection]:
        return [c for c in self.connections if not c.closed]

    async def handle(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        if ticket not in self._tickets:
            return web.Response(status=401, text="invalid ticket")
        self._tickets.discard(ticket)
        socket = web.WebSocketResponse(autoping=False)
        await socket.prepare(request)
        connection = Connection(socket, request, time.monotonic())
        self.connections.append(connection)
        try:
            await socket.send_json(
                {
                    "type": "hello",
                    "num_connections": len(self.live),
                    "debug_info": {"host": "applink-local", "build_number": 1, "approximate_connection_time": 18060},
                    "connection_info": {"app_id": APP_ID},
                }
            )
            self.changes.notify()
            async for msg in socket:
                if msg.type is WSMsgType.PING:
                    self.pings += 1
                    await socket.pong(msg.data)
                elif msg.type is WSMsgType.TEXT:
                    try:
                        frame = json.loads(msg.data)
                    except json.JSONDecodeError:
                        frame = {"unparsed": msg.data}
                    self._acked(frame if isinstance(frame, dict) else {"unparsed": msg.data})
        finally:
            connection.closed = True
            self.changes.notify()
        return socket

    def _acked(self, frame: JSON) -> None:
        envelope_id = frame.get("envelope_id")
        interaction = self.ledger.by_envelope(envelope_id) if isinstance(envelope_id, str) else None
        if interaction is None or interaction.acked:
            self.unmatched_acks.append(frame)
            return
        interaction.acked = True
        interaction.acked_at = time.monotonic()
        payload = frame.get("payload")
        interaction.ack = payload if isinstance(payload, dict) and payload else None
        self.changes.notify()

    async def send(self, interaction: Interaction, *, accepts_response_payload: bool, timeout: float) -> None:
        """Deliver an envelope on the newest live connection, waiting (up to ``timeout``) for one."""
        await self.changes.wait_until(lambda: bool(self.live), timeout, "the app to connect over Socket Mode")
        frame: JSON = {
            "envelope_id": interaction.envelope_id,
            "type": interaction.type,
            "accepts_response_payload": accepts_response_payload,
            "payload": interaction.payload,
        }
        if interaction.type == "events_api":
            frame.update(retry_attempt=0, retry_reason="")
        interaction.sent_at = time.monotonic()
        await self.live[-1].socket.send_json(frame)

    async def drop(self, how: str = "close") -> None:
        """Drop the newest connection the way Slack does.

        ``"refresh_requested"`` (or another of ``DISCONNECT_REASONS``) sends a disconnect message; the client
        opens a new connection and closes this one. ``"close"`` sends a close frame (the client reconnects
        at once). ``"abrupt"`` cuts the TCP connection with no frame; the client notices on its next ping tick.
        """
        if not self.live:
            raise RuntimeError("the app has no live Socket Mode connection to drop")
        connection = self.live[-1]
        if how in DISCONNECT_REASONS:
            await connection.socket.send_json(
                {"type": "disconnect", "reason": how, "debug_info": {"host": "applink-local"}}
            )
        elif how == "close":
            await connection.socket.close(code=1001, message=b"going away")
        elif how == "abrupt":
            transport = connection.request.transport
            if transport is not None:
                transport.abort()
            connection.closed = True
            self.changes.notify()
        else:
            raise ValueError(f"unknown way to drop a socket: {how!r}")

    async def close(self) -> None:
        for connection in self.live:
            await connection.socket.close()

"""The public face of the local Slack: build a workspace, start the server, act as users, observe the app."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from aiohttp import web

from bot.sandbox.changes import Changes
from bot.sandbox.server import LocalServer

from . import blockkit
from .faults import Faults, PostPacing
from .interactions import Interaction, Ledger, SubmissionError
from .socket_mode import Connection, SocketMode
from .waiting import SlackTimeout
from .web_api import RecordedRequest, SlackError, WebApi
from .world import (
    APP_ID,
    BOT_USER_ID,
    DM_ERRORS,
    JSON,
    TEAM_DOMAIN,
    TEAM_ID,
    SlackChannel,
    SlackMessage,
    SlackUser,
    SlackView,
    World,
    interactive_elements,
)

Value = str | Sequence[str] | None
"""What a user enters in one input: text, a date/time, an option's value, several option values."""

_SLACK_TOKEN = re.compile(r"(<[@#!][^<>]*>)")


def slack_escaped(typed: str) -> str:
    """A slash command's text as Slack sends it: & < > as entities, Slack's own <@U…> tokens kept."""
    pieces = _SLACK_TOKEN.split(typed)  # the tokens are the odd pieces
    return "".join(
        piece if index % 2 else piece.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        for index, piece in enumerate(pieces)
    )


class SlackSandbox(LocalServer):
    """A local Slack (Web API + Socket Mode) that the unmodified slack_sdk and slack_bolt talk to.

    Point the app at it::

        client = AsyncWebClient(token=sandbox.bot_token, base_url=sandbox.api_url)
        app = AsyncApp(client=client)
        handler = AsyncSocketModeHandler(app, sandbox.app_token)
    """

    def __init__(
        self,
        bot_token: str = "xoxb-sandbox",
        app_token: str = "xapp-sandbox",
        *,
        bot_name: str = "follow-through",
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Callable[[], float] = time.monotonic,
        ack_deadline: float = 3.0,
        trigger_lifetime: float = 3.0,
        post_interval: float = 1.0,
        post_burst: int = 3,
        workspace_interval: float = 0.2,
        workspace_burst: int = 300,
        settle: float = 0.05,
        latency: float = 0.0,
    ) -> None:
        """
        :param clock: measures trigger_id lifetimes and chat.postMessage pacing (inject one to expire them).
        :param ack_deadline: seconds (real time) the app has to ack an envelope, as on Slack (3 s).
        :param post_interval: chat.postMessage pacing per channel: one message per interval after a burst of
            ``post_burst``; past that a 429 with Retry-After. By the real clock by default: tests that post many
            messages to one user quickly make these small.
        :param workspace_interval: the workspace-wide cap on chat.postMessage, likewise (300 at once, then 5/s).
        :param settle: after its ack, the app is taken to be done once nothing happened for this long.
        :param latency: seconds every Web API call takes. At 0 a listener that fails right after ``ack()`` loses
            its ack (Bolt's 10 ms polling); Slack's real tens of milliseconds let the ack through.
        """
        self.bot_token = bot_token
        self.app_token = app_token
        self.host = host
        self.settle = settle
        self._requested_port = port
        self._changes = Changes(SlackTimeout)
        self._world = World(bot_name)
        self._ledger = Ledger(ack_deadline, clock)
        self.faults = Faults()
        self._socket = SocketMode(self._ledger, self._changes)
        self._web = WebApi(
            world=self._world,
            bot_token=bot_token,
            app_token=app_token,
            ledger=self._ledger,
            socket_mode=self._socket,
            faults=self.faults,
            pacing=PostPacing(
                channel_interval=post_interval,
                channel_burst=post_burst,
                workspace_interval=workspace_interval,
                workspace_burst=workspace_burst,
                clock=clock,
            ),
            changes=self._changes,
            trigger_lifetime=trigger_lifetime,
            base_url=lambda: self.url,
            latency=latency,
        )
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- the workspace -----------------------------------------------------------------------------------------

    @property
    def bot_user(self) -> SlackUser:
        return self._world.bot

    @property
    def general(self) -> SlackChannel:
        """The channel every user is in."""
        return self._world.general

    def add_user(self, name: str, *, tz: str = "America/New_York", dm_error: str | None = None) -> SlackUser:
        """A workspace member with ``tz`` in their profile; ``dm_error`` makes DMs to them fail (see DM_ERRORS)."""
        if dm_error is not None and dm_error not in DM_ERRORS:
            raise ValueError(f"dm_error must be one of {sorted(DM_ERRORS)}")
        user = self._world.add_user(name, tz)
        user.dm_error = dm_error
        return user

    def add_channel(self, name: str, members: Sequence[SlackUser], *, with_bot: bool = True) -> SlackChannel:
        """A channel; `with_bot=False`: one the app was never invited to, where it can answer only through a
        response_url (chat.postMessage and chat.postEphemeral are refused with not_in_channel)."""
        return self._world.add_channel(name, list(members), with_bot=with_bot)

    def dm_channel(self, user: SlackUser) -> SlackChannel:
        return self._world.dm(user)

    # -- lifecycle ---------------------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/link/", self._socket.handle)
        self._web.install(app)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self._requested_port).start()
        self.port = self._runner.addresses[0][1]
        self._socket.url = f"ws://{self.host}:{self.port}/link/"

    async def stop(self) -> None:
        await self._socket.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def api_url(self) -> str:
        """For ``AsyncWebClient(base_url=...)``: every Web API method, apps.connections.open included."""
        return f"{self.url}/api/"

    # -- waiting on the app ------------------------------------------------------------------------------------

    async def wait_until(
        self, condition: Callable[[], bool], *, timeout: float = 5.0, what: str = "a condition"
    ) -> None:
        """Wait until ``condition()`` holds, re-checking after every Web API call, ack and socket change."""
        await self._changes.wait_until(condition, timeout, what)

    async def wait_for_connection(self, count: int = 1, *, timeout: float = 5.0) -> None:
        """Until the app has opened ``count`` Socket Mode connections in all (2 after one reconnect) and one is live."""
        socket = self._socket
        await self.wait_until(
            lambda: len(socket.connections) >= count and bool(socket.live),
            timeout=timeout,
            what=f"Socket Mode connection #{count}",
        )

    # -- acting as users ---------------------------------------------------------------------------------------

    async def slash(
        self,
        user: SlackUser,
        command: str,
        text: str = "",
        *,
        channel: SlackChannel | None = None,
        timeout: float = 5.0,
        expect_ack: bool = True,
    ) -> Interaction:
        """Run ``command`` (e.g. ``"/interview"``) with ``text`` as ``user``, in their DM with the bot unless
        ``channel`` is given. As Slack does, ``&``, ``<`` and ``>`` in the text arrive as entities; a mention
        written as Slack sends it (``<@U…|name>``) stays a token. Returns once the app acked and then went
        quiet: the ack, the ephemeral messages and the modal it opened are on the result."""
        where = channel or self._world.dm(user)
        if user not in where.members:
            raise SubmissionError(f"{user.name} is not in #{where.name}")
        payload: JSON = {
            "token": "verificationtoken",
            "team_id": TEAM_ID,
            "team_domain": TEAM_DOMAIN,
            "channel_id": where.id,
            "channel_name": where.name,
            "user_id": user.id,
            "user_name": user.name,
            "command": command,
            "text": slack_escaped(text),
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
        }
        interaction = self._new("slash_commands", payload, user, trigger=True, response_url=True)
        return await self._deliver(interaction, timeout, f"{command} {text}".strip(), expect_ack=expect_ack)

    async def click(
        self,
        user: SlackUser,
        where: SlackMessage | SlackView,
        action_id: str,
        *,
        value: Value = None,
        timeout: float = 5.0,
        expect_ack: bool = True,
    ) -> Interaction:
        """Press the button ``action_id`` on a message, modal or Home tab (or pick ``value`` in a select)."""
        if isinstance(where, SlackMessage):
            self._can_see(user, where)
        elif where.user is not user or not where.open:
            raise SubmissionError(f"{user.name} does not see view {where.id}")
        action = self._action(self._element(where, action_id), value)
        payload: JSON = {
            "type": "block_actions",
            "user": self._user_json(user),
            "api_app_id": APP_ID,
            "token": "verificationtoken",
            "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
            "enterprise": None,
            "is_enterprise_install": False,
            "actions": [action],
        }
        response_url = False
        if isinstance(where, SlackMessage):
            channel = self._world.channels[where.channel]
            payload["container"] = {
                "type": "message",
                "message_ts": where.ts,
                "channel_id": channel.id,
                "is_ephemeral": where.ephemeral,
            }
            payload["channel"] = {"id": channel.id, "name": channel.name}
            payload["state"] = {"values": {}}
            if not where.ephemeral:
                payload["message"] = where.history_json(with_metadata=True)
            response_url = True
        else:
            payload["container"] = {"type": "view", "view_id": where.id}
            payload["view"] = where.payload(self._state(where, {}))
        interaction = self._new("interactive", payload, user, trigger=True, response_url=response_url)
        interaction.source = where
        return await self._deliver(interaction, timeout, f"a click on {action_id!r}", expect_ack=expect_ack)

    async def submit(
        self,
        view: SlackView,
        values: Mapping[str, Value] | None = None,
        *,
        timeout: float = 5.0,
        expect_ack: bool = True,
    ) -> Interaction:
        """Submit the modal ``view`` with ``values`` keyed by action_id (or block_id); inputs left out keep
        their ``initial_*`` value. Slack's own client rules apply: a required input left empty cannot be
        submitted. The ack's ``response_action`` is applied to the modal as Slack would."""
        stack = self._world.stacks.get(view.user.id, [])
        if not view.open or not stack or stack[-1] is not view:
            raise SubmissionError(f"modal {view.title!r} is not the one {view.user.name} sees")
        if "submit" not in view.body:
            raise SubmissionError(f"modal {view.title!r} has no submit button")
        state = self._state(view, values or {})
        payload: JSON = {
            "type": "view_submission",
            "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
            "user": self._user_json(view.user),
            "api_app_id": APP_ID,
            "token": "verificationtoken",
            "trigger_id": "",
            "view": view.payload(state),
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }
        interaction = self._new("interactive", payload, view.user, trigger=True, response_url=False)
        interaction.source = view
        return await self._deliver(interaction, timeout, f"the submission of {view.title!r}", expect_ack=expect_ack)

    async def close(self, view: SlackView, *, timeout: float = 5.0) -> Interaction | None:
        """Close a modal with its close button: view_closed reaches the app only with ``notify_on_close``."""
        stack = self._world.stacks.get(view.user.id, [])
        for open_view in stack:
            open_view.open = False
        stack.clear()
        if not view.body.get("notify_on_close"):
            return None
        payload: JSON = {
            "type": "view_closed",
            "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
            "user": self._user_json(view.user),
            "api_app_id": APP_ID,
            "token": "verificationtoken",
            "view": view.payload(),
            "is_cleared": False,
            "is_enterprise_install": False,
        }
        interaction = self._new("interactive", payload, view.user, trigger=False, response_url=False)
        interaction.source = view
        return await self._deliver(interaction, timeout, f"the closing of {view.title!r}", expect_ack=True)

    async def open_home(self, user: SlackUser, *, timeout: float = 5.0) -> Interaction:
        """``user`` opens the app's Home tab (app_home_opened); the result's ``published`` has what the app
        published, and ``home(user)`` the tab as it stands."""
        home = self._world.homes.get(user.id)
        event: JSON = {
            "type": "app_home_opened",
            "user": user.id,
            "channel": self._world.dm(user).id,
            "tab": "home",
            "event_ts": self._world.ids.ts(),
        }
        if home is not None:
            event["view"] = home.payload()
        return await self._event(user, event, timeout, f"{user.name} opening the Home tab")

    async def send_dm(self, user: SlackUser, text: str, *, timeout: float = 5.0) -> Interaction:
        """``user`` writes to the bot in its Messages tab (message.im)."""
        channel = self._world.dm(user)
        message = SlackMessage(channel.id, self._world.ids.ts(), text, [], author=user.id)
        self._world.messages.append(message)
        event: JSON = {
            "type": "message",
            "channel_type": "im",
            "channel": channel.id,
            "user": user.id,
            "text": text,
            "ts": message.ts,
            "event_ts": message.ts,
            "team": TEAM_ID,
        }
        return await self._event(user, event, timeout, f"a DM from {user.name}")

    # -- observing the app -------------------------------------------------------------------------------------

    def dms(self, user: SlackUser) -> list[SlackMessage]:
        """What the bot posted in its DM with ``user``, oldest first (ephemeral and deleted excluded)."""
        channel = self._world.dm(user)
        return [m for m in self._world.history(channel.id) if m.author == BOT_USER_ID]

    async def wait_for_dms(self, user: SlackUser, count: int = 1, *, timeout: float = 5.0) -> list[SlackMessage]:
        await self.wait_until(
            lambda: len(self.dms(user)) >= count, timeout=timeout, what=f"{count} DM(s) to {user.name}"
        )
        return self.dms(user)

    def ephemerals(self, user: SlackUser) -> list[SlackMessage]:
        return [m for m in self._world.messages if m.visible_to is user]

    def home(self, user: SlackUser) -> SlackView | None:
        return self._world.homes.get(user.id)

    def modals(self, user: SlackUser) -> list[SlackView]:
        """The user's open modal stack, bottom first."""
        return list(self._world.stacks.get(user.id, []))

    @property
    def messages(self) -> list[SlackMessage]:
        return list(self._world.messages)

    @property
    def interactions(self) -> list[Interaction]:
        return list(self._ledger.all)

    @property
    def late_acks(self) -> list[Interaction]:
        return self._ledger.late_acks

    @property
    def missing_acks(self) -> list[Interaction]:
        return self._ledger.missing_acks

    @property
    def requests(self) -> list[RecordedRequest]:
        return list(self._web.requests)

    def requests_to(self, method: str) -> list[RecordedRequest]:
        return [r for r in self._web.requests if r.method == method]

    # -- Socket Mode -------------------------------------------------------------------------------------------

    @property
    def connections(self) -> list[Connection]:
        return list(self._socket.connections)

    @property
    def pings(self) -> int:
        return self._socket.pings

    async def drop_socket(self, how: str = "close") -> None:
        """Drop the app's newest connection: ``"close"`` (close frame), ``"refresh_requested"``/``"warning"``/
        ``"link_disabled"`` (a disconnect message), or ``"abrupt"`` (no frame; noticed on the ping tick)."""
        await self._socket.drop(how)

    # -- internals ---------------------------------------------------------------------------------------------

    def _new(self, kind: str, payload: JSON, user: SlackUser, *, trigger: bool, response_url: bool) -> Interaction:
        interaction = self._ledger.new(kind, payload, user, trigger=trigger)
        if trigger and not payload.get("trigger_id"):
            payload["trigger_id"] = interaction.trigger_id
        elif not trigger:
            payload.pop("trigger_id", None)
        if response_url:
            interaction.response_url = self._web.hook_url()
            payload["response_url"] = interaction.response_url
        return interaction

    async def _event(self, user: SlackUser, event: JSON, timeout: float, what: str) -> Interaction:
        payload: JSON = {
            "token": "verificationtoken",
            "team_id": TEAM_ID,
            "api_app_id": APP_ID,
            "event": event,
            "type": "event_callback",
            "event_id": self._world.ids.next("Ev"),
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": TEAM_ID,
                    "user_id": BOT_USER_ID,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }
        interaction = self._new("events_api", payload, user, trigger=False, response_url=False)
        return await self._deliver(interaction, timeout, what, expect_ack=True)

    async def _deliver(self, interaction: Interaction, timeout: float, what: str, *, expect_ack: bool) -> Interaction:
        accepts = interaction.type == "slash_commands" or interaction.payload.get("type") == "view_submission"
        await self._socket.send(interaction, accepts_response_payload=accepts, timeout=timeout)
        try:
            await self.wait_until(lambda: interaction.acked, timeout=timeout, what=f"the app to ack {what}")
        except SlackTimeout:
            interaction.problems.append("dispatch_failed")
            if expect_ack:
                raise
            return interaction
        if interaction.late:
            interaction.problems.append("operation_timeout")
        self._apply_ack(interaction)
        await self._changes.wait_quiet(self.settle, timeout, what)
        return interaction

    def _apply_ack(self, interaction: Interaction) -> None:
        """What Slack does with an ack's payload: a slash command's reply, a view submission's response_action."""
        ack, user = interaction.ack, interaction.user
        if ack is None or user is None or interaction.late:
            return
        if interaction.type == "slash_commands":
            channel = self._world.channels[interaction.payload["channel_id"]]
            try:
                text, blocks = self._web.content(ack)
            except SlackError as failure:
                interaction.problems.append(failure.error)
                return
            if ack.get("response_type") == "in_channel":
                message = SlackMessage(channel.id, self._world.ids.ts(), text, blocks)
                self._world.messages.append(message)
                interaction.posted.append(message)
            else:
                self._web.ephemeral(channel, user, text, blocks)
        elif interaction.payload.get("type") == "view_submission" and isinstance(interaction.source, SlackView):
            self._response_action(interaction, interaction.source, ack)

    def _response_action(self, interaction: Interaction, view: SlackView, ack: JSON) -> None:
        action = ack.get("response_action")
        stack = self._world.stacks.get(view.user.id, [])
        if action == "errors":
            inputs = {b.get("block_id") for b in view.blocks if b.get("type") == "input"}
            unknown = sorted(set(ack.get("errors", {})) - inputs)
            if unknown:
                interaction.problems.append(f"errors name blocks that are not inputs of the view: {unknown}")
            return
        if action in ("update", "push"):
            body = ack.get("view")
            problems = (
                blockkit.view_problems(body) if isinstance(body, dict) else ["must be an object [json-pointer:/view]"]
            )
            if problems:
                interaction.problems.extend(problems)
                return
            assert isinstance(body, dict)
            if action == "update":
                self._web.replace_view(view, body)
                interaction.updated.append(view)
                return
            try:
                interaction.opened.append(self._web.push_modal(view.user, body))
            except SlackError as failure:
                interaction.problems.append(failure.error)
            return
        if action == "clear":
            closing = list(stack)
        elif action is None:
            closing = [view]
        else:
            interaction.problems.append(f"unknown response_action {action!r}")
            return
        for closed in closing:
            closed.open = False
            if closed in stack:
                stack.remove(closed)

    def _element(self, where: SlackMessage | SlackView, action_id: str) -> JSON:
        if isinstance(where, SlackMessage) and where.deleted:
            raise SubmissionError(f"message {where.ts} was deleted")
        for element in interactive_elements(where.blocks):
            if element["action_id"] == action_id:
                return element
        raise SubmissionError(f"no element {action_id!r} to use; there are {where.action_ids}")

    def _action(self, element: JSON, value: Value) -> JSON:
        action: JSON = {
            "action_id": element["action_id"],
            "block_id": element.get("block_id"),
            "type": element["type"],
            "action_ts": self._world.ids.ts(),
        }
        if element["type"] == "button":
            action.update(text=element.get("text"), value=element.get("value"))
            if "style" in element:
                action["style"] = element["style"]
        else:
            action.update(self._selection(element, value))
        return action

    def _can_see(self, user: SlackUser, message: SlackMessage) -> None:
        if message.ephemeral and message.visible_to is not user:
            raise SubmissionError(f"{user.name} cannot see an ephemeral message for someone else")
        if user not in self._world.channels[message.channel].members:
            raise SubmissionError(f"{user.name} cannot see a message in a channel they are not in")

    def _state(self, view: SlackView, values: Mapping[str, Value]) -> JSON:
        """``view.state.values`` for a submission: the user's entries, else each input's initial value."""
        state: JSON = {}
        known: set[str] = set()
        for block in view.blocks:
            element = block.get("element")
            if block.get("type") != "input" or not isinstance(element, dict):
                continue
            block_id, action_id = block.get("block_id", ""), element.get("action_id", "")
            known.update({block_id, action_id})
            given = values.get(action_id, values.get(block_id))
            entry = self._selection(element, given)
            empty = all(v in (None, "", []) for k, v in entry.items() if k != "type")
            if empty and not block.get("optional"):
                raise SubmissionError(f"the required input {block_id!r} is empty: Slack would not submit")
            state.setdefault(block_id, {})[action_id] = entry
        extra = set(values) - known
        if extra:
            raise SubmissionError(f"modal {view.title!r} has no inputs {sorted(extra)}")
        return state

    def _selection(self, element: JSON, given: Value) -> JSON:
        """One input's state as Slack encodes it for its element type (see slack-protocol notes)."""
        kind = element["type"]
        entry: JSON = {"type": kind}
        if kind in ("plain_text_input", "number_input", "email_text_input", "url_text_input"):
            entry["value"] = given if given is not None else element.get("initial_value")
        elif kind in ("static_select", "radio_buttons"):
            entry["selected_option"] = (
                self._option(element, str(given)) if given is not None else element.get("initial_option")
            )
        elif kind in ("multi_static_select", "checkboxes"):
            chosen = [given] if isinstance(given, str) else given
            entry["selected_options"] = (
                [self._option(element, v) for v in chosen] if chosen is not None else element.get("initial_options", [])
            )
        elif kind in ("datepicker", "timepicker"):
            key = "date" if kind == "datepicker" else "time"
            entry[f"selected_{key}"] = given if given is not None else element.get(f"initial_{key}")
        elif kind == "users_select":
            entry["selected_user"] = given if given is not None else element.get("initial_user")
        elif kind in ("conversations_select", "channels_select"):
            key = "conversation" if kind == "conversations_select" else "channel"
            entry[f"selected_{key}"] = given if given is not None else element.get(f"initial_{key}")
        else:
            raise SubmissionError(f"the local Slack cannot fill a {kind!r} element yet")
        return entry

    def _option(self, element: JSON, value: str) -> JSON:
        options: list[Any] = element.get("options") or [
            o for group in element.get("option_groups", []) for o in group.get("options", [])
        ]
        for option in options:
            if option.get("value") == value:
                return dict(option)
        raise SubmissionError(f"{element.get('action_id')!r} offers no option {value!r}")

    def _user_json(self, user: SlackUser) -> JSON:
        return {"id": user.id, "username": user.name, "name": user.name, "team_id": TEAM_ID}

"""The App Home tab: the seeker's follow-ups (Done, Snooze) and open interviews with a Log interview button,
and for coaches their groups' rosters with a View button per seeker. Published when the tab is opened and
again after each click on it that changes something; a click's page of a roster lives only in that publish."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, DividerBlock, PlainTextObject
from slack_sdk.models.views import View
from slack_sdk.web.async_client import AsyncWebClient

from bot.content import coaching
from bot.content import home as home_content
from bot.content import interviews as interview_content
from bot.content.message import ActionKind, Message
from bot.content.notices import BAD_OPTION
from bot.domain.errors import InvalidInput, NotFound
from bot.platforms.slack import modals, render
from bot.platforms.slack.listeners import LOG_INTERVIEW, NOT_YET, Listeners
from bot.usecases.actors import Actor
from bot.usecases.roster import RosterService

log = logging.getLogger(__name__)
FROM, HOME = "from", "home"  # a modal's context: opened from the Home tab
# The Home tab's own buttons (Slack's alone: no other platform has a home page); value: the seeker's user id.
LOG, VIEW = "ft-home:log", "ft-home:view"

Part = tuple[Message, list[ButtonElement]]  # a message and the Home tab's buttons under it


def page(parts: list[Part]) -> dict[str, Any]:
    """The Home tab: the messages one under the other, each with its extra buttons, within 100 blocks; a part
    with no room left for more than its header is left out."""
    built: list[Block] = []
    for index, (message, buttons) in enumerate(parts):
        extra: list[Block] = [
            ActionsBlock(elements=buttons[i : i + render.ELEMENTS]) for i in range(0, len(buttons), render.ELEMENTS)
        ]
        room = render.VIEW_BLOCKS - len(built) - (1 if index else 0) - len(extra)
        if room < 3:
            break
        if index:
            built.append(DividerBlock())
        built += render.blocks(message, room) + extra
    return View(type="home", blocks=built).to_dict()


def button(label: str, action_id: str, value: str, *, primary: bool = False) -> ButtonElement:
    return ButtonElement(
        text=render.clip(label, render.BUTTON), action_id=action_id, value=value, style="primary" if primary else None
    )


def shown(message: Message) -> dict[str, Any]:
    """A modal that only shows the message (a seeker's report), within a modal's 100 blocks."""
    return View(
        type="modal",
        title=PlainTextObject(text=render.clip(render.plain(message.title), modals.TITLE) or "Follow-Through"),
        close=PlainTextObject(text=modals.CLOSE),
        blocks=render.blocks(replace(message, title=()), render.VIEW_BLOCKS),
    ).to_dict()


async def on_home(body: Mapping[str, Any]) -> bool:
    """A click on the Home tab (a message's or a modal's buttons are the other listeners')."""
    return (body.get("view") or {}).get("type") == "home"


async def from_home(body: Mapping[str, Any]) -> bool:
    """A Log interview modal opened from the Home tab."""
    return modals.context(body["view"]).get(FROM) == HOME


class Home:
    def __init__(self, listeners: Listeners) -> None:
        self.listeners = listeners
        self.core = listeners.core
        self.roster: RosterService | None = None  # set by the app once coaching is built

    def register(self, app: AsyncApp) -> None:
        """Registered before the other listeners: Bolt runs the first that matches a click."""
        app.event("app_home_opened")(self.opened)
        app.action(re.compile("^ft:"), matchers=[on_home])(self.clicked)
        app.action(LOG)(self.log_clicked)
        app.action(re.compile(f"^{VIEW}"))(self.view_clicked)
        app.view(LOG_INTERVIEW, matchers=[from_home])(self.logged)

    async def opened(self, event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab") != "home":
            return
        actor = self.listeners.actor({"user_id": event["user"], "team_id": body.get("team_id")})
        try:
            await self.listeners.ensure_user(client, actor)
            await self.publish(client, actor)
        except Exception as exc:  # noqa: BLE001 - reported to the user and logged
            await self.listeners.report(client, {"user_id": actor.external_id}, exc)

    async def parts(self, actor: Actor, pages: Mapping[int, int]) -> list[Part]:
        now = self.core.clock.now()
        shown: list[Part] = [(home_content.welcome(), [button(home_content.LOG_INTERVIEW, LOG, "0", primary=True)])]
        shown += [(m, []) for m in home_content.follow_ups(await self.core.follow_ups.open_follow_ups(actor), now)]
        summaries = await self.core.interviews.list_interviews(actor)
        listed = interview_content.interview_list(summaries, now, 0, render.PAGER, "open")
        shown.append((replace(listed, actions=()), []))  # its pages are the /interview list's
        if self.roster is not None:
            try:
                rosters = await self.roster.rosters(actor)
            except NotFound:  # not a coach
                rosters = []
            for group in rosters:
                listing, seekers = home_content.roster(group, pages.get(group.group.id, 0))
                views = [button(label, f"{VIEW}:{user_id}", str(user_id)) for user_id, label in seekers]
                shown.append((listing, views))
        return shown

    async def publish(self, client: AsyncWebClient, actor: Actor, pages: Mapping[int, int] | None = None) -> None:
        await client.views_publish(user_id=actor.external_id, view=page(await self.parts(actor, pages or {})))

    async def logged(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        """The Log interview modal's submission as from /interview, then the Home tab shows the new plan."""
        await self.listeners.log_interview(ack, body, client)
        try:
            await self.publish(client, self.listeners.actor(body))
        except Exception as exc:  # noqa: BLE001 - reported to the user and logged
            await self.listeners.report(client, body, exc)

    async def clicked(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        try:
            await self._act(body, client)
        except Exception as exc:  # noqa: BLE001 - reported to the user and logged
            await self.listeners.report(client, body, exc)

    async def _act(self, body: dict[str, Any], client: AsyncWebClient) -> None:
        pressed = body["actions"][0]
        clicked = render.decode(pressed["action_id"], pressed.get("value") or "")
        actor = self.listeners.actor(body)
        match clicked.kind:
            case ActionKind.DONE:
                await self.core.follow_ups.complete(actor, clicked.target)
                await self.publish(client, actor)
            case ActionKind.SNOOZE:
                await self.core.follow_ups.snooze(actor, clicked.target)
                await self.publish(client, actor)
            case ActionKind.ROSTER_PAGE:
                await self.publish(client, actor, {clicked.target: clicked.page})
            case _:
                await self.listeners.tell(client, body, NOT_YET)

    async def log_clicked(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        try:
            await self.listeners.open_log_interview(client, body, {FROM: HOME})
        except Exception as exc:  # noqa: BLE001 - reported to the user and logged
            await self.listeners.report(client, body, exc)

    async def view_clicked(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        """A seeker's report in a modal: only their coaches see it, and nothing is posted anywhere."""
        await ack()
        try:
            chosen = str(body["actions"][0].get("value") or "")
            if not chosen.isdigit() or self.roster is None:
                raise InvalidInput(BAD_OPTION)
            report = await self.roster.seeker_by_id(self.listeners.actor(body), int(chosen))
            await client.views_open(trigger_id=body["trigger_id"], view=shown(coaching.seeker_detail(report)))
        except Exception as exc:  # noqa: BLE001 - reported to the user and logged
            await self.listeners.report(client, body, exc)

"""The seeker's side of coaching on Slack. `/followthrough join CODE`, or a click on an invite's Join button in a
channel, shows the consent preview privately (what the group's coaches would see, and who they are) with Accept
and Decline; the click on either replaces that ephemeral in place. `/followthrough leave [group]` leaves one
group, or every one when none is named; a name that names several groups, or none, gets a select of them."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.content import coaching, leaving
from bot.content.message import ActionKind
from bot.domain import text
from bot.domain.errors import InvalidInput
from bot.platforms.slack import ephemeral, render
from bot.platforms.slack.listeners import Listeners
from bot.platforms.slack.render import Clicked
from bot.usecases.actors import Actor
from bot.usecases.groups import GroupService

log = logging.getLogger(__name__)


def typed_after(body: Mapping[str, Any]) -> str:
    """What follows the subcommand's word, as typed: `/followthrough join abcd-efgh` → "abcd-efgh"."""
    parts = (body.get("text") or "").strip().split(maxsplit=1)
    return render.unescape(parts[1].strip()) if len(parts) > 1 else ""


async def profile(client: AsyncWebClient, body: Mapping[str, Any], actor: Actor) -> tuple[str, str | None]:
    """From the Slack profile (one users.info): the name coaches see on their roster (the display name, else the
    real name) and the user's time zone, if it has one."""
    user = body.get("user")
    user = user if isinstance(user, dict) else {}
    fallback = str(user.get("name") or user.get("username") or body.get("user_name") or actor.external_id)
    try:
        found = (await client.users_info(user=actor.external_id))["user"]
    except SlackApiError as exc:
        log.info("no Slack profile for %s: %s", actor.external_id, exc)
        return fallback, None
    details = found.get("profile") or {}
    name = details.get("display_name") or details.get("real_name") or found.get("real_name") or fallback
    return str(name), found.get("tz")


class Membership:
    def __init__(self, listeners: Listeners) -> None:
        self.listeners = listeners
        self.core = listeners.core

    def register(self) -> None:
        """Its clicks; /followthrough names `join` and `leave` (followthrough_command.py)."""
        self.listeners.clicks[ActionKind.JOIN_GROUP] = self.join_clicked
        self.listeners.clicks[ActionKind.ACCEPT] = self.decided
        self.listeners.clicks[ActionKind.DECLINE] = self.decided
        self.listeners.clicks[ActionKind.LEAVE_GROUP] = self.leave_picked

    @property
    def groups(self) -> GroupService:
        groups = self.core.groups
        if groups is None:
            raise RuntimeError("the app has not given the Slack platform its GroupService")
        return groups

    # -- joining ----------------------------------------------------------------------------------------------

    async def join(self, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        await self._ask(client, body, typed_after(body))

    async def join_clicked(self, clicked: Clicked, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        await self._ask(client, body, clicked.choice)

    async def _ask(self, client: AsyncWebClient, body: Mapping[str, Any], code: str) -> None:
        """The consent question and the preview, only to the one who asked; nothing is shared yet."""
        actor = self.listeners.actor(body)
        new = await self.core.accounts.find(actor) is None
        name, zone = await profile(client, body, actor)
        request = await self.groups.join(actor, code, name)  # a code that joins nothing writes nothing
        if new and zone:  # the seeker it created keeps their Slack profile's zone, as listeners.ensure_user does
            try:
                await self.core.preferences.set_timezone(actor, str(zone))
            except InvalidInput as exc:
                log.info("no usable Slack zone for %s: %s", actor.external_id, exc)
        await ephemeral.post(client, body, actor, *coaching.consent_prompt(request))

    async def decided(self, clicked: Clicked, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        actor = self.listeners.actor(body)
        accepted = clicked.kind is ActionKind.ACCEPT
        membership = await self.groups.decide(actor, clicked.target, accepted)
        await ephemeral.replace(client, body, actor, coaching.consent_decided(membership))

    # -- leaving ----------------------------------------------------------------------------------------------

    async def leave(self, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        actor = self.listeners.actor(body)
        typed = text.clean(typed_after(body))
        if not typed:
            await ephemeral.post(client, body, actor, coaching.left(await self.groups.leave(actor, None)))
            return
        places = await self._leavable(actor)
        named = [p for p in places if p.name.casefold() == typed.casefold()]
        if len(named) == 1:  # by its id: a name alike among the groups they own cannot be taken for it
            left = await self.groups.leave(actor, str(named[0].group_id))
        elif named:
            await ephemeral.post(client, body, actor, leaving.leave_which(typed, len(named), named))
            return
        else:  # an owner's own group is refused by name, as on Discord; otherwise, the groups there are
            owned = [g for g in await self.groups.coached_groups(actor) if g.name.casefold() == typed.casefold()]
            if owned or not places:
                left = await self.groups.leave(actor, typed)
            else:
                await ephemeral.post(client, body, actor, leaving.leave_which(typed, 0, places))
                return
        await ephemeral.post(client, body, actor, coaching.left(left))

    async def leave_picked(self, clicked: Clicked, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        if not clicked.choice.isdigit():
            raise InvalidInput(leaving.PICK)
        actor = self.listeners.actor(body)
        left = await self.groups.leave(actor, clicked.choice)
        await ephemeral.replace(client, body, actor, coaching.left(left))

    async def _leavable(self, actor: Actor) -> list[leaving.Leavable]:
        shared = {m.group_id for m in await self.groups.member_groups(actor)}
        return [leaving.Leavable(i, name, i in shared) for name, i in await self.groups.leavable(actor)]

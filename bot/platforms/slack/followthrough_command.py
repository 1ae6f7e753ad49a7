"""/followthrough: `help` and `settings` (one modal for the time zone, quiet hours and shared notes). An
unknown word after it gets a private list of the ones there are.

The settings modal checks every answer before writing any, so a bad one is shown on its field and nothing is
saved; the zone picked there is a chosen zone, which the Slack profile never overrides."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
)
from slack_sdk.models.views import View
from slack_sdk.web.async_client import AsyncWebClient

from bot.content import coaching, preferences
from bot.content import help as help_content
from bot.content import settings as settings_content
from bot.content.message import Code, Message, Text, bold
from bot.domain import text, zones
from bot.domain.commands import Command
from bot.domain.errors import UserError
from bot.platforms.slack import ephemeral, modals, render
from bot.platforms.slack.coach_commands import PREFIX, CoachCommands
from bot.platforms.slack.listeners import BROKEN, Listeners, user_message
from bot.platforms.slack.membership import Membership
from bot.platforms.slack.your_data_commands import YourDataCommands

log = logging.getLogger(__name__)

COMMAND = "/followthrough"
SETTINGS = "ft:settings"
ZONE, QUIET_START, QUIET_END, SHARE = "zone", "quiet_start", "quiet_end", "share"
# What Slack offers (help lists these): every command but Discord's one for share-notes (a setting here).
OFFERED = frozenset(Command) - {Command.SET_SHARE_NOTES}
HOME_TAB = "Open my Home tab (under my name) for your follow-ups, interviews and, for coaches, rosters."


def _zone_option(name: str) -> Option:
    return Option(value=name, text=render.clip(name, render.OPTION))


def settings_modal(zone: str, start: str, end: str, share: bool, context: modals.Context) -> dict[str, Any]:
    """The common zones and the user's own (first, when it is not a common one), chosen already."""
    names = list(zones.COMMON) if zone in zones.COMMON else [zone, *zones.COMMON]
    share_option = Option(value=SHARE, text=settings_content.SHARE_NOTES, description=settings_content.SHARE_HINT)
    blocks: list[Block] = [
        InputBlock(
            block_id=ZONE,
            label=settings_content.TIME_ZONE,
            element=StaticSelectElement(
                action_id=ZONE,
                options=[_zone_option(n) for n in names[: render.OPTIONS]],
                initial_option=_zone_option(zone),
            ),
        ),
        *(
            InputBlock(
                block_id=key,
                label=label,
                hint=settings_content.QUIET_HINT if key == QUIET_END else None,
                element=PlainTextInputElement(action_id=key, initial_value=value, max_length=20),
            )
            for key, label, value in (
                (QUIET_START, settings_content.QUIET_START, start),
                (QUIET_END, settings_content.QUIET_END, end),
            )
        ),
        InputBlock(
            block_id=SHARE,
            label=settings_content.SHARE_NOTES,
            optional=True,
            element=CheckboxesElement(
                action_id=SHARE, options=[share_option], initial_options=[share_option] if share else None
            ),
        ),
    ]
    return View(
        type="modal",
        callback_id=SETTINGS,
        title=PlainTextObject(text=settings_content.TITLE),
        submit=PlainTextObject(text=modals.SUBMIT),
        close=PlainTextObject(text=modals.CLOSE),
        private_metadata=json.dumps(dict(context), separators=(",", ":")),
        blocks=blocks,
    ).to_dict()


def _answers(view: Mapping[str, Any]) -> tuple[str, str, str, bool]:
    values: Mapping[str, Any] = view.get("state", {}).get("values", {})

    def entry(key: str) -> Mapping[str, Any]:
        return values.get(key, {}).get(key, {}) or {}

    zone = (entry(ZONE).get("selected_option") or {}).get("value") or ""
    shared = any(o.get("value") == SHARE for o in entry(SHARE).get("selected_options") or [])
    return zone, entry(QUIET_START).get("value") or "", entry(QUIET_END).get("value") or "", shared


class FollowThrough:
    def __init__(self, listeners: Listeners) -> None:
        self.listeners = listeners
        self.core = listeners.core
        membership, your_data = Membership(listeners), YourDataCommands(listeners)
        self.coach = CoachCommands(listeners)
        self.subcommands = {
            "help": self.help,
            "settings": self.settings,
            "join": membership.join,
            "leave": membership.leave,
            "data": your_data.data,
            "coach": self.coach.command,
        }
        membership.register()
        your_data.register()

    def register(self, app: AsyncApp) -> None:
        app.command(COMMAND)(self.command)
        app.view(SETTINGS)(self.settings_submitted)
        self.coach.register(app)

    async def command(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        try:
            typed = render.unescape((body.get("text") or "").strip())
            word = typed.split(maxsplit=1)[0].lower() if typed else "help"
            run = self.subcommands.get(word)
            if run is None:
                await self._say(client, body, self._unknown(typed))
            else:
                await run(body, client)
        except Exception as exc:  # noqa: BLE001 - reported to the user and logged
            await self.listeners.report(client, body, exc)

    def _unknown(self, typed: str) -> Message:
        known: tuple[Text, ...] = tuple((f"`{COMMAND} {word}`",) for word in self.subcommands)
        return settings_content.unknown(f"{COMMAND} {typed}", known)

    async def _say(self, client: AsyncWebClient, body: Mapping[str, Any], *messages: Message) -> None:
        """Privately where the command was typed (or the modal opened), else in the DM with the bot."""
        await ephemeral.post(client, body, self.listeners.actor(body), *messages)

    async def help(self, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        extra: tuple[Text, ...] = ((HOME_TAB,),)
        invite: Text = (bold(dict(coaching.COACH_ACTIONS)["invite"]), " — ", Code(f"{PREFIX} invite"))
        await self._say(client, body, help_content.help_message(OFFERED, extra, (invite,)))

    async def settings(self, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        actor = self.listeners.actor(body)
        user = await self.core.accounts.find(actor)
        if user is None:  # a new user: the form shows their Slack profile's zone (one quick users.info)
            await self.listeners.ensure_user(client, actor)
            user = await self.core.accounts.find(actor)
        default = self.core.accounts.default_prefs()
        zone = user.timezone if user is not None else default.zone.key
        quiet = user.quiet_hours if user is not None else default.quiet_hours
        share = await self.core.preferences.shares_notes(actor)
        view = settings_modal(
            zone, f"{quiet.start:%H:%M}", f"{quiet.end:%H:%M}", share, {"channel": str(body["channel_id"])}
        )
        await client.views_open(trigger_id=body["trigger_id"], view=view)

    async def settings_submitted(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        zone, start, end, share = _answers(body["view"])
        problems: dict[str, str] = {}
        checks = (
            (ZONE, lambda: zones.resolve(zone)),
            (QUIET_START, lambda: text.clock_time(start, "the quiet hours start")),
            (QUIET_END, lambda: text.clock_time(end, "the quiet hours end")),
        )
        for key, check in checks:  # every answer checked before anything is written
            try:
                check()
            except UserError as exc:
                problems[key] = user_message(exc)
        if problems:
            await ack(response_action="errors", errors=problems)
            return
        actor = self.listeners.actor(body)
        try:
            await self.core.preferences.set_timezone(actor, zone)
            user = await self.core.preferences.set_quiet_hours(actor, start, end)
            shared = await self.core.preferences.set_share_notes(actor, share)
        except Exception as exc:
            log.error("saving settings failed", exc_info=exc)
            await ack(response_action="errors", errors={ZONE: BROKEN})
            return
        await ack()
        try:
            await self._say(client, body, preferences.user_settings(user), coaching.share_notes(shared))
        except Exception as exc:  # noqa: BLE001 - reported to the user and logged
            await self.listeners.report(client, body, exc)

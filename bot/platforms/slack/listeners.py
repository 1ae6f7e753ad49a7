"""Slack's requests to the core: slash commands, clicks on the bot's buttons and modal submissions.

Every listener acks first (a modal submission acks with its validation errors), then works; every one catches
its errors and tells the user privately, since Bolt drops an ack when a listener raises just after it. A new
user's time zone comes from their Slack profile (users.info → tz), kept as chosen."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.content import follow_ups as follow_up_content
from bot.content import interviews as interview_content
from bot.content import notices
from bot.content import settings as settings_content
from bot.content.message import ActionKind, Form, Message
from bot.domain import text
from bot.domain.errors import InvalidInput, UserError
from bot.platforms.slack import ephemeral, modals, render
from bot.ports.clock import Clock
from bot.usecases.actors import Accounts, Actor
from bot.usecases.follow_ups import FollowUpChange, FollowUpService
from bot.usecases.groups import GroupService
from bot.usecases.interviews import InterviewService
from bot.usecases.preferences import Preferences
from bot.usecases.your_data import YourData

log = logging.getLogger(__name__)

PLATFORM = "slack"
LOG_INTERVIEW = "ft:log_interview"
FORM_CALLBACKS = {
    ActionKind.LOG_CALL: "ft:log_call",
    ActionKind.RECORD_FEEDBACK: "ft:feedback",
    ActionKind.RECORD_ANSWERS: "ft:answers",
}
# The input a form's error goes under when it is not about a text's length or absence: the time it reads.
TIME_INPUT = {LOG_INTERVIEW: "when", "ft:log_call": "next_check_back", "ft:answers": "check_back"}
BROKEN = "Something went wrong on my side; please try again in a moment."
NOT_YET = "That action is not available on Slack yet."

Subcommand = Callable[[str, str, Mapping[str, Any], AsyncWebClient], Awaitable[None]]  # (sub, rest of the text)
Click = Callable[[render.Clicked, Mapping[str, Any], AsyncWebClient], Awaitable[None]]
Changed = Callable[[AsyncWebClient, Mapping[str, Any], Message], Awaitable[None]]


def user_message(exc: UserError) -> str:
    """The refusal as plain text (modal errors are plain; `tell` escapes it for mrkdwn), commands named as on Slack."""
    return render.plain(notices.refusal(exc))


def actor_of(body: Mapping[str, Any], workspace: str | None) -> Actor:
    """Who typed or clicked: their Slack user id, in the workspace the app is installed in (auth.test's team;
    the request's own team until that is known)."""
    user = body.get("user")
    user_id = user["id"] if isinstance(user, dict) else body["user_id"]
    if workspace is None:
        team = body.get("team")
        workspace = team["id"] if isinstance(team, dict) else body.get("team_id")
    return Actor(PLATFORM, str(user_id), workspace)


class FieldError(InvalidInput):
    """Bad input this layer found itself, under the input `key`."""

    def __init__(self, key: str, template: str) -> None:
        super().__init__(template)
        self.key = key


def field_errors(form: Form, answers: Mapping[str, str], exc: UserError, time_input: str | None) -> dict[str, str]:
    """The core's refusal under the input it is about: the one it names, a text that is missing or too long,
    else the time."""
    if isinstance(exc, FieldError):
        return {exc.key: user_message(exc)}
    if exc.about in {question.key for question in form.inputs}:
        return {str(exc.about): user_message(exc)}
    for question in form.inputs:
        try:
            if question.required:
                text.required(answers[question.key], question.label, question.limit, multiline=question.long)
            else:
                text.optional(answers[question.key], question.label, question.limit, multiline=question.long)
        except InvalidInput:
            return {question.key: user_message(exc)}
    return {time_input or form.inputs[0].key: user_message(exc)}


@dataclass
class Core:
    """The use cases the listeners call, and what they need besides."""

    accounts: Accounts
    interviews: InterviewService
    follow_ups: FollowUpService
    preferences: Preferences
    clock: Clock
    your_data: YourData
    groups: GroupService | None = None  # set by the app once coaching is built (it needs every platform)


class Listeners:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.workspace: str | None = None  # the installation's team, from auth.test at start
        self.subcommands: dict[str, Subcommand] = {}  # /interview's others, by their first word
        self.clicks: dict[ActionKind, Click] = {}  # the actions other modules answer
        self.listed: Changed | None = None  # shows a follow-up done or snoozed from the /followups list

    def actor(self, body: Mapping[str, Any]) -> Actor:
        return actor_of(body, self.workspace)

    def register(self, app: AsyncApp) -> None:
        app.command("/interview")(self.interview)
        app.action(re.compile("^ft:"))(self.action)
        app.view(LOG_INTERVIEW)(self.log_interview)
        for callback in FORM_CALLBACKS.values():
            app.view(callback)(self.form_submitted)

    # -- shared ---------------------------------------------------------------------------------------------

    async def ensure_user(self, client: AsyncWebClient, actor: Actor) -> None:
        """A user seen for the first time gets the zone of their Slack profile, as if they had chosen it."""
        if await self.core.accounts.find(actor) is not None:
            return
        try:
            info = await client.users_info(user=actor.external_id)
            zone = info["user"].get("tz")
            if zone and await self.core.accounts.find(actor) is None:  # they may have chosen one meanwhile
                await self.core.preferences.set_timezone(actor, str(zone))
        except (SlackApiError, InvalidInput) as exc:  # no profile zone, or one we cannot use: the default
            log.info("no usable Slack zone for %s: %s", actor.external_id, exc)

    async def tell(self, client: AsyncWebClient, body: Mapping[str, Any], said: str) -> None:
        """A private note to the user where they acted (or in their DM with the bot)."""
        actor = self.actor(body)
        try:
            await ephemeral.say(client, body, actor, render.escape(said))
        except SlackApiError:
            log.exception("could not tell %s: %s", actor.external_id, said)

    async def report(self, client: AsyncWebClient, body: Mapping[str, Any], exc: Exception) -> None:
        if isinstance(exc, UserError):
            await self.tell(client, body, user_message(exc))
        else:
            log.error("a Slack request failed", exc_info=exc)
            await self.tell(client, body, BROKEN)

    # -- /interview -------------------------------------------------------------------------------------------

    async def interview(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        try:
            sub = render.unescape((body.get("text") or "").strip()).split(maxsplit=1)
            if sub and sub[0].lower() != "add":
                handler = self.subcommands.get(sub[0].lower())
                if handler is None:
                    words = ("`/interview`", *(f"`/interview {word}`" for word in self.subcommands))
                    unknown = settings_content.unknown(f"/interview {sub[0]}", tuple((w,) for w in words))
                    await ephemeral.post(client, body, self.actor(body), unknown)
                else:
                    await handler(sub[0].lower(), sub[1] if len(sub) > 1 else "", body, client)
                return
            await self.open_log_interview(client, body, {"channel": body["channel_id"]})
        except Exception as exc:  # noqa: BLE001 - reported to the user and logged
            await self.report(client, body, exc)

    async def open_log_interview(
        self, client: AsyncWebClient, body: Mapping[str, Any], context: modals.Context
    ) -> None:
        """The Log interview modal (from /interview or a Log interview button); the result is posted privately
        in the context's channel, else in the user's DM with the bot."""
        view = modals.modal(interview_content.log_interview_form(), LOG_INTERVIEW, context)
        await client.views_open(trigger_id=body["trigger_id"], view=view)  # the trigger lives 3 s: first
        await self.ensure_user(client, self.actor(body))

    async def log_interview(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        form = interview_content.log_interview_form()
        view = body["view"]
        answers = modals.answers(form, view)
        actor = self.actor(body)
        try:
            await self.ensure_user(client, actor)
            planned = await self.core.interviews.record_interview(
                actor,
                answers["company"],
                answers["role"],
                answers["when"],
                answers["interviewer"] or None,
                answers["contact"] or None,
                answers["notes"] or None,
            )
        except UserError as exc:
            await ack(modals.errors(form, field_errors(form, answers, exc, TIME_INPUT[LOG_INTERVIEW])))
            return
        except Exception as exc:
            log.error("logging an interview failed", exc_info=exc)
            await ack(modals.errors(form, {"company": BROKEN}))
            return
        await ack()
        try:
            logged = interview_content.interview_logged(planned, self.core.clock.now())
            await ephemeral.post(client, body, actor, logged)
        except Exception as exc:  # noqa: BLE001 - reported to the user and logged
            await self.report(client, body, exc)

    # -- buttons ----------------------------------------------------------------------------------------------

    async def action(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        try:
            await self._act(body, client)
        except Exception as exc:  # noqa: BLE001 - reported to the user and logged
            await self.report(client, body, exc)

    async def _act(self, body: dict[str, Any], client: AsyncWebClient) -> None:
        pressed = body["actions"][0]
        chosen = pressed.get("value") or (pressed.get("selected_option") or {}).get("value") or ""
        clicked = render.decode(pressed["action_id"], chosen)
        actor = self.actor(body)
        match clicked.kind:
            case ActionKind.DONE:
                done = await self.core.follow_ups.complete(actor, clicked.target)
                await self._update(client, body, follow_up_content.done(done))
            case ActionKind.SNOOZE | ActionKind.SNOOZE_FOR:
                by = timedelta(seconds=int(clicked.choice)) if clicked.kind is ActionKind.SNOOZE_FOR else None
                if clicked.kind is ActionKind.SNOOZE_FOR and not clicked.choice.isdigit():
                    raise InvalidInput("Pick how long to snooze from the list.")
                snoozed = await self.core.follow_ups.snooze(actor, clicked.target, by)
                await self._update(client, body, follow_up_content.snoozed(snoozed))
            case ActionKind.LOG_CALL | ActionKind.RECORD_FEEDBACK | ActionKind.RECORD_ANSWERS:
                change = await self.core.follow_ups.follow_up_context(actor, clicked.target)
                await self._open_form(client, body, clicked.kind, change)
            case kind if kind in self.clicks:
                await self.clicks[kind](clicked, body, client)
            case _:
                await self.tell(client, body, NOT_YET)

    async def _update(self, client: AsyncWebClient, body: Mapping[str, Any], message: Message) -> None:
        """The clicked message, re-rendered in place: its buttons that no longer apply are gone. An ephemeral one
        (the /followups list; chat.update cannot reach it) shows what was done over the list as it is now."""
        container = body["container"]
        if container.get("is_ephemeral") and self.listed is not None:
            await self.listed(client, body, message)
            return
        said = render.render(message)
        await client.chat_update(
            channel=container["channel_id"], ts=container["message_ts"], text=said.text, blocks=said.blocks
        )

    async def _open_form(
        self, client: AsyncWebClient, body: Mapping[str, Any], kind: ActionKind, change: FollowUpChange
    ) -> None:
        title = change.interview.title
        form = _form(kind, title)
        container = body.get("container") or {}
        context: dict[str, str | int] = {"interview": change.interview.id, "title": title}
        if container.get("type") == "message" and not container.get("is_ephemeral"):
            context |= {"channel": container["channel_id"], "ts": container["message_ts"]}
        await client.views_open(trigger_id=body["trigger_id"], view=modals.modal(form, FORM_CALLBACKS[kind], context))

    # -- the nudges' forms ------------------------------------------------------------------------------------

    async def form_submitted(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        view = body["view"]
        callback = view["callback_id"]
        kind = next(k for k, c in FORM_CALLBACKS.items() if c == callback)
        form = _form(kind, "")
        answers = modals.answers(form, view)
        context: dict[str, Any] = {}
        try:
            context = modals.context(view)
            result = await self._record(kind, self.actor(body), str(context["interview"]), answers)
        except UserError as exc:
            await ack(modals.errors(form, field_errors(form, answers, exc, TIME_INPUT.get(callback))))
            return
        except Exception as exc:
            log.error("a form failed", exc_info=exc)
            await ack(modals.errors(form, {form.inputs[0].key: BROKEN}))
            return
        await ack()
        try:
            said = render.render(result)
            if isinstance(context.get("channel"), str) and isinstance(context.get("ts"), str):
                await client.chat_update(
                    channel=context["channel"], ts=context["ts"], text=said.text, blocks=said.blocks
                )
            else:
                dm = (await client.conversations_open(users=self.actor(body).external_id))["channel"]["id"]
                await client.chat_postMessage(channel=dm, text=said.text, blocks=said.blocks)
        except Exception as exc:  # noqa: BLE001 - reported to the user and logged
            await self.report(client, body, exc)

    async def _record(self, kind: ActionKind, actor: Actor, interview: str, answers: Mapping[str, str]) -> Message:
        interviews = self.core.interviews
        if kind is ActionKind.LOG_CALL:
            called = await interviews.log_check_in(
                actor, interview, answers["heard"], answers["next_check_back"] or None
            )
            return interview_content.check_in_logged(called)
        if kind is ActionKind.RECORD_FEEDBACK:
            saved = await interviews.record_feedback(actor, interview, answers["feedback"])
            return interview_content.feedback_recorded(saved.interview, saved.feedback)
        candidates = answers["candidates"].strip()
        if candidates and not candidates.isdigit():
            raise FieldError("candidates", interview_content.CANDIDATES_NOT_A_NUMBER)
        steps = await interviews.record_next_steps(
            actor,
            interview,
            answers["check_back"] or None,
            int(candidates) if candidates else None,
            answers["decision"] or None,
            answers["rounds"] or None,
        )
        return interview_content.next_steps_recorded(steps)


def _form(kind: ActionKind, title: str) -> Form:
    if kind is ActionKind.LOG_CALL:
        return interview_content.log_call_form(title)
    if kind is ActionKind.RECORD_FEEDBACK:
        return interview_content.feedback_form(title)
    return interview_content.next_steps_form(title)

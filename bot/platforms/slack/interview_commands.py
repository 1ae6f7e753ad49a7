"""/interview next|call|outcome|feedback|edit|delete|reopen [company] as modals with a select of the user's own
interviews (delete then asks with Delete it / Keep it; Use … instead moves one to the other reading of a day, each
answered in place), /interview list [all] and /followups as private lists paged through the click's response_url
(an ephemeral message cannot be chat.updated), and Add to calendar: the .ics uploaded into the user's DM with the bot
(files cannot be attached to ephemeral messages)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.models.blocks import InputBlock, PlainTextObject, StaticSelectElement
from slack_sdk.models.blocks import Option as SlackOption
from slack_sdk.web.async_client import AsyncWebClient

from bot.content import follow_ups as follow_up_content
from bot.content import interviews as interview_content
from bot.content import your_data
from bot.content.message import ActionKind, Form, Message
from bot.content.notices import BAD_OPTION
from bot.domain import dates
from bot.domain.errors import InvalidInput, NotFound, UserError
from bot.platforms.slack import ephemeral, modals, render
from bot.platforms.slack.listeners import BROKEN, FieldError, Listeners, field_errors, user_message
from bot.platforms.slack.render import Clicked
from bot.usecases.actors import Actor

log = logging.getLogger(__name__)

CHOICES = 100  # the most options a static select takes
PICK = "interview"  # the select's block_id and action_id
RESULT = "result"
PICK_LABEL = "Interview"
RESULT_LABEL = "Result"
PICK_FIRST = "Pick the interview from the list."
PICK_RESULT = "Pick the result from the list."


@dataclass(frozen=True, slots=True)
class Picked:
    """One of the modals that acts on an interview the user picks."""

    callback: str
    form: Callable[[str], Form]
    include_closed: bool
    time_input: str  # where a refusal that is not about a text's length goes
    closed_only: bool = False


PICKED = {
    "next": Picked("ft:iv_next", interview_content.next_steps_form, False, "check_back"),
    "call": Picked("ft:iv_call", interview_content.log_call_form, False, "next_check_back"),
    "outcome": Picked("ft:iv_outcome", interview_content.outcome_form, True, PICK),
    "feedback": Picked("ft:iv_feedback", interview_content.feedback_form, True, PICK),
    "edit": Picked("ft:iv_edit", interview_content.edit_form, True, "when"),
    "delete": Picked("ft:iv_delete", interview_content.delete_form, True, PICK),
    "reopen": Picked("ft:iv_reopen", interview_content.reopen_form, True, PICK, closed_only=True),
}
LISTS = ("followups", "interviews", "everything")  # what a page button may name


def _select(action_id: str, options: list[SlackOption], initial: SlackOption | None, label: str) -> InputBlock:
    element = StaticSelectElement(action_id=action_id, options=options, initial_option=initial)
    return InputBlock(block_id=action_id, label=PlainTextObject(text=label), element=element)


def _chosen(view: Mapping[str, Any], key: str) -> str:
    state = view.get("state", {}).get("values", {}).get(key, {}).get(key, {})
    return str((state.get("selected_option") or {}).get("value") or "")


class InterviewCommands:
    def __init__(self, listeners: Listeners) -> None:
        self.listeners = listeners
        self.core = listeners.core

    def register(self, app: AsyncApp) -> None:
        for sub in PICKED:
            self.listeners.subcommands[sub] = self.open_picked
        self.listeners.subcommands["list"] = self.post_list
        self.listeners.listed = self.follow_up_changed
        self.listeners.clicks[ActionKind.PAGE] = self.turn_page
        self.listeners.clicks[ActionKind.ADD_TO_CALENDAR] = self.add_to_calendar
        self.listeners.clicks[ActionKind.MOVE_INTERVIEW] = self.move
        self.listeners.clicks[ActionKind.DELETE_INTERVIEW] = self.delete_or_keep
        self.listeners.clicks[ActionKind.KEEP_INTERVIEW] = self.delete_or_keep
        app.command("/followups")(self.followups)
        for picked in PICKED.values():
            app.view(picked.callback)(self.submitted)

    # -- modals -----------------------------------------------------------------------------------------------

    async def open_picked(self, sub: str, typed: str, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        picked = PICKED[sub]
        actor = self.listeners.actor(body)
        interviews = self.core.interviews
        choices = await interviews.interview_choices(actor, "", CHOICES, include_closed=picked.include_closed)
        if picked.closed_only:
            choices = [c for c in choices if c.outcome is not None]
            if not choices:
                await ephemeral.post(client, body, actor, interview_content.nothing_to_reopen())
                return
        if not choices:  # nothing to pick: their (empty) list says how to log one
            await self.post_list("list", "", body, client)
            return
        named = await interviews.interview_choices(actor, typed, 1, include_closed=picked.include_closed)
        zone = await self.core.preferences.zone(actor)
        options = []
        for item in choices:
            suffix = f", {dates.day_time(item.scheduled_at, zone)}"  # two rounds on one day differ by their time
            options.append(
                SlackOption(text=render.clip(item.title, render.OPTION - len(suffix)) + suffix, value=str(item.id))
            )
        initial = next((o for o in options if typed and named and o.value == str(named[0].id)), None)
        if len(options) == 1:  # the only one there is (delete still asks before it deletes)
            initial = options[0]
        form = picked.form("")
        extra = [_select(PICK, options, initial, PICK_LABEL)]
        if sub == "outcome":
            results = [SlackOption(text=r.capitalize(), value=r) for r in interview_content.OUTCOMES]
            extra.append(_select(RESULT, results, None, RESULT_LABEL))
        title = replace(form, title=form.title.removesuffix(": "))
        view = modals.modal(title, picked.callback, {"channel": body["channel_id"]}, extra)
        await client.views_open(trigger_id=body["trigger_id"], view=view)  # the trigger lives 3 s: first
        await self.listeners.ensure_user(client, actor)

    async def submitted(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        view = body["view"]
        sub, picked = next((s, p) for s, p in PICKED.items() if p.callback == view["callback_id"])
        form = picked.form("")
        answers = modals.answers(form, view)
        actor = self.listeners.actor(body)
        try:
            interview = _chosen(view, PICK)
            if not interview.isdigit():
                raise FieldError(PICK, PICK_FIRST)
            result, call = await self._record(sub, actor, interview, answers, _chosen(view, RESULT))
        except UserError as exc:
            where = {PICK: user_message(exc)} if isinstance(exc, NotFound) else None
            await ack(
                {"response_action": "errors", "errors": where or field_errors(form, answers, exc, picked.time_input)}
            )
            return
        except Exception as exc:
            log.error("a Slack /interview form failed", exc_info=exc)
            await ack({"response_action": "errors", "errors": {PICK: BROKEN}})
            return
        await ack()
        try:
            await ephemeral.post(client, body, actor, result)
            if call is not None:  # the agreed call for the user's calendar, as on Discord
                await self._send_ics(client, actor, call, "check-in-call.ics")
        except Exception as exc:  # noqa: BLE001 - reported to the user and logged
            await self.listeners.report(client, body, exc)

    async def _record(
        self, sub: str, actor: Actor, interview: str, answers: Mapping[str, str], result: str
    ) -> tuple[Message, int | None]:
        """What the form recorded, and the check-in call it planned (for the calendar) if any."""
        interviews = self.core.interviews
        if sub == "call":
            called = await interviews.log_check_in(
                actor, interview, answers["heard"], answers["next_check_back"] or None
            )
            return interview_content.check_in_logged(called), None
        if sub == "feedback":
            saved = await interviews.record_feedback(actor, interview, answers["feedback"])
            return interview_content.feedback_recorded(saved.interview, saved.feedback), None
        if sub == "edit":
            edited = await interviews.edit_interview(
                actor,
                interview,
                company=answers["company"] or None,
                role=answers["role"] or None,
                when=answers["when"] or None,
                interviewer=answers["interviewer"] or None,
                contact=answers["contact"] or None,
                notes=answers["notes"] or None,
            )
            return interview_content.interview_edited(edited, self.core.clock.now()), None
        if sub == "delete":
            found = await interviews.find_interview(actor, interview, open_only=False)
            open_items = [f for f in await self.core.follow_ups.open_follow_ups(actor) if f.interview.id == found.id]
            return interview_content.confirm_delete(found, len(open_items)), None
        if sub == "reopen":
            reopened = await interviews.reopen_interview(actor, interview)
            return interview_content.interview_reopened(reopened, self.core.clock.now()), None
        if sub == "outcome":
            if result not in interview_content.OUTCOMES:
                raise FieldError(RESULT, PICK_RESULT)
            recorded = await interviews.record_outcome(actor, interview, result, answers["notes"] or None)
            return interview_content.outcome_recorded(recorded), None
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
        return interview_content.next_steps_recorded(steps), steps.check_in.id

    # -- lists ------------------------------------------------------------------------------------------------

    async def followups(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        try:
            await self.post_list("followups", "", body, client)
        except Exception as exc:  # noqa: BLE001 - reported to the user and logged
            await self.listeners.report(client, body, exc)

    async def post_list(self, sub: str, typed: str, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        actor = self.listeners.actor(body)
        await self.listeners.ensure_user(client, actor)  # listing creates the user: with their profile's zone
        listing = sub if sub == "followups" else "everything" if typed.strip().lower() == "all" else "interviews"
        await ephemeral.post(client, body, actor, *await self._list(actor, listing, 0))

    async def _list(self, actor: Actor, listing: str, page: int) -> list[Message]:
        """One page of a list, built from the user's data now; follow-ups each with Done and Snooze."""
        now = self.core.clock.now()
        if listing == "followups":
            items = await self.core.follow_ups.open_follow_ups(actor)
            return list(follow_up_content.follow_up_page(items, now, page, render.PAGER))
        summaries = await self.core.interviews.list_interviews(actor, include_closed=listing == "everything")
        return [interview_content.interview_list(summaries, now, page, render.PAGER, listing)]

    async def follow_up_changed(self, client: AsyncWebClient, body: Mapping[str, Any], message: Message) -> None:
        """Done or Snooze pressed in the /followups list: what was done, over the list as it is now, in place."""
        listed = await self._list(self.listeners.actor(body), "followups", 0)
        await self._in_place(client, body, message, *listed)

    async def turn_page(self, clicked: Clicked, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        if clicked.choice not in LISTS:
            raise NotFound(PICK_FIRST)
        actor = self.listeners.actor(body)
        await self._in_place(client, body, *await self._list(actor, clicked.choice, clicked.page))

    async def _in_place(self, client: AsyncWebClient, body: Mapping[str, Any], *messages: Message) -> None:
        """The clicked message replaced by `messages`: an ephemeral one through the click's response_url, which
        may be stale (30 minutes, five uses): then they are posted anew."""
        container = body.get("container") or {}
        said = render.render(*messages)
        if container.get("type") == "message" and not container.get("is_ephemeral"):
            await client.chat_update(
                channel=container["channel_id"], ts=container["message_ts"], text=said.text, blocks=said.blocks
            )
            return
        await ephemeral.replace(client, body, self.listeners.actor(body), *messages)

    # -- fixing one interview ---------------------------------------------------------------------------------

    async def move(self, clicked: Clicked, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        """Use … instead: the other reading of a bare weekday, while the interview is still where it was."""
        if clicked.at is None:
            raise InvalidInput(BAD_OPTION)
        actor = self.listeners.actor(body)
        moved = await self.core.interviews.move_interview(actor, clicked.target, clicked.at, clicked.offered_for)
        await self._in_place(client, body, interview_content.interview_edited(moved, self.core.clock.now()))

    async def delete_or_keep(self, clicked: Clicked, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        """The answer to "Delete …?" (Slack's confirm dialog asked once more before Delete it)."""
        actor = self.listeners.actor(body)
        interviews = self.core.interviews
        if clicked.kind is ActionKind.DELETE_INTERVIEW:
            deleted = await interviews.delete_interview(actor, clicked.target)
            said = interview_content.interview_deleted(deleted.interview, deleted.follow_ups)
        else:
            kept = await interviews.find_interview(actor, str(clicked.target), open_only=False)
            said = interview_content.delete_kept(kept.title)
        await self._in_place(client, body, said)

    # -- files ------------------------------------------------------------------------------------------------

    async def add_to_calendar(self, clicked: Clicked, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        await self._send_ics(client, self.listeners.actor(body), clicked.target, "follow-up.ics")

    async def _send_ics(self, client: AsyncWebClient, actor: Actor, follow_up: int, name: str) -> None:
        """One follow-up's .ics, uploaded into the user's DM with the bot."""
        data = await self.core.follow_ups.calendar(actor, follow_up)
        dm = (await client.conversations_open(users=actor.external_id))["channel"]["id"]
        await client.files_upload_v2(
            channel=dm, content=data, filename=name, title=name, initial_comment=your_data.ONE_IN_CALENDAR
        )

"""/followthrough coach …: a coach's groups, invites, rosters, seekers, digest and export on Slack. Every reply
is ephemeral; only `invite` posts in the channel (the group, the coach and a Join button: never a seeker's data).

A command that names a seeker (`seeker`, `nudge`, `remove`) opens a modal whose select lists the seekers on
the coach's rosters by their user id in our database, not Slack's member list: a group may span platforms, so
a Slack coach picks a seeker who uses Discord the same way (and the nudge goes out on Discord). Roster pages
and the delete prompt are ephemeral messages, changed in place through the click's response_url."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import InputBlock, PlainTextObject, StaticSelectElement, UserSelectElement
from slack_sdk.models.blocks import Option as SlackOption
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.content import coaching, your_data
from bot.content import settings as settings_content
from bot.content.message import ActionKind, Form, Message, Text, UserText
from bot.content.notices import BAD_OPTION
from bot.content.roster_csv import roster_csv
from bot.domain import text
from bot.domain.coaching import next_slot
from bot.domain.errors import InvalidInput, NotFound, UserError
from bot.platforms.slack import ephemeral, modals, render
from bot.platforms.slack.home import shown
from bot.platforms.slack.listeners import BROKEN, PLATFORM, FieldError, Listeners, field_errors, user_message
from bot.platforms.slack.render import Clicked
from bot.ports.senders import DeliveryStatus
from bot.usecases.actors import Actor
from bot.usecases.coach_access import NO_GROUPS
from bot.usecases.groups import ALREADY_COACHES, GroupService
from bot.usecases.roster import RosterService

log = logging.getLogger(__name__)

PREFIX = "/followthrough coach"
USAGE = {  # how each word is typed; coaching.COACH_ACTIONS says what it does
    "create": f"{PREFIX} create NAME",
    "invite": f"{PREFIX} invite [group]",
    "new-code": f"{PREFIX} new-code [group]",
    "add-coach": f"{PREFIX} add-coach @someone [group]",
    "roster": f"{PREFIX} roster [group]",
    "seeker": f"{PREFIX} seeker [name]",
    "nudge": f"{PREFIX} nudge [name]",
    "remove": f"{PREFIX} remove [name]",
    "delete": f"{PREFIX} delete [group]",
    "digest": f"{PREFIX} digest [day|off] [HH:MM]",
    "export": f"{PREFIX} export [group]",
}
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")  # how Slack sends a picked @someone in command text
ADD_COACH_EXAMPLE = f"{PREFIX} add-coach @dee"
PICK = "seeker"  # the select's block_id and action_id
ADD_COACH, WHO, GROUP = "ft:coach_add", "who", "group"  # the add-coach modal and its inputs
CHOICES = 100  # the most options a static select takes


@dataclass(frozen=True, slots=True)
class Picked:
    """A modal that acts on a seeker picked from the roster."""

    callback: str
    form: Form
    submit: str
    co_coaches: bool  # remove also lists the co-coaches of the groups the coach owns


PICKED = {
    "seeker": Picked("ft:coach_seeker", coaching.SEEKER_FORM, coaching.SHOW, False),
    "nudge": Picked("ft:coach_nudge", coaching.NUDGE_FORM, coaching.SEND, False),
    "remove": Picked("ft:coach_remove", coaching.REMOVE_FORM, coaching.REMOVE, True),
}

Word = Callable[[str, str, Mapping[str, Any], AsyncWebClient], Awaitable[None]]  # (the word, what follows it, ...)


def _chosen(view: Mapping[str, Any], key: str = PICK, kind: str = "selected_option") -> str:
    state = view.get("state", {}).get("values", {}).get(key, {}).get(key, {})
    picked = state.get(kind) or ""  # an option ({"value": …}), or a user id
    if isinstance(picked, dict):
        picked = picked.get("value") or ""
    return str(picked)


def _option(label: Text, value: int, groups: tuple[str, ...] = ()) -> SlackOption:
    description = render.clip(", ".join(groups), render.OPTION) if groups else None
    return SlackOption(text=render.clip(render.plain(label), render.OPTION), value=str(value), description=description)


class CoachCommands:
    def __init__(self, listeners: Listeners) -> None:
        self.listeners = listeners
        self.core = listeners.core
        self._groups: GroupService | None = None  # set by the app once coaching is built (see SlackPlatform)
        self._roster: RosterService | None = None
        self.words: dict[str, Word] = {
            "create": self.create,
            "invite": self.invite,
            "new-code": self.new_code,
            "add-coach": self.add_coach,
            "roster": self.roster_list,
            "seeker": self.open_picked,
            "nudge": self.open_picked,
            "remove": self.open_picked,
            "delete": self.delete,
            "digest": self.digest,
            "export": self.export,
        }

    def use(self, groups: GroupService, roster: RosterService) -> None:
        self._groups, self._roster = groups, roster

    @property
    def groups(self) -> GroupService:
        assert self._groups is not None, "use() first"
        return self._groups

    @property
    def roster(self) -> RosterService:
        assert self._roster is not None, "use() first"
        return self._roster

    def register(self, app: AsyncApp) -> None:
        self.listeners.clicks[ActionKind.ROSTER_PAGE] = self.turn_page
        self.listeners.clicks[ActionKind.DELETE_GROUP] = self.delete_clicked
        for picked in PICKED.values():
            app.view(picked.callback)(self.submitted)
        app.view(ADD_COACH)(self.add_coach_submitted)

    async def command(self, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        """/followthrough coach [word] [rest] (acked and guarded by /followthrough's listener)."""
        typed = (body.get("text") or "").strip().split(maxsplit=1)[1:]
        word, _, rest = (typed[0] if typed else "").partition(" ")
        if not word:
            await self._say(client, body, coaching.coach_menu(USAGE))
            return
        run = self.words.get(word.lower())
        if run is None:
            known: tuple[Text, ...] = tuple((f"`{usage}`",) for usage in USAGE.values())
            await self._say(client, body, settings_content.unknown(f"{PREFIX} {typed[0]}", known))
            return
        await run(word.lower(), render.unescape(rest.strip()), body, client)

    # -- shared -----------------------------------------------------------------------------------------------

    async def _say(self, client: AsyncWebClient, body: Mapping[str, Any], *messages: Message) -> None:
        """Privately where the coach typed (ephemeral.post: the response_url first, which works in any channel)."""
        await ephemeral.post(client, body, self.listeners.actor(body), *messages)

    async def _replace(self, client: AsyncWebClient, body: Mapping[str, Any], message: Message) -> None:
        """The clicked ephemeral message, replaced (ephemeral.replace: its response_url, else shown anew)."""
        await ephemeral.replace(client, body, self.listeners.actor(body), message)

    async def _name(self, client: AsyncWebClient, user_id: str) -> str:
        """How Slack shows the user: their display name, else their full name, else their handle."""
        user = (await client.users_info(user=user_id))["user"]
        profile = user.get("profile") or {}
        return str(profile.get("display_name") or profile.get("real_name") or user.get("real_name") or user["name"])

    @staticmethod
    def _ref(rest: str) -> str | None:
        """The group named after the word (its id or name), or None."""
        return rest or None

    # -- groups -----------------------------------------------------------------------------------------------

    async def create(self, word: str, rest: str, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        actor = self.listeners.actor(body)
        await self.listeners.ensure_user(client, actor)  # the digest is planned at a local hour: their zone first
        group = await self.groups.create_group(actor, rest, await self._name(client, actor.external_id))
        await self._say(client, body, coaching.group_created(group))

    async def invite(self, word: str, rest: str, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        """The group's invite, posted for everyone in the channel through the command's response_url (which
        works in any channel the command was typed in, whether or not the bot is a member)."""
        actor = self.listeners.actor(body)
        group = await self.groups.coached_group(actor, self._ref(rest))
        if str(body.get("channel_id", "")).startswith("D") or body.get("channel_name") == "directmessage":
            raise InvalidInput(coaching.INVITE_IN_A_CHANNEL)
        said = render.render(coaching.invite_post(group, await self._name(client, actor.external_id)))
        sent = await AsyncWebhookClient(body["response_url"]).send(
            text=said.text, blocks=said.blocks, response_type="in_channel"
        )
        if sent.status_code != HTTPStatus.OK:
            raise RuntimeError(f"the invite could not be posted: {sent.status_code} {sent.body}")

    async def new_code(self, word: str, rest: str, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        group = await self.groups.new_invite(self.listeners.actor(body), self._ref(rest))
        await self._say(client, body, coaching.new_invite(group))

    async def add_coach(self, word: str, rest: str, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        """`add-coach @dee [group]`; alone, a modal with Slack's own user picker."""
        actor = self.listeners.actor(body)
        if not rest:
            await self._open_add_coach(actor, body, client)
            return
        mention = MENTION.match(rest)
        if mention is None:
            raise InvalidInput(coaching.MENTION_NEEDED, example=ADD_COACH_EXAMPLE)
        group_ref = rest[mention.end() :].strip() or None
        await self.groups.coached_group(actor, group_ref)  # a coach of that group, before anyone is looked up
        try:
            found = (await client.users_info(user=mention[1]))["user"]
        except SlackApiError as exc:
            raise InvalidInput(coaching.NO_SUCH_MEMBER, example=ADD_COACH_EXAMPLE) from exc
        if found.get("is_bot") or found.get("deleted"):
            raise InvalidInput(coaching.NO_SUCH_MEMBER, example=ADD_COACH_EXAMPLE)
        member = Actor(PLATFORM, mention[1], actor.workspace)
        await self.listeners.ensure_user(client, member)  # their digest at their profile's local hour
        name = await self._name(client, mention[1])
        group = await self.groups.add_coach(actor, group_ref, member, name)
        await self._say(client, body, coaching.coach_added(group, name))

    async def _open_add_coach(self, actor: Actor, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        groups = await self.groups.coached_groups(actor)
        if not groups:
            raise NotFound(NO_GROUPS)
        blocks = [
            InputBlock(block_id=WHO, label=PlainTextObject(text=coaching.WHO), element=UserSelectElement(action_id=WHO))
        ]
        if len(groups) > 1:
            options = [SlackOption(text=render.clip(g.name, render.OPTION), value=str(g.id)) for g in groups]
            blocks.append(
                InputBlock(
                    block_id=GROUP,
                    label=PlainTextObject(text=coaching.WHICH_GROUP),
                    element=StaticSelectElement(action_id=GROUP, options=options[:CHOICES]),
                )
            )
        view = modals.modal(coaching.ADD_COACH_FORM, ADD_COACH, {"channel": str(body["channel_id"])}, blocks)
        view["submit"] = PlainTextObject(text=coaching.ADD).to_dict()
        await client.views_open(trigger_id=body["trigger_id"], view=view)

    async def add_coach_submitted(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        """Checked before the ack (the person, the group, not a co-coach already); the members' DMs go after it."""
        view = body["view"]
        actor = self.listeners.actor(body)
        who, group_ref = _chosen(view, WHO, "selected_user"), _chosen(view, GROUP) or None
        where = GROUP if group_ref else WHO  # the input a refusal goes under
        try:
            group = await self.groups.coached_group(actor, group_ref)
            where = WHO
            found = (await client.users_info(user=who))["user"]
            if found.get("is_bot") or found.get("deleted"):
                raise InvalidInput(coaching.NOT_A_PERSON)
            member = Actor(PLATFORM, who, actor.workspace)
            if any(g.id == group.id for g in await self.groups.coached_groups(member)):
                raise InvalidInput(ALREADY_COACHES, member=await self._name(client, who), group=group.name)
        except UserError as exc:
            await ack(response_action="errors", errors={where: user_message(exc)})
            return
        except Exception as exc:
            log.error("a Slack add-coach form failed", exc_info=exc)
            await ack(response_action="errors", errors={WHO: BROKEN})
            return
        await ack()
        try:
            await self.listeners.ensure_user(client, member)
            name = await self._name(client, who)
            added = await self.groups.add_coach(actor, str(group.id), member, name)
            await self._say(client, body, coaching.coach_added(added, name))
        except Exception as exc:  # noqa: BLE001 - reported to the user and logged
            await self.listeners.report(client, body, exc)

    async def delete(self, word: str, rest: str, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        """The prompt, with a Danger button behind Slack's own confirm dialog; nothing changes yet."""
        asked_at = self.core.clock.now()
        group = await self.groups.group_to_delete(self.listeners.actor(body), self._ref(rest))
        await self._say(client, body, coaching.delete_prompt(group, asked_at))

    async def delete_clicked(self, clicked: Clicked, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        if clicked.at is None:
            raise InvalidInput(BAD_OPTION)
        gone = await self.groups.delete_group(self.listeners.actor(body), clicked.target, clicked.at)
        await self._replace(client, body, coaching.group_deleted(gone))

    # -- rosters and the digest ---------------------------------------------------------------------------------

    async def roster_list(self, word: str, rest: str, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        for roster in await self.roster.rosters(self.listeners.actor(body), self._ref(rest)):
            await self._say(client, body, coaching.roster_page(roster, 0))

    async def turn_page(self, clicked: Clicked, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        roster = await self.roster.roster(self.listeners.actor(body), clicked.target)
        await self._replace(client, body, coaching.roster_page(roster, clicked.page))

    async def digest(self, word: str, rest: str, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        """Bare: when it comes. `digest friday 08:00` or `digest off` changes it (read in the coach's zone)."""
        actor = self.listeners.actor(body)
        day, _, at = rest.partition(" ")
        if day:
            await self.listeners.ensure_user(client, actor)
            plan = await self.roster.set_digest(actor, day, at.strip() or None)
        else:
            plan = await self.roster.digest_plan(actor)
        next_at = next_slot(plan, self.core.clock.now()) if plan.enabled else None
        await self._say(client, body, coaching.digest_plan(plan, next_at))

    async def export(self, word: str, rest: str, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        """The roster's CSV in the coach's DM with the bot: files cannot go with an ephemeral reply."""
        actor = self.listeners.actor(body)
        rosters = await self.roster.rosters(actor, self._ref(rest))
        day = self.core.clock.now().date().isoformat()
        seekers = sum(len(r.lines) for r in rosters)
        dm = (await client.conversations_open(users=actor.external_id))["channel"]["id"]
        await client.files_upload_v2(
            channel=dm,
            file=roster_csv(rosters),
            filename=f"roster-{day}.csv",
            title=f"roster-{day}.csv",
            initial_comment=your_data.roster_export(seekers),
        )
        await self._say(client, body, coaching.export_sent())

    # -- a seeker picked from the roster ----------------------------------------------------------------------

    async def open_picked(self, word: str, typed: str, body: Mapping[str, Any], client: AsyncWebClient) -> None:
        picked = PICKED[word]
        actor = self.listeners.actor(body)
        seekers = await self.roster.roster_seekers(actor)
        choices = [(s.name, _option(coaching.seeker_choice(s), s.user_id, s.groups)) for s in seekers]
        if picked.co_coaches:
            known = {s.user_id for s in seekers}
            choices += [
                (c.display_name, _option((UserText(c.display_name), f" ({coaching.CO_COACH})"), c.user_id))
                for c in await self.groups.removable_coaches(actor)
                if c.user_id not in known
            ]
        if not choices:
            raise NotFound(NO_GROUPS if not await self.groups.coached_groups(actor) else coaching.NO_SEEKERS)
        needle = typed.strip().casefold()  # a name typed after the word: preselected, and the list narrowed to
        matching = [o for name, o in choices if needle in name.casefold()]  # it when too long for one select
        exact = [o for name, o in choices if name.casefold() == needle]
        initial = (exact or matching)[0] if needle and (exact or len(matching) == 1) else None
        if len(choices) == 1 and not picked.co_coaches:  # the only seeker (never for remove: it asks nothing more)
            initial = choices[0][1]
        if not needle or not matching or len(choices) <= CHOICES:
            matching = [o for _, o in choices]
        listed = matching[:CHOICES]
        if initial is not None and initial not in listed:
            listed = [initial, *listed[: CHOICES - 1]]
        hint = coaching.PICK_SEEKER_HINT
        if len(matching) > CHOICES:
            hint = coaching.NARROW.format(shown=CHOICES, total=len(matching))
        select = InputBlock(
            block_id=PICK,
            label=PlainTextObject(text=coaching.PICK_SEEKER),
            hint=PlainTextObject(text=hint),
            element=StaticSelectElement(action_id=PICK, options=listed, initial_option=initial),
        )
        view = modals.modal(picked.form, picked.callback, {"channel": str(body["channel_id"])}, [select])
        view["submit"] = PlainTextObject(text=picked.submit).to_dict()
        await client.views_open(trigger_id=body["trigger_id"], view=view)

    async def submitted(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        """Checked before the ack (a refusal shows on its field, nothing written); a nudge's DM goes after it."""
        view = body["view"]
        word, picked = next((w, p) for w, p in PICKED.items() if p.callback == view["callback_id"])
        answers = modals.answers(picked.form, view)
        actor = self.listeners.actor(body)
        try:
            chosen = _chosen(view)
            if not chosen.isdigit():
                raise FieldError(PICK, coaching.PICK_SEEKER_FIRST)
            seeker_id = int(chosen)
            if word == "seeker":
                report = await self.roster.seeker_by_id(actor, seeker_id)
                await ack(response_action="update", view=shown(coaching.seeker_detail(report)))
                return
            if word == "remove":
                result: Message = coaching.removed(await self.groups.remove_by_id(actor, seeker_id))
            else:
                text.required(answers["message"], "message", text.LONG, multiline=True)
                await self.roster.seeker_by_id(actor, seeker_id)  # theirs to nudge: refused on the select if not
        except UserError as exc:
            if isinstance(exc, NotFound | FieldError):
                where = {getattr(exc, "key", PICK): user_message(exc)}
            else:
                where = field_errors(picked.form, answers, exc, PICK)
            await ack(response_action="errors", errors=where)
            return
        except Exception as exc:
            log.error("a Slack coach form failed", exc_info=exc)
            await ack(response_action="errors", errors={PICK: BROKEN})
            return
        await ack()
        try:
            if word == "nudge":
                name = await self._name(client, actor.external_id)
                nudged = await self.roster.nudge_by_id(actor, seeker_id, answers["message"], name)
                sent, closed = nudged.status is DeliveryStatus.SENT, nudged.status is DeliveryStatus.DMS_CLOSED
                result = coaching.nudge_result(nudged.seeker.name, sent, closed)
            await self._say(client, body, result)
        except Exception as exc:  # noqa: BLE001 - reported to the user and logged
            await self.listeners.report(client, body, exc)

"""`python -m bot demo --slack`: the demo's job hunt (bot/demo.py's `play`) on the local Slack. Maya logs her
interview in the Log interview modal, gets her nudges as DMs from the bot and answers them with their buttons
and modals; each step is printed as plain text, as her Slack client shows it."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.clocks import ManualClock
from bot.demo import ZONE, Transcript, play, relative
from bot.domain import dates
from bot.sandbox.local_bot import running_slack_bot, slack_sandbox_settings
from bot.sandbox.slack import Interaction, SlackChannel, SlackMessage, SlackSandbox, SlackUser, SlackView
from bot.sandbox.slack.world import interactive_elements

_DATE = re.compile(r"<!date\^(\d+)\^([^^|]*)(?:\^[^|]*)?\|[^>]*>")
_BOLD = re.compile(r"(?<![\w*])\*(\S(?:.*?\S)?)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_(\S(?:.*?\S)?)_(?![\w_])")
PROXIES = ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy")  # slack_sdk reads them, NO_PROXY not


def terminal(mrkdwn: str, now: datetime) -> str:
    """Slack's mrkdwn as a terminal shows it: dates in maya's zone (relative ones to now), bold, italics and code
    as plain words, entities as the characters they stand for."""

    def show(match: re.Match[str]) -> str:
        moment = datetime.fromtimestamp(int(match.group(1)), UTC).astimezone(ZONE)
        return relative(moment, now) if "{ago}" in match.group(2) else dates.day_time(moment, ZONE)

    shown = _DATE.sub(show, mrkdwn).replace("```\n", "").replace("\n```", "").replace("```", "").replace("`", "")
    shown = _ITALIC.sub(r"\1", _BOLD.sub(r"\1", shown))
    return shown.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


class SlackSeeker(Transcript):
    platform = "Slack"

    def __init__(self, slack: SlackSandbox, clock: ManualClock, seeker: SlackUser, **names: str) -> None:
        super().__init__(clock, **names)
        self.slack, self.seeker = slack, seeker
        self.clicked: SlackMessage | None = None  # the DM whose button opened the form being filled

    def text(self, mrkdwn: str) -> str:
        return terminal(mrkdwn, self.clock.now())

    def show(self, prefix: str, message: SlackMessage | SlackView) -> None:
        """A message's (or a modal's) blocks: the header as its title, sections and fields as lines, buttons in
        brackets."""
        if isinstance(message, SlackMessage) and not message.blocks and message.text:
            self.say(f"{prefix} {self.text(message.text)}")
        for block in message.blocks:
            kind = block.get("type")
            if kind == "header":
                self.say(f"{prefix} ┃ {block['text']['text']}")
            elif kind in ("section", "context"):
                parts = [block["text"]] if "text" in block else block.get("elements", [])
                for part in parts:
                    for line in self.text(part.get("text", "")).splitlines():
                        self.say(f"{prefix} ┃   {line}" if line.strip() else f"{prefix} ┃")
                for field in block.get("fields", []):  # "*Name*\nvalue", side by side on Slack
                    name, _, value = self.text(field["text"]).partition("\n")
                    self.say(f"{prefix} ┃   {name}: " + value.strip().replace("\n", f"\n{prefix} ┃     "))
            elif kind == "actions":
                labels = [
                    e.get("text", {}).get("text") or e.get("placeholder", {}).get("text") for e in block["elements"]
                ]
                self.say(f"{prefix} ┃ " + "  ".join(f"[{label}]" for label in labels))
        for file in message.files if isinstance(message, SlackMessage) else ():
            self.say(f"{prefix} ┃ 📎 {file.filename} ({file.length:,} bytes)")

    def answered(self, interaction: Interaction) -> None:
        for message in interaction.ephemerals:
            self.show("  bot (only you) ›", message)

    async def slash(self, typed: str, command: str = "/interview", channel: SlackChannel | None = None) -> Interaction:
        where = f" (in #{channel.name})" if channel is not None else ""
        self.say(f"\n[{self.now()}] {self.who}{where} › {command} {typed}".rstrip())
        said = await self.slack.slash(self.seeker, command, typed, channel=channel)
        self.answered(said)
        for message in said.posted:
            self.show(f"  bot (in #{channel.name if channel else 'the channel'}, for everyone) ›", message)
        return said

    async def new_dms(self, before: int, count: int) -> list[SlackMessage]:
        dms = await self.slack.wait_for_dms(self.seeker, before + count, timeout=10)
        for message in dms[before:]:
            self.say(f"[{self.now()}] {self.inbox}:")
            self.show("  bot ›", message)
        return dms[before:]

    async def choose_zone(self) -> None:
        self.say(f"(maya's Slack profile is set to {self.seeker.tz}: the bot reads her zone from it.)")

    async def log_interview(self, answers: dict[str, str]) -> None:
        [modal] = (await self.slash("")).opened
        await self.submit(modal, answers)

    async def wait_until(self, moment: datetime, expect_dms: int) -> list[SlackMessage]:
        before = len(self.slack.dms(self.seeker))
        self.clock.set(moment)
        self.say(f"\n… the clock moves to {self.now()}")
        return await self.new_dms(before, expect_dms)

    async def click(self, message: SlackMessage, label: str) -> SlackView | None:
        self.say(f"[{self.now()}] {self.who} clicks [{label}]")
        [action_id] = [
            e["action_id"] for e in interactive_elements(message.blocks) if e.get("text", {}).get("text") == label
        ]
        clicked = await self.slack.click(self.seeker, message, action_id)
        if clicked.opened:
            self.clicked = message
            return clicked.opened[0]
        self.answered(clicked)
        if clicked.updated:
            self.show("  bot ›", message)
        return None

    async def fill(self, opened: Any, answers: dict[str, str]) -> None:
        assert isinstance(opened, SlackView)
        await self.submit(opened, answers)

    async def submit(
        self, modal: SlackView, answers: dict[str, str], picked: dict[str, str] | None = None
    ) -> Interaction:
        """Type `answers` into the modal's text inputs in order, pick `picked` (block id: value) in its
        selects; a select left alone keeps the option the bot chose for it."""
        self.say(f"  form “{modal.title}”")
        texts = [b for b in modal.blocks if b.get("type") == "input" and b["element"]["type"] == "plain_text_input"]
        values: dict[str, str] = dict(picked or {})
        for block in modal.blocks:
            element = block.get("element") or {}
            if element.get("type") == "static_select":
                chosen = values.get(block["block_id"])
                option = next((o for o in element["options"] if o["value"] == chosen), element.get("initial_option"))
                self.say(f"    {block['label']['text']}: {option['text']['text'] if option else ''}")
        for block, answer in zip(texts, answers.values(), strict=False):
            self.say(f"    {block['label']['text']}: {answer}")
            values[block["block_id"]] = answer
        edits = len(self.clicked.edits) if self.clicked is not None else 0
        submitted = await self.slack.submit(modal, values)
        self.answered(submitted)
        for view in submitted.updated:  # the form now shows its answer
            if isinstance(view, SlackView):
                self.say(f"  form “{view.title}”")
                self.show("  bot (in the form) ›", view)
        if self.clicked is not None and len(self.clicked.edits) > edits:  # a nudge's form: its DM shows the result
            self.show("  bot ›", self.clicked)
        self.clicked = None
        return submitted

    async def record_answers(self, answers: dict[str, str]) -> None:
        before = len(self.slack.dms(self.seeker))
        [modal] = (await self.slash("next acme")).opened
        await self.submit(modal, answers)
        await self.new_dms(before, 1)  # the agreed call for her calendar

    async def record_outcome(self, result: str, notes: str) -> None:
        [modal] = (await self.slash("outcome acme")).opened
        await self.submit(modal, {"notes": notes}, {"result": result})

    async def list_all(self) -> None:
        await self.slash("list all")


def no_proxies() -> None:
    """The local Slack is on 127.0.0.1: never through a proxy."""
    for name in PROXIES:
        os.environ.pop(name, None)


async def on_slack(clock: ManualClock, database: Path) -> None:
    no_proxies()
    async with SlackSandbox(latency=0.01) as slack:
        maya = slack.add_user("maya", tz=ZONE.key)
        async with running_slack_bot(slack, slack_sandbox_settings(slack, database), clock):
            await play(SlackSeeker(slack, clock, maya), clock)

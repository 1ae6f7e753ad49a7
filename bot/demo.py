"""`python -m bot demo [--slack | --both]`: a scripted job hunt against the local Discord (or Slack, or a seeker on
Discord followed by a coach on Slack), on a simulated clock.

It runs the real bot (the same App as `python -m bot`) with a throwaway database, acts as a seeker
through the sandbox, and prints what the seeker typed and what the bot answered or sent by DM. The script
(`play`) is the same on every platform; a driver per platform (`DiscordSeeker` here, `SlackSeeker` in
bot/demo_slack.py; bot/demo_both.py adds the coach) does each step the way that platform's users do it and shows
it as they see it.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.clocks import ManualClock
from bot.domain import dates
from bot.sandbox.discord import InteractionResult, Message, Sandbox, SandboxUser
from bot.sandbox.local_bot import running_bot, sandbox_settings

ZONE = ZoneInfo("America/New_York")
START = datetime(2026, 12, 1, 8, 30, tzinfo=ZONE)  # a Tuesday morning
_TIMESTAMP = re.compile(r"<t:(\d+):([a-zA-Z])>")


def relative(moment: datetime, now: datetime) -> str:
    """As a Discord client shows a relative timestamp: "in 2 days", "3 hours ago", or "now" within a minute."""
    seconds = int((moment - now).total_seconds())
    amount = abs(seconds)
    if amount < 60:
        return "now"
    unit, size = next((u, n) for u, n in (("day", 86400), ("hour", 3600), ("minute", 60)) if amount >= n or n == 60)
    count = amount // size
    text = f"{count} {unit}{'s' if count != 1 else ''}"
    return f"in {text}" if seconds >= 0 else f"{text} ago"


def local_text(markup: str, now: datetime) -> str:
    """Discord timestamps as the seeker's client would show them: in their zone, relative to now."""

    def show(match: re.Match[str]) -> str:
        moment = datetime.fromtimestamp(int(match.group(1)), UTC).astimezone(ZONE)
        return relative(moment, now) if match.group(2) == "R" else dates.day_time(moment, ZONE)

    return _TIMESTAMP.sub(show, markup)


_EMPHASIS = re.compile(r"(?<!\\)\*{1,2}(.+?)(?<!\\)\*{1,2}")
_ESCAPED = re.compile(r"\\([*_~`|>\\])")


def terminal(markdown: str) -> str:
    """Discord's markdown as a terminal shows it: bold and italics as plain words, escaped characters as typed."""
    return _ESCAPED.sub(r"\1", _EMPHASIS.sub(r"\1", markdown))


class Transcript:
    """What every driver shares: the clock, and how it prints. `who` heads what the user does and `inbox` the
    bot's DMs to them (`demo --both` names the platform in each, as two users on two platforms act)."""

    platform = ""

    def __init__(self, clock: ManualClock, who: str = "maya", inbox: str = "DM from the bot") -> None:
        self.clock, self.who, self.inbox = clock, who, inbox

    def say(self, text: str) -> None:
        print(text, flush=True)

    def now(self) -> str:
        return dates.day_time(self.clock.now(), ZONE)


class Seeker(Protocol):
    """Maya on one platform: what she does in the job hunt, each step printed as she saw it. A driver per
    platform; the script below is the same for all."""

    platform: str

    def say(self, text: str) -> None: ...
    def now(self) -> str: ...
    async def choose_zone(self) -> None: ...
    async def log_interview(self, answers: dict[str, str]) -> None: ...
    async def wait_until(self, moment: datetime, expect_dms: int) -> list[Any]:
        """Jump the clock to `moment` and show the `expect_dms` nudges that arrive."""
        ...

    async def click(self, message: Any, label: str) -> Any:
        """Press a button; returns the form it opened, if any."""
        ...

    async def fill(self, opened: Any, answers: dict[str, str]) -> None: ...
    async def record_answers(self, answers: dict[str, str]) -> None: ...
    async def record_outcome(self, result: str, notes: str) -> None: ...
    async def list_all(self) -> None: ...


INTERVIEW = {
    "company": "Acme",
    "role": "Data Analyst",
    "when": "today 10am",
    "interviewer": "Sam Lee",
    "contact": "Sam Lee, 555-0100",
}


async def play(seeker: Seeker, clock: ManualClock) -> None:
    """The job hunt, on whichever platform `seeker` drives."""
    seeker.say(f"Follow-Through demo: one job hunt, played on a simulated clock against a local {seeker.platform}.")
    await seeker.choose_zone()
    await seeker.log_interview(INTERVIEW)
    [prep] = await seeker.wait_until(START.replace(hour=9, minute=0), 1)
    await seeker.click(prep, "Done")

    clock.set(START.replace(hour=11, minute=5))
    answers = {
        "check_back": "next Friday",
        "candidates": "3",
        "decision": "in 10 days",
        "rounds": "a panel with the team",
    }
    await seeker.record_answers(answers)
    [thanks] = await seeker.wait_until(START.replace(hour=12, minute=0), 1)
    await seeker.click(thanks, "Done")
    [note] = await seeker.wait_until(START.replace(hour=14, minute=0), 1)
    await seeker.click(note, "Done")

    [call] = await seeker.wait_until(datetime(2026, 12, 4, 10, 0, tzinfo=ZONE), 1)
    opened = await seeker.click(call, "Log the call")
    await seeker.fill(opened, {"heard": "Delayed, the interviewer was pulled onto a project", "next": "next Wednesday"})

    await seeker.wait_until(datetime(2026, 12, 9, 10, 0, tzinfo=ZONE), 1)
    await seeker.record_outcome("rejected", "We hired someone else")
    [ask] = await seeker.wait_until(datetime(2026, 12, 10, 10, 0, tzinfo=ZONE), 1)
    opened = await seeker.click(ask, "Record feedback")
    await seeker.fill(opened, {"feedback": "Strong analysis; show more SQL depth next time"})
    await seeker.list_all()


class DiscordSeeker(Transcript):
    platform = "Discord"

    def __init__(self, sandbox: Sandbox, clock: ManualClock, seeker: SandboxUser, **names: str) -> None:
        super().__init__(clock, **names)
        self.sandbox, self.seeker = sandbox, seeker
        self.choices: list[Any] = []  # the interview as autocomplete offered it

    def text(self, markup: str) -> str:
        return terminal(local_text(markup, self.clock.now()))

    def show_message(self, prefix: str, message: Message | None) -> None:
        if message is None:
            return
        if message.content:
            self.say(f"{prefix} {self.text(message.content)}")
        for embed in message.embeds:
            if embed.get("title"):
                self.say(f"{prefix} ┃ {self.text(embed['title'])}")
            for line in self.text(embed.get("description", "")).splitlines():
                self.say(f"{prefix} ┃   {line}")
            for field in embed.get("fields", []):
                value = self.text(field["value"]).replace("```", "").strip().replace("\n", "\n" + prefix + " ┃     ")
                self.say(f"{prefix} ┃   {field['name']}: {value}")
        for attachment in message.attachments:
            self.say(f"{prefix} ┃ 📎 {attachment.filename} ({attachment.size:,} bytes)")
        buttons = [c.get("label") for c in message.walk_components() if c.get("type") == 2]
        if buttons:
            self.say(f"{prefix} ┃ " + "  ".join(f"[{b}]" for b in buttons))

    async def slash(
        self, command: str, options: dict[str, Any], picked: dict[str, str] | None = None
    ) -> InteractionResult:
        """`picked`: the labels of options chosen from autocomplete, shown as the user saw them (not their ids)."""
        shown = {**options, **(picked or {})}
        typed = " ".join(f"{k}:{v}" for k, v in shown.items())
        self.say(f"\n[{self.now()}] {self.who} › /{command} {typed}")
        result = await self.sandbox.slash(self.seeker, command, options)
        replies = [result.message, *(f for f in result.followups if f is not result.message)]
        for message in replies:
            self.show_message("  bot (only you) ›" if message and message.ephemeral else "  bot ›", message)
        return result

    async def choose_zone(self) -> None:
        await self.slash("settings timezone", {"zone": "America/New_York"})

    async def log_interview(self, answers: dict[str, str]) -> None:
        await self.slash("interview add", dict(answers))

    async def wait_until(self, moment: datetime, expect_dms: int) -> list[Message]:
        before = len(self.sandbox.dms(self.seeker))
        self.clock.set(moment)
        self.say(f"\n… the clock moves to {self.now()}")
        return await self.new_dms(before, expect_dms)

    async def new_dms(self, before: int, count: int) -> list[Message]:
        dms = await self.sandbox.wait_for_dms(self.seeker, before + count, timeout=10)
        for message in dms[before:]:
            self.say(f"[{self.now()}] {self.inbox}:")
            self.show_message("  bot ›", message)
        return dms[before:]

    async def click(self, message: Message, label: str) -> InteractionResult:
        self.say(f"[{self.now()}] {self.who} clicks [{label}]")
        result = await self.sandbox.click(self.seeker, message, message.button(label))
        if result.modal is None:
            self.show_message("  bot ›", result.message)
        return result

    async def fill(self, opened: InteractionResult, answers: dict[str, str]) -> None:
        assert opened.modal is not None
        fields = opened.modal.fields
        self.say(f"  form “{opened.modal.title}”")
        values = {}
        for field, answer in zip(fields, answers.values(), strict=False):
            self.say(f"    {field.label}: {answer}")
            values[field.custom_id] = answer
        result = await self.sandbox.submit_modal(self.seeker, opened.modal, values)
        self.show_message("  bot ›", result.message)

    async def record_answers(self, answers: dict[str, str]) -> None:
        self.choices = await self.sandbox.autocomplete(
            self.seeker, "interview next", {"interview": "ac"}, focused="interview"
        )
        names = [c.name for c in self.choices]
        self.say(f"\n[{self.now()}] {self.who} types “ac” in the interview option; the bot offers: {names}")
        options: dict[str, Any] = {"interview": str(self.choices[0].value), **answers}
        options["candidates"] = int(answers["candidates"])
        await self.slash("interview next", options, {"interview": self.choices[0].name})

    async def record_outcome(self, result: str, notes: str) -> None:
        await self.slash(
            "interview outcome",
            {"interview": str(self.choices[0].value), "result": result, "notes": notes},
            {"interview": self.choices[0].name},
        )

    async def list_all(self) -> None:
        await self.slash("interview list", {"include_closed": True})


async def on_discord(clock: ManualClock, database: Path) -> None:
    async with Sandbox() as sandbox:
        maya = sandbox.add_user("maya")
        async with running_bot(sandbox, sandbox_settings(sandbox, database), clock):
            await play(DiscordSeeker(sandbox, clock, maya), clock)


async def on_slack(clock: ManualClock, database: Path) -> None:
    from bot.demo_slack import on_slack as slack_demo

    await slack_demo(clock, database)


async def on_both(clock: ManualClock, database: Path) -> None:
    from bot.demo_both import on_both as both_demo

    await both_demo(clock, database)


# Where the job hunt is played (`python -m bot demo [--slack | --both]`): on Discord, on Slack, or on Discord
# followed by a coach on Slack.
STAGES: dict[str, Callable[[ManualClock, Path], Awaitable[None]]] = {
    "discord": on_discord,
    "slack": on_slack,
    "both": on_both,
}


async def main(platform: str = "discord") -> int:
    started = time.monotonic()
    clock = ManualClock(START)
    with tempfile.TemporaryDirectory(prefix="follow-through-demo-") as tmp:
        await STAGES[platform](clock, Path(tmp) / "demo.db")
    print(f"\nDemo finished in {time.monotonic() - started:.1f} s. Run the bot for real: see README.md.")
    return 0

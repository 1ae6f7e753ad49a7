"""`python -m bot demo --both`: a coach on Slack following a seeker on Discord, one bot process serving both.

Omar creates a group on Slack and posts its invite in a cohort channel; Maya, who uses Discord, joins with its
code. She then plays the demo's job hunt (bot/demo.py's `play`) on Discord, while Omar, on Slack, looks at his
roster and her report, nudges her (the note reaches her as a Discord DM) and gets his weekly digest by Slack DM.
The coach's steps are a timeline (`Followed`) run as the seeker's clock passes their moments."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.clocks import ManualClock
from bot.content.coaching import show_code
from bot.demo import START, ZONE, DiscordSeeker, play
from bot.demo_slack import SlackSeeker, no_proxies
from bot.platforms.slack.coach_commands import PICK
from bot.sandbox.discord import Message, Sandbox
from bot.sandbox.local_bot import both_sandbox_settings, running_bot
from bot.sandbox.slack import SlackChannel, SlackSandbox, SlackView

EVE = datetime(2026, 11, 30, 18, 0, tzinfo=ZONE)  # the evening before her interview: the cohort starts
MIDWEEK = datetime(2026, 12, 3, 16, 0, tzinfo=ZONE)  # after her thank-yous, before her check-in call
DIGEST = datetime(2026, 12, 7, 9, 0, tzinfo=ZONE)  # a coach's digest comes on Mondays at 09:00 unless changed
_CODE = re.compile(r";c=([\w-]+)")  # the invite code in the Join button's value
Step = tuple[datetime, Callable[[], Awaitable[None]]]  # a coach's step and when it happens


class Coach:
    """Omar on Slack: every step as he sees it (SlackSeeker's driver, acting through /followthrough)."""

    def __init__(self, driver: SlackSeeker, cohort: SlackChannel, seeker: DiscordSeeker) -> None:
        self.driver, self.cohort, self.seeker = driver, cohort, seeker
        self.code = ""

    async def command(self, typed: str, channel: SlackChannel | None = None) -> Any:
        return await self.driver.slash(typed, "/followthrough", channel)

    async def start_group(self) -> None:
        """The evening before: he creates the group and posts its invite; she, on Discord, joins with the code and
        accepts. Then the clock moves to the morning of her interview, where the job hunt starts."""
        await self.command("coach create Spring Cohort")
        invited = await self.command("coach invite", self.cohort)
        [post] = invited.posted
        self.code = show_code(_CODE.findall(str(post.blocks))[0])
        self.driver.say(f"\n(maya uses Discord, not Slack: omar sends her the code {self.code}.)")
        asked = await self.seeker.slash("coach join", {"code": self.code})
        assert asked.message is not None, "the consent preview"
        await self.seeker.click(asked.message, "Accept")
        await self.driver.wait_until(START, 0)

    async def check_on(self) -> None:
        """Midweek: his roster, her report picked from it, and a nudge that reaches her on Discord."""
        await self.driver.wait_until(MIDWEEK, 0)
        await self.command("coach roster")
        [form] = (await self.command("coach seeker")).opened
        await self.driver.submit(form, {}, self.pick(form, "Maya (on Discord)"))
        [form] = (await self.command("coach nudge")).opened
        slack, omar = self.driver.slack, self.driver.seeker
        before_slack = len(slack.ephemerals(omar))
        before_discord = len(self.seeker.sandbox.dms(self.seeker.seeker))
        message = "Great work on the thank-yous! Call Sam on Friday as agreed."
        sent = await self.driver.submit(form, {"message": message}, self.pick(form, "Maya"))
        if not sent.ephemerals:  # the result comes once the DM went out
            await slack.wait_until(lambda: len(slack.ephemerals(omar)) > before_slack, what="the nudge's result")
            for told in slack.ephemerals(omar)[before_slack:]:
                self.driver.show("  bot (only you) ›", told)
        await self.seeker.new_dms(before_discord, 1)

    @staticmethod
    def pick(form: SlackView, label: str) -> dict[str, str]:
        """The roster's select in `form`, set to the seeker shown as `label`."""
        [select] = [b for b in form.blocks if b.get("block_id") == PICK]
        [value] = [o["value"] for o in select["element"]["options"] if o["text"]["text"].startswith(label)]
        return {PICK: value}

    async def digest(self) -> None:
        await self.driver.wait_until(DIGEST, 1)


class Followed:
    """Maya's job hunt on Discord (the shared script's steps, unchanged), with the coach's timeline run in
    between: each coach step whose moment has come runs before her next step, and before her clock moves past
    it."""

    def __init__(self, seeker: DiscordSeeker, timeline: Sequence[Step]) -> None:
        self.seeker, self.timeline = seeker, sorted(timeline, key=lambda step: step[0])
        self.platform = "Discord and a local Slack: maya looks for a job on Discord, omar coaches her on Slack"

    async def _coach_until(self, moment: datetime, *, inclusive: bool = True) -> None:
        while self.timeline and (self.timeline[0][0] <= moment if inclusive else self.timeline[0][0] < moment):
            _, step = self.timeline.pop(0)
            await step()

    async def _now(self) -> None:
        await self._coach_until(self.seeker.clock.now())

    def say(self, text: str) -> None:
        self.seeker.say(text)

    def now(self) -> str:
        return self.seeker.now()

    async def choose_zone(self) -> None:
        await self._now()
        await self.seeker.choose_zone()

    async def log_interview(self, answers: dict[str, str]) -> None:
        await self._now()
        await self.seeker.log_interview(answers)

    async def wait_until(self, moment: datetime, expect_dms: int) -> list[Message]:
        await self._coach_until(moment, inclusive=False)
        return await self.seeker.wait_until(moment, expect_dms)

    async def click(self, message: Any, label: str) -> Any:
        await self._now()
        return await self.seeker.click(message, label)

    async def fill(self, opened: Any, answers: dict[str, str]) -> None:
        await self.seeker.fill(opened, answers)

    async def record_answers(self, answers: dict[str, str]) -> None:
        await self._now()
        await self.seeker.record_answers(answers)

    async def record_outcome(self, result: str, notes: str) -> None:
        await self._now()
        await self.seeker.record_outcome(result, notes)

    async def list_all(self) -> None:
        await self._now()
        await self.seeker.list_all()


async def on_both(clock: ManualClock, database: Path) -> None:
    no_proxies()
    clock.set(EVE)
    async with Sandbox() as discord, SlackSandbox(latency=0.01) as slack:
        maya = discord.add_user("maya")
        omar = slack.add_user("omar", tz=ZONE.key)
        cohort = slack.add_channel("cohort-5", [omar])
        async with running_bot(discord, both_sandbox_settings(discord, slack, database), clock, slack=slack):
            seeker = DiscordSeeker(discord, clock, maya, who="maya, seeker on Discord", inbox="Discord DM to maya")
            coach = Coach(
                SlackSeeker(slack, clock, omar, who="omar, coach on Slack", inbox="Slack DM to omar"), cohort, seeker
            )
            timeline = [(EVE, coach.start_group), (MIDWEEK, coach.check_on), (DIGEST, coach.digest)]
            await play(Followed(seeker, timeline), clock)

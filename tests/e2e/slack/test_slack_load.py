"""50 Slack users at once through Socket Mode against a real `python -m bot` process (as deployed: the local
Slack's own work is not the bot's): each runs /interview and submits the Log interview modal (whose ack waits
for the write, as it carries the validation errors), then opens the Home tab and clicks its Log interview
button, all at the same moment. The local Slack times every ack from the envelope's send: each must be within
Slack's 3 seconds, and every modal must open (a trigger_id lives 3 s too)."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from pathlib import Path

import pytest

from bot.platforms.slack.home import LOG
from bot.sandbox.slack import Interaction, SlackSandbox
from tests.e2e.slack.test_slack_crash import start_bot
from tests.e2e.slack.test_slack_seeker import INTERVIEW

pytestmark = pytest.mark.e2e

USERS = 50
DEADLINE = 3.0  # Slack's; the local Slack does not apply a later ack either
PATIENCE = 60.0  # how long a step may take in all on a loaded machine: only the acks are held to the deadline
ACK_WAIT = 10.0  # how long to wait for an ack at all (Bolt sends none once Slack's deadline has passed)


def slowest(step: str, interactions: list[Interaction]) -> float:
    """The slowest ack of a step, which must be within Slack's deadline."""
    seconds = [i.ack_seconds for i in interactions]
    unacked = sum(1 for s in seconds if s is None)
    assert not unacked, f"{step}: {unacked} of {len(interactions)} never acked"
    worst = max(s for s in seconds if s is not None)
    assert worst < DEADLINE, f"{step}: the slowest ack took {worst:.2f} s"
    return worst


async def test_fifty_users_at_once_are_all_acked_within_three_seconds(tmp_path: Path) -> None:
    async with SlackSandbox(latency=0.01) as slack:
        users = [slack.add_user(f"seeker{n}", tz="America/Chicago") for n in range(USERS)]
        database = tmp_path / "load.db"
        bot = start_bot(slack, tmp_path, database)
        try:
            await slack.wait_for_connection(timeout=PATIENCE)

            wait = {"timeout": ACK_WAIT, "expect_ack": False}
            opened = await asyncio.gather(*(slack.slash(u, "/interview", **wait) for u in users))  # type: ignore[arg-type]
            slowest("/interview", opened)
            modals = [i.opened[0] for i in opened if i.opened]
            assert len(modals) == USERS
            answers = {**INTERVIEW, "when": "tomorrow 10am"}
            submitted = await asyncio.gather(*(slack.submit(m, answers, **wait) for m in modals))  # type: ignore[arg-type]
            slowest("submit", submitted)
            assert all(s.errors == {} for s in submitted)

            homes = await asyncio.gather(*(slack.open_home(u, timeout=ACK_WAIT) for u in users))
            slowest("Home opened", homes)
            await slack.wait_until(lambda: all(slack.home(u) for u in users), timeout=PATIENCE, what="every Home")
            clicked = await asyncio.gather(
                *(slack.click(u, slack.home(u), LOG, **wait) for u in users)  # type: ignore[arg-type]
            )
            slowest("click", clicked)
            assert all(c.opened for c in clicked)
        finally:
            bot.send_signal(signal.SIGTERM)
            code = bot.wait(timeout=30)
        assert code == 0, (tmp_path / "bot.log").read_text()

        steps = {"/interview": opened, "submit": submitted, "Home opened": homes, "click": clicked}
        print(  # noqa: T201 - shown with -s
            f"\n{USERS} users at once, slowest ack: "
            + ", ".join(f"{k} {slowest(k, v):.2f} s" for k, v in steps.items())
        )
        assert slack.late_acks == [] and slack.missing_acks == []
        assert [i.problems for i in slack.interactions if i.problems] == []
        with sqlite3.connect(database) as conn:
            assert conn.execute("SELECT count(*) FROM interviews").fetchone()[0] == USERS

"""The real bot as production runs it, `python -m bot` in its own process, against an in-process sandbox.

The sandbox plays Discord in the benchmark's process; the bot gets its own process (and core), so its memory
is its own and the sandbox's work is not counted against it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sys
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench import procstat
from bot.sandbox.discord import SEND_MESSAGE, Message, MessageOrigin, Sandbox

# APScheduler logs every run of the dispatcher's job at INFO: the first one marks the first pass done.
FIRST_PASS = 'Job "follow-up-dispatcher'  # the job's name is its id (bot/delivery/wakeup.py)
PASS_DONE = "executed successfully"
STOP_TIMEOUT = 20.0
_LOG_LINE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ")  # how the bot's log records start
_NUDGE_NONCE = re.compile(r"ft([0-9a-f]+)s\d+t[0-9a-f]+")
_NOISE = ("voice will NOT be supported",)  # discord.py's warnings about optional voice libraries


@dataclass
class BotProcess:
    process: asyncio.subprocess.Process
    spawned_at: float  # time.monotonic() just before the spawn
    first_pass_at: float | None = None
    problems: list[str] = field(default_factory=list)  # the warnings and errors it logged, with tracebacks
    tail: deque[str] = field(default_factory=lambda: deque(maxlen=40))  # its last log lines, for failures
    _first_pass: asyncio.Event = field(default_factory=asyncio.Event)

    async def _read_log(self, stream: asyncio.StreamReader) -> None:
        in_problem = False
        while raw := await stream.readline():
            line = raw.decode(errors="replace").rstrip()  # no colour codes: the log is a pipe
            self.tail.append(line)
            if self.first_pass_at is None and FIRST_PASS in line and PASS_DONE in line:
                self.first_pass_at = time.monotonic()
                self._first_pass.set()
            if _LOG_LINE.match(line):  # a new record: a problem, or the end of the last one's traceback
                in_problem = ("WARNING" in line or "ERROR" in line) and not any(n in line for n in _NOISE)
            if in_problem:
                self.problems.append(line)

    async def ready(self, sandbox: Sandbox, timeout: float, sessions: int = 1) -> Ready:
        """Wait for the gateway IDENTIFY (`sessions` in all, counting other processes'; 0: a process without
        shards, which never identifies) and the end of the first dispatcher pass, whichever comes last."""
        exited = asyncio.create_task(self.process.wait())
        try:
            identified_at = self.spawned_at
            if sessions:
                identified = sandbox.wait_for_ready(timeout, sessions=sessions)
                identified_at = await self._before_exit(exited, identified, timeout)
            await self._before_exit(exited, self._first_pass.wait(), timeout)
        finally:
            exited.cancel()
        assert self.first_pass_at is not None
        return Ready(identified_at - self.spawned_at, self.first_pass_at - self.spawned_at)

    async def _before_exit(self, exited: asyncio.Task[int], awaitable: Awaitable[object], timeout: float) -> float:
        """Await `awaitable`, failing with the bot's last log lines if the bot exits or time runs out first."""
        waiting = asyncio.ensure_future(awaitable)
        done, _ = await asyncio.wait([waiting, exited], timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if waiting not in done:
            waiting.cancel()
            raise RuntimeError("the bot did not get ready; its last log lines:\n" + "\n".join(self.tail))
        waiting.result()
        return time.monotonic()

    def cpu_seconds(self) -> float:
        return procstat.cpu_seconds(self.process.pid)

    def memory_mb(self, key: str = "VmHWM") -> float:
        return procstat.memory_mb(self.process.pid, key)


@dataclass(frozen=True)
class Ready:
    identified: float  # seconds from spawn until the sandbox saw IDENTIFY
    first_pass: float  # seconds from spawn until the first dispatcher pass (and its next wake-up) was done

    @property
    def seconds(self) -> float:
        return max(self.identified, self.first_pass)

    def wall_clock(self, spawned_at: float) -> float:
        """The time.time() at which the bot was ready, given its monotonic spawn time."""
        return time.time() - (time.monotonic() - (spawned_at + self.seconds))


@contextlib.asynccontextmanager
async def bot_process(sandbox: Sandbox, database: Path, workdir: Path, **env: str) -> AsyncIterator[BotProcess]:
    """Run `python -m bot` on `database` (env: extra settings such as DISPATCH__SEND_RATE); SIGINT on exit.

    Both paths must be absolute: the bot runs in `workdir`."""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(workdir)),
        "DISCORD_TOKEN": sandbox.token,
        "DISCORD_API_BASE": sandbox.api_base,
        "DISCORD_GATEWAY_URL": sandbox.gateway_url,
        "DATABASE_PATH": str(database),
        "LOG_LEVEL": "INFO",
        **env,
    }
    spawned_at = time.monotonic()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=workdir,  # no .env there: only the settings given here apply
        env=environment,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    bot = BotProcess(process, spawned_at)
    assert process.stderr is not None
    reader = asyncio.create_task(bot._read_log(process.stderr))
    try:
        yield bot
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)  # the bot's own clean shutdown: finish the pass, close the DB
            try:
                await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
            except TimeoutError:
                process.kill()
                await process.wait()
        await reader


class SendCounter:
    """Counts the bot's channel messages as the sandbox records them, without rescanning every request."""

    def __init__(self, sandbox: Sandbox) -> None:
        self._requests = sandbox.requests  # the sandbox's own list, appended to as requests arrive
        self._seen = 0
        self.sent = 0

    def reached(self, count: int) -> Callable[[], bool]:
        def check() -> bool:
            new = self._requests[self._seen :]
            self._seen += len(new)
            self.sent += sum(1 for r in new if r.route == SEND_MESSAGE and r.status == 200)
            return self.sent >= count

        return check


def follow_up_id(nonce: object) -> int | None:
    """The follow-up id in a nudge's nonce (`bot.platforms.discord.notifier.nonce`: `ft<id>s<snoozes>t<created>`,
    the id and creation time in hex), or None for any other message's nonce."""
    match = _NUDGE_NONCE.fullmatch(nonce) if isinstance(nonce, str) else None
    return None if match is None else int(match.group(1), 16)


def nudges(sandbox: Sandbox) -> dict[int, Message]:
    """The bot's DMs by follow-up id, read from the nonce the notifier gives each."""
    found = {}
    for message in sandbox.messages:
        if message.origin is MessageOrigin.CHANNEL and (follow_up := follow_up_id(message.nonce)) is not None:
            found[follow_up] = message
    return found

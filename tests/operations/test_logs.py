"""The process's log lines carry its pid; LOG_FORMAT=json writes one JSON object a line, tokens redacted."""

from __future__ import annotations

import io
import json
import logging
import os
from collections.abc import Iterator
from datetime import datetime

import pytest

from bot.operations.logs import JsonFormatter
from bot.platforms.discord.endpoints import setup_logging
from tests.platforms.discord.test_logging import BOT_TOKEN, INTERACTION_TOKEN, Terminal


@pytest.fixture
def root() -> Iterator[logging.Logger]:
    """The root logger, restored afterwards (setup_logging configures the whole process)."""
    logger = logging.getLogger()
    handlers, level = logger.handlers[:], logger.level
    yield logger
    logger.handlers[:] = handlers
    logger.setLevel(level)


def test_text_lines_carry_the_process_id(root: logging.Logger, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    plain, terminal = io.StringIO(), Terminal()
    setup_logging(logging.INFO, plain)
    logging.getLogger("bot.somewhere").info("hello")
    root.handlers[:] = []
    setup_logging(logging.INFO, terminal)
    logging.getLogger("bot.somewhere").info("hello")
    assert f" INFO     {os.getpid()} bot.somewhere hello" in plain.getvalue()
    assert f" {os.getpid()} " in terminal.getvalue() and "\x1b[" in terminal.getvalue()


def test_json_lines_are_one_object_each_with_time_level_logger_pid_and_message(root: logging.Logger) -> None:
    out = io.StringIO()
    setup_logging(logging.DEBUG, out, JsonFormatter())
    log = logging.getLogger("bot.somewhere")
    log.info("sent %d nudges to %s", 3, "the café")
    log.debug("headers {'Authorization': 'Bot %s'}", BOT_TOKEN)
    try:
        raise RuntimeError(f"failed: https://discord.com/api/v10/interactions/42/{INTERACTION_TOKEN}/callback")
    except RuntimeError:
        log.exception("a send failed")
    lines = out.getvalue().splitlines()
    entries = [json.loads(line) for line in lines]
    assert len(entries) == 3
    first = entries[0]
    assert set(first) == {"time", "level", "logger", "pid", "message"}
    assert (first["level"], first["logger"], first["pid"], first["message"]) == (
        "INFO",
        "bot.somewhere",
        os.getpid(),
        "sent 3 nudges to the café",
    )
    assert datetime.fromisoformat(first["time"]).utcoffset() is not None  # an aware instant
    assert "Traceback" in entries[2]["exception"] and "interactions/42/<token>/callback" in entries[2]["exception"]
    assert BOT_TOKEN not in out.getvalue() and INTERACTION_TOKEN not in out.getvalue()

"""The process's log handler: tokens are redacted from every logger's lines and tracebacks; colour only on a tty."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.platforms.discord.endpoints import setup_logging

INTERACTION_TOKEN = "aW50ZXJhY3Rpb246MTU3Njg0ODQ1Mzk3ODI5MjIzOTpzZWNyZXQ"
BOT_TOKEN = "MTE5ODc2NTQzMjEwOTg3NjU0Mw.GhIjKl.abcdefghijklmnopqrstuvwxyz0123"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def root() -> Iterator[logging.Logger]:
    """The root logger, restored afterwards (setup_logging configures the whole process)."""
    logger = logging.getLogger()
    handlers, level = logger.handlers[:], logger.level
    yield logger
    logger.handlers[:] = handlers
    logger.setLevel(level)


def test_tokens_are_redacted_from_any_logger_and_from_tracebacks(root: logging.Logger) -> None:
    out = io.StringIO()
    setup_logging(logging.DEBUG, out)
    log = logging.getLogger("bot.somewhere")
    log.info("POST /api/v10/webhooks/123456/%s/messages/@original", INTERACTION_TOKEN)
    log.debug("headers {'Authorization': 'Bot %s'}", BOT_TOKEN)
    try:
        raise RuntimeError(f"failed: https://discord.com/api/v10/interactions/42/{INTERACTION_TOKEN}/callback")
    except RuntimeError:
        log.exception("a send failed")
    written = out.getvalue()
    assert "webhooks/123456/<token>/messages" in written
    assert "Traceback" in written and "interactions/42/<token>/callback" in written
    assert INTERACTION_TOKEN not in written
    assert BOT_TOKEN not in written
    assert "\x1b[" not in written  # not a terminal: no colour


def test_colour_only_on_a_terminal_and_never_with_no_color(
    root: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    terminal = Terminal()
    setup_logging(logging.INFO, terminal)
    logging.getLogger("bot.somewhere").info("hello")
    assert "\x1b[" in terminal.getvalue()

    root.handlers[:] = []
    monkeypatch.setenv("NO_COLOR", "1")
    plain = Terminal()
    setup_logging(logging.INFO, plain)
    logging.getLogger("bot.somewhere").info("hello")
    assert "hello" in plain.getvalue() and "\x1b[" not in plain.getvalue()

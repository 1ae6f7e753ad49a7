"""Point discord.py at another Discord (an API proxy in production, the local sandbox in tests), and set
up logging: colour only on a terminal, and never a payload (seekers' notes) or a token, at any level."""

from __future__ import annotations

import logging
import os
import re
import sys
from typing import TextIO

import aiohttp
import discord
import yarl

from bot.settings import Settings

TokenRefused = discord.LoginFailure  # what login raises for a DISCORD_TOKEN that Discord does not accept
_DEFAULT_API = discord.http.Route.BASE
_DEFAULT_GATEWAY = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY


def configure(settings: Settings) -> None:
    """discord.py reads these class attributes on every request and connect; a plain Client never
    asks REST for the gateway URL, so both must be set before login."""
    discord.http.Route.BASE = settings.discord_api_base or _DEFAULT_API
    gateway = settings.discord_gateway_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway) if gateway else _DEFAULT_GATEWAY
    protect_logs()


def protect_logs() -> None:
    """Filters on the loggers themselves, so whoever handles their records (tests too) never gets the payloads."""
    for name in _PAYLOAD_LOGGERS:
        logging.getLogger(name).addFilter(_DROP_PAYLOADS)
    logging.getLogger("aiosqlite").addFilter(_not_debug)  # it logs every statement with its parameters


# What discord.py logs at DEBUG includes whole gateway events and REST bodies: seekers' notes and
# interaction tokens. These loggers keep their lines, without the payloads.
_PAYLOAD_LOGGERS = ("discord.gateway", "discord.http", "discord.webhook.async_", "discord.state", "discord.client")
_NOT_LOGGED = "<payload not logged>"
_SECRETS = (
    # interaction and webhook tokens in REST paths
    (re.compile(r"(/(?:interactions|webhooks)/\d+/)[^/\s'\"?]+"), r"\1<token>"),
    # "token": "..." in any JSON or repr
    (re.compile(r"""(["']token["']\s*:\s*["'])[^"']+"""), r"\1<token>"),
    (re.compile(r"(Bot\s+)[\w.-]{20,}"), r"\1<token>"),
    # bot tokens (id.timestamp.hmac) and interaction tokens (base64 of "interaction:...")
    (re.compile(r"[\w-]{23,28}\.[\w-]{6,7}\.[\w-]{27,}"), "<token>"),
    (re.compile(r"aW50ZXJhY3Rpb246[\w.-]+"), "<token>"),
)
# discord.py's colour layout, with the process id (several processes may share a log), without colour.
_FORMAT = "%(asctime)s %(levelname)-8s %(process)d %(name)s %(message)s"
_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


class _ColourWithPid(discord.utils._ColourFormatter):
    """discord.py's colours, with the process id after the level."""

    FORMATS = {  # noqa: RUF012 - discord.py's attribute, only read
        level: logging.Formatter(
            f"\x1b[30;1m%(asctime)s\x1b[0m {colour}%(levelname)-8s\x1b[0m %(process)d"
            " \x1b[35m%(name)s\x1b[0m %(message)s",
            _DATE_FORMAT,
        )
        for level, colour in discord.utils._ColourFormatter.LEVEL_COLOURS
    }


def _shown(value: object) -> object:
    """A log argument as it may be shown: a gateway event by its opcode, type and sequence only."""
    if isinstance(value, dict) and "op" in value:
        return f"op={value.get('op')} t={value.get('t')} s={value.get('s')} {_NOT_LOGGED}"
    if _payload(value):
        return _NOT_LOGGED
    return redact(str(value)) if isinstance(value, str | yarl.URL) else value


def _payload(value: object) -> bool:
    return isinstance(value, dict | list | aiohttp.FormData) or (
        isinstance(value, str) and value.lstrip()[:1] in ("{", "[")
    )


class DropPayloads(logging.Filter):
    """On discord.py's loggers: replace event and request bodies in the arguments of a log line, and tokens
    in its URLs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_shown(arg) for arg in record.args)
        elif isinstance(record.args, dict):  # logging turns a single dict argument into the mapping
            record.args = (_NOT_LOGGED,) if "%s" in str(record.msg) else None
        return True


class RedactSecrets(logging.Filter):
    """On the handler, for every logger: tokens never reach the output, in a message or in a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            record.msg, record.args = redact(record.getMessage()), None
        except (TypeError, ValueError):  # a malformed call: the handler reports it, as logging always does
            return True
        if record.exc_info:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def _not_debug(record: logging.LogRecord) -> bool:
    return record.levelno > logging.DEBUG


_DROP_PAYLOADS = DropPayloads()


def redact(text: str) -> str:
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


def setup_logging(level: int, stream: TextIO | None = None, formatter: logging.Formatter | None = None) -> None:
    """One handler on stderr for the whole process, lines in `formatter` if given (LOG_FORMAT=json), else as
    text with the process id; colour only on a terminal (and never with NO_COLOR)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RedactSecrets())
    colour = handler.stream.isatty() and "NO_COLOR" not in os.environ
    if formatter is None:
        formatter = _ColourWithPid() if colour else logging.Formatter(_FORMAT, _DATE_FORMAT)
    discord.utils.setup_logging(handler=handler, formatter=formatter, level=level)
    protect_logs()

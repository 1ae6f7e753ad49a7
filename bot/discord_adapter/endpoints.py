"""Point discord.py at another Discord (an API proxy in production, the local sandbox in tests), and set
up its logging."""

from __future__ import annotations

import logging

import discord
import yarl

from bot.settings import Settings

_DEFAULT_API = discord.http.Route.BASE
_DEFAULT_GATEWAY = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY


def configure(settings: Settings) -> None:
    """discord.py reads these class attributes on every request and connect; a plain Client never
    asks REST for the gateway URL, so both must be set before login."""
    discord.http.Route.BASE = settings.discord_api_base or _DEFAULT_API
    gateway = settings.discord_gateway_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway) if gateway else _DEFAULT_GATEWAY


def setup_logging(level: str) -> None:
    """discord.py's own handler and format, for the whole process."""
    discord.utils.setup_logging(level=logging.getLevelNamesMapping().get(level.upper(), logging.INFO))

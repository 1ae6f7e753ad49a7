"""A chat platform as the composition root sees it: one object to start, run and stop, offering its senders.

A new platform is a new package under bot/platforms that provides one of these, and a few lines in bot/app.py.
"""

from __future__ import annotations

from typing import Protocol

from bot.ports.senders import Messenger, Notifier


class Platform(Protocol):
    @property
    def name(self) -> str:
        """What users.platform says for the people it reaches: how nudges and DMs are routed to it."""
        ...

    @property
    def suppresses_duplicates(self) -> bool:
        """True if a message sent again after a crash (same follow-up and snooze, same digest slot) is dropped
        by the platform itself, as Discord does by nonce; False: such a resend reaches the user twice."""
        ...

    @property
    def notifier(self) -> Notifier:
        """Sends nudges, paced for this platform's limits."""
        ...

    @property
    def messenger(self) -> Messenger:
        """Sends coaching's DMs, paced together with the nudges."""
        ...

    async def connected(self) -> bool:
        """Ready for work: logged in and holding every connection this process is configured for (/healthz)."""
        ...

    async def start(self) -> None:
        """Log in; raises at once if the platform refuses the credentials."""
        ...

    async def run(self) -> None:
        """Hold the connection (receive commands and clicks) until stop()."""
        ...

    async def stop(self) -> None:
        """Disconnect, letting the handlers already running finish."""
        ...

"""The local Slack's timeout; waiting itself is shared with the local Discord (bot.sandbox.changes)."""

from __future__ import annotations

from bot.sandbox.changes import SandboxTimeout


class SlackTimeout(SandboxTimeout):
    """The app did not do what the test waited for in time."""

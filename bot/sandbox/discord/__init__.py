"""A local Discord: REST API v10 and gateway, enough for the unmodified discord.py client.

Tests and demos run the real bot against it and act as its users (slash commands, buttons, modals), then read
what the bot did (DMs, replies, recorded requests). It never imports discord.
"""

from .commands import CommandError, SyncedCommand
from .faults import SEND_MESSAGE, Faults
from .interactions import (
    CallbackType,
    Choice,
    InteractionResult,
    InteractionType,
    ModalField,
    ModalPrompt,
    SubmissionError,
)
from .ratelimits import RateLimitPolicy
from .rest import RecordedRequest
from .sandbox import Sandbox
from .waiting import SandboxTimeout
from .world import Attachment, ChannelType, Message, MessageOrigin, SandboxChannel, SandboxGuild, SandboxUser

__all__ = [
    "SEND_MESSAGE",
    "Attachment",
    "CallbackType",
    "ChannelType",
    "Choice",
    "CommandError",
    "Faults",
    "InteractionResult",
    "InteractionType",
    "Message",
    "MessageOrigin",
    "ModalField",
    "ModalPrompt",
    "RateLimitPolicy",
    "RecordedRequest",
    "Sandbox",
    "SandboxChannel",
    "SandboxGuild",
    "SandboxTimeout",
    "SandboxUser",
    "SubmissionError",
    "SyncedCommand",
]

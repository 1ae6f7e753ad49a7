"""A local Slack: Web API and Socket Mode, enough for the unmodified slack_sdk and slack_bolt.

Tests and demos run the real app against it and act as its users (slash commands, buttons, modals, the
Home tab), then read what the app did (DMs, ephemeral replies, modals, recorded requests). It never imports
slack_sdk or slack_bolt.
"""

from .blockkit import MAX_MESSAGE_BLOCKS, MAX_VIEW_BLOCKS
from .faults import POST_MESSAGE, Faults
from .interactions import Interaction, SubmissionError
from .sandbox import SlackSandbox
from .socket_mode import DISCONNECT_REASONS, Connection
from .waiting import SlackTimeout
from .web_api import RecordedRequest
from .world import DM_ERRORS, SlackChannel, SlackFile, SlackMessage, SlackUser, SlackView

__all__ = [
    "DISCONNECT_REASONS",
    "DM_ERRORS",
    "MAX_MESSAGE_BLOCKS",
    "MAX_VIEW_BLOCKS",
    "POST_MESSAGE",
    "Connection",
    "Faults",
    "Interaction",
    "RecordedRequest",
    "SlackChannel",
    "SlackFile",
    "SlackMessage",
    "SlackSandbox",
    "SlackTimeout",
    "SlackUser",
    "SlackView",
    "SubmissionError",
]

"""What the local Slack sent the app through Socket Mode, and everything the app did in answer."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .world import JSON, SlackMessage, SlackUser, SlackView


class SubmissionError(ValueError):
    """The test asked for something a Slack user could not do (a missing button, a required field left empty)."""


@dataclass(eq=False)
class Interaction:
    """One envelope: a slash command, a click, a view submission or closing, or an event.

    ``ack`` is the ack's ``payload`` (None for an empty ack); the lists fill as the app answers.
    """

    envelope_id: str
    type: str
    """The envelope type: ``slash_commands``, ``interactive`` or ``events_api``."""
    payload: JSON
    user: SlackUser | None
    sent_at: float
    deadline: float
    trigger_id: str | None = None
    response_url: str | None = None
    source: SlackMessage | SlackView | None = None
    """The message or view the user acted on."""
    acked: bool = False
    acked_at: float | None = None
    ack: JSON | None = None
    ephemerals: list[SlackMessage] = field(default_factory=list)
    """Ephemeral messages the user saw in answer: the ack's text/blocks, chat.postEphemeral, response_url."""
    posted: list[SlackMessage] = field(default_factory=list)
    """Messages posted in the channel through the response_url (``response_type: in_channel``)."""
    opened: list[SlackView] = field(default_factory=list)
    """Modals opened (views.open) or pushed (views.push, ``response_action: push``) with this trigger."""
    updated: list[SlackMessage | SlackView] = field(default_factory=list)
    """The source message or view, when the app changed it (chat.update, views.update, response_url)."""
    published: list[SlackView] = field(default_factory=list)
    """Home tabs published for this user while the interaction was the latest."""
    problems: list[str] = field(default_factory=list)
    """What Slack would have shown the user instead of the app's answer (a bad ack, ``dispatch_failed``)."""

    @property
    def ack_seconds(self) -> float | None:
        return None if self.acked_at is None else self.acked_at - self.sent_at

    @property
    def late(self) -> bool:
        """Acked, but after Slack's deadline: the user already saw an error."""
        seconds = self.ack_seconds
        return seconds is not None and seconds > self.deadline

    @property
    def missing_ack(self) -> bool:
        """Not acked and past the deadline."""
        return not self.acked and time.monotonic() - self.sent_at > self.deadline

    @property
    def modal(self) -> SlackView | None:
        """The modal this interaction left on top: opened, pushed or updated."""
        views = [v for v in [*self.opened, *self.updated] if isinstance(v, SlackView) and v.open]
        return views[-1] if views else None

    @property
    def response_action(self) -> str | None:
        return None if self.ack is None else self.ack.get("response_action")

    @property
    def errors(self) -> dict[str, str]:
        """The per-block errors of a ``response_action: errors`` ack."""
        if self.response_action != "errors" or self.ack is None:
            return {}
        return dict(self.ack.get("errors", {}))

    @property
    def text(self) -> str:
        """The text of the last ephemeral answer ("" when none)."""
        return self.ephemerals[-1].text if self.ephemerals else ""


class Ledger:
    def __init__(self, deadline: float, clock: Callable[[], float]) -> None:
        self.deadline = deadline
        self.clock = clock
        self.all: list[Interaction] = []
        self._triggers: dict[str, tuple[float, Interaction, bool]] = {}

    def new(self, kind: str, payload: JSON, user: SlackUser | None, *, trigger: bool) -> Interaction:
        interaction = Interaction(
            envelope_id=str(uuid.uuid4()),
            type=kind,
            payload=payload,
            user=user,
            sent_at=time.monotonic(),
            deadline=self.deadline,
        )
        if trigger:
            trigger_id = f"{int(time.time())}.{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex}"
            interaction.trigger_id = trigger_id
            self._triggers[trigger_id] = (self.clock(), interaction, False)
        self.all.append(interaction)
        return interaction

    def exchange(self, trigger_id: Any, lifetime: float) -> Interaction:
        """Use a trigger once, within ``lifetime`` seconds (by the clock); raises the Slack error otherwise."""
        found = self._triggers.get(trigger_id) if isinstance(trigger_id, str) else None
        if found is None:
            raise LookupError("invalid_trigger_id")
        issued, interaction, used = found
        if used:
            raise LookupError("trigger_exchanged")
        if self.clock() - issued > lifetime:
            raise LookupError("expired_trigger_id")
        self._triggers[trigger_id] = (issued, interaction, True)
        return interaction

    def by_envelope(self, envelope_id: str) -> Interaction | None:
        return next((i for i in self.all if i.envelope_id == envelope_id), None)

    def by_response_url(self, url: str) -> Interaction | None:
        return next((i for i in self.all if i.response_url == url), None)

    def latest_for(self, user: SlackUser) -> Interaction | None:
        """The user's most recent interaction: where ephemeral messages and Home tabs are credited."""
        return next((i for i in reversed(self.all) if i.user is user), None)

    @property
    def late_acks(self) -> list[Interaction]:
        return [i for i in self.all if i.late]

    @property
    def missing_acks(self) -> list[Interaction]:
        return [i for i in self.all if i.missing_ack]

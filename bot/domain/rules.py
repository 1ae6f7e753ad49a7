"""The configurable rules the core follows, as plain values; bot/settings.py builds them from the environment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta


@dataclass(frozen=True, slots=True)
class FollowUpRules:
    """When each follow-up falls due, relative to the interview or to what the seeker said."""

    prep_before: timedelta
    thank_you_email_after: timedelta
    handwritten_note_after: timedelta
    thank_you_deadline: timedelta
    next_steps_after: timedelta
    check_in_hour: time
    default_check_in_after_days: int
    follow_through_after_days: int
    snooze: timedelta
    quiet_hours_start: time
    quiet_hours_end: time


@dataclass(frozen=True, slots=True)
class UserDefaults:
    """What a user who never set anything gets, and whether they are asked for their zone first."""

    timezone: str
    ask_timezone: bool


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """How the dispatcher claims, sends and retries follow-ups."""

    batch_size: int
    lease: timedelta
    max_attempts: int
    retry_base: timedelta
    concurrency: int
    safety_poll: timedelta
    late_after: timedelta


@dataclass(frozen=True, slots=True)
class DigestDefaults:
    """A new coach's weekly digest slot (Monday is 0, local time), and how soon a failed digest is retried."""

    weekday: int
    at: time
    retry: timedelta

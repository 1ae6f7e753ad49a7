"""Configuration from the environment and a .env file (see .env.example)."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ScheduleSettings(BaseModel):
    """The follow-up rules' offsets. Env: SCHEDULE__<FIELD>, durations in ISO 8601 (PT2H) or seconds."""

    prep_before: timedelta = timedelta(hours=1)
    thank_you_email_after: timedelta = timedelta(hours=2)
    handwritten_note_after: timedelta = timedelta(hours=4)
    thank_you_deadline: timedelta = timedelta(hours=24)
    next_steps_after: timedelta = timedelta(hours=2)
    check_in_hour: time = time(10, 0)
    default_check_in_after_days: int = 7
    follow_through_after_days: int = 7
    snooze: timedelta = timedelta(days=1)
    quiet_hours_start: time = time(21, 0)
    quiet_hours_end: time = time(8, 0)


class DispatchSettings(BaseModel):
    """How the dispatcher sends. Env: DISPATCH__<FIELD>."""

    batch_size: int = Field(default=100, ge=1, le=1000)
    lease: timedelta = timedelta(minutes=2)
    max_attempts: int = Field(default=5, ge=1)
    retry_base: timedelta = timedelta(seconds=30)
    send_rate: float = Field(default=40.0, ge=0, description="DMs per second; 0 disables pacing")
    concurrency: int = Field(default=20, ge=1)
    safety_poll: timedelta = timedelta(minutes=5)
    late_after: timedelta = timedelta(minutes=1)


class CoachSettings(BaseModel):
    """Coaches' weekly digest defaults. Env: COACH__<FIELD>; each coach can change theirs with /coach digest."""

    digest_weekday: int = Field(default=0, ge=0, le=6, description="Monday is 0")
    digest_time: time = time(9, 0)
    digest_retry: timedelta = timedelta(minutes=10)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", env_nested_delimiter="__", extra="ignore"
    )

    discord_token: SecretStr | None = None
    discord_api_base: str | None = None
    discord_gateway_url: str | None = None
    dev_guild_id: int | None = None

    database_path: Path = Path("follow_through.db")
    migrations_dir: Path = PROJECT_ROOT / "migrations"
    default_timezone: str = "UTC"
    # Ask each user for their zone before the first command that reads or plans a time. Off: everyone starts
    # in DEFAULT_TIMEZONE without being asked (a community that lives in one zone).
    ask_timezone: bool = True
    log_level: str = "INFO"

    schedule: ScheduleSettings = ScheduleSettings()
    dispatch: DispatchSettings = DispatchSettings()
    coach: CoachSettings = CoachSettings()

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA time zone {value!r}") from exc
        return value

"""Configuration from the environment and a .env file (see .env.example).

Every setting is range-checked at start: a value that would make the bot misbehave (a negative poll
interval spins the dispatcher; a zero snooze re-sends at once) stops it with one line naming the setting.
So does an unknown one, which would silently keep its default: any unknown key in the .env file (the file is
ours), and in the environment, which holds other programs' variables too, unknown SCHEDULE__, DISPATCH__ and
COACH__ keys.
Relative paths (DATABASE_PATH, MIGRATIONS_DIR) and the .env file are read from the current directory.
"""

from __future__ import annotations

import difflib
import logging
import re
from datetime import time, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.domain import zones
from bot.domain.errors import InvalidInput
from bot.domain.rules import DeliveryPolicy, DigestDefaults, FollowUpRules, UserDefaults

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
MAX_SHARDS = 1024
_SECONDS = re.compile(r"\s*[+-]?\d+(\.\d+)?\s*")
SECRETS = ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "DATABASE_URL")  # never repeated in an error


def _seconds_or_iso(value: Any) -> Any:
    """A plain number of seconds ("7200") as well as ISO 8601 ("PT2H"), which is all pydantic reads from text."""
    return float(value) if isinstance(value, str) and _SECONDS.fullmatch(value) else value


def _spoken(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def between(low: timedelta, high: timedelta) -> AfterValidator:
    """Range-checks a duration: `Annotated[timedelta, SECONDS, between(low, high)]`."""

    def check(span: timedelta) -> timedelta:
        if span < low:
            raise ValueError(f"must be at least {_spoken(low)}")
        if span > high:
            raise ValueError(f"must be at most {_spoken(high)}")
        return span

    return AfterValidator(check)


SECONDS = BeforeValidator(_seconds_or_iso)


def _comma_separated(value: Any) -> Any:
    """SHARD_IDS=0,2 as the list [0, 2]; SHARD_IDS= (empty) as [], no shards at all."""
    if not isinstance(value, str):
        return value
    parts = [part.strip() for part in value.split(",")] if value.strip() else []
    if not all(part.isdigit() for part in parts):
        raise ValueError("must be shard numbers separated by commas, such as 0,2")
    return [int(part) for part in parts]


SECOND, MINUTE, HOUR, DAY = timedelta(seconds=1), timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)


class ScheduleSettings(BaseModel):
    """The follow-up rules' offsets. Env: SCHEDULE__<FIELD>, durations in ISO 8601 (PT2H) or seconds."""

    model_config = ConfigDict(extra="forbid")

    prep_before: Annotated[timedelta, SECONDS, between(5 * MINUTE, 7 * DAY)] = timedelta(hours=1)
    thank_you_email_after: Annotated[timedelta, SECONDS, between(MINUTE, 7 * DAY)] = timedelta(hours=2)
    handwritten_note_after: Annotated[timedelta, SECONDS, between(MINUTE, 7 * DAY)] = timedelta(hours=4)
    thank_you_deadline: Annotated[timedelta, SECONDS, between(HOUR, 14 * DAY)] = timedelta(hours=24)
    next_steps_after: Annotated[timedelta, SECONDS, between(MINUTE, 7 * DAY)] = timedelta(hours=2)
    check_in_hour: time = time(10, 0)
    default_check_in_after_days: int = Field(default=7, ge=1, le=90)
    follow_through_after_days: int = Field(default=7, ge=1, le=90)
    snooze: Annotated[timedelta, SECONDS, between(5 * MINUTE, 7 * DAY)] = timedelta(days=1)
    quiet_hours_start: time = time(21, 0)
    quiet_hours_end: time = time(8, 0)

    @model_validator(mode="after")
    def _before_the_deadline(self) -> ScheduleSettings:
        for name in ("thank_you_email_after", "handwritten_note_after"):
            if getattr(self, name) >= self.thank_you_deadline:
                raise ValueError(f"SCHEDULE__{name.upper()} must be shorter than SCHEDULE__THANK_YOU_DEADLINE")
        return self

    def rules(self) -> FollowUpRules:
        return FollowUpRules(**self.model_dump())


class DispatchSettings(BaseModel):
    """How the dispatcher sends. Env: DISPATCH__<FIELD>."""

    model_config = ConfigDict(extra="forbid")

    batch_size: int = Field(default=100, ge=1, le=1000)
    lease: Annotated[timedelta, SECONDS, between(SECOND, HOUR)] = timedelta(minutes=2)
    max_attempts: int = Field(default=5, ge=1, le=100)
    retry_base: Annotated[timedelta, SECONDS, between(SECOND, HOUR)] = timedelta(seconds=30)
    send_rate: float = Field(default=40.0, ge=0, le=50, description="DMs per second; 0 disables pacing")
    concurrency: int = Field(default=20, ge=1, le=200)
    safety_poll: Annotated[timedelta, SECONDS, between(SECOND, DAY)] = timedelta(minutes=5)
    late_after: Annotated[timedelta, SECONDS, between(SECOND, DAY)] = timedelta(minutes=1)

    def policy(self) -> DeliveryPolicy:
        """The dispatcher's rules; send_rate is not one of them: each platform's sender paces itself."""
        return DeliveryPolicy(**self.model_dump(exclude={"send_rate"}))


class CoachSettings(BaseModel):
    """Coaches' weekly digest defaults. Env: COACH__<FIELD>; each coach can change theirs with /coach digest."""

    model_config = ConfigDict(extra="forbid")

    digest_weekday: int = Field(default=0, ge=0, le=6, description="Monday is 0")
    digest_time: time = time(9, 0)
    digest_retry: Annotated[timedelta, SECONDS, between(MINUTE, DAY)] = timedelta(minutes=10)

    def defaults(self) -> DigestDefaults:
        return DigestDefaults(weekday=self.digest_weekday, at=self.digest_time, retry=self.digest_retry)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", env_nested_delimiter="__", extra="forbid"
    )

    discord_token: SecretStr | None = None
    discord_api_base: str | None = None
    discord_gateway_url: str | None = None
    dev_guild_id: int | None = Field(default=None, gt=0)
    # Discord's gateway shards: how many in all, and which this process holds. Unset: every shard, as many as
    # Discord recommends. SHARD_IDS= (empty): none, REST only (the process still sends nudges and digests).
    shard_count: int | None = Field(default=None, ge=1, le=MAX_SHARDS)
    shard_ids: Annotated[list[int] | None, NoDecode, BeforeValidator(_comma_separated)] = None

    # Slack (Socket Mode): the bot token calls the Web API, the app-level token opens the socket.
    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_base_url: str | None = None

    # PostgreSQL (postgresql://user:password@host/db): set, it is the database, and DATABASE_PATH is unused.
    database_url: SecretStr | None = None
    database_path: Path = Path("follow_through.db")
    # The folder of NNNN_name.sql files; unset: the project's migrations/sqlite, or migrations/postgres.
    migrations_dir: Path | None = None
    default_timezone: str = "UTC"
    # Ask each user for their zone before the first command that reads or plans a time. Off: everyone starts
    # in DEFAULT_TIMEZONE without being asked (a community that lives in one zone).
    ask_timezone: bool = True
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"
    # /healthz and /metrics (Prometheus) on this port; unset: no server. Loopback unless METRICS_HOST says.
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    metrics_host: str = "127.0.0.1"

    schedule: ScheduleSettings = ScheduleSettings()
    dispatch: DispatchSettings = DispatchSettings()
    coach: CoachSettings = CoachSettings()

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            return zones.resolve(value)
        except InvalidInput as exc:
            if zones.is_fixed(value):
                raise ValueError(
                    "a fixed offset or abbreviation, which knows no daylight saving: use a city's zone such as "
                    "Europe/London"
                ) from exc
            raise ValueError("unknown IANA time zone") from exc

    @field_validator(
        "discord_token",
        "slack_bot_token",
        "slack_app_token",
        "database_url",
        "metrics_port",
        "shard_count",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        """`DISCORD_TOKEN=` as copied from .env.example means "not set yet", not an empty token to log in with."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("must be a bot token, which starts with xoxb-")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("must be an app-level token, which starts with xapp-")
        return value

    @field_validator("slack_api_base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"https?://[^/\s]+", value):
            raise ValueError("must be a URL such as https://…")
        return value

    @field_validator("log_format", mode="before")
    @classmethod
    def _format_in_any_case(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _shards(self) -> Settings:
        ids = self.shard_ids
        if not ids:
            return self
        if self.shard_count is None:
            raise ValueError("SHARD_IDS: needs SHARD_COUNT, the number of shards in all")
        if len(set(ids)) != len(ids):
            raise ValueError(f"SHARD_IDS: a shard is named twice (got {ids})")
        if not all(0 <= i < self.shard_count for i in ids):
            raise ValueError(f"SHARD_IDS: each must be from 0 to SHARD_COUNT - 1 = {self.shard_count - 1} (got {ids})")
        return self

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.match(r"postgres(ql)?://", value.get_secret_value()):
            raise ValueError("must be a PostgreSQL URL such as postgresql://user:password@host:5432/dbname")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.upper() not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return value.upper()

    @field_validator("discord_api_base", "discord_gateway_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"(https?|wss?)://[^/\s]+", value):
            raise ValueError("must be a URL such as https://… or wss://…")
        return value

    def rules(self) -> FollowUpRules:
        return self.schedule.rules()

    @property
    def migrations(self) -> Path:
        """MIGRATIONS_DIR, or the project's migrations for the database in use."""
        backend = "sqlite" if self.database_url is None else "postgres"
        return self.migrations_dir or PROJECT_ROOT / "migrations" / backend

    def user_defaults(self) -> UserDefaults:
        return UserDefaults(timezone=self.default_timezone, ask_timezone=self.ask_timezone)

    @property
    def log_level_number(self) -> int:
        return logging.getLevelNamesMapping()[self.log_level]


def setting_errors(error: ValidationError) -> list[str]:
    """One line per bad setting, named as it is set in the environment: `SCHEDULE__SNOOZE: must be at least 5
    minutes (got 'PT1M')`. The token's value is never repeated."""
    lines = []
    for problem in error.errors():
        name = "__".join(str(part) for part in problem["loc"]).upper() or "settings"
        if problem["type"] == "extra_forbidden":  # its value is not repeated: it may be a misnamed secret
            lines.append(_unknown(name))
            continue
        context = {
            k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in problem.get("ctx", {}).items()
        }
        message = {
            "greater_than_equal": f"must be at least {context.get('ge')}",
            "less_than_equal": f"must be at most {context.get('le')}",
            "greater_than": f"must be more than {context.get('gt')}",
        }.get(problem["type"], problem["msg"].removeprefix("Value error, "))
        given = problem.get("input")
        shown = "" if name in SECRETS or isinstance(given, dict | BaseModel) else f" (got {given!r})"
        whole = message.startswith(f"{name}__") or not problem["loc"]  # a check across settings names its own
        lines.append(message if whole else f"{name}: {message}{shown}")
    return lines


def setting_names() -> list[str]:
    """Every setting as it is named in the environment: LOG_LEVEL, SCHEDULE__SNOOZE, …"""
    names = []
    for name, field in Settings.model_fields.items():
        if isinstance(field.default, BaseModel):
            names += [f"{name}__{inner}".upper() for inner in type(field.default).model_fields]
        else:
            names.append(name.upper())
    return names


def _unknown(name: str) -> str:
    close = difflib.get_close_matches(name, setting_names(), n=1)
    return f"{name}: not a setting; did you mean {close[0]}?" if close else f"{name}: not a setting (see .env.example)"

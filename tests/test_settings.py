"""Settings: durations in seconds or ISO 8601, every setting range-checked, one line per problem naming it."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from bot.settings import PROJECT_ROOT, CoachSettings, DispatchSettings, ScheduleSettings, Settings, setting_errors


def load(monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings(_env_file=None)


def problems(monkeypatch: pytest.MonkeyPatch, **env: str) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        load(monkeypatch, **env)
    return setting_errors(caught.value)


def test_durations_are_read_in_seconds_as_well_as_iso_8601(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load(
        monkeypatch,
        SCHEDULE__THANK_YOU_EMAIL_AFTER="7200",
        SCHEDULE__HANDWRITTEN_NOTE_AFTER="PT4H",
        DISPATCH__RETRY_BASE="1.5",
        SCHEDULE__SNOOZE="P1D",
    )
    assert settings.schedule.thank_you_email_after == timedelta(hours=2)
    assert settings.schedule.handwritten_note_after == timedelta(hours=4)
    assert settings.dispatch.retry_base == timedelta(seconds=1.5)
    assert settings.schedule.snooze == timedelta(days=1)


def test_the_defaults_are_within_every_range() -> None:
    settings = Settings(_env_file=None)
    assert settings.schedule == ScheduleSettings()
    assert settings.dispatch == DispatchSettings()
    assert settings.coach == CoachSettings()
    assert settings.log_level == "INFO"


@pytest.mark.parametrize(
    ("name", "value", "line"),
    [
        ("DISPATCH__SAFETY_POLL", "-PT5M", "DISPATCH__SAFETY_POLL: must be at least 1 second (got '-PT5M')"),
        ("DISPATCH__SAFETY_POLL", "0", "DISPATCH__SAFETY_POLL: must be at least 1 second (got '0')"),
        ("DISPATCH__LEASE", "P2D", "DISPATCH__LEASE: must be at most 1 hour (got 'P2D')"),
        ("DISPATCH__RETRY_BASE", "-30", "DISPATCH__RETRY_BASE: must be at least 1 second (got '-30')"),
        ("DISPATCH__LATE_AFTER", "PT0S", "DISPATCH__LATE_AFTER: must be at least 1 second (got 'PT0S')"),
        ("DISPATCH__BATCH_SIZE", "0", "DISPATCH__BATCH_SIZE: must be at least 1 (got '0')"),
        ("DISPATCH__MAX_ATTEMPTS", "-1", "DISPATCH__MAX_ATTEMPTS: must be at least 1 (got '-1')"),
        ("DISPATCH__CONCURRENCY", "0", "DISPATCH__CONCURRENCY: must be at least 1 (got '0')"),
        ("DISPATCH__SEND_RATE", "-5", "DISPATCH__SEND_RATE: must be at least 0 (got '-5')"),
        ("DISPATCH__SEND_RATE", "500", "DISPATCH__SEND_RATE: must be at most 50 (got '500')"),
        ("SCHEDULE__SNOOZE", "PT1M", "SCHEDULE__SNOOZE: must be at least 5 minutes (got 'PT1M')"),
        ("SCHEDULE__PREP_BEFORE", "-PT1H", "SCHEDULE__PREP_BEFORE: must be at least 5 minutes (got '-PT1H')"),
        ("SCHEDULE__NEXT_STEPS_AFTER", "0", "SCHEDULE__NEXT_STEPS_AFTER: must be at least 1 minute (got '0')"),
        ("SCHEDULE__THANK_YOU_DEADLINE", "P30D", "SCHEDULE__THANK_YOU_DEADLINE: must be at most 14 days (got 'P30D')"),
        (
            "SCHEDULE__DEFAULT_CHECK_IN_AFTER_DAYS",
            "0",
            "SCHEDULE__DEFAULT_CHECK_IN_AFTER_DAYS: must be at least 1 (got '0')",
        ),
        (
            "SCHEDULE__FOLLOW_THROUGH_AFTER_DAYS",
            "-7",
            "SCHEDULE__FOLLOW_THROUGH_AFTER_DAYS: must be at least 1 (got '-7')",
        ),
        ("COACH__DIGEST_WEEKDAY", "7", "COACH__DIGEST_WEEKDAY: must be at most 6 (got '7')"),
        ("COACH__DIGEST_RETRY", "-PT10M", "COACH__DIGEST_RETRY: must be at least 1 minute (got '-PT10M')"),
        ("LOG_LEVEL", "verbose", "LOG_LEVEL: must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL (got 'verbose')"),
        ("DEV_GUILD_ID", "-1", "DEV_GUILD_ID: must be more than 0 (got '-1')"),
        (
            "DISCORD_API_BASE",
            "localhost:8080",
            "DISCORD_API_BASE: must be a URL such as https://… or wss://… (got 'localhost:8080')",
        ),
        ("DEFAULT_TIMEZONE", "Mars/Olympus", "DEFAULT_TIMEZONE: unknown IANA time zone (got 'Mars/Olympus')"),
    ],
)
def test_a_value_out_of_range_is_refused_in_one_line_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, line: str
) -> None:
    assert problems(monkeypatch, **{name: value}) == [line]


def test_the_thank_yous_come_before_their_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    assert problems(monkeypatch, SCHEDULE__THANK_YOU_EMAIL_AFTER="P2D") == [
        "SCHEDULE__THANK_YOU_EMAIL_AFTER must be shorter than SCHEDULE__THANK_YOU_DEADLINE"
    ]


def test_log_levels_are_read_in_any_case(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load(monkeypatch, LOG_LEVEL="debug")
    assert (settings.log_level, settings.log_level_number) == ("DEBUG", 10)


def test_the_token_is_never_repeated_in_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None, discord_token=["not", "a", "string"])  # type: ignore[arg-type]
    assert all("not" not in line.split(":", 1)[1] for line in setting_errors(caught.value))


@pytest.mark.parametrize(
    ("name", "value", "line"),
    [
        ("SLACK_BOT_TOKEN", "xapp-1-secret", "SLACK_BOT_TOKEN: must be a bot token, which starts with xoxb-"),
        ("SLACK_APP_TOKEN", "xoxb-secret", "SLACK_APP_TOKEN: must be an app-level token, which starts with xapp-"),
        (
            "SLACK_API_BASE_URL",
            "slack.com/api",
            "SLACK_API_BASE_URL: must be a URL such as https://… (got 'slack.com/api')",
        ),
    ],
)
def test_slack_tokens_are_checked_by_their_prefix_without_repeating_them(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, line: str
) -> None:
    assert problems(monkeypatch, **{name: value}) == [line]


def test_slack_settings_are_read_and_blank_tokens_are_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load(
        monkeypatch, SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN=" ", SLACK_API_BASE_URL="http://127.0.0.1:9/api/"
    )
    assert settings.slack_bot_token is not None and settings.slack_bot_token.get_secret_value() == "xoxb-1"
    assert "xoxb-1" not in repr(settings)
    assert (settings.slack_app_token, settings.slack_api_base_url) == (None, "http://127.0.0.1:9/api/")


def test_database_url_selects_postgresql_and_its_migrations_and_is_never_repeated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert load(monkeypatch).migrations == PROJECT_ROOT / "migrations" / "sqlite"
    settings = load(monkeypatch, DATABASE_URL="postgresql://bot:s3cret@db:5432/ft")
    assert settings.database_url is not None and settings.database_url.get_secret_value().endswith("@db:5432/ft")
    assert settings.migrations == PROJECT_ROOT / "migrations" / "postgres"
    assert "s3cret" not in repr(settings)
    assert load(monkeypatch, DATABASE_URL=" ").database_url is None  # blank, as copied from .env.example
    assert load(monkeypatch, MIGRATIONS_DIR="/srv/m", DATABASE_URL="postgres://db/ft").migrations == Path("/srv/m")
    assert problems(monkeypatch, DATABASE_URL="mysql://bot:s3cret@db/ft") == [
        "DATABASE_URL: must be a PostgreSQL URL such as postgresql://user:password@host:5432/dbname"
    ]


def test_env_example_documents_every_variable_and_its_values_are_valid(tmp_path: Path) -> None:
    example = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    assignments = [m.group(1) for m in re.finditer(r"^#? ?([A-Z_]+=\S*.*)$", example, re.MULTILINE)]
    names = {line.split("=", 1)[0] for line in assignments}
    expected = set()
    for name, field in Settings.model_fields.items():
        if isinstance(field.default, BaseModel):
            expected |= {f"{name}__{inner}".upper() for inner in type(field.default).model_fields}
        else:
            expected.add(name.upper())
    assert names == expected
    uncommented = tmp_path / ".env"
    uncommented.write_text("\n".join(line for line in assignments if not line.startswith("DISCORD_")) + "\n")
    settings = Settings(_env_file=uncommented)
    assert settings.dispatch.send_rate == 40
    assert settings.schedule.thank_you_deadline == timedelta(hours=24)


# Unknown settings: a misspelt one would silently keep its default.


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("SCHEDULE__SNOOZ", "SCHEDULE__SNOOZ: not a setting; did you mean SCHEDULE__SNOOZE?"),
        (
            "SCHEDULE__THANK_YOU_EMAIL",
            "SCHEDULE__THANK_YOU_EMAIL: not a setting; did you mean SCHEDULE__THANK_YOU_EMAIL_AFTER?",
        ),
        ("DISPATCH__BATCHSIZE", "DISPATCH__BATCHSIZE: not a setting; did you mean DISPATCH__BATCH_SIZE?"),
        ("COACH__DIGEST_DAY", "COACH__DIGEST_DAY: not a setting; did you mean COACH__DIGEST_WEEKDAY?"),
        ("COACH__COLOUR", "COACH__COLOUR: not a setting (see .env.example)"),
    ],
)
def test_an_unknown_nested_setting_in_the_environment_is_refused(
    monkeypatch: pytest.MonkeyPatch, name: str, line: str
) -> None:
    assert problems(monkeypatch, **{name: "PT2H"}) == [line]


def test_other_variables_in_the_environment_are_not_ours(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load(monkeypatch, LOGLEVEL="debug", SCHEDULER_URL="x", DISPATCHER="y", EDITOR="vi")
    assert settings.log_level == "INFO"


def test_an_unknown_setting_in_the_env_file_is_refused_without_its_value(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("LOGLEVEL=debug\nSCHEDULE__SNOOZ=PT1M\nDISCORD_TOKN=secret-value\nLOG_LEVEL=info\n")
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=env)
    assert sorted(setting_errors(caught.value)) == [
        "DISCORD_TOKN: not a setting; did you mean DISCORD_TOKEN?",
        "LOGLEVEL: not a setting; did you mean LOG_LEVEL?",
        "SCHEDULE__SNOOZ: not a setting; did you mean SCHEDULE__SNOOZE?",
    ]
    assert "secret-value" not in str(setting_errors(caught.value))


@pytest.mark.parametrize("zone", ["Etc/GMT+5", "EST", "GMT+2", "CET"])
def test_a_default_zone_without_daylight_saving_is_refused(monkeypatch: pytest.MonkeyPatch, zone: str) -> None:
    # Etc/GMT+5 is UTC−5: every new user would start there, an hour off half the year and the sign misread.
    assert problems(monkeypatch, DEFAULT_TIMEZONE=zone) == [
        f"DEFAULT_TIMEZONE: a fixed offset or abbreviation, which knows no daylight saving: use a city's zone "
        f"such as Europe/London (got {zone!r})"
    ]


def test_a_default_zone_is_read_in_any_case(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load(monkeypatch, DEFAULT_TIMEZONE="europe/london").default_timezone == "Europe/London"


# Operations: shards, the metrics server, the log format.


def test_shard_ids_are_comma_separated_and_empty_means_no_shards(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load(monkeypatch, SHARD_COUNT="3", SHARD_IDS="0, 2").shard_ids == [0, 2]
    assert load(monkeypatch, SHARD_IDS="").shard_ids == []
    monkeypatch.delenv("SHARD_IDS")
    assert load(monkeypatch, SHARD_COUNT="").shard_ids is None  # unset: every shard
    assert load(monkeypatch).shard_count is None


def test_metrics_port_unset_or_blank_means_no_server_and_log_format_reads_in_any_case(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = load(monkeypatch, METRICS_PORT="", LOG_FORMAT="JSON")
    assert (settings.metrics_port, settings.metrics_host, settings.log_format) == (None, "127.0.0.1", "json")
    assert load(monkeypatch, METRICS_PORT="9100").metrics_port == 9100


@pytest.mark.parametrize(
    ("env", "line"),
    [
        ({"SHARD_IDS": "0,1"}, "SHARD_IDS: needs SHARD_COUNT, the number of shards in all"),
        (
            {"SHARD_COUNT": "2", "SHARD_IDS": "0,2"},
            "SHARD_IDS: each must be from 0 to SHARD_COUNT - 1 = 1 (got [0, 2])",
        ),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "1,1"}, "SHARD_IDS: a shard is named twice (got [1, 1])"),
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT: must be at least 1 (got '0')"),
        (
            {"SHARD_COUNT": "2", "SHARD_IDS": "one"},
            "SHARD_IDS: must be shard numbers separated by commas, such as 0,2 (got 'one')",
        ),
        ({"METRICS_PORT": "70000"}, "METRICS_PORT: must be at most 65535 (got '70000')"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT: Input should be 'text' or 'json' (got 'xml')"),
    ],
)
def test_operations_settings_out_of_range_are_refused_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], line: str
) -> None:
    assert problems(monkeypatch, **env) == [line]

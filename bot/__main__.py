"""`python -m bot` runs the bot; `python -m bot demo [--slack | --both]` plays a job hunt against a local Discord,
Slack, or both."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ValidationError
from pydantic_core import to_jsonable_python

if TYPE_CHECKING:
    from bot.settings import Settings

NO_TOKEN = """\
Follow-Through needs a chat platform's tokens: DISCORD_TOKEN is not set, and neither is Slack's pair
(SLACK_BOT_TOKEN and SLACK_APP_TOKEN). Set one platform's, or both to run both in one process.

Discord:
  1. Open https://discord.com/developers/applications, create an application, and under "Bot"
     press "Reset Token" to get one.
  2. Put it in {env_file} as   DISCORD_TOKEN=your-token   (see .env.example), or set it in the
     environment. The .env file is read from the directory the bot starts in (./scripts/run starts in
     the project's).
  3. Invite the bot with the scopes "bot" and "applications.commands" (Installation page).

Slack (Socket Mode: no public URL needed):
  1. Open https://api.slack.com/apps, "Create New App" > "From an app manifest", and paste this
     project's slack-manifest.yml.
  2. "Install to Workspace", then copy the Bot User OAuth Token (xoxb-…) from "OAuth & Permissions"
     as SLACK_BOT_TOKEN.
  3. Under "Basic Information" > "App-Level Tokens", generate one with the scope connections:write
     (xapp-…) as SLACK_APP_TOKEN.

Then start it again: ./scripts/run, or python -m bot.

No token yet? See the bot work against a local Discord or Slack:
  ./scripts/run demo            a job hunt on a local Discord (or python -m bot demo)
  ./scripts/run demo --slack    the same on a local Slack
  ./scripts/run demo --both     a coach on Slack following a seeker on Discord
"""

CONFIGURATION = """\
configuration:
  From environment variables, or a .env file in the current directory. Every variable is described in
  .env.example and in the "Configuration" section of README.md; relative paths are read from the current
  directory. Durations are ISO 8601 (PT2H, P1D) or seconds (7200). The variables, with their defaults:

"""


def _settings_help() -> str:
    from bot.settings import Settings

    lines = []
    for name, field in Settings.model_fields.items():
        if isinstance(field.default, BaseModel):
            for inner, value in field.default.model_dump(mode="json").items():
                lines.append(f"  {name.upper()}__{inner.upper()}={value}")
        else:
            shown = "" if field.default is None else to_jsonable_python(field.default)
            lines.append(f"  {name.upper()}={shown}")
    return CONFIGURATION + "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Follow-Through: a Discord and Slack bot that makes job seekers follow up after interviews. "
        "Without a command it runs the bot with the configuration below (a Discord or Slack token is required).",
        epilog=_settings_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", title="commands", metavar="[demo]")
    demo = commands.add_parser(
        "demo",
        help="play a scripted job hunt against a local Discord, Slack, or both (no token or configuration needed)",
        description="Play a scripted job hunt: the real bot against a local Discord sandbox (or Slack, or both), "
        "on a simulated clock, with a throwaway database. Reads no configuration.",
    )
    where = demo.add_mutually_exclusive_group()
    where.add_argument("--slack", action="store_true", help="play it on a local Slack instead")
    where.add_argument(
        "--both",
        action="store_true",
        help="a coach on a local Slack following a seeker on a local Discord, one bot serving both",
    )
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)  # unknown arguments: usage and exit status 2
    if args.command == "demo":
        from bot.demo import main as demo

        return asyncio.run(demo("slack" if args.slack else "both" if args.both else "discord"))

    from bot.settings import Settings, setting_errors

    try:
        settings = Settings()
    except ValidationError as exc:
        for line in setting_errors(exc):
            print(line, file=sys.stderr)
        print("Follow-Through did not start: fix the settings above (see .env.example).", file=sys.stderr)
        return 2
    slack = {"SLACK_BOT_TOKEN": settings.slack_bot_token, "SLACK_APP_TOKEN": settings.slack_app_token}
    missing = [name for name, token in slack.items() if token is None]
    if len(missing) == 1:
        print(f"{missing[0]} is not set: Slack needs both SLACK_BOT_TOKEN and SLACK_APP_TOKEN.", file=sys.stderr)
        return 2
    if settings.discord_token is None and missing:
        print(NO_TOKEN.format(env_file=Path.cwd() / ".env"), file=sys.stderr)
        return 2
    return _run(settings)


def _run(settings: Settings) -> int:
    """Run until stopped. A start-up failure ends the process at once with one line naming the setting at
    fault and a non-zero status, so that a restart policy notices."""
    import aiohttp
    from slack_sdk.errors import SlackApiError

    from bot.app import run
    from bot.operations.logs import JsonFormatter
    from bot.operations.server import MetricsPortError
    from bot.platforms.discord.endpoints import TokenRefused, setup_logging
    from bot.storage.migrations import MigrationError
    from bot.storage.postgres.database import DatabaseUrlError
    from bot.storage.sqlite.database import DatabaseFileError

    setup_logging(settings.log_level_number, formatter=JsonFormatter() if settings.log_format == "json" else None)
    try:
        asyncio.run(run(settings))
    except DatabaseFileError as exc:
        problem = f"DATABASE_PATH: {exc}"
    except DatabaseUrlError as exc:
        problem = f"DATABASE_URL: {exc}"
    except MigrationError as exc:
        problem = f"MIGRATIONS_DIR: {exc}"
    except TokenRefused as exc:
        problem = f"DISCORD_TOKEN: Discord refused it ({exc}); reset the token in the Developer Portal"
    except SlackApiError as exc:
        problem = f"SLACK_BOT_TOKEN: Slack refused it ({exc.response.get('error')}); reinstall the app to get one"
    except MetricsPortError as exc:
        problem = f"METRICS_PORT: {exc}"
    except aiohttp.ClientConnectionError as exc:
        problem = f"DISCORD_API_BASE: cannot reach Discord ({settings.discord_api_base or 'discord.com'}): {exc}"
    else:
        return 0
    print(f"Follow-Through did not start. {problem}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

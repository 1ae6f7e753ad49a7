"""`python -m bot` runs the bot; `python -m bot demo` plays a job hunt against a local Discord."""

from __future__ import annotations

import asyncio
import sys

from pydantic import ValidationError

NO_TOKEN = """\
Follow-Through needs a Discord bot token, and DISCORD_TOKEN is not set.

  1. Open https://discord.com/developers/applications, create an application, and under "Bot"
     press "Reset Token" to get one.
  2. Put it in a .env file beside this project:   DISCORD_TOKEN=your-token   (see .env.example)
  3. Invite the bot with the scopes "bot" and "applications.commands" (Installation page), then
     run `python -m bot` again.

No token yet? See the bot work against a local Discord sandbox:   python -m bot demo
"""


def main(argv: list[str]) -> int:
    if argv[:1] == ["demo"]:
        from bot.demo import main as demo

        return asyncio.run(demo())
    if argv:
        print("usage: python -m bot [demo]", file=sys.stderr)
        return 2

    from bot.settings import Settings

    try:
        settings = Settings()
    except ValidationError as exc:
        print(f"Configuration error (check your environment and .env):\n{exc}", file=sys.stderr)
        return 2
    if settings.discord_token is None:
        print(NO_TOKEN, file=sys.stderr)
        return 2

    from bot.app import run
    from bot.discord_adapter.endpoints import setup_logging

    setup_logging(settings.log_level)
    asyncio.run(run(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

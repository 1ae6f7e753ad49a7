"""Error texts name the product's actions; Discord shows each as its slash command."""

from __future__ import annotations

from bot.domain.errors import Command, InvalidInput
from bot.platforms.discord.command_names import SLASH, slash


def test_every_action_has_a_slash_command() -> None:
    assert set(SLASH) == set(Command)


def test_an_error_reads_as_discord_commands_on_discord_and_neutrally_elsewhere() -> None:
    title = "{a}"  # the user's own words may hold braces: they stay as typed
    error = InvalidInput(f"“{title}” is closed. See {{interview_list}}, or use {{coach_leave}}.")
    assert error.render(slash) == "“{a}” is closed. See /interview list, or use /coach leave."
    assert error.message == "“{a}” is closed. See your interview list, or use leave group."
    assert str(error) == error.message

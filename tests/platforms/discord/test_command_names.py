"""Error texts name the product's actions; Discord shows each as its slash command."""

from __future__ import annotations

from bot.content.notices import refusal
from bot.domain.errors import Command, InvalidInput
from bot.platforms.discord import render
from bot.platforms.discord.command_names import SLASH


def test_every_action_has_a_slash_command() -> None:
    assert set(SLASH) == set(Command)


def test_an_error_reads_as_discord_commands_on_discord_and_neutrally_elsewhere() -> None:
    title = "{a}"  # the user's own words may hold braces: they stay as typed
    error = InvalidInput(f"“{title}” is closed. See {{interview_list}}, or use {{coach_leave}}.")
    assert render.text(refusal(error)) == "“{a}” is closed. See /interview list, or use /coach leave."
    assert error.message == "“{a}” is closed. See your interview list, or use leave group."
    assert str(error) == error.message


def test_what_a_user_typed_in_an_error_is_escaped_as_user_text() -> None:
    error = InvalidInput("“{title}” is closed. See {interview_list}.", title="*{interview_list}* @everyone")
    assert render.text(refusal(error)) == "“\\*{interview\\_list}\\* @\u200beveryone” is closed. See /interview list."
    assert error.message == "“*{interview_list}* @everyone” is closed. See your interview list."

"""The Slack app's manifest (slack-manifest.yml) declares what the adapter needs: its commands, scopes and events."""

from __future__ import annotations

from typing import Any

import yaml

from bot.platforms.slack.command_names import SLASH
from bot.settings import PROJECT_ROOT


def manifest() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((PROJECT_ROOT / "slack-manifest.yml").read_text(encoding="utf-8"))
    return loaded


def test_the_manifest_declares_every_slash_command_the_bot_names() -> None:
    declared = {c["command"] for c in manifest()["features"]["slash_commands"]}
    assert declared == {name.split()[0] for name in SLASH.values()} == {"/interview", "/followups", "/followthrough"}


def test_the_manifest_asks_for_the_scopes_and_events_and_turns_on_socket_mode_and_both_tabs() -> None:
    app = manifest()
    assert set(app["oauth_config"]["scopes"]["bot"]) == {
        "commands",
        "chat:write",
        "im:write",
        "im:history",
        "users:read",
        "files:write",
    }
    assert set(app["settings"]["event_subscriptions"]["bot_events"]) == {"app_home_opened", "message.im"}
    assert app["settings"]["socket_mode_enabled"] is True and app["settings"]["interactivity"]["is_enabled"] is True
    home = app["features"]["app_home"]
    assert home["home_tab_enabled"] and home["messages_tab_enabled"] and not home["messages_tab_read_only_enabled"]


def test_followthrough_gets_mentions_as_user_ids() -> None:
    """`coach add-coach @dee` arrives as `<@U123|dee>` only when the command escapes what users type."""
    [command] = [c for c in manifest()["features"]["slash_commands"] if c["command"] == "/followthrough"]
    assert command["should_escape"] is True

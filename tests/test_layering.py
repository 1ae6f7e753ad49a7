"""The core and storage stand without discord: only the discord adapter may import it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from bot.settings import PROJECT_ROOT

PLATFORM_AGNOSTIC = ("bot/domain", "bot/content", "bot/ports", "bot/usecases", "bot/delivery", "bot/storage")


def modules() -> list[str]:
    names = ["bot.settings"]
    for package in PLATFORM_AGNOSTIC:
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_there_are_modules_to_check() -> None:
    names = modules()
    assert {"bot.domain", "bot.delivery.dispatcher", "bot.usecases.interviews", "bot.storage.sqlite.database"} <= set(
        names
    )


def test_core_and_storage_import_with_discord_blocked() -> None:
    script = (
        "import importlib, sys\n"
        "sys.modules['discord'] = None  # any 'import discord' now raises ImportError\n"
        f"for name in {modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'discord' or m.startswith('discord.'))\n"
        "assert leaked == ['discord'], leaked\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
            found.add(node.module)
    return found


def test_no_file_in_core_or_storage_imports_discord() -> None:
    offenders = []
    for package in PLATFORM_AGNOSTIC:
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            imports = imported_modules(path)
            if "import discord" in text or any(m == "discord" or m.startswith("discord.") for m in imports):
                offenders.append(str(path.relative_to(PROJECT_ROOT)))
    assert offenders == []


def test_only_the_discord_adapter_imports_discord() -> None:
    """The sandbox, the entry points and the composition root reach discord only through the adapter."""
    offenders = []
    for path in sorted((PROJECT_ROOT / "bot").rglob("*.py")):
        if path.is_relative_to(PROJECT_ROOT / "bot/platforms/discord"):
            continue
        imports = imported_modules(path)
        if any(m == "discord" or m.startswith("discord.") for m in imports):
            offenders.append(str(path.relative_to(PROJECT_ROOT)))
    assert offenders == []


# What each layer of the core must never import (itself or any submodule).
FORBIDDEN = {
    "bot/domain": ("bot.storage", "aiosqlite", "bot.settings", "discord", "apscheduler", "bot.ports", "bot.usecases"),
    "bot/usecases": ("bot.storage", "aiosqlite", "bot.settings", "discord", "apscheduler", "bot.delivery"),
    "bot/delivery": ("bot.storage", "aiosqlite", "bot.settings", "discord"),
}


def test_the_core_imports_no_storage_driver_settings_or_chat_sdk() -> None:
    offenders = []
    for package, forbidden in FORBIDDEN.items():
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            for name in imported_modules(path):
                if any(name == f or name.startswith(f + ".") for f in forbidden):
                    offenders.append(f"{path.relative_to(PROJECT_ROOT)} imports {name}")
    assert offenders == []

"""The application commands the bot synced, and turning a user's input into interaction options for them."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import payloads
from .world import JSON, SandboxChannel, SandboxGuild, SandboxUser


class OptionType(enum.IntEnum):
    SUB_COMMAND = 1
    SUB_COMMAND_GROUP = 2
    STRING = 3
    INTEGER = 4
    BOOLEAN = 5
    USER = 6
    CHANNEL = 7
    ROLE = 8
    MENTIONABLE = 9
    NUMBER = 10
    ATTACHMENT = 11


class CommandContext(enum.IntEnum):
    GUILD = 0
    BOT_DM = 1
    PRIVATE_CHANNEL = 2


class CommandError(LookupError):
    """The test asked for a command or option the bot never synced (or could not be used there)."""


@dataclass(frozen=True)
class SyncedCommand:
    id: int
    name: str
    guild_id: int | None
    payload: JSON
    """The command as Discord returned it from the sync, ids included."""

    @property
    def paths(self) -> list[str]:
        """Invocable names: ``"interview add"`` for a subcommand, ``"ping"`` for a plain command."""
        return [" ".join(p) for p in _leaf_paths(self.payload, (self.name,))]

    def usable_in(self, context: CommandContext) -> bool:
        if self.guild_id is not None:
            return context is CommandContext.GUILD
        contexts = self.payload.get("contexts")
        if contexts is not None:
            return int(context) in contexts
        return context is CommandContext.GUILD or self.payload.get("dm_permission") is not False


def _leaf_paths(node: JSON, prefix: tuple[str, ...]) -> list[tuple[str, ...]]:
    subs = [o for o in node.get("options", []) if o["type"] in (OptionType.SUB_COMMAND, OptionType.SUB_COMMAND_GROUP)]
    if not subs:
        return [prefix]
    return [path for sub in subs for path in _leaf_paths(sub, (*prefix, sub["name"]))]


@dataclass(frozen=True)
class Invocation:
    """A command resolved from a path: the top-level command, the subcommands on the way, the leaf's options."""

    command: SyncedCommand
    subcommands: list[JSON]
    schema: list[JSON]

    def data(self, options: list[JSON], resolved: JSON) -> JSON:
        """The interaction ``data`` object, subcommand options wrapped around the leaf options."""
        for sub in reversed(self.subcommands):
            options = [{"type": sub["type"], "name": sub["name"], "options": options}]
        data: JSON = {"id": str(self.command.id), "name": self.command.name, "type": 1, "options": options}
        if self.command.guild_id is not None:
            data["guild_id"] = str(self.command.guild_id)
        if resolved:
            data["resolved"] = resolved
        return data


class CommandRegistry:
    def __init__(self, new_id: Callable[[], int]) -> None:
        self._new_id = new_id
        self._commands: dict[int | None, dict[str, SyncedCommand]] = {}
        self.syncs = 0
        """How many bulk overwrites the bot made (global and guild)."""

    def replace(self, application_id: int, guild_id: int | None, commands: list[JSON]) -> list[JSON]:
        """A bulk overwrite: keeps the ids of commands that survive (by name and type), as Discord does."""
        old = self._commands.get(guild_id, {})
        synced: dict[str, SyncedCommand] = {}
        for command in commands:
            kind = command.get("type", 1)
            key = f"{kind}:{command['name']}"
            command_id = old[key].id if key in old else self._new_id()
            payload = {
                **command,
                "id": str(command_id),
                "application_id": str(application_id),
                "type": kind,
                "version": str(self._new_id()),
                "default_member_permissions": command.get("default_member_permissions"),
            }
            if guild_id is not None:
                payload["guild_id"] = str(guild_id)
            synced[key] = SyncedCommand(command_id, command["name"], guild_id, payload)
        self._commands[guild_id] = synced
        self.syncs += 1
        return [c.payload for c in synced.values()]

    def was_synced(self, guild_id: int | None) -> bool:
        return guild_id in self._commands

    def listed(self, guild_id: int | None) -> list[SyncedCommand]:
        return list(self._commands.get(guild_id, {}).values())

    def resolve(self, path: str, guild: SandboxGuild | None, context: CommandContext) -> Invocation:
        name, *rest = path.split()
        candidates = [*self.listed(guild.id), *self.listed(None)] if guild else self.listed(None)
        command = next((c for c in candidates if c.name == name and c.payload["type"] == 1), None)
        if command is None:
            known = sorted(p for c in candidates for p in c.paths)
            raise CommandError(f"no synced slash command {name!r} here; synced: {known}")
        if not command.usable_in(context):
            raise CommandError(f"/{name} cannot be used in {context.name}")
        node, subcommands = command.payload, []
        for part in rest:
            sub = next((o for o in node.get("options", []) if o["name"] == part and o["type"] in (1, 2)), None)
            if sub is None:
                raise CommandError(f"/{path}: {part!r} is not a subcommand; commands: {command.paths}")
            subcommands.append(sub)
            node = sub
        schema = list(node.get("options", []))
        if any(o["type"] in (1, 2) for o in schema):
            raise CommandError(f"/{path} is a group; invoke one of {command.paths}")
        return Invocation(command, subcommands, schema)


OptionValue = str | int | float | bool | SandboxUser | SandboxChannel


def build_options(
    invocation: Invocation,
    values: Mapping[str, OptionValue],
    guild: SandboxGuild | None,
    *,
    focused: str | None = None,
) -> tuple[list[JSON], JSON]:
    """Typed options for ``values`` following the synced schema, and the ``resolved`` users/channels/roles.

    The focused option of an autocomplete is sent as the raw text typed so far, whatever its type.
    """
    by_name = {o["name"]: o for o in invocation.schema}
    unknown = set(values) - set(by_name)
    if unknown:
        raise CommandError(f"unknown options {sorted(unknown)}; the command takes {sorted(by_name)}")
    if focused is None:
        missing = [n for n, o in by_name.items() if o.get("required") and n not in values]
        if missing:
            raise CommandError(f"missing required options {missing}")
    options: list[JSON] = []
    resolved: JSON = {}
    for name, value in values.items():
        schema = by_name[name]
        option: JSON = {"name": name, "type": schema["type"]}
        if name == focused:
            option |= {"value": str(value), "focused": True}
        else:
            option["value"] = _option_value(schema, value, guild, resolved)
        options.append(option)
    return options, resolved


def _option_value(schema: JSON, value: Any, guild: SandboxGuild | None, resolved: JSON) -> Any:
    name, option_type = schema["name"], OptionType(schema["type"])
    choices = [c["value"] for c in schema.get("choices") or []]
    if choices and value not in choices:
        raise CommandError(f"option {name!r} only offers the choices {choices}, got {value!r}")
    if option_type is OptionType.USER or (option_type is OptionType.MENTIONABLE and isinstance(value, SandboxUser)):
        if not isinstance(value, SandboxUser):
            raise CommandError(f"option {name!r} takes a SandboxUser")
        resolved.setdefault("users", {})[str(value.id)] = payloads.user(value)
        if guild is not None and guild.has_member(value):
            member = payloads.member(value, guild, with_user=False)
            resolved.setdefault("members", {})[str(value.id)] = member
        return str(value.id)
    if option_type is OptionType.CHANNEL:
        if not isinstance(value, SandboxChannel) or value.guild_id is None:
            raise CommandError(f"option {name!r} takes a guild SandboxChannel")
        resolved.setdefault("channels", {})[str(value.id)] = payloads.channel(value)
        return str(value.id)
    if option_type in (OptionType.ROLE, OptionType.MENTIONABLE):
        if guild is None or str(value) != str(guild.id):
            raise CommandError(f"option {name!r}: the sandbox only has the guild's @everyone role")
        resolved.setdefault("roles", {})[str(guild.id)] = payloads.everyone_role(guild)
        return str(guild.id)
    expected: dict[OptionType, tuple[type, ...]] = {
        OptionType.STRING: (str,),
        OptionType.INTEGER: (int,),
        OptionType.BOOLEAN: (bool,),
        OptionType.NUMBER: (int, float),
    }
    types = expected.get(option_type)
    if types is None:
        raise CommandError(f"option {name!r}: {option_type.name} options are not supported by the sandbox")
    if not isinstance(value, types) or (option_type is not OptionType.BOOLEAN and isinstance(value, bool)):
        raise CommandError(f"option {name!r} is {option_type.name}, got {value!r}")
    return value

"""Time zone names as people type them: matched without regard to case, and abbreviations such as "EST"
(a fixed offset, without daylight saving) steered to the zone the user most likely lives in."""

from __future__ import annotations

import functools
import re
from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

from bot.domain import text
from bot.domain.errors import InvalidInput

UTC_NAME = "UTC"

# What people type for a zone, and the real zones (with their daylight saving rules) they most likely mean.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "EST": ("America/New_York",),
    "EDT": ("America/New_York",),
    "ET": ("America/New_York",),
    "EST5EDT": ("America/New_York",),
    "CST": ("America/Chicago", "Asia/Shanghai"),
    "CDT": ("America/Chicago",),
    "CT": ("America/Chicago",),
    "CST6CDT": ("America/Chicago",),
    "MST": ("America/Denver", "America/Phoenix"),
    "MDT": ("America/Denver",),
    "MT": ("America/Denver",),
    "MST7MDT": ("America/Denver",),
    "PST": ("America/Los_Angeles",),
    "PDT": ("America/Los_Angeles",),
    "PT": ("America/Los_Angeles",),
    "PST8PDT": ("America/Los_Angeles",),
    "AKST": ("America/Anchorage",),
    "HST": ("Pacific/Honolulu",),
    "AST": ("America/Halifax",),
    "BRT": ("America/Sao_Paulo",),
    "GMT": ("Europe/London", UTC_NAME),
    "BST": ("Europe/London",),
    "WET": ("Europe/Lisbon",),
    "CET": ("Europe/Berlin", "Europe/Paris"),
    "CEST": ("Europe/Berlin", "Europe/Paris"),
    "MET": ("Europe/Berlin", "Europe/Paris"),
    "EET": ("Europe/Athens", "Africa/Cairo"),
    "EEST": ("Europe/Athens",),
    "MSK": ("Europe/Moscow",),
    "WAT": ("Africa/Lagos",),
    "SAST": ("Africa/Johannesburg",),
    "EAT": ("Africa/Nairobi",),
    "IST": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "PKT": ("Asia/Karachi",),
    "WIB": ("Asia/Jakarta",),
    "SGT": ("Asia/Singapore",),
    "HKT": ("Asia/Hong_Kong",),
    "PHT": ("Asia/Manila",),
    "JST": ("Asia/Tokyo",),
    "KST": ("Asia/Seoul",),
    "AEST": ("Australia/Sydney",),
    "AEDT": ("Australia/Sydney",),
    "ACST": ("Australia/Adelaide",),
    "AWST": ("Australia/Perth",),
    "NZST": ("Pacific/Auckland",),
    "NZDT": ("Pacific/Auckland",),
}
# Names in the tz database that are the same as UTC.
_UTC_ALIASES = frozenset({"UTC", "UCT", "UNIVERSAL", "ZULU", "ETC/UTC", "ETC/UCT", "ETC/UNIVERSAL", "ETC/ZULU"})
# Names in the tz database that are not a place: the old US and European rule names, GMT and its aliases.
_NOT_A_PLACE = frozenset(
    {"EST", "MST", "HST", "EST5EDT", "CST6CDT", "MST7MDT", "PST8PDT", "CET", "MET", "EET", "WET"}
    | {"GMT", "GMT+0", "GMT-0", "GMT0", "GREENWICH", "ETC/GMT", "ETC/GMT+0", "ETC/GMT-0", "ETC/GMT0"}
    | {"ETC/GREENWICH", "FACTORY", "LOCALTIME"}
)
_OFFSET = re.compile(r"(?:(?:ETC/)?(?:UTC|GMT))?\s*[+\-−]\s*\d{1,2}(?::?\d{2})?", re.IGNORECASE)
# Etc/GMT+5 and the like are fixed offsets, with POSIX signs (Etc/GMT+5 is UTC−5): never a user's zone.
_POSIX_OFFSET = re.compile(r"ETC/GMT[+-]\d+")

# The zones offered when a user is asked for theirs (Discord shows at most 25 options): UTC, then west to east.
COMMON = (
    UTC_NAME,
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Phoenix",
    "America/Chicago",
    "America/Mexico_City",
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Europe/Athens",
    "Africa/Nairobi",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Jakarta",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
)

# Discord's locale -> the zone most of its speakers live in: only a guess for the user to confirm.
_LOCALE_GUESS = {
    "en-US": "America/New_York",
    "en-GB": "Europe/London",
    "es-419": "America/Mexico_City",
    "es-ES": "Europe/Madrid",
    "pt-BR": "America/Sao_Paulo",
    "fr": "Europe/Paris",
    "de": "Europe/Berlin",
    "it": "Europe/Rome",
    "nl": "Europe/Amsterdam",
    "pl": "Europe/Warsaw",
    "sv-SE": "Europe/Stockholm",
    "da": "Europe/Copenhagen",
    "no": "Europe/Oslo",
    "fi": "Europe/Helsinki",
    "cs": "Europe/Prague",
    "hu": "Europe/Budapest",
    "ro": "Europe/Bucharest",
    "el": "Europe/Athens",
    "bg": "Europe/Sofia",
    "uk": "Europe/Kyiv",
    "ru": "Europe/Moscow",
    "tr": "Europe/Istanbul",
    "hi": "Asia/Kolkata",
    "th": "Asia/Bangkok",
    "vi": "Asia/Ho_Chi_Minh",
    "id": "Asia/Jakarta",
    "zh-CN": "Asia/Shanghai",
    "zh-TW": "Asia/Taipei",
    "ja": "Asia/Tokyo",
    "ko": "Asia/Seoul",
}


@functools.cache
def _by_folded_name() -> dict[str, str]:
    """The places in the tz database by their upper-cased name, read once: listing them walks the database."""
    return {
        name.upper(): name
        for name in available_timezones()
        if name.upper() not in _NOT_A_PLACE and not _POSIX_OFFSET.fullmatch(name.upper())
    }


@functools.cache
def _by_city() -> dict[str, tuple[str, ...]]:
    """The places by their city, upper-cased ("NEW_YORK"): the last part of the name."""
    cities: dict[str, tuple[str, ...]] = {}
    for name in places():
        city = name.upper().rpartition("/")[2]
        cities[city] = (*cities.get(city, ()), name)
    return cities


@functools.cache
def places() -> tuple[str, ...]:
    """Every zone a user may choose, sorted."""
    return tuple(sorted(_by_folded_name().values()))


def resolve(typed: str) -> str:
    """The zone `typed` names ("america/new_york", "utc", "New York"), or a clear refusal that suggests a real
    zone."""
    cleaned = text.clean(typed)
    folded = cleaned.upper().replace(" ", "_")
    if folded in _UTC_ALIASES:
        return UTC_NAME
    if folded in ABBREVIATIONS:
        meant = either(ABBREVIATIONS[folded])
        raise InvalidInput(
            "“{typed}” is an abbreviation, not a time zone with its daylight saving rules. "
            f"Did you mean {meant}? Pick your city from the list.",
            typed=cleaned,
        )
    found = _by_folded_name().get(folded)
    if found is not None:
        return found
    if _OFFSET.fullmatch(cleaned):
        raise InvalidInput(
            "“{typed}” is a fixed offset, which does not follow daylight saving. "
            "Pick your city from the list instead, e.g. America/New_York or Europe/Berlin.",
            typed=cleaned[:20],
        )
    in_city = _by_city().get(folded, ())
    if len(in_city) == 1:
        return in_city[0]
    if in_city:
        raise InvalidInput(f"“{{typed}}” is in more than one zone. Did you mean {either(in_city)}?", typed=cleaned[:60])
    raise InvalidInput(
        "“{typed}” is not a time zone I know. Pick one from the list, for example Europe/London or America/New_York.",
        typed=cleaned[:60],
    )


def is_fixed(typed: str) -> bool:
    """An abbreviation ("EST") or a fixed offset ("UTC+2", "Etc/GMT+5"): a name that knows no daylight saving."""
    cleaned = text.clean(typed)
    folded = cleaned.upper()
    return (
        folded in ABBREVIATIONS or _OFFSET.fullmatch(cleaned) is not None or _POSIX_OFFSET.fullmatch(folded) is not None
    )


def suggestions(typed: str, limit: int) -> list[str]:
    """Zones for an autocomplete: the common ones before anything is typed; what an abbreviation stands for
    first, then the names whose city starts with `typed`, then those containing it."""
    folded = text.clean(typed).upper().replace(" ", "_")
    if not folded:
        return list(COMMON[:limit])
    found = list(ABBREVIATIONS.get(folded, ()))
    if folded in _UTC_ALIASES:
        found.append(UTC_NAME)
    starts = [z for z in places() if z.upper().rpartition("/")[2].startswith(folded)]
    contains = [z for z in places() if folded in z.upper()]
    return list(dict.fromkeys(found + starts + contains))[:limit]


def guess(locale: str) -> str | None:
    """A zone to offer first for a Discord locale ("en-US"); the user confirms it, nothing assumes it."""
    return _LOCALE_GUESS.get(locale)


def offset_label(zone_name: str, now: datetime) -> str:
    """ "now 09:12 (UTC−05:00)": the time there, so the user recognises their own zone."""
    local = now.astimezone(ZoneInfo(zone_name))
    offset = local.strftime("%z")
    sign = "−" if offset.startswith("-") else "+"
    return f"now {local:%H:%M} (UTC{sign}{offset[1:3]}:{offset[3:]})"


def either(names: tuple[str, ...]) -> str:
    """ "A", "A or B", "A, B or C"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]

"""Cleaning and bounding what users type, before anything is stored."""

from __future__ import annotations

import re
import unicodedata
from datetime import time

from bot.core.errors import InvalidInput

SHORT = 100  # company, role, interviewer, contact
LONG = 1000  # notes, what was heard, feedback

_KEEP_IN_MULTILINE = {"\n", "\t"}


def clean(text: str, *, multiline: bool = False) -> str:
    """Drop control and format characters (zero-width, bidi overrides) and fold spaces."""
    kept = "".join(
        ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf") or (multiline and ch in _KEEP_IN_MULTILINE)
    )
    if multiline:
        return "\n".join(" ".join(line.split()) for line in kept.strip().splitlines()).strip()
    return " ".join(kept.split())


def required(value: str, what: str, limit: int, *, multiline: bool = False) -> str:
    cleaned = clean(value, multiline=multiline)
    if not cleaned:
        raise InvalidInput(f"The {what} is empty. Please type the {what}.")
    if len(cleaned) > limit:
        raise InvalidInput(f"The {what} is {len(cleaned)} characters long; please keep it under {limit}.")
    return cleaned


def optional(value: str | None, what: str, limit: int, *, multiline: bool = False) -> str | None:
    if value is None:
        return None
    cleaned = clean(value, multiline=multiline)
    if not cleaned:
        return None
    if len(cleaned) > limit:
        raise InvalidInput(f"The {what} is {len(cleaned)} characters long; please keep it under {limit}.")
    return cleaned


_CLOCK = re.compile(r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?")
_ZONED = re.compile(r"\d\s*(?:z|utc|gmt|[+-]\d)", re.IGNORECASE)


def clock_time(value: str, what: str) -> time:
    """A local wall-clock time for `what` (e.g. "the quiet hours start"): "21:00", "9:30", or a bare hour
    ("7", "21"). Never a time with a zone or offset ("2100Z", "21:00+02:00"): it is read in the user's own zone."""
    cleaned = clean(value)
    if _ZONED.search(cleaned):
        raise InvalidInput(
            f"{what.capitalize()} “{cleaned[:20]}” has a time zone or offset. It is a wall-clock time in your "
            "own time zone (see /settings timezone): write just HH:MM, like 21:00."
        )
    match = _CLOCK.fullmatch(cleaned)
    if match is None or int(match["hour"]) > 23 or int(match["minute"] or 0) > 59:
        raise InvalidInput(f"{what.capitalize()} “{cleaned[:20]}” is not a time. Use 24-hour HH:MM, like 21:00.")
    return time(int(match["hour"]), int(match["minute"] or 0))

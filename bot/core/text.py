"""Cleaning and bounding what users type, before anything is stored."""

from __future__ import annotations

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


def clock_time(value: str, what: str) -> time:
    """A 24-hour HH:MM ("9:00" too) for `what`, e.g. "the quiet hours start"."""
    cleaned = clean(value)
    try:
        return time.fromisoformat(cleaned.zfill(5) if len(cleaned) == 4 else cleaned)
    except ValueError:
        raise InvalidInput(
            f"{what.capitalize()} “{cleaned[:20]}” is not a time. Use 24-hour HH:MM, like 21:00."
        ) from None

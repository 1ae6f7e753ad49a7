"""Cleaning and bounding what users type, before anything is stored."""

from __future__ import annotations

import re
import unicodedata
from datetime import time

from bot.domain.errors import InvalidInput

SHORT = 100  # company, role, interviewer, contact
LONG = 1000  # notes, what was heard, feedback

_KEEP_IN_MULTILINE = {"\n", "\t"}
# Format characters that are part of writing, not tricks: the zero-width non-joiner and joiner (Persian and
# Indic words, emoji sequences like 👩‍💻). Variation selectors are marks (Mn), so they are never stripped.
_JOINERS = {"\u200c", "\u200d"}
# A subdivision flag (🏴 + tag letters + cancel tag, e.g. Scotland's) is the one place tag characters belong.
_TAG_FLAG = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")


def _kept(ch: str, multiline: bool) -> bool:
    """Controls and format characters go (bidi overrides and isolates, zero-width space, BOM, stray tags),
    except the joiners; tabs and newlines stay in multiline text."""
    if unicodedata.category(ch) not in ("Cc", "Cf"):
        return True
    return ch in _JOINERS or (multiline and ch in _KEEP_IN_MULTILINE)


def _strip(text: str, multiline: bool) -> str:
    parts, start = [], 0
    for flag in _TAG_FLAG.finditer(text):
        parts.append("".join(ch for ch in text[start : flag.start()] if _kept(ch, multiline)))
        parts.append(flag.group())
        start = flag.end()
    parts.append("".join(ch for ch in text[start:] if _kept(ch, multiline)))
    return "".join(parts)


def clean(text: str, *, multiline: bool = False) -> str:
    """Drop dangerous invisible characters, keep joiners, and fold spaces. Text of nothing but joiners and
    variation selectors is empty: it would show as nothing."""
    kept = _strip(text, multiline)
    if all(ch.isspace() or ch in _JOINERS or unicodedata.category(ch) == "Mn" for ch in kept):
        return ""
    if multiline:
        return "\n".join(" ".join(line.split()) for line in kept.strip().splitlines()).strip()
    return " ".join(kept.split())


def _empty(what: str) -> InvalidInput:
    # Phrased to read right for singular and plural names alike ("company", "notes", "further interviews").
    return InvalidInput(f"The {what} can't be empty. Please type the {what}.")


def _too_long(what: str, length: int, limit: int) -> InvalidInput:
    return InvalidInput(
        f"The {what} can't be longer than {limit} characters; you typed {length}. Please shorten the {what}."
    )


def required(value: str, what: str, limit: int, *, multiline: bool = False) -> str:
    cleaned = clean(value, multiline=multiline)
    if not cleaned:
        raise _empty(what)
    if len(cleaned) > limit:
        raise _too_long(what, len(cleaned), limit)
    return cleaned


def optional(value: str | None, what: str, limit: int, *, multiline: bool = False) -> str | None:
    if value is None:
        return None
    cleaned = clean(value, multiline=multiline)
    if not cleaned:
        return None
    if len(cleaned) > limit:
        raise _too_long(what, len(cleaned), limit)
    return cleaned


_CLOCK = re.compile(r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?")
_ZONED = re.compile(r"\d\s*(?:z|utc|gmt|[+-]\d)", re.IGNORECASE)


def clock_time(value: str, what: str) -> time:
    """A local wall-clock time for `what` (e.g. "the quiet hours start"): "21:00", "9:30", or a bare hour
    ("7", "21"). Never a time with a zone or offset ("2100Z", "21:00+02:00"): it is read in the user's own zone."""
    cleaned = clean(value)
    if _ZONED.search(cleaned):
        raise InvalidInput(
            f"{what.capitalize()} “{{typed}}” has a time zone or offset. It is a wall-clock time in your "
            "own time zone (see {set_timezone}): write just HH:MM, like 21:00.",
            typed=cleaned[:20],
        )
    match = _CLOCK.fullmatch(cleaned)
    if match is None or int(match["hour"]) > 23 or int(match["minute"] or 0) > 59:
        raise InvalidInput(
            f"{what.capitalize()} “{{typed}}” is not a time. Use 24-hour HH:MM, like 21:00.", typed=cleaned[:20]
        )
    return time(int(match["hour"]), int(match["minute"] or 0))

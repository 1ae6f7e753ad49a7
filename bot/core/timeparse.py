"""User text to an aware datetime in the user's zone, with dateparser underneath."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from dateparser.date import DateDataParser

from bot.core.errors import InvalidInput

MAX_TEXT = 100


class Prefer(enum.StrEnum):
    PAST_OR_FUTURE = "current_period"  # the reading nearest to now: "Friday" on a Wednesday is in two days
    FUTURE = "future"


# dateparser alone reads a bare weekday as the past one ("Thursday" on a Wednesday: six days ago), so
# PAST_OR_FUTURE parses with each preference and keeps the reading nearest to now. Text that is anchored
# already (a year, today/tomorrow/yesterday, "in 3 days", "2 days ago") reads the same under every
# preference, and gets one parse: each costs about a millisecond of the bot's one event loop.
_NEAREST_OF = ("current_period", "future", "past")
_ANCHORED = re.compile(r"\b(\d{4}|today|tonight|tomorrow|yesterday|ago)\b|\bin \w+ (minute|hour|day|week|month)", re.I)


_STATED_TIME = re.compile(r"\b\d{1,2}(:\d{2})?\s*(am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b|\b(noon|midnight)\b", re.I)


@dataclass(frozen=True, slots=True)
class ParsedTime:
    at: datetime  # aware, in the user's zone
    has_time: bool  # False when the text named only a day ("Dec 7", "in two weeks")


def _parser(zone: ZoneInfo, now: datetime, prefer: str) -> DateDataParser:
    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": now.astimezone(zone).replace(tzinfo=None),
            "PREFER_DATES_FROM": prefer,
            "RETURN_TIME_AS_PERIOD": True,
            "RETURN_AS_TIMEZONE_AWARE": False,
            "TIMEZONE": zone.key,
        },
    )


def parse_when(
    text: str,
    zone: ZoneInfo,
    now: datetime,
    *,
    prefer: Prefer = Prefer.PAST_OR_FUTURE,
    default_time: time | None = None,
    what: str = "time",
) -> ParsedTime:
    """Parse `text` in `zone`. A day without a time gets `default_time` when one is given."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidInput(f"The {what} is empty. Try something like “tomorrow 2pm” or “2026-12-03 14:00”.")
    if len(cleaned) > MAX_TEXT:
        raise InvalidInput(f"The {what} is too long to be a date. Try something like “next Tuesday 9am”.")
    base = now.astimezone(zone).replace(tzinfo=None)
    readings = [_parser(zone, now, preference).get_date_data(cleaned) for preference in _preferences(prefer, cleaned)]
    found = [(r, r.date_obj) for r in readings if r.date_obj is not None]
    if not found:
        raise InvalidInput(
            f"I couldn't read “{cleaned}” as the {what}. Try “today 2pm”, “next Tuesday 9am”, "
            "“in two weeks” or “2026-12-03 14:00”."
        )
    data, date_obj = min(found, key=lambda item: abs(item[1].replace(tzinfo=None) - base))
    naive = date_obj.replace(tzinfo=None)
    # dateparser says "day" when the stated time equals now's ("today 9am" at 09:00): look for one too.
    has_time = data.period == "time" or _STATED_TIME.search(cleaned) is not None
    if not has_time:
        naive = datetime.combine(naive.date(), default_time or time(0, 0))
    return ParsedTime(at=naive.replace(tzinfo=zone), has_time=has_time)


def _preferences(prefer: Prefer, text: str) -> tuple[str, ...]:
    if prefer is Prefer.PAST_OR_FUTURE and not _ANCHORED.search(text):
        return _NEAREST_OF
    return (prefer.value,)


def warm_up() -> None:
    """dateparser's first parse loads its language data (about a quarter second): pay that at start."""
    _parser(ZoneInfo("UTC"), datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC")), "future").get_date_data("tomorrow 9am")

"""User text to an aware datetime in the user's zone, with dateparser underneath."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from dateparser.date import DateDataParser
from dateparser.timezone_parser import pop_tz_offset_from_string

from bot.domain import zones
from bot.domain.errors import InvalidInput

MAX_TEXT = 100


class Prefer(enum.StrEnum):
    PAST_OR_FUTURE = "current_period"  # the reading nearest to now ("Nov 20"); a bare weekday: see _WEEKDAY
    FUTURE = "future"


# dateparser alone reads "Nov 20" as next year's, and a bare weekday as the past one, so PAST_OR_FUTURE
# parses with each preference and keeps the reading nearest to now (bare weekdays then follow their own
# rule). Text that is anchored already (a year, today/tomorrow/yesterday, "in 3 days", "2 days ago") reads
# the same under every preference, and gets one parse: each costs about a millisecond of the event loop.
_NEAREST_OF = ("current_period", "future", "past")
_ANCHORED = re.compile(r"\b(\d{4}|today|tonight|tomorrow|yesterday|ago)\b|\bin \w+ (minute|hour|day|week|month)", re.I)


_STATED_TIME = re.compile(
    r"\b\d{1,2}(:\d{2})?\s*(am|pm|a\.m\.|p\.m\.)|(?<!\d)\d{1,2}:\d{2}\b|\b(noon|midnight)\b", re.I
)

# A zone written in the text ("2pm PST", "14:00 +0200", "2026-12-03T14:00Z", "2pm America/New_York") is the
# zone its clock time is read in; day words ("tomorrow", "Friday") still count from the user's own day. An
# abbreviation stands for its place with its daylight saving ("2pm PST" in July is 2pm in Los Angeles, as
# people writing it mean), so only those with one common meaning are read.
_READ_AS = {
    **dict.fromkeys(("UTC", "GMT", "UT", "Z"), "UTC"),
    **dict.fromkeys(("ET", "EST", "EDT"), "America/New_York"),
    **dict.fromkeys(("CT", "CDT"), "America/Chicago"),
    **dict.fromkeys(("MT", "MDT"), "America/Denver"),
    **dict.fromkeys(("PT", "PST", "PDT"), "America/Los_Angeles"),
    **dict.fromkeys(("AKST", "AKDT"), "America/Anchorage"),
    "HST": "Pacific/Honolulu",
    **dict.fromkeys(("WET", "WEST"), "Europe/Lisbon"),
    **dict.fromkeys(("CET", "CEST"), "Europe/Berlin"),
    "MSK": "Europe/Moscow",
    "JST": "Asia/Tokyo",
    "KST": "Asia/Seoul",
    "SGT": "Asia/Singapore",
    "HKT": "Asia/Hong_Kong",
    "AEDT": "Australia/Sydney",
    **dict.fromkeys(("NZST", "NZDT"), "Pacific/Auckland"),
}
# Abbreviations with more than one common meaning: read only when one of them is the user's own zone.
_AMBIGUOUS = {
    "IST": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "CST": ("America/Chicago", "Asia/Shanghai"),
    "MST": ("America/Denver", "America/Phoenix"),
    "BST": ("Europe/London", "Asia/Dhaka"),
    "AST": ("America/Halifax", "Asia/Riyadh"),
    "AEST": ("Australia/Sydney", "Australia/Brisbane"),
    **dict.fromkeys(("EET", "EEST"), ("Europe/Athens", "Africa/Cairo")),
}
_ABBREVIATION = re.compile(
    r"\(?\b("
    + "|".join(sorted((_READ_AS.keys() | _AMBIGUOUS.keys()) - {"Z"}, key=len, reverse=True))
    + r")\b\)?(?!\s*[+\-−]\s*\d)",  # "UTC+2" is an offset
    re.I,
)
_ZONE_NAME = re.compile(r"(?<![\w/])[A-Za-z]+(?:/[A-Za-z0-9_+\-]+)+")
_OFFSET_NAME = re.compile(r"UTC\\?[+-]")  # how dateparser names an offset it found: "UTC\+02:00"

# "9.30" is 09:30 after "at", before am/pm, or when the rest of the text names the day; else it may be a date.
_DOTTED = re.compile(r"(?<![\d.:/-])(?P<h>\d{1,2})\.(?P<m>\d{2})(?![\d.:/-])")
_AT = re.compile(r"\bat\s+$", re.I)
_AM_PM = re.compile(r"\s*(am|pm|a\.m\.|p\.m\.)", re.I)
_NAMES_A_DAY = re.compile(
    r"\b(today|tonight|tomorrow|yesterday|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february"
    r"|march|april|june|july|august|september|october|november|december)\b|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}",
    re.I,
)


# A bare weekday ("Friday 3pm", not "next Friday" or "Friday Nov 27"), read under PAST_OR_FUTURE as: today
# for today's weekday, yesterday for yesterday's (an interview logged after the fact), else the coming one
# (an interview logged ahead). The other reading is returned too, for the user to switch to.
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY = re.compile(r"\b(mon|tue|wed|thu|fri|sat|sun)(day|sday|s|nesday|rsday|rs|r|urday)?\b", re.I)
_NOT_BARE = re.compile(
    r"\b(next|last|this|coming|past|previous|week|weeks|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
    r"|\d+\s*(st|nd|rd|th)\b|\d+[./-]\d+",
    re.I,
)

# "at 2" and "2 o'clock" name an hour that dateparser drops (or reads as a month): read 13-23 and 0 as the
# 24-hour clock, and refuse 1-12, which could be either half of the day.
_BARE_HOUR = re.compile(
    r"\bat\s+(?P<at>\d{1,2})\b(?!\s*(:|\.\d|am\b|pm\b|a\.m\.|p\.m\.))|\b(?P<oclock>\d{1,2})\s*o['’]?\s*clock\b", re.I
)
# Day and month as numbers ("03.12.2026", "12/03", "3-12-26"); ISO dates start with the year and don't match.
_NUMERIC_DATE = re.compile(r"(?<![\d.:/-])(\d{1,2})([./-])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?![\d.:/-])")
# Counts in relative text ("in 3 days", "2 weeks ago", "in 2h") are read by dateparser, not as a date or time.
_COUNT = re.compile(
    r"\d+\s*(minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\b|(?<=\bin )\d+\s*(h|m|d|w)\b", re.I
)
_ORDINAL = re.compile(r"(\d+)\s*(st|nd|rd|th)\b", re.I)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TIME_EXAMPLES = "like “tomorrow 2pm” or “tomorrow 14:00”"


@dataclass(frozen=True, slots=True)
class ParsedTime:
    at: datetime  # aware, in the user's zone
    has_time: bool  # False when the text named only a day ("Dec 7", "in two weeks")
    alternative: datetime | None = None  # the other reading of a bare weekday, same time of day
    stated_zone: tzinfo | None = None  # the zone or offset the text named ("2pm PST"), which the time was read in

    @property
    def stated_zone_name(self) -> str | None:
        """ "America/Los_Angeles", "UTC+02:00": for a reply to say which zone the time was read in."""
        if self.stated_zone is None:
            return None
        return self.stated_zone.key if isinstance(self.stated_zone, ZoneInfo) else str(self.stated_zone)


def _parser(zone: ZoneInfo, now: datetime, prefer: str, date_order: str | None = None) -> DateDataParser:
    settings: dict[str, object] = {
        "RELATIVE_BASE": now.astimezone(zone).replace(tzinfo=None),
        "PREFER_DATES_FROM": prefer,
        "RETURN_TIME_AS_PERIOD": True,
        "RETURN_AS_TIMEZONE_AWARE": False,
        "TIMEZONE": zone.key,
    }
    if date_order is not None:
        settings["DATE_ORDER"] = date_order
    return DateDataParser(languages=["en"], settings=settings)


def parse_when(
    text: str,
    zone: ZoneInfo,
    now: datetime,
    *,
    prefer: Prefer = Prefer.PAST_OR_FUTURE,
    default_time: time | None = None,
    what: str = "time",
    month_first: bool | None = None,
) -> ParsedTime:
    """Parse `text` in `zone`. A day without a time gets `default_time` when one is given. `month_first` says
    how the user writes numeric dates (from their locale); None refuses one whose day and month could swap."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidInput(f"The {what} is empty. Try something like “tomorrow 2pm” or “2026-12-03 14:00”.")
    if len(cleaned) > MAX_TEXT:
        raise InvalidInput(f"The {what} is too long to be a date. Try something like “next Tuesday 9am”.")
    without_zone, stated, typed_zone = _stated_zone(cleaned.replace("−", "-"), zone)  # a typographic minus
    readable = _bare_hours(_dotted_times(without_zone))
    if stated is not None and _STATED_TIME.search(readable) is None:
        raise InvalidInput(
            "“{zone_name}” goes with a clock time, like “tomorrow 2pm {zone_name}”: add the time, or leave out "
            f"“{{zone_name}}” to read “{{typed}}” in your zone ({zone.key}).",
            zone_name=typed_zone,
            typed=cleaned,
        )
    date_order = _date_order(readable, now.astimezone(zone).year, month_first)
    base = now.astimezone(zone).replace(tzinfo=None)
    readings = [
        _parser(zone, now, preference, date_order).get_date_data(readable)
        for preference in _preferences(prefer, readable)
    ]
    found = [(r, r.date_obj) for r in readings if r.date_obj is not None]
    if not found:
        raise InvalidInput(
            f"I couldn't read “{{typed}}” as the {what}. Try “today 2pm”, “next Tuesday 9am”, "
            "“in two weeks” or “2026-12-03 14:00”.",
            typed=cleaned,
        )
    data, date_obj = min(found, key=lambda item: abs(item[1].replace(tzinfo=None) - base))
    naive = date_obj.replace(tzinfo=None)
    # dateparser says "day" when the stated time equals now's ("today 9am" at 09:00): look for one too.
    has_time = data.period == "time" or _STATED_TIME.search(readable) is not None
    if not has_time:
        naive = datetime.combine(naive.date(), default_time or time(0, 0))
    _check_numbers(readable, cleaned, naive, has_time)
    read_in = zone if stated is None else stated

    def placed(day: date) -> datetime:
        at = datetime.combine(day, naive.time(), tzinfo=read_in)
        return at if stated is None else at.astimezone(zone)

    weekday = _WEEKDAY.search(readable)
    if prefer is Prefer.PAST_OR_FUTURE and weekday is not None and _is_bare(readable):
        chosen, other = _weekday_readings(base.date(), _WEEKDAYS.index(weekday[1].lower()))
        return ParsedTime(placed(chosen), has_time, alternative=placed(other), stated_zone=stated)
    return ParsedTime(placed(naive.date()), has_time, stated_zone=stated)


def _stated_zone(text: str, zone: ZoneInfo) -> tuple[str, tzinfo | None, str]:
    """`text` without the zone or offset it names, that zone (a real zone for a name or an abbreviation with one
    meaning, a fixed offset for an offset), and the zone as typed. Anything else dateparser would take for a
    zone is refused, so that no zone in the text is ever silently dropped."""
    found: list[tuple[str, tzinfo]] = []
    rest = text
    for pattern in (_ZONE_NAME, _ABBREVIATION):
        found += [(m[0].strip("()"), _named_zone(m[0].strip("()"), zone)) for m in pattern.finditer(rest)]
        rest = pattern.sub(" ", rest)
    while True:
        rest, offset = pop_tz_offset_from_string(rest)
        if not isinstance(offset, tzinfo):  # None: no zone left
            break
        name = offset.tzname(None)
        if _OFFSET_NAME.match(name):
            found.append((name.replace("\\", ""), timezone(offset.utcoffset(None))))
        elif name.upper() in _READ_AS:
            found.append((name, ZoneInfo(_READ_AS[name.upper()])))
        else:
            raise _unread(name, (), zone)
    if len(found) > 1:
        raise InvalidInput(
            "“{typed}” names more than one zone ({names}). Give one, or "
            f"leave them out to read the time in your zone ({zone.key}).",
            typed=text,
            names=", ".join(f"“{name}”" for name, _ in found),
        )
    return (" ".join(rest.split()), found[0][1], found[0][0]) if found else (text, None, "")


def _named_zone(name: str, zone: ZoneInfo) -> ZoneInfo:
    if "/" in name:
        return ZoneInfo(zones.resolve(name))
    folded = name.upper()
    if folded in _READ_AS:
        return ZoneInfo(_READ_AS[folded])
    readings = _AMBIGUOUS[folded]
    if zone.key in readings:
        return zone
    raise _unread(name, readings, zone)


def _unread(name: str, readings: tuple[str, ...], zone: ZoneInfo) -> InvalidInput:
    which = f"“{{name}}” could be {zones.either(readings)}." if readings else "I can't be sure which zone “{name}” is."
    return InvalidInput(
        f"{which} I read times in your zone ({zone.key}): leave out “{{name}}” and give the time there, write "
        "the zone's offset (“14:00 +05:30”) or its name (“2pm America/New_York”), or change your zone.",
        name=name,
    )


def _dotted_times(text: str) -> str:
    """ "at 9.30" becomes "at 9:30" (see _DOTTED)."""

    def clock(match: re.Match[str]) -> str:
        rest = text[: match.start()] + text[match.end() :]
        is_time = (
            _AT.search(text, 0, match.start()) is not None
            or _AM_PM.match(text, match.end()) is not None
            or _NAMES_A_DAY.search(rest) is not None
            or _WEEKDAY.search(rest) is not None
        )
        if not is_time:
            return match[0]
        if int(match["h"]) > 23 or int(match["m"]) > 59:
            raise InvalidInput(f"“{match[0]}” is not a time of day. Write it like “9:30” or “9.30am”.")
        return f"{match['h']}:{match['m']}"

    return _DOTTED.sub(clock, text)


def _is_bare(text: str) -> bool:
    return _ANCHORED.search(text) is None and _NOT_BARE.search(text) is None


def _weekday_readings(today: date, weekday: int) -> tuple[date, date]:
    """The chosen day for a bare weekday, and the other reading."""
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0:
        return today, today + timedelta(days=7)
    if ahead == 6:
        return today - timedelta(days=1), today + timedelta(days=6)
    return today + timedelta(days=ahead), today + timedelta(days=ahead - 7)


def _bare_hours(text: str) -> str:
    """ "at 14" becomes "at 14:00"; "at 2" is refused: 2am or 2pm?"""

    def hour(match: re.Match[str]) -> str:
        number = match["at"] or match["oclock"]
        value = int(number)
        if 1 <= value <= 12:
            raise InvalidInput(
                f"“{number}” could be {value}am or {value}pm. Write the time with am or pm, or as 24-hour, "
                f"{_TIME_EXAMPLES}."
            )
        if value > 23:
            return match[0]  # not an hour: the number check refuses it
        return f"at {value:02d}:00" if match["at"] else f"{value:02d}:00"

    return _BARE_HOUR.sub(hour, text)


def _date_order(text: str, year: int, month_first: bool | None) -> str | None:
    """How dateparser should read a numeric day and month in `text`, if there is one."""
    match = _NUMERIC_DATE.search(text)
    if match is None:
        return None
    first, second = int(match[1]), int(match[3])
    if first > 12 >= second:
        return "DMY"
    if second > 12 >= first:
        return "MDY"
    if first == second or first > 12:
        return None
    if month_first is None:
        stated = match[4]
        named_year = year if stated is None else int(stated) + (2000 if len(stated) == 2 else 0)
        day_first = f"{first} {_MONTHS[second - 1]} {named_year}"
        other = f"{second} {_MONTHS[first - 1]} {named_year}"
        raise InvalidInput(
            f"“{match[0]}” could be {day_first} or {other}. Write the date so it can't be misread: "
            f"{named_year}-{second:02d}-{first:02d} or {day_first}."
        )
    return "MDY" if month_first else "DMY"


def _check_numbers(text: str, original: str, read: datetime, has_time: bool) -> None:
    """Every number the user typed must show in what was read: dateparser skips some ("tomorrow 2")."""
    counted = {m.start() for m in _COUNT.finditer(text)}
    shown = {read.day, read.month, read.year, read.year % 100}
    if has_time:
        shown |= {read.hour, read.hour % 12 or 12, read.minute}
    days = {m.start() for m in _ORDINAL.finditer(text)}  # "the 3rd" is a day, never March
    for number in re.finditer(r"\d+", text):
        if (number.start() in days and int(number[0]) != read.day) or (
            number.start() not in counted and int(number[0]) not in shown
        ):
            raise InvalidInput(
                f"I couldn't tell what “{number[0]}” means in “{{typed}}”. Write times with am or pm, or as "
                f"24-hour, {_TIME_EXAMPLES}, and dates like “Dec 3” or “2026-12-03”.",
                typed=original,
            )


def _preferences(prefer: Prefer, text: str) -> tuple[str, ...]:
    if prefer is Prefer.PAST_OR_FUTURE and not _ANCHORED.search(text):
        return _NEAREST_OF
    return (prefer.value,)


def warm_up() -> None:
    """dateparser's first parse loads its language data (about a quarter second): pay that at start."""
    _parser(ZoneInfo("UTC"), datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC")), "future").get_date_data("tomorrow 9am")

"""User text to aware datetimes, relative to a fixed instant and in the seeker's zone."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.errors import InvalidInput
from bot.domain.timeparse import MAX_TEXT, Prefer, parse_when
from tests.support import WEDNESDAY_1500_UTC, utc

UTC_ZONE = ZoneInfo("UTC")
NEW_YORK = ZoneInfo("America/New_York")
TEN = time(10, 0)


@pytest.mark.parametrize(
    ("text", "expected", "has_time"),
    [
        ("today 2pm", utc(2026, 11, 25, 14, 0), True),
        ("yesterday 10:30", utc(2026, 11, 24, 10, 30), True),
        ("next Tuesday 9am", utc(2026, 12, 1, 9, 0), True),
        ("2026-12-03 14:00", utc(2026, 12, 3, 14, 0), True),
        ("in two weeks", utc(2026, 12, 9, 10, 0), False),
        ("Dec 7", utc(2026, 12, 7, 10, 0), False),
        ("  today   2pm  ", utc(2026, 11, 25, 14, 0), True),
    ],
)
def test_parse_in_utc(text: str, expected: datetime, has_time: bool) -> None:
    parsed = parse_when(text, UTC_ZONE, WEDNESDAY_1500_UTC, default_time=TEN)
    assert parsed.at == expected
    assert parsed.has_time is has_time
    assert parsed.at.tzinfo is not None


@pytest.mark.parametrize(
    ("text", "local"),
    [
        ("today 2pm", (2026, 11, 25, 14, 0)),
        ("yesterday 10:30", (2026, 11, 24, 10, 30)),
        ("next Tuesday 9am", (2026, 12, 1, 9, 0)),
        ("2026-12-03 14:00", (2026, 12, 3, 14, 0)),
        ("in two weeks", (2026, 12, 9, 10, 0)),
        ("Dec 7", (2026, 12, 7, 10, 0)),
    ],
)
def test_parse_in_new_york(text: str, local: tuple[int, int, int, int, int]) -> None:
    parsed = parse_when(text, NEW_YORK, WEDNESDAY_1500_UTC, default_time=TEN)
    assert parsed.at.tzinfo == NEW_YORK
    assert parsed.at == datetime(*local, tzinfo=NEW_YORK)
    # EST is UTC-5 in late November and December.
    assert parsed.at.astimezone(UTC) == datetime(*local, tzinfo=UTC) + timedelta(hours=5)


def test_today_is_the_seekers_day_not_the_utc_day() -> None:
    # 03:00 UTC on Thursday is still Wednesday evening in New York.
    now = utc(2026, 11, 26, 3, 0)
    in_new_york = parse_when("today 2pm", NEW_YORK, now)
    in_utc = parse_when("today 2pm", UTC_ZONE, now)
    assert in_new_york.at.astimezone(UTC) == utc(2026, 11, 25, 19, 0)
    assert in_utc.at == utc(2026, 11, 26, 14, 0)


def test_parse_across_the_autumn_clock_change() -> None:
    # Friday 2026-10-30 11:00 EDT; the clocks go back on Sunday 11-01.
    now = utc(2026, 10, 30, 15, 0)
    before = parse_when("tomorrow 9am", NEW_YORK, now)
    after = parse_when("next Tuesday 9am", NEW_YORK, now)
    assert before.at.astimezone(UTC) == utc(2026, 10, 31, 13, 0)  # EDT, UTC-4
    assert after.at.astimezone(UTC) == utc(2026, 11, 3, 14, 0)  # EST, UTC-5


def test_a_day_without_time_gets_the_default_time() -> None:
    parsed = parse_when("Dec 7", UTC_ZONE, WEDNESDAY_1500_UTC, default_time=time(9, 15))
    assert (parsed.at, parsed.has_time) == (utc(2026, 12, 7, 9, 15), False)


def test_a_day_without_time_and_no_default_is_midnight() -> None:
    parsed = parse_when("Dec 7", UTC_ZONE, WEDNESDAY_1500_UTC)
    assert parsed.at == utc(2026, 12, 7, 0, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thursday 2pm", utc(2026, 11, 26, 14, 0)),  # tomorrow, not six days ago
        ("friday 3pm", utc(2026, 11, 27, 15, 0)),
        ("Tuesday 9am", utc(2026, 11, 24, 9, 0)),  # yesterday, not in six days
        ("Wednesday 9am", utc(2026, 11, 25, 9, 0)),  # today
        ("Nov 20", utc(2026, 11, 20, 10, 0)),  # five days ago, not next year
        ("10am", utc(2026, 11, 25, 10, 0)),
    ],
)
def test_past_or_future_reads_the_nearest_day(text: str, expected: datetime) -> None:
    assert parse_when(text, UTC_ZONE, WEDNESDAY_1500_UTC, default_time=TEN).at == expected


def test_prefer_future_picks_the_coming_weekday() -> None:
    past_or_future = parse_when("Tuesday", UTC_ZONE, WEDNESDAY_1500_UTC, default_time=TEN)
    future = parse_when("Tuesday", UTC_ZONE, WEDNESDAY_1500_UTC, prefer=Prefer.FUTURE, default_time=TEN)
    assert past_or_future.at == utc(2026, 11, 24, 10, 0)
    assert future.at == utc(2026, 12, 1, 10, 0)


@pytest.mark.parametrize("garbage", ["asdfgh", "the day after never", "banana o'clock", "???"])
def test_garbage_is_refused_with_examples(garbage: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_when(garbage, UTC_ZONE, WEDNESDAY_1500_UTC, what="interview time")
    assert "interview time" in caught.value.message
    assert "today 2pm" in caught.value.message


@pytest.mark.parametrize("empty", ["", "   ", "\n\t"])
def test_empty_is_refused(empty: str) -> None:
    with pytest.raises(InvalidInput, match="check-back date is empty"):
        parse_when(empty, UTC_ZONE, WEDNESDAY_1500_UTC, what="check-back date")


def test_over_long_text_is_refused() -> None:
    text = "next Tuesday 9am " + "x" * MAX_TEXT
    with pytest.raises(InvalidInput, match="too long"):
        parse_when(text, UTC_ZONE, WEDNESDAY_1500_UTC)


def test_the_length_limit_counts_folded_text() -> None:
    with pytest.raises(InvalidInput, match="couldn't read"):
        parse_when("x" * MAX_TEXT, UTC_ZONE, WEDNESDAY_1500_UTC)  # at the limit: read (and refused as garbage)
    with pytest.raises(InvalidInput, match="too long"):
        parse_when("x" * (MAX_TEXT + 1), UTC_ZONE, WEDNESDAY_1500_UTC)
    spaced = "Dec" + " " * 200 + "7"  # long only because of spaces, which are folded first
    assert parse_when(spaced, UTC_ZONE, WEDNESDAY_1500_UTC).at == utc(2026, 12, 7, 0, 0)


@pytest.mark.parametrize("text", ["today 9am", "today 9:00", "9 a.m. today"])
def test_a_stated_time_equal_to_now_is_kept(text: str) -> None:
    # dateparser reports "day" here, as for "tomorrow": the stated time must not become the default hour.
    nine = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    parsed = parse_when(text, ZoneInfo("UTC"), nine, default_time=time(10, 0))
    assert (parsed.at, parsed.has_time) == (nine, True)


@pytest.mark.parametrize(
    "example",
    [
        "today 2pm",
        "yesterday 10:30",
        "next Tuesday 9am",
        "2026-12-03 14:00",
        "next Friday",
        "in two weeks",
        "Dec 7 3pm",
        "in 10 days",
        "Dec 11",
        "tomorrow 2pm",
        "next Tuesday 10am",
    ],
)
def test_every_example_the_bot_shows_users_parses(example: str) -> None:
    parse_when(example, ZoneInfo("Europe/London"), WEDNESDAY_1500_UTC, prefer=Prefer.PAST_OR_FUTURE)


# A bare weekday, logged on each day of one week (Monday 2026-11-23 to Sunday 11-29, 15:00 UTC): the
# same weekday is today, the one before today is yesterday (logged after the fact), every other one is the
# coming one. The other reading is offered: a week on for today, the coming one for yesterday, else the past one.
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _reading(today: int, named: int) -> tuple[int, int]:
    """Days from today to the chosen reading, and to the other one."""
    ahead = (named - today) % 7
    if ahead == 0:
        return 0, 7
    if ahead == 6:
        return -1, 6
    return ahead, ahead - 7


@pytest.mark.parametrize("today", range(7), ids=WEEKDAYS)
@pytest.mark.parametrize("named", range(7), ids=WEEKDAYS)
def test_a_bare_weekday_is_upcoming_except_today_and_yesterday(today: int, named: int) -> None:
    now = utc(2026, 11, 23 + today, 15, 0)
    assert now.weekday() == today
    chosen, other = _reading(today, named)
    parsed = parse_when(f"{WEEKDAYS[named]} 3pm", UTC_ZONE, now, default_time=TEN)
    assert parsed.at == utc(2026, 11, 23 + today, 15) + timedelta(days=chosen)
    assert parsed.alternative == utc(2026, 11, 23 + today, 15) + timedelta(days=other)
    assert parsed.at >= now - timedelta(days=1, hours=1)  # never more than yesterday


@pytest.mark.parametrize("text", ["fri", "on Friday", "Friday at 15:00", "friday 10am"])
def test_other_spellings_of_a_bare_weekday_are_upcoming(text: str) -> None:
    monday = utc(2026, 11, 23, 15)
    parsed = parse_when(text, UTC_ZONE, monday, default_time=TEN)
    assert parsed.at.date() == utc(2026, 11, 27).date()
    assert parsed.alternative is not None and parsed.alternative.date() == utc(2026, 11, 20).date()


@pytest.mark.parametrize("text", ["next Friday 3pm", "last Friday 3pm", "Friday Nov 20 3pm", "tomorrow 3pm", "Dec 7"])
def test_anchored_days_offer_no_other_reading(text: str) -> None:
    assert parse_when(text, UTC_ZONE, utc(2026, 11, 23, 15), default_time=TEN).alternative is None


def test_prefer_future_weekday_has_no_alternative() -> None:
    parsed = parse_when("Friday 3pm", UTC_ZONE, utc(2026, 11, 23, 15), prefer=Prefer.FUTURE)
    assert (parsed.at, parsed.alternative) == (utc(2026, 11, 27, 15), None)


# A number the parser would drop is read or refused, never dropped.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow at 14", utc(2026, 11, 26, 14)),
        ("tomorrow at 9:30", utc(2026, 11, 26, 9, 30)),
        ("tomorrow at 2pm", utc(2026, 11, 26, 14)),
        ("tomorrow at 2 pm", utc(2026, 11, 26, 14)),
        ("Friday at 15", utc(2026, 11, 27, 15)),
        ("17 o'clock tomorrow", utc(2026, 11, 26, 17)),
        ("Dec 7th", utc(2026, 12, 7, 10)),
        ("in 3 days", utc(2026, 11, 28, 10)),
        ("in 2h", utc(2026, 11, 25, 17)),
        ("today at 17", utc(2026, 11, 25, 17)),
    ],
)
def test_hours_are_read(text: str, expected: datetime) -> None:
    assert parse_when(text, UTC_ZONE, WEDNESDAY_1500_UTC, default_time=TEN).at == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tomorrow at 2", "“2” could be 2am or 2pm"),
        ("at 2", "“2” could be 2am or 2pm"),
        ("2 o'clock", "“2” could be 2am or 2pm"),
        ("Friday at 3", "“3” could be 3am or 3pm"),
        ("in 3 days at 2", "“2” could be 2am or 2pm"),
        ("tomorrow 2", "“2”"),
        ("tomorrow 14h", "“14”"),
        ("today 9", "“9”"),
        ("the 3rd", "“3”"),  # dateparser reads it as 25 March
    ],
)
def test_a_number_the_parser_would_drop_is_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_when(text, UTC_ZONE, WEDNESDAY_1500_UTC, default_time=TEN)
    assert message in caught.value.message
    assert "2pm" in caught.value.message or "14:00" in caught.value.message


# Numeric dates whose day and month could swap follow the user's locale, or are refused.
@pytest.mark.parametrize(
    ("text", "month_first", "expected"),
    [
        ("03.12.2026", False, utc(2026, 12, 3, 10)),
        ("03.12.2026", True, utc(2026, 3, 12, 10)),
        ("03/12/2026 2pm", False, utc(2026, 12, 3, 14)),
        ("12/03/2026 2pm", True, utc(2026, 12, 3, 14)),
        ("3-12-2026", False, utc(2026, 12, 3, 10)),
        ("25.12.2026", True, utc(2026, 12, 25, 10)),  # unambiguous whatever the locale
        ("12/25/2026", False, utc(2026, 12, 25, 10)),
        ("25.12.2026", None, utc(2026, 12, 25, 10)),
        ("03.03.2026", None, utc(2026, 3, 3, 10)),
        ("2026-12-03", None, utc(2026, 12, 3, 10)),
        ("03/12", False, utc(2026, 12, 3, 10)),
    ],
)
def test_numeric_dates_follow_the_locale(text: str, month_first: bool | None, expected: datetime) -> None:
    parsed = parse_when(text, UTC_ZONE, WEDNESDAY_1500_UTC, default_time=TEN, month_first=month_first)
    assert parsed.at == expected


@pytest.mark.parametrize("text", ["03.12.2026", "03/12/2026 2pm", "3-12-26"])
def test_an_ambiguous_numeric_date_without_a_locale_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_when(text, UTC_ZONE, WEDNESDAY_1500_UTC, default_time=TEN, month_first=None)
    assert "2026-12-03" in caught.value.message
    assert "3 Dec 2026" in caught.value.message


# A zone or offset written in the text is read (the clock time there, shown in the user's zone) or refused:
# never silently dropped. Day words ("tomorrow", "Friday") count from the user's own day.
LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("text", "expected", "named"),
    [
        ("tomorrow 2pm PST", utc(2026, 11, 26, 22), "America/Los_Angeles"),
        ("tomorrow 14:00 EST", utc(2026, 11, 26, 19), "America/New_York"),
        ("2pm ET", utc(2026, 11, 25, 19), "America/New_York"),
        ("tomorrow 2pm CET", utc(2026, 11, 26, 13), "Europe/Berlin"),
        ("Dec 3 2pm PST", utc(2026, 12, 3, 22), "America/Los_Angeles"),
        ("tomorrow at 2pm (PST)", utc(2026, 11, 26, 22), "America/Los_Angeles"),
        ("tomorrow 2pm pst", utc(2026, 11, 26, 22), "America/Los_Angeles"),
        ("2026-12-03T14:00Z", utc(2026, 12, 3, 14), "UTC"),
        ("2026-12-03T14:00:00+02:00", utc(2026, 12, 3, 12), "UTC+02:00"),
        ("14:00 +0200", utc(2026, 11, 25, 12), "UTC+02:00"),
        ("tomorrow 2pm UTC+5:30", utc(2026, 11, 26, 8, 30), "UTC+05:30"),
        ("tomorrow 9am GMT-5", utc(2026, 11, 26, 14), "UTC-05:00"),
        ("tomorrow 9am UTC−5", utc(2026, 11, 26, 14), "UTC-05:00"),  # a typographic minus, as phones write it
        ("tomorrow 9am −05:00", utc(2026, 11, 26, 14), "UTC-05:00"),
        ("tomorrow 2pm America/New_York", utc(2026, 11, 26, 19), "America/New_York"),
        ("tomorrow 2pm asia/tokyo", utc(2026, 11, 26, 5), "Asia/Tokyo"),
        # A daylight-saving name out of season still means the place's clock: 2pm in Los Angeles on 1 July.
        ("2026-07-01 2pm PST", utc(2026, 7, 1, 21), "America/Los_Angeles"),
    ],
)
def test_a_zone_or_offset_in_the_text_is_read(text: str, expected: datetime, named: str) -> None:
    parsed = parse_when(text, LONDON, WEDNESDAY_1500_UTC, default_time=TEN)
    assert parsed.at == expected
    assert parsed.at.tzinfo == LONDON  # shown in the user's zone, as every other reading
    assert parsed.stated_zone_name == named
    assert parsed.has_time


def test_a_text_without_a_zone_names_none() -> None:
    parsed = parse_when("tomorrow 2pm", LONDON, WEDNESDAY_1500_UTC)
    assert (parsed.at, parsed.stated_zone, parsed.stated_zone_name) == (utc(2026, 11, 26, 14), None, None)


def test_a_bare_weekday_with_a_zone_offers_its_other_reading_in_that_zone() -> None:
    parsed = parse_when("Friday 3pm PST", LONDON, WEDNESDAY_1500_UTC)
    assert parsed.at == utc(2026, 11, 27, 23)
    assert parsed.alternative == utc(2026, 11, 20, 23)
    assert parsed.alternative is not None and parsed.alternative.tzinfo == LONDON


def test_day_words_count_from_the_users_own_day() -> None:
    # 23:30 Wednesday in Tokyo is still 14:30 in London: "tomorrow" is Thursday, at 2pm Tokyo time.
    now = utc(2026, 11, 25, 14, 30)
    assert parse_when("tomorrow 2pm JST", LONDON, now).at == utc(2026, 11, 26, 5)


# Each abbreviation read in a time, with the place it stands for (26 Nov 2026: northern winter, southern summer).
@pytest.mark.parametrize(
    ("abbreviation", "expected"),
    [
        ("UTC", utc(2026, 11, 26, 14)),
        ("GMT", utc(2026, 11, 26, 14)),
        ("Z", utc(2026, 11, 26, 14)),
        ("ET", utc(2026, 11, 26, 19)),
        ("EST", utc(2026, 11, 26, 19)),
        ("EDT", utc(2026, 11, 26, 19)),
        ("CT", utc(2026, 11, 26, 20)),
        ("CDT", utc(2026, 11, 26, 20)),
        ("MT", utc(2026, 11, 26, 21)),
        ("MDT", utc(2026, 11, 26, 21)),
        ("PT", utc(2026, 11, 26, 22)),
        ("PST", utc(2026, 11, 26, 22)),
        ("PDT", utc(2026, 11, 26, 22)),
        ("AKST", utc(2026, 11, 26, 23)),
        ("AKDT", utc(2026, 11, 26, 23)),
        ("HST", utc(2026, 11, 27, 0)),
        ("WET", utc(2026, 11, 26, 14)),
        ("WEST", utc(2026, 11, 26, 14)),
        ("CET", utc(2026, 11, 26, 13)),
        ("CEST", utc(2026, 11, 26, 13)),
        ("MSK", utc(2026, 11, 26, 11)),
        ("JST", utc(2026, 11, 26, 5)),
        ("KST", utc(2026, 11, 26, 5)),
        ("SGT", utc(2026, 11, 26, 6)),
        ("HKT", utc(2026, 11, 26, 6)),
        ("AEDT", utc(2026, 11, 26, 3)),
        ("NZST", utc(2026, 11, 26, 1)),
        ("NZDT", utc(2026, 11, 26, 1)),
    ],
)
def test_each_unambiguous_abbreviation_is_read_as_its_place(abbreviation: str, expected: datetime) -> None:
    assert parse_when(f"tomorrow 2pm {abbreviation}", ZoneInfo("Asia/Kolkata"), WEDNESDAY_1500_UTC).at == expected


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("tomorrow 2pm IST", "Asia/Kolkata, Europe/Dublin or Asia/Jerusalem"),
        ("tomorrow 2pm CST", "America/Chicago or Asia/Shanghai"),
        ("tomorrow 2pm MST", "America/Denver or America/Phoenix"),
        ("tomorrow 2pm BST", "Europe/London or Asia/Dhaka"),
        ("tomorrow 2pm AST", "America/Halifax or Asia/Riyadh"),
        ("tomorrow 2pm AEST", "Australia/Sydney or Australia/Brisbane"),
        ("tomorrow 2pm EET", "Europe/Athens or Africa/Cairo"),
    ],
)
def test_an_ambiguous_abbreviation_is_refused_naming_its_readings(text: str, named: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_when(text, ZoneInfo("America/Toronto"), WEDNESDAY_1500_UTC)
    message = caught.value.message
    assert named in message
    assert "I read times in your zone (America/Toronto)" in message
    assert "couldn't tell what" not in message


@pytest.mark.parametrize(
    ("text", "zone", "expected"),
    [
        ("tomorrow 2pm IST", "Asia/Kolkata", utc(2026, 11, 26, 8, 30)),
        ("tomorrow 2pm IST", "Europe/Dublin", utc(2026, 11, 26, 14)),
        ("tomorrow 2pm CST", "Asia/Shanghai", utc(2026, 11, 26, 6)),
        ("tomorrow 2pm BST", "Europe/London", utc(2026, 11, 26, 14)),
    ],
)
def test_an_ambiguous_abbreviation_that_can_mean_the_users_own_zone_is_read_there(
    text: str, zone: str, expected: datetime
) -> None:
    parsed = parse_when(text, ZoneInfo(zone), WEDNESDAY_1500_UTC)
    assert (parsed.at, parsed.stated_zone_name) == (expected, zone)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tomorrow 2pm ACDT", "I can't be sure which zone “ACDT” is"),
        ("tomorrow 2pm CAT", "I can't be sure which zone “CAT” is"),
        ("tomorrow 2pm Etc/GMT+5", "fixed offset"),
        ("tomorrow 2pm Mars/Olympus", "not a time zone I know"),
        ("in 2 hours PST", "“PST” goes with a clock time"),
        ("Dec 3 PST", "“PST” goes with a clock time"),
        ("tomorrow 2pm PST EST", "more than one zone"),
    ],
)
def test_a_zone_that_cannot_be_read_is_refused_clearly(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_when(text, LONDON, WEDNESDAY_1500_UTC, default_time=TEN)
    assert message in caught.value.message
    assert "couldn't tell what" not in caught.value.message


def test_a_zone_is_read_when_only_the_future_is_wanted() -> None:
    parsed = parse_when("Friday 3pm PST", LONDON, WEDNESDAY_1500_UTC, prefer=Prefer.FUTURE)
    assert (parsed.at, parsed.alternative) == (utc(2026, 11, 27, 23), None)


# A dot between hours and minutes, as many people write the time.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow at 9.30", utc(2026, 11, 26, 9, 30)),
        ("tomorrow 9.30am", utc(2026, 11, 26, 9, 30)),
        ("tomorrow 9.30 pm", utc(2026, 11, 26, 21, 30)),
        ("tomorrow 14.45", utc(2026, 11, 26, 14, 45)),
        ("Friday at 9.05", utc(2026, 11, 27, 9, 5)),
        ("Dec 3 at 16.00", utc(2026, 12, 3, 16)),
        ("at 9.30 tomorrow", utc(2026, 11, 26, 9, 30)),
    ],
)
def test_a_dotted_time_is_hours_and_minutes(text: str, expected: datetime) -> None:
    parsed = parse_when(text, UTC_ZONE, WEDNESDAY_1500_UTC, default_time=TEN, month_first=False)
    assert (parsed.at, parsed.has_time) == (expected, True)


@pytest.mark.parametrize(
    ("text", "expected"), [("3.12.2026", utc(2026, 12, 3, 10)), ("3.12.2026 9.30", utc(2026, 12, 3, 9, 30))]
)
def test_a_dotted_date_stays_a_date(text: str, expected: datetime) -> None:
    assert parse_when(text, UTC_ZONE, WEDNESDAY_1500_UTC, default_time=TEN, month_first=False).at == expected


def test_a_dotted_time_that_is_no_time_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"“9\.75”"):
        parse_when("tomorrow at 9.75", UTC_ZONE, WEDNESDAY_1500_UTC)

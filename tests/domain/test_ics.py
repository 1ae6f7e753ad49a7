"""The .ics export parses back with icalendar and keeps local wall-clock times across a DST change."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from bot.content import ics
from bot.domain.models import FollowUp, FollowUpKind, FollowUpStatus, Interview
from tests.support import utc

NEW_YORK = ZoneInfo("America/New_York")
NOW = utc(2026, 11, 25, 15)


def interview() -> Interview:
    return Interview(1, 1, "Acme", "Data Analyst", NOW, "Sam Lee", "Sam, 555-0100", None, None, None, None, NOW)


def follow_up(follow_up_id: int, kind: FollowUpKind, due: datetime, deadline: datetime | None = None) -> FollowUp:
    return FollowUp(follow_up_id, 1, 1, kind, due, due, deadline, FollowUpStatus.PENDING, 0, 0, None, None, None, NOW)


def events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_events_keep_10am_local_on_both_sides_of_the_spring_dst_change() -> None:
    before = follow_up(1, FollowUpKind.CHECK_IN, datetime(2027, 3, 12, 10, tzinfo=NEW_YORK))  # EST, UTC-5
    after = follow_up(2, FollowUpKind.CHECK_IN, datetime(2027, 3, 15, 10, tzinfo=NEW_YORK))  # EDT, UTC-4
    parsed = events(ics.calendar([(before, interview()), (after, interview())], NEW_YORK, NOW))
    starts = [e.decoded("dtstart") for e in parsed]
    assert [s.astimezone(UTC) for s in starts] == [utc(2027, 3, 12, 15), utc(2027, 3, 15, 14)]
    assert [(s.hour, s.minute) for s in starts] == [(10, 0), (10, 0)]
    assert all(str(s.tzinfo) == "America/New_York" for s in starts)
    assert [e.decoded("dtend") - e.decoded("dtstart") for e in parsed] == [timedelta(minutes=15)] * 2


def test_the_calendar_carries_its_time_zone_rules() -> None:
    data = ics.calendar([(follow_up(1, FollowUpKind.CHECK_IN, NOW), interview())], NEW_YORK, NOW)
    zones = list(icalendar.Calendar.from_ical(data).walk("VTIMEZONE"))
    assert [z["TZID"] for z in zones] == ["America/New_York"]


def test_each_event_says_what_to_do_and_for_whom() -> None:
    item = follow_up(7, FollowUpKind.THANK_YOU_EMAIL, NOW, deadline=NOW + timedelta(hours=22))
    [event] = events(ics.calendar([(item, interview())], NEW_YORK, NOW))
    assert str(event["summary"]) == "Send a thank-you email: Acme (Data Analyst)"
    description = str(event["description"])
    assert "thank-you email" in description
    assert "Company: Acme" in description and "Role: Data Analyst" in description
    assert "Contact: Sam, 555-0100" in description
    assert "Deadline: Thu 26 Nov 2026 08:00 EST" in description
    assert str(event["uid"]) == "follow-up-7@follow-through"
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("trigger") == timedelta(minutes=-10)


def test_an_empty_calendar_is_still_valid() -> None:
    cal = icalendar.Calendar.from_ical(ics.calendar([], NEW_YORK, NOW))
    assert cal["version"] == "2.0"
    assert events(ics.calendar([], NEW_YORK, NOW)) == []


def test_a_snooze_keeps_the_events_uid_and_raises_its_sequence() -> None:
    """Re-importing after a snooze updates the event instead of adding a second one."""
    first = follow_up(7, FollowUpKind.CHECK_IN, NOW)
    snoozed = replace(first, due_at=NOW + timedelta(days=1), notify_at=NOW + timedelta(days=1), snoozes=2)
    [before] = events(ics.calendar([(first, interview())], NEW_YORK, NOW))
    [after] = events(ics.calendar([(snoozed, interview())], NEW_YORK, NOW))
    assert str(before["uid"]) == str(after["uid"]) == "follow-up-7@follow-through"
    assert (before.decoded("sequence"), after.decoded("sequence")) == (0, 2)
    assert after.decoded("dtstart") - before.decoded("dtstart") == timedelta(days=1)

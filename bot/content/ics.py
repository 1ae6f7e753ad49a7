"""Follow-ups as an iCalendar file, so seekers see their calls and deadlines in their own calendar."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from bot.domain import dates
from bot.domain.models import FollowUp, FollowUpKind, Interview

EVENT_LENGTH = {FollowUpKind.CHECK_IN: timedelta(minutes=15)}
DEFAULT_LENGTH = timedelta(minutes=30)

_WHAT_TO_DO = {
    FollowUpKind.PREP: "At the end, ask what happens next: other candidates, decision date, further interviews, "
    "and when to check back.",
    FollowUpKind.THANK_YOU_EMAIL: "Send a thank-you email (within 24 hours of the interview).",
    FollowUpKind.HANDWRITTEN_NOTE: "Write and post a handwritten note; reiterate the agreed check-in.",
    FollowUpKind.NEXT_STEPS: "Record what they said happens next in Follow-Through.",
    FollowUpKind.CHECK_IN: "Call exactly when agreed, then log what you heard in Follow-Through.",
    FollowUpKind.FEEDBACK_REQUEST: "Ask with confidence for feedback.",
}


def calendar(items: list[tuple[FollowUp, Interview]], zone: ZoneInfo, now: datetime) -> bytes:
    """One event per follow-up, at its due time in the seeker's zone (with the zone's rules included)."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Follow-Through//Job search follow-ups//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Follow-Through")
    for follow_up, interview in items:
        start = follow_up.due_at.astimezone(zone)
        event = icalendar.Event()
        # One UID per follow-up, whatever its snoozes: a re-import updates the event (a later SEQUENCE wins).
        event.add("uid", f"follow-up-{follow_up.id}@follow-through")
        event.add("sequence", follow_up.snoozes)
        event.add("dtstamp", now)
        event.add("dtstart", start)
        event.add("dtend", start + EVENT_LENGTH.get(follow_up.kind, DEFAULT_LENGTH))
        event.add("summary", f"{follow_up.kind.label}: {interview.company} ({interview.role})")
        event.add("description", _description(follow_up, interview, zone))
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", follow_up.kind.label)
        alarm.add("trigger", timedelta(minutes=-10))
        event.add_component(alarm)
        cal.add_component(event)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


def _description(follow_up: FollowUp, interview: Interview, zone: ZoneInfo) -> str:
    lines = [_WHAT_TO_DO[follow_up.kind], f"Company: {interview.company}", f"Role: {interview.role}"]
    if interview.interviewer:
        lines.append(f"Interviewer: {interview.interviewer}")
    if interview.contact:
        lines.append(f"Contact: {interview.contact}")
    if follow_up.deadline_at is not None:
        deadline = follow_up.deadline_at.astimezone(zone)
        lines.append(f"Deadline: {dates.day(deadline, zone)} {deadline:%Y %H:%M %Z}")
    return "\n".join(lines)

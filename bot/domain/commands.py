"""The product's commands, named once: content and error texts point to them, each platform says them its own way."""

from __future__ import annotations

import enum


class Command(enum.StrEnum):
    """Values are placeholder names: an error text holds "{interview_list}" where a platform puts its command."""

    INTERVIEW_ADD = "interview_add"
    INTERVIEW_NEXT = "interview_next"
    INTERVIEW_EDIT = "interview_edit"
    INTERVIEW_LIST = "interview_list"
    INTERVIEW_REOPEN = "interview_reopen"
    FOLLOW_UPS = "follow_ups"
    SET_TIMEZONE = "set_timezone"
    SET_SHARE_NOTES = "set_share_notes"
    MY_DATA_EXPORT = "my_data_export"
    DELETE_DATA = "delete_data"
    COACH_CREATE = "coach_create"
    COACH_JOIN = "coach_join"
    COACH_LEAVE = "coach_leave"
    COACH_DELETE = "coach_delete"
    COACH_ROSTER = "coach_roster"
    COACH_INVITE_NEW = "coach_invite_new"
    COACH_DIGEST = "coach_digest"
    INTERVIEW_CHECKIN = "interview_checkin"
    INTERVIEW_OUTCOME = "interview_outcome"
    INTERVIEW_FEEDBACK = "interview_feedback"
    INTERVIEW_DELETE = "interview_delete"
    MY_DATA_CALENDAR = "my_data_calendar"
    COACH_ADD_COACH = "coach_add_coach"
    COACH_SEEKER = "coach_seeker"
    COACH_NUDGE = "coach_nudge"
    COACH_REMOVE = "coach_remove"
    COACH_EXPORT = "coach_export"

    def neutral_name(self) -> str:
        """How the command reads where no platform names it (logs, tests)."""
        return _NEUTRAL[self]


_NEUTRAL = {
    Command.INTERVIEW_ADD: "log an interview",
    Command.INTERVIEW_NEXT: "record what happens next",
    Command.INTERVIEW_EDIT: "edit interview",
    Command.INTERVIEW_LIST: "your interview list",
    Command.INTERVIEW_REOPEN: "reopen interview",
    Command.FOLLOW_UPS: "your follow-ups",
    Command.SET_TIMEZONE: "set time zone",
    Command.SET_SHARE_NOTES: "share notes with coaches",
    Command.MY_DATA_EXPORT: "export your data",
    Command.DELETE_DATA: "delete your data",
    Command.COACH_CREATE: "create group",
    Command.COACH_JOIN: "join group",
    Command.COACH_LEAVE: "leave group",
    Command.COACH_DELETE: "delete group",
    Command.COACH_ROSTER: "group roster",
    Command.COACH_INVITE_NEW: "new invite code",
    Command.COACH_DIGEST: "weekly digest settings",
    Command.INTERVIEW_CHECKIN: "log a check-in call",
    Command.INTERVIEW_OUTCOME: "record the outcome",
    Command.INTERVIEW_FEEDBACK: "record feedback",
    Command.INTERVIEW_DELETE: "delete interview",
    Command.MY_DATA_CALENDAR: "your calendar file",
    Command.COACH_ADD_COACH: "add a co-coach",
    Command.COACH_SEEKER: "a seeker's progress",
    Command.COACH_NUDGE: "send a seeker a note",
    Command.COACH_REMOVE: "remove from a group",
    Command.COACH_EXPORT: "export the roster",
}

"""The roster as CSV, for a coach's own spreadsheet: one row per seeker and group, most overdue first."""

from __future__ import annotations

from bot.content.spreadsheet import cell, csv_bytes, when
from bot.domain.coaching import GroupRoster

HEADER = (
    "group",
    "seeker",
    "seeker_id",
    "open_interviews",
    "overdue_follow_ups",
    "oldest_overdue_utc",
    "last_activity_utc",
    "dms_closed",
    "platform",  # where seeker_id is a user's id: one group may span Discord and Slack
)


def roster_csv(rosters: list[GroupRoster]) -> bytes:
    return csv_bytes(
        HEADER,
        (
            (
                cell(roster.group.name),
                cell(line.seeker.name),
                line.seeker.external_id,
                line.open_interviews,
                line.overdue,
                when(line.oldest_overdue),
                when(line.last_activity),
                "yes" if line.seeker.dms_closed_at is not None else "no",
                line.seeker.platform,
            )
            for roster in rosters
            for line in roster.lines
        ),
    )

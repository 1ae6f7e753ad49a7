"""The roster as CSV, for a coach's own spreadsheet: one row per seeker and group, most overdue first."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from bot.core.coaching import GroupRoster

HEADER = (
    "group",
    "seeker",
    "seeker_id",
    "open_interviews",
    "overdue_follow_ups",
    "oldest_overdue_utc",
    "last_activity_utc",
    "dms_closed",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """Text a spreadsheet would run as a formula is quoted, so a name like =HYPERLINK(...) stays text."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _when(moment: datetime | None) -> str:
    return "" if moment is None else moment.isoformat()


def roster_csv(rosters: list[GroupRoster]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for roster in rosters:
        for line in roster.lines:
            writer.writerow(
                (
                    _cell(roster.group.name),
                    _cell(line.seeker.name),
                    line.seeker.external_id,
                    line.open_interviews,
                    line.overdue,
                    _when(line.oldest_overdue),
                    _when(line.last_activity),
                    "yes" if line.seeker.dms_closed_at is not None else "no",
                )
            )
    return out.getvalue().encode("utf-8")

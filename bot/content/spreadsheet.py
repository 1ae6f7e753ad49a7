"""CSV files that open safely in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | None


def cell(value: str) -> str:
    """Text a spreadsheet would run as a formula is quoted, so a name like =HYPERLINK(...) stays text."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def when(moment: datetime | None) -> str:
    return "" if moment is None else moment.isoformat()


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """UTF-8 with a byte-order mark: without it Excel reads the file in the local code page (José → JosÃ©)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")

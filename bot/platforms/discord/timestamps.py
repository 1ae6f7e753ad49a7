"""Discord timestamp markup: each reader sees the moment in their own zone and locale."""

from __future__ import annotations

from datetime import datetime


def full(moment: datetime) -> str:
    return f"<t:{int(moment.timestamp())}:F>"


def relative(moment: datetime) -> str:
    return f"<t:{int(moment.timestamp())}:R>"


def both(moment: datetime) -> str:
    return f"{full(moment)} ({relative(moment)})"

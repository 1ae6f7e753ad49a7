"""How the product writes a day where no platform shows it for the reader (button labels, choices, errors,
files, the demo): "Tue 1 Dec", "Tue 1 Dec 14:00". One format, in one place."""

from __future__ import annotations

from datetime import datetime, tzinfo


def day(at: datetime, zone: tzinfo) -> str:
    """ "Tue 1 Dec" in `zone`."""
    local = at.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b}"


def day_time(at: datetime, zone: tzinfo) -> str:
    """ "Tue 1 Dec 14:00" in `zone`: tells apart two rounds on one day."""
    return f"{day(at, zone)} {at.astimezone(zone):%H:%M}"

"""The replies about time zones and quiet hours: what they promise, within Discord's limits."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta
from zoneinfo import ZoneInfo

from bot.content import preferences
from bot.domain import dates
from bot.domain.models import FollowUpKind, QuietHours
from bot.platforms.discord import render
from bot.usecases.preferences import Moved, ZoneChanged
from tests.platforms.discord.builders import NOW, follow_up, interview, user
from tests.platforms.discord.test_embeds import assert_within_limits
from tests.support import utc


def test_a_change_of_zone_lists_what_moved_and_what_kept_its_time_within_limits() -> None:
    call = follow_up(FollowUpKind.CHECK_IN)
    many = [Moved(replace(call, id=i, due_at=NOW + timedelta(hours=9)), interview(i), NOW) for i in range(60)]
    change = ZoneChanged(replace(user("Asia/Tokyo"), timezone_chosen=True), ZoneInfo("America/New_York"), many, many)
    embed = render.embed(preferences.zone_changed(change))
    assert_within_limits(embed)
    names = [f.name for f in embed.fields]
    assert "Moved to the same local time (I planned these)" in names
    assert "Kept their time (agreed with the employer)" in names
    moved = next(f.value for f in embed.fields if f.name.startswith("Moved")) or ""
    assert "Wed 25 Nov 10:00 in America/New_York → Thu 26 Nov 09:00 in Asia/Tokyo" in moved
    kept = next(f.value for f in embed.fields if f.name.startswith("Kept")) or ""
    assert "Wed 25 Nov 10:00 in America/New_York, now Thu 26 Nov 00:00 your time" in kept
    assert "more." in moved


def test_equal_quiet_hours_are_shown_as_none_and_an_unchosen_zone_says_so() -> None:
    shown = render.embed(preferences.user_settings(replace(user(), quiet_hours=QuietHours(time(0), time(0)))))
    values = {f.name: f.value for f in shown.fields}
    assert values["Quiet hours"] == "00:00–00:00: none, I may nudge you at any hour, in your time zone"
    assert values["Time zone"] == "UTC (not chosen yet)"


def test_a_moved_call_is_dated_like_every_other_date_the_product_writes() -> None:
    call = replace(follow_up(FollowUpKind.CHECK_IN), due_at=utc(2026, 12, 7, 15))
    moved = [Moved(call, interview(1), utc(2026, 12, 7, 20))]
    change = ZoneChanged(replace(user("UTC"), timezone_chosen=True), ZoneInfo("UTC"), moved, [])
    value = next(f.value for f in render.embed(preferences.zone_changed(change)).fields if f.name.startswith("Moved"))
    assert f"{dates.day(utc(2026, 12, 7), ZoneInfo('UTC'))} 20:00 in UTC → Mon 7 Dec 15:00 in UTC" in (value or "")
